//! The strict sandbox bank for FAPI clients, over real HTTP and real mutual TLS: the full
//! journey and each refusal a production OFB bank makes.

use crate::support;

use jsonwebtoken::Algorithm;
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::fapi::*;
use support::{BANK, VERIFIER};

async fn oauth_error(r: reqwest::Response, status: StatusCode, error: &str) -> String {
    assert_eq!(r.status(), status);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], error, "{v}");
    v["error_description"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn full_journey_par_fragment_token_and_bound_data_call() {
    let sb = FapiSandbox::start().await;
    let d: Value = sb
        .http
        .get(format!(
            "{}/.well-known/openid-configuration",
            sb.issuer(BANK)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["require_pushed_authorization_requests"], true);
    assert_eq!(
        d["token_endpoint_auth_methods_supported"],
        json!(["private_key_jwt"])
    );
    assert_eq!(d["response_types_supported"], json!(["code id_token"]));
    assert_eq!(
        d["mtls_endpoint_aliases"]["token_endpoint"],
        sb.mtls_url(BANK, "/auth/token")
    );

    let params = sb.authorise(BANK).await;
    let code = param(&params, "code").expect("code");
    assert_eq!(param(&params, "state"), Some("st-fapi"));
    assert_eq!(param(&params, "iss"), Some(sb.issuer(BANK).as_str()));
    let (jwe_header, jws) = decrypt(param(&params, "id_token").unwrap());
    assert_eq!(jwe_header["alg"], "RSA-OAEP");
    assert_eq!(jwe_header["enc"], "A256GCM");
    assert_eq!(jwe_header["cty"], "JWT");
    let jwks = sb.bank_jwks(BANK).await;
    let c = verify_bank(&jws, &jwks).expect("front-channel ID token verifies");
    assert_eq!(c["iss"], sb.issuer(BANK));
    assert_eq!(c["aud"], FAPI_CLIENT);
    assert_eq!(c["nonce"], "n-fapi");
    assert_eq!(c["acr"], "urn:brasil:openbanking:loa2");
    assert_eq!(c["c_hash"], half_hash(code));
    assert_eq!(c["s_hash"], half_hash("st-fapi"));
    assert!(c["exp"].as_i64().unwrap() > now() && c["auth_time"].is_i64());

    let r = sb.exchange(&sb.mtls, BANK, code).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    let tc = verify_bank(t["id_token"].as_str().unwrap(), &jwks).unwrap();
    assert_eq!(tc["sub"], c["sub"]);
    assert!(tc.get("c_hash").is_none() && tc.get("s_hash").is_none());
    let access = t["access_token"].as_str().unwrap();

    let accounts = sb.mtls_url(BANK, "/open-banking/accounts/v2/accounts");
    let r = sb
        .mtls
        .get(&accounts)
        .bearer_auth(access)
        .header(
            "x-fapi-interaction-id",
            "2b5ad3c8-3a8e-4c5e-9d43-0c0d6b0f3b11",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["x-fapi-interaction-id"],
        "2b5ad3c8-3a8e-4c5e-9d43-0c0d6b0f3b11"
    );

    // The token is bound to the certificate (RFC 8705): another one, or none, is refused.
    let other = mtls_client(&sb.pki, Some(&sb.pki.client(ORG_ID, "another-software")));
    let r = other
        .get(&accounts)
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["errors"][0]["detail"].as_str().unwrap().contains("bound"),
        "{e}"
    );
    let r = sb
        .http
        .get(format!(
            "{}/open-banking/accounts/v2/accounts",
            sb.issuer(BANK)
        ))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Introspection shows the binding; revocation ends the token.
    let r = sb
        .post_auth(&sb.mtls, BANK, "/auth/introspect", &[("token", access)])
        .await;
    let i: Value = r.json().await.unwrap();
    assert_eq!(i["active"], true);
    assert!(
        i["cnf"]["x5t#S256"].as_str().is_some_and(|s| s.len() == 43),
        "{i}"
    );
    let r = sb
        .post_auth(&sb.mtls, BANK, "/auth/revoke", &[("token", access)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = sb
        .mtls
        .get(&accounts)
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unencrypted_client_gets_a_plain_signed_id_token() {
    let sb = FapiSandbox::start_with(false).await;
    let params = sb.authorise(BANK).await;
    let id_token = param(&params, "id_token").unwrap();
    assert_eq!(id_token.split('.').count(), 3);
    let jwks = sb.bank_jwks(BANK).await;
    assert!(verify_bank(id_token, &jwks).is_ok());
}

#[tokio::test]
async fn refusal_in_the_fragment_and_acr_follows_the_login() {
    let sb = FapiSandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent = sb.create_consent(BANK, &cc).await;
    let uri = sb.par(BANK, &consent).await;
    let params = sb.journey_as(BANK, &uri, "user_deny").await;
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "state"), Some("st-fapi"));
    assert_eq!(param(&params, "iss"), Some(sb.issuer(BANK).as_str()));
    assert!(param(&params, "code").is_none() && param(&params, "id_token").is_none());

    let consent = sb.create_consent(BANK, &cc).await;
    let uri = sb.par(BANK, &consent).await;
    let params = sb.journey_as(BANK, &uri, "user_mfa").await;
    let (_, jws) = decrypt(param(&params, "id_token").unwrap());
    let c = verify_bank(&jws, &sb.bank_jwks(BANK).await).unwrap();
    assert_eq!(c["acr"], "urn:brasil:openbanking:loa3");
}

#[tokio::test]
async fn client_secret_and_missing_certificate_are_refused() {
    let sb = FapiSandbox::start().await;
    // A client secret for the FAPI client.
    let r = sb
        .mtls
        .post(sb.mtls_url(BANK, "/auth/token"))
        .basic_auth(FAPI_CLIENT, Some("anything"))
        .form(&[("grant_type", "client_credentials"), ("scope", "consents")])
        .send()
        .await
        .unwrap();
    let d = oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(d.contains("private_key_jwt"), "{d}");
    // A TLS connection without a client certificate.
    let nocert = mtls_client(&sb.pki, None);
    let r = sb
        .post_auth(
            &nocert,
            BANK,
            "/auth/token",
            &[("grant_type", "client_credentials"), ("scope", "consents")],
        )
        .await;
    let d = oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(d.contains("mutual TLS"), "{d}");
    // A certificate of another software.
    let other = mtls_client(&sb.pki, Some(&sb.pki.client(ORG_ID, "another-software")));
    let r = sb
        .post_auth(
            &other,
            BANK,
            "/auth/token",
            &[("grant_type", "client_credentials"), ("scope", "consents")],
        )
        .await;
    let d = oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(d.contains("UID"), "{d}");
}

#[tokio::test]
async fn replayed_or_badly_signed_assertions_are_refused() {
    let sb = FapiSandbox::start().await;
    let a = sb.assertion(&sb.issuer(BANK));
    let send = |a: String| {
        let sb = &sb;
        async move {
            sb.mtls
                .post(sb.mtls_url(BANK, "/auth/token"))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("scope", "consents"),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", &a),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(send(a.clone()).await.status(), StatusCode::OK);
    let d = oauth_error(send(a).await, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(d.contains("jti"), "{d}");

    let n = now();
    let claims = json!({"iss": FAPI_CLIENT, "sub": FAPI_CLIENT, "aud": sb.issuer(BANK),
                        "jti": "j-rs", "iat": n, "exp": n + 60});
    let rs = keys().sig.sign(Algorithm::RS256, &claims);
    let d = oauth_error(send(rs).await, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(d.contains("PS256"), "{d}");
    let forged = keys().other.sign(Algorithm::PS256, &claims);
    let d = oauth_error(
        send(forged).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
    assert!(d.contains("signature"), "{d}");
    let long = json!({"iss": FAPI_CLIENT, "sub": FAPI_CLIENT, "aud": sb.issuer(BANK),
                      "jti": "j-long", "iat": n, "exp": n + 3600});
    let d = oauth_error(
        send(keys().sig.sign(Algorithm::PS256, &long)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
    assert!(d.contains("exp"), "{d}");
}

#[tokio::test]
async fn par_refuses_bad_request_objects() {
    let sb = FapiSandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent = sb.create_consent(BANK, &cc).await;
    let good = sb.request_claims(BANK, &consent);
    let sign = |c: &Value| keys().sig.sign(Algorithm::PS256, c);

    // Plain OAuth parameters instead of a request object.
    let r = sb
        .post_auth(
            &sb.mtls,
            BANK,
            "/auth/par",
            &[
                ("response_type", "code id_token"),
                ("client_id", FAPI_CLIENT),
            ],
        )
        .await;
    let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request_object").await;
    assert!(d.contains("signed request object"), "{d}");

    // Unsigned (alg none).
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let none = format!(
        "{}.{}.",
        b64.encode(r#"{"alg":"none"}"#),
        b64.encode(good.to_string())
    );
    let d = oauth_error(
        sb.par_with(BANK, &none).await,
        StatusCode::BAD_REQUEST,
        "invalid_request_object",
    )
    .await;
    assert!(d.contains("PS256"), "{d}");

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "wrong signature",
            keys().other.sign(Algorithm::PS256, &good),
            "signature",
        ),
        ("RS256", keys().sig.sign(Algorithm::RS256, &good), "PS256"),
        (
            "no PKCE",
            sign(&without(&good, "code_challenge")),
            "code_challenge",
        ),
        (
            "plain response_type",
            sign(&with(&good, "response_type", json!("code"))),
            "response_type",
        ),
        (
            "unregistered redirect",
            sign(&with(
                &good,
                "redirect_uri",
                json!("https://evil.example/cb"),
            )),
            "redirect_uri",
        ),
        (
            "too long-lived",
            sign(&with(&good, "exp", json!(now() + 7200))),
            "60 minutes",
        ),
        ("no nonce", sign(&without(&good, "nonce")), "nonce"),
        (
            "wrong aud",
            sign(&with(&good, "aud", json!("https://elsewhere.example"))),
            "aud",
        ),
    ];
    for (name, ro, needle) in cases {
        let r = sb.par_with(BANK, &ro).await;
        let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request_object").await;
        assert!(d.contains(needle), "{name}: {d}");
    }

    // A parameter outside the object contradicting it.
    let r = sb
        .post_auth(
            &sb.mtls,
            BANK,
            "/auth/par",
            &[("request", &sign(&good)), ("state", "other-state")],
        )
        .await;
    let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(d.contains("contradicts"), "{d}");

    // /authorize without PAR is refused for a FAPI client.
    let r = sb
        .http
        .get(format!("{}/auth/authorize", sb.issuer(BANK)))
        .query(&[
            ("client_id", FAPI_CLIENT),
            ("response_type", "code id_token"),
            ("redirect_uri", FAPI_REDIRECT),
            ("scope", "openid"),
            ("state", "s"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("request_uri"));
}

#[tokio::test]
async fn token_call_without_certificate_and_wrong_verifier_are_refused() {
    let sb = FapiSandbox::start().await;
    let params = sb.authorise(BANK).await;
    let code = param(&params, "code").unwrap();
    let nocert = mtls_client(&sb.pki, None);
    let r = sb.exchange(&nocert, BANK, code).await;
    oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    // The code survived the refused call (no client was authenticated); PKCE still holds.
    let r = sb
        .post_auth(
            &sb.mtls,
            BANK,
            "/auth/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", FAPI_REDIRECT),
                ("code_verifier", &format!("{VERIFIER}x")),
            ],
        )
        .await;
    oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant").await;
}

fn with(v: &Value, k: &str, x: Value) -> Value {
    let mut v = v.clone();
    v[k] = x;
    v
}

fn without(v: &Value, k: &str) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove(k);
    v
}

#[tokio::test]
async fn every_node_on_one_store_publishes_the_same_id_token_key() {
    use tower::ServiceExt;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("sb.db").display());
    let mut seen = Vec::new();
    for _ in 0..2 {
        let app = ponte_sandbox::router(ponte_sandbox::SandboxConfig {
            base_url: "http://127.0.0.1:9/sandbox/banks".into(),
            database_url: db.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
        let req = axum::http::Request::get(format!("/{BANK}/auth/jwks"))
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = app.oneshot(req).await.unwrap();
        let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["keys"][0]["alg"], "PS256");
        seen.push(v["keys"][0]["kid"].clone());
    }
    assert_eq!(seen[0], seen[1]);
}
