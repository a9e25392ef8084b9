//! What Ponte signs (client assertions, request objects), read back with
//! its public key, and the token answer's `scope` rules.

use super::*;
use crate::jose::{public_jwk, verify_ps256, Jwks};
use crate::testkit::{claims_of, CLIENT_SIG};

const ISSUER: &str = "https://bank.example/";

fn key() -> SigningKey {
    SigningKey::from_pem(CLIENT_SIG, "ponte-sig-1").unwrap()
}

/// Ponte's public JWKS, as an institution reads it from `jwks_uri`.
fn ponte_jwks() -> Jwks {
    let jwk = public_jwk(CLIENT_SIG, "ponte-sig-1", "sig", "PS256").unwrap();
    Jwks::from_json(&json!({ "keys": [jwk] }))
}

#[test]
fn a_client_assertion_is_ps256_with_the_profile_claims_and_a_fresh_jti() {
    let first = client_assertion(&key(), "ponte-client", ISSUER).unwrap();
    let second = client_assertion(&key(), "ponte-client", ISSUER).unwrap();
    let (header, claims) = claims_of(&first);
    assert_eq!(header["alg"], "PS256");
    assert_eq!(header["kid"], "ponte-sig-1");
    assert_eq!(header["typ"], "JWT");
    // It verifies with the public key Ponte publishes.
    assert_eq!(verify_ps256(&first, &ponte_jwks()).unwrap(), claims);
    assert_eq!(claims["iss"], "ponte-client");
    assert_eq!(claims["sub"], "ponte-client");
    assert_eq!(claims["aud"], ISSUER);
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!(exp > iat && exp - iat <= 300, "exp {exp} iat {iat}");
    assert!((iat - now_secs()).abs() < 60);
    // PAR and token assertions must differ (the suite refuses a reused jti).
    assert_ne!(claims["jti"], claims_of(&second).1["jti"]);
    assert!(!claims["jti"].as_str().unwrap().is_empty());
}

#[test]
fn the_request_object_carries_exactly_the_profile_claims() {
    let request = AuthorisationRequest {
        client_id: "ponte-client",
        issuer: ISSUER,
        redirect_uri: "https://ponte.example/callback",
        scope: "openid consent:urn:bank:C1 accounts resources",
        state: "st",
        nonce: "no",
        code_challenge: "ch",
        recipient_name: None,
    };
    let now = now_secs();
    let jws = key()
        .sign("oauth-authz-req+jwt", &request_object_claims(&request, now))
        .unwrap();
    let (header, claims) = claims_of(&jws);
    assert_eq!(header["alg"], "PS256");
    assert_eq!(header["typ"], "oauth-authz-req+jwt");
    assert_eq!(header["kid"], "ponte-sig-1");
    assert!(verify_ps256(&jws, &ponte_jwks()).is_ok());
    for (claim, value) in [
        ("iss", "ponte-client"),
        ("aud", ISSUER),
        ("client_id", "ponte-client"),
        ("response_type", "code id_token"),
        ("redirect_uri", "https://ponte.example/callback"),
        ("scope", "openid consent:urn:bank:C1 accounts resources"),
        ("state", "st"),
        ("nonce", "no"),
        ("code_challenge", "ch"),
        ("code_challenge_method", "S256"),
    ] {
        assert_eq!(claims[claim], value, "{claim}");
    }
    // acr essential, and no values: the OFB profile forbids requiring them.
    assert_eq!(
        claims["claims"],
        json!({"id_token": {"acr": {"essential": true}}})
    );
    let (nbf, exp) = (
        claims["nbf"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!(nbf <= now && exp > now && exp - nbf <= 3600);
    assert!(claims["jti"].is_string() && claims["iat"].is_i64());
    assert!(
        claims.get("sub").is_none(),
        "sub must not be the client id (JAR 10.8)"
    );
    assert!(claims.get(RECIPIENT_NAME_PARAM).is_none());
}

#[test]
fn the_products_scopes_follow_the_consents_permissions() {
    let permissions: Vec<String> = [
        "RESOURCES_READ",
        "ACCOUNTS_READ",
        "ACCOUNTS_BALANCES_READ",
        "LOANS_READ",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        product_scopes(&permissions),
        ["resources", "accounts", "loans"]
    );
    let cards = ["CREDIT_CARDS_ACCOUNTS_READ".to_string()];
    assert_eq!(product_scopes(&cards), ["credit-cards-accounts"]);
}

#[test]
fn a_token_answer_without_scope_is_accepted_and_one_lacking_the_consent_refused() {
    assert!(check_scope(None, "urn:bank:C1").is_ok());
    assert!(check_scope(Some("openid accounts consent:urn:bank:C1"), "urn:bank:C1").is_ok());
    let lacking = check_scope(Some("openid accounts"), "urn:bank:C1").unwrap_err();
    assert_eq!(lacking.check, "token.scope");
    let no_openid = check_scope(Some("consent:urn:bank:C1"), "urn:bank:C1").unwrap_err();
    assert_eq!(no_openid.check, "token.scope");
}

/// The bank's JWKS is fetched once, reused, fetched again when a token
/// names a key the cached set lacks (the bank rotated its key) but at most
/// once a minute, and fetched again once it is older than its TTL.
#[tokio::test]
async fn the_banks_jwks_is_cached_for_a_while_and_refetched_on_an_unknown_kid_once_a_minute() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new().route(
        "/jwks",
        axum::routing::get(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            // After the first fetch the bank has rotated to a second key.
            let kid = if n == 0 { "bank-1" } else { "bank-2" };
            let jwk = public_jwk(crate::testkit::BANK_SIG, kid, "sig", "PS256").unwrap();
            async move { axum::Json(json!({ "keys": [jwk] })) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let d: Discovery = serde_json::from_value(json!({
        "issuer": origin, "authorization_endpoint": "x", "token_endpoint": "x",
        "jwks_uri": format!("{origin}/jwks"),
    }))
    .unwrap();
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&origin, &origin, "c", "s", "r");
    assert!(client
        .bank_jwks(&ep, &d, Some("bank-1"))
        .await
        .unwrap()
        .has_kid(Some("bank-1")));
    assert!(client
        .bank_jwks(&ep, &d, Some("bank-1"))
        .await
        .unwrap()
        .has_kid(Some("bank-1")));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "reused");
    // A kid unknown right after a fetch: not fetched again within the minute.
    let stale = client.bank_jwks(&ep, &d, Some("bank-2")).await.unwrap();
    assert!(!stale.has_kid(Some("bank-2")));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "throttled");
    client.cache.advance(Duration::from_secs(61));
    let rotated = client.bank_jwks(&ep, &d, Some("bank-2")).await.unwrap();
    assert!(rotated.has_kid(Some("bank-2")));
    assert_eq!(hits.load(Ordering::SeqCst), 2, "fetched again once");
    let unknown = client.bank_jwks(&ep, &d, Some("bank-3")).await.unwrap();
    assert!(!unknown.has_kid(Some("bank-3")));
    assert_eq!(hits.load(Ordering::SeqCst), 2, "throttled again");
    // A known kid, once the set is older than its TTL: fetched again.
    client.cache.advance(crate::discovery::JWKS_TTL);
    client.bank_jwks(&ep, &d, Some("bank-2")).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 3, "expired");
}

