//! Dynamic registration and management (RFC 7591/7592, OFB DCR) over real mutual TLS.

use crate::support;

use jsonwebtoken::Algorithm;
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::fapi::*;
use support::BANK;

/// Serves the client's JWK Set over HTTP, as `software_jwks_uri`.
async fn jwks_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(|| async { axum::Json(client_jwks()) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn request(ssa: &str, jwks_uri: &str) -> Value {
    json!({
        "software_statement": ssa, "jwks_uri": jwks_uri, "redirect_uris": [FAPI_REDIRECT],
        "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
        "grant_types": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
        "response_types": ["code id_token"], "id_token_signed_response_alg": "PS256",
        "request_object_signing_alg": "PS256", "tls_client_certificate_bound_access_tokens": true,
        "id_token_encrypted_response_alg": "RSA-OAEP", "id_token_encrypted_response_enc": "A256GCM",
    })
}

async fn register(sb: &FapiSandbox, client: &reqwest::Client, body: &Value) -> reqwest::Response {
    client
        .post(sb.mtls_url(BANK, "/register"))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn error_of(r: reqwest::Response, status: StatusCode) -> (String, String) {
    assert_eq!(r.status(), status);
    let v: Value = r.json().await.unwrap();
    (
        v["error"].as_str().unwrap().to_string(),
        v["error_description"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn register_use_read_update_delete() {
    let sb = FapiSandbox::start().await;
    let jwks_uri = jwks_server().await;
    let ssa = ssa(json!({"software_jwks_uri": jwks_uri}));
    let r = register(&sb, &sb.mtls, &request(&ssa, &jwks_uri)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reg: Value = r.json().await.unwrap();
    // One registration per software statement: the same SSA again is refused.
    let (error, description) = error_of(
        register(&sb, &sb.mtls, &request(&ssa, &jwks_uri)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error, "invalid_software_statement");
    assert!(description.contains("already used"), "{description}");
    let client_id = reg["client_id"].as_str().unwrap().to_string();
    let rat = reg["registration_access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let uri = reg["registration_client_uri"].as_str().unwrap().to_string();
    assert!(uri.starts_with(&sb.mtls_base), "{uri}");

    // The new client authenticates with keys fetched from its jwks_uri.
    let n = now();
    let a = keys().sig.sign(
        Algorithm::PS256,
        &json!({"iss": client_id, "sub": client_id, "aud": sb.issuer(BANK),
                "jti": uuid::Uuid::new_v4().to_string(), "iat": n, "exp": n + 60}),
    );
    let r = sb
        .mtls
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
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    for _ in 0..2 {
        let r = sb.mtls.get(&uri).bearer_auth(&rat).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["client_id"], client_id.as_str());
        assert!(v.get("registration_access_token").is_none());
    }
    let r = sb.mtls.get(&uri).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let mut update = request(
        &support::fapi::ssa(json!({"software_jwks_uri": jwks_uri})),
        &jwks_uri,
    );
    update["client_id"] = json!(client_id);
    update
        .as_object_mut()
        .unwrap()
        .remove("id_token_encrypted_response_alg");
    update
        .as_object_mut()
        .unwrap()
        .remove("id_token_encrypted_response_enc");
    let r = sb
        .mtls
        .put(&uri)
        .bearer_auth(&rat)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert!(v.get("id_token_encrypted_response_alg").is_none());

    let r = sb.mtls.delete(&uri).bearer_auth(&rat).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = sb.mtls.get(&uri).bearer_auth(&rat).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn registration_refusals() {
    let sb = FapiSandbox::start().await;
    let jwks_uri = "http://127.0.0.1:9/jwks.json";
    let good = ssa(json!({}));

    // No client certificate.
    let nocert = mtls_client(&sb.pki, None);
    let (e, d) = error_of(
        register(&sb, &nocert, &request(&good, jwks_uri)).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(e, "invalid_client");
    assert!(d.contains("mutual TLS"), "{d}");

    // A certificate of another organisation.
    let stranger = mtls_client(&sb.pki, Some(&sb.pki.client("other-org", SOFTWARE_ID)));
    let (e, d) = error_of(
        register(&sb, &stranger, &request(&good, jwks_uri)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(e, "unapproved_software_statement");
    assert!(d.contains("organizationIdentifier"), "{d}");

    let forged = {
        let mut c = support::fapi::jws_parts(&good).1;
        c["iat"] = json!(now());
        // Same kid as the directory's key, another key's signature.
        let mut h = jsonwebtoken::Header::new(Algorithm::PS256);
        h.kid = Some("dir-1".into());
        jsonwebtoken::encode(&h, &c, &keys().other.encoding).unwrap()
    };
    let expired = ssa(json!({"iat": now() - 600}));
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "forged SSA",
            request(&forged, jwks_uri),
            "invalid_software_statement",
            "signature",
        ),
        (
            "stale SSA",
            request(&expired, jwks_uri),
            "invalid_software_statement",
            "5 minutes",
        ),
        (
            "jwks by value",
            {
                let mut r = request(&good, jwks_uri);
                r["jwks"] = client_jwks();
                r
            },
            "invalid_client_metadata",
            "jwks",
        ),
        (
            "other jwks_uri",
            request(&good, "http://127.0.0.1:9/other.json"),
            "invalid_client_metadata",
            "software_jwks_uri",
        ),
        (
            "redirect outside the SSA",
            {
                let mut r = request(&good, jwks_uri);
                r["redirect_uris"] = json!(["https://evil.example/cb"]);
                r
            },
            "invalid_redirect_uri",
            "software_redirect_uris",
        ),
        (
            "secret auth",
            {
                let mut r = request(&good, jwks_uri);
                r["token_endpoint_auth_method"] = json!("client_secret_basic");
                r
            },
            "invalid_client_metadata",
            "private_key_jwt",
        ),
    ];
    for (name, body, error, needle) in cases {
        let (e, d) = error_of(
            register(&sb, &sb.mtls, &body).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(e, error, "{name}: {d}");
        assert!(d.contains(needle), "{name}: {d}");
    }
}
