//! The connector against an authorization server we did not write: panva's
//! `oidc-provider`, OpenID Certified for FAPI 1.0 Advanced, in its FAPI 1.0
//! Final profile with PAR and signed request objects required,
//! `private_key_jwt` (PS256), `code id_token`, ID tokens signed PS256 and
//! encrypted RSA-OAEP/A256GCM, PKCE S256, RFC 9207 `iss`, and access tokens
//! bound to Ponte's certificate over real mutual TLS (tests/fapi-op). Every
//! check the server makes of Ponte is oidc-provider's own; every check Ponte
//! makes of the server is the connector's production code.

use crate::support::fapi_op;

use fapi_op::ponte::{
    expiry, http_with, now_ms, permissions, setup, software_statement, thumbprint, CLIENT, CPF,
    OTHER, OTHER_KEY, REDIRECT, TRANSPORT, TRANSPORT_KEY,
};
use fapi_op::Options;
use ponte_connect::{
    AuthorisationResponse, ClientMetadata, ConnectError, OpenFinanceEndpoint, Security,
};
use serde_json::json;

#[tokio::test]
async fn discovery_advertises_the_profile_the_connector_relies_on() {
    let s = setup(Options::default());
    let d = s.discovery().await;
    assert_eq!(d["issuer"], s.op.issuer.as_str());
    assert_eq!(d["require_pushed_authorization_requests"], true);
    assert_eq!(d["authorization_response_iss_parameter_supported"], true);
    assert_eq!(d["tls_client_certificate_bound_access_tokens"], true);
    assert_eq!(
        d["token_endpoint_auth_methods_supported"],
        serde_json::json!(["private_key_jwt"])
    );
    assert_eq!(
        d["request_object_signing_alg_values_supported"],
        serde_json::json!(["PS256"])
    );
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["PS256"])
    );
    assert_eq!(
        d["response_types_supported"],
        serde_json::json!(["code id_token"])
    );
    // The issuer's listener takes no POST (tests/fapi-op/server.mjs): every
    // other test passing shows the connector posts only to the aliases.
    let plain = http_with(Some((TRANSPORT, TRANSPORT_KEY)))
        .post(d["token_endpoint"].as_str().unwrap())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 421);
    let aliases = &d["mtls_endpoint_aliases"];
    for name in ["token_endpoint", "pushed_authorization_request_endpoint"] {
        let alias = aliases[name].as_str().unwrap();
        assert!(alias.starts_with(&s.op.mtls), "{name}: {alias}");
        assert_ne!(
            Some(alias),
            d[name].as_str(),
            "{name} has an mTLS alias of its own"
        );
    }
}

#[tokio::test]
async fn the_whole_authorisation_passes_the_providers_checks_and_the_connectors() {
    let s = setup(Options::default());
    let started = s.start().await;
    // The consent PAR pushed is the provider-side consent the scope names.
    let granted = s
        .client
        .granted(&s.ep, &started.bank_consent_id)
        .await
        .unwrap();
    assert_eq!(granted.status, "AWAITING_AUTHORISATION");
    assert_eq!(granted.permissions, permissions());

    let response = s.approve(&started).await;
    // oidc-provider encrypted the front-channel ID token to Ponte's key
    // (five JWE parts) and named itself in the answer (RFC 9207).
    let id_token = response.id_token.as_deref().unwrap();
    assert_eq!(id_token.split('.').count(), 5, "a JWE");
    assert_eq!(response.iss.as_deref(), Some(s.op.issuer.as_str()));

    let completed = s.complete(&started, &response).await.unwrap();
    assert_eq!(completed.sub, "ofb-user-1");
    assert_eq!(
        completed.acr.as_deref(),
        Some("urn:brasil:openbanking:loa2")
    );
    let scope = completed.scope.clone().unwrap_or_default();
    let consent_scope = format!("consent:{}", started.bank_consent_id);
    assert!(
        scope.split(' ').any(|s| s == consent_scope) && scope.split(' ').any(|s| s == "openid"),
        "granted scope {scope:?}"
    );
    assert!(completed.tokens.refresh_token.is_some());
    let granted = s
        .client
        .granted(&s.ep, &started.bank_consent_id)
        .await
        .unwrap();
    assert_eq!(granted.status, "AUTHORISED");

    // The code is single-use at the provider: a replayed answer cannot be redeemed again.
    let again = s.complete(&started, &response).await;
    assert!(
        matches!(again, Err(ConnectError::InvalidGrant(_))),
        "{again:?}"
    );
}