/// `recipient_name` reaches the request object only for an institution
/// configured to read it; by default the object holds the profile's claims.
#[test]
fn the_recipient_name_is_sent_only_where_the_institution_opts_in() {
    use crate::security::{FapiProfile, FapiSettings};
    use crate::testkit::{CLIENT_ENC, TRANSPORT_CERT, TRANSPORT_KEY};
    let settings = FapiSettings {
        signing_key_pem: CLIENT_SIG.into(),
        signing_kid: "ponte-sig-1".into(),
        transport_cert_pem: TRANSPORT_CERT.into(),
        transport_key_pem: TRANSPORT_KEY.into(),
        trust_anchors_pem: Some(TRANSPORT_CERT.into()),
        id_token_decryption_key_pem: Some(CLIENT_ENC.into()),
        ..Default::default()
    };
    let claims_for = |p: &FapiProfile| {
        let request = AuthorisationRequest {
            client_id: "ponte-client",
            issuer: ISSUER,
            redirect_uri: "https://ponte.example/callback",
            scope: "openid consent:urn:bank:C1",
            state: "st",
            nonce: "no",
            code_challenge: "ch",
            recipient_name: recipient_for(p, Some("Acme Ltda")),
        };
        request_object_claims(&request, now_secs())
    };
    let default = FapiProfile::build(&settings).unwrap();
    assert!(claims_for(&default).get(RECIPIENT_NAME_PARAM).is_none());
    let opted_in = FapiProfile::build(&FapiSettings {
        send_recipient_name: true,
        ..settings
    })
    .unwrap();
    assert_eq!(claims_for(&opted_in)[RECIPIENT_NAME_PARAM], "Acme Ltda");
}

#[test]
fn a_pkcs1_key_signs_as_its_pkcs8_form_and_a_changed_claim_does_not_verify() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let pkcs1 = rsa::RsaPrivateKey::from_pkcs8_pem(CLIENT_SIG)
        .unwrap()
        .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let key = SigningKey::from_pem(&pkcs1, "ponte-sig-1").unwrap();
    let jws = client_assertion(&key, "ponte-client", ISSUER).unwrap();
    let (_, claims) = claims_of(&jws);
    assert_eq!(verify_ps256(&jws, &ponte_jwks()).unwrap(), claims);
    // The same signature over other claims is refused.
    let mut parts: Vec<String> = jws.split('.').map(str::to_string).collect();
    let mut forged = claims.clone();
    forged["sub"] = json!("someone-else");
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
    let err = verify_ps256(&parts.join("."), &ponte_jwks()).unwrap_err();
    assert_eq!(err.check, "id_token.signature");
}