#[tokio::test]
async fn the_access_token_works_only_with_ponte_s_certificate() {
    let s = setup(Options::default());
    let (started, completed) = s.authorised().await;
    let info = s
        .userinfo(&started.bank_consent_id, &completed.tokens)
        .await
        .unwrap();
    assert_eq!(info["sub"], "ofb-user-1");

    let url = s.userinfo_url().await;
    for (who, client) in [
        ("no certificate", http_with(None)),
        ("another certificate", http_with(Some((OTHER, OTHER_KEY)))),
    ] {
        let r = client
            .get(&url)
            .bearer_auth(&completed.tokens.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{who}");
        let challenge = r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(challenge.contains("invalid_token"), "{who}: {challenge}");
    }

    // The provider's view of the token names the certificate it is bound to.
    let view = s
        .client
        .introspect(&s.ep, &completed.tokens.access_token)
        .await
        .unwrap();
    assert_eq!(view["active"], true);
    assert_eq!(view["client_id"], CLIENT);
    assert_eq!(view["cnf"]["x5t#S256"], thumbprint(TRANSPORT).as_str());
}

async fn refresh_twice(rotate: bool) {
    let s = setup(Options {
        rotate_refresh_tokens: rotate,
        ..Options::default()
    });
    let (started, completed) = s.authorised().await;
    let first = completed.tokens.refresh_token.clone().unwrap();
    let second = s.client.refresh(&s.ep, &first, now_ms()).await.unwrap();
    assert_ne!(second.access_token, completed.tokens.access_token);
    let kept = second.refresh_token.clone().unwrap();
    assert_eq!(kept != first, rotate, "rotated: {rotate}");
    let third = s.client.refresh(&s.ep, &kept, now_ms()).await.unwrap();
    let info = s.userinfo(&started.bank_consent_id, &third).await.unwrap();
    assert_eq!(info["sub"], "ofb-user-1");
    if rotate {
        // A rotated-out refresh token is spent (and the provider revokes the
        // grant's tokens on its reuse, as OAuth 2.0 Security BCP advises).
        let reused = s.client.refresh(&s.ep, &first, now_ms()).await;
        assert!(
            matches!(reused, Err(ConnectError::InvalidGrant(_))),
            "{reused:?}"
        );
    }
}

#[tokio::test]
async fn refresh_tokens_that_rotate_are_followed() {
    refresh_twice(true).await;
}

#[tokio::test]
async fn refresh_tokens_that_do_not_rotate_are_kept() {
    refresh_twice(false).await;
}

#[tokio::test]
async fn revoked_tokens_stop_working_and_the_consent_is_revoked() {
    let s = setup(Options::default());
    let (started, completed) = s.authorised().await;
    let access = &completed.tokens.access_token;
    s.client
        .revoke_token(&s.ep, access, "access_token")
        .await
        .unwrap();
    let view = s.client.introspect(&s.ep, access).await.unwrap();
    assert_eq!(view["active"], false);
    let gone = s
        .userinfo(&started.bank_consent_id, &completed.tokens)
        .await;
    assert!(gone.is_err(), "{gone:?}");

    let refresh = completed.tokens.refresh_token.as_deref().unwrap();
    s.client
        .revoke_token(&s.ep, refresh, "refresh_token")
        .await
        .unwrap();
    let spent = s.client.refresh(&s.ep, refresh, now_ms()).await;
    assert!(
        matches!(spent, Err(ConnectError::InvalidGrant(_))),
        "{spent:?}"
    );

    s.client
        .revoke(&s.ep, &started.bank_consent_id)
        .await
        .unwrap();
    let (status, reason) = s
        .client
        .consent_status(&s.ep, &started.bank_consent_id)
        .await
        .unwrap();
    assert_eq!(status, "REJECTED");
    assert_eq!(reason.as_deref(), Some("CUSTOMER_MANUALLY_REVOKED"));
}

#[tokio::test]
async fn an_answer_tampered_on_the_way_is_refused_by_the_connector() {
    let s = setup(Options::default());
    let started = s.start().await;
    let response = s.approve(&started).await;
    // Someone else's state, or the provider's ID token with another code: the
    // connector's checks refuse them before the code is redeemed.
    let other_state = AuthorisationResponse {
        state: Some("not-the-state".into()),
        ..response.clone()
    };
    let err = s.complete(&started, &other_state).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::Check(c) if c.check == "authorization.state"),
        "{err}"
    );
    let other_code = AuthorisationResponse {
        code: Some(format!("{}x", response.code.as_deref().unwrap())),
        ..response.clone()
    };
    let err = s.complete(&started, &other_code).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::Check(c) if c.check == "id_token.c_hash"),
        "{err}"
    );
    // Nothing was redeemed: the untouched answer still completes.
    s.complete(&started, &response).await.unwrap();
}

/// Finding: oidc-provider advertises `authorization_response_iss_parameter_supported`
/// yet sends no `iss` with a `code id_token` answer (the ID token's `iss` claim
/// names it). RFC 9207 §2 has every answer carry it and §2.4 has the client
/// refuse one without it from such a server, so the connector keeps refusing:
/// the consent would end REJECTED naming `authorization.iss`, and nothing is redeemed.
#[tokio::test]
async fn the_providers_answer_without_iss_is_refused_as_rfc_9207_says() {
    let s = setup(Options {
        iss_with_id_token: false,
        ..Options::default()
    });
    let started = s.start().await;
    let response = s.approve(&started).await;
    assert_eq!(response.iss, None, "oidc-provider still leaves iss out");
    assert!(response.id_token.is_some() && response.code.is_some());
    let err = s.complete(&started, &response).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::Check(c) if c.check == "authorization.iss"),
        "{err}"
    );
    // The code was not redeemed: with the provider's own issuer added, the same answer completes.
    let with_iss = AuthorisationResponse {
        iss: Some(s.op.issuer.clone()),
        ..response
    };
    s.complete(&started, &with_iss).await.unwrap();
}

#[tokio::test]
async fn a_provider_that_does_not_encrypt_id_tokens_is_still_accepted() {
    let s = setup(Options {
        encrypt_id_tokens: false,
        ..Options::default()
    });
    let started = s.start().await;
    let response = s.approve(&started).await;
    let id_token = response.id_token.as_deref().unwrap();
    assert_eq!(id_token.split('.').count(), 3, "a plain JWS");
    let completed = s.complete(&started, &response).await.unwrap();
    assert_eq!(completed.sub, "ofb-user-1");
}

/// ES256 is allowed by FAPI 1.0 Advanced but not by the OFB profile (PS256
/// only): oidc-provider signs with it when told, and the connector refuses it.
#[tokio::test]
async fn an_id_token_signed_es256_is_refused_before_the_code_is_redeemed() {
    let s = setup(Options {
        id_token_alg: "ES256",
        ..Options::default()
    });
    let started = s.start().await;
    let response = s.approve(&started).await;
    let err = s.complete(&started, &response).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::Check(c) if c.check == "id_token.alg"),
        "{err}"
    );
    // The code is still unspent at the provider: Ponte never redeemed it.
    let code = response.code.as_deref().unwrap();
    s.client
        .exchange_code(&s.ep, code, &started.pkce_verifier, now_ms())
        .await
        .unwrap();
}

/// Dynamic registration (RFC 7591) at oidc-provider's mTLS registration alias
/// with `jwks_uri` from the software statement, then the whole authorisation
/// as the client it issued, and management (RFC 7592): read, update, delete.
#[tokio::test]
async fn ponte_registers_dynamically_then_authorises_reads_updates_and_deletes() {
    let mut s = setup(Options::default());
    let Security::Fapi(profile) = s.ep.security.clone() else {
        panic!("a FAPI endpoint")
    };
    let ssa = software_statement(&s.op.issuer);
    let reg = s
        .client
        .register(&s.op.issuer, &profile, &ssa, &ClientMetadata::default())
        .await
        .unwrap();
    assert_ne!(reg.client_id, CLIENT);
    assert!(
        reg.registration_client_uri.starts_with(&s.op.mtls),
        "{}",
        reg.registration_client_uri
    );
    assert_eq!(
        reg.metadata["token_endpoint_auth_method"],
        "private_key_jwt"
    );
    assert_eq!(reg.metadata["id_token_encrypted_response_alg"], "RSA-OAEP");
    assert_eq!(
        reg.metadata["tls_client_certificate_bound_access_tokens"],
        true
    );

    // The registered client is used for a whole consent: the provider reads
    // Ponte's keys from the jwks_uri to check the client assertions and the
    // request object, and encrypts ID tokens to the `enc` key there.
    s.ep = OpenFinanceEndpoint::fapi(
        s.op.issuer.clone(),
        s.op.mtls.clone(),
        reg.client_id.clone(),
        REDIRECT,
        profile.clone(),
    );
    let (_, completed) = s.authorised().await;
    assert_eq!(completed.sub, "ofb-user-1");

    let read = s.client.read_registration(&profile, &reg).await.unwrap();
    assert_eq!(read.client_id, reg.client_id);
    assert_eq!(read.metadata["redirect_uris"], json!([REDIRECT]));
    let updated = s
        .client
        .update_registration(&profile, &read, &ssa, &ClientMetadata::default())
        .await
        .unwrap();
    assert_eq!(updated.client_id, reg.client_id);
    s.client
        .delete_registration(&profile, &updated)
        .await
        .unwrap();
    // Deleted: the registration token no longer reads it, and the client is gone.
    assert!(s
        .client
        .read_registration(&profile, &updated)
        .await
        .is_err());
    let gone = s
        .client
        .start_authorisation(&s.ep, CPF, None, &permissions(), &expiry(), None)
        .await;
    assert!(gone.is_err(), "a deleted client still gets tokens");
}
