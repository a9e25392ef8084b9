//! The strict bank refuses what FAPI 1.0 Advanced, JAR (RFC 9101), PAR (RFC 9126) and
//! RFC 8705 tell an authorization server to refuse — no more leniently than production.

use crate::support;

use jsonwebtoken::{Algorithm, Header};
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

/// Signs `claims` with the client's key and the JWS header `typ` given.
fn sign_typed(typ: Option<&str>, claims: &Value) -> String {
    let k = &keys().sig;
    let mut h = Header::new(Algorithm::PS256);
    h.kid = Some(k.kid.clone());
    h.typ = typ.map(str::to_string);
    jsonwebtoken::encode(&h, claims, &k.encoding).unwrap()
}

async fn consent(sb: &FapiSandbox) -> String {
    let cc = sb.cc_token(BANK).await;
    sb.create_consent(BANK, &cc).await
}

#[tokio::test]
async fn request_object_typ_must_be_a_request_objects_type() {
    let sb = FapiSandbox::start().await;
    let consent = consent(&sb).await;
    let good = sb.request_claims(BANK, &consent);

    // Another kind of JWT (here typed as an access token) is not a request object.
    for typ in ["at+jwt", "logout+jwt", "secevent+jwt"] {
        let r = sb.par_with(BANK, &sign_typed(Some(typ), &good)).await;
        let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request_object").await;
        assert!(d.contains("typ"), "{typ}: {d}");
    }
    // The registered type (also with its media-type prefix), plain JWT and no typ pass.
    for typ in [
        Some("oauth-authz-req+jwt"),
        Some("application/oauth-authz-req+jwt"),
        Some("JWT"),
        None,
    ] {
        let r = sb.par_with(BANK, &sign_typed(typ, &good)).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{typ:?}");
    }
}

#[tokio::test]
async fn request_object_time_and_identity_claims_are_enforced() {
    let sb = FapiSandbox::start().await;
    let consent = consent(&sb).await;
    let good = sb.request_claims(BANK, &consent);
    let now = now();
    let sign = |c: &Value| sign_typed(Some("oauth-authz-req+jwt"), c);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "iat in the future",
            with(&good, "iat", json!(now + 600)),
            "iat",
        ),
        ("iat not a number", with(&good, "iat", json!("now")), "iat"),
        ("no exp", without(&good, "exp"), "exp"),
        ("expired", with(&good, "exp", json!(now - 120)), "exp"),
        ("no nbf", without(&good, "nbf"), "nbf"),
        (
            "nbf more than an hour old",
            with(
                &with(&good, "nbf", json!(now - 3700)),
                "exp",
                json!(now + 60),
            ),
            "60 minutes",
        ),
        (
            "nbf in the future",
            with(&good, "nbf", json!(now + 600)),
            "nbf",
        ),
        (
            "iss not the client",
            with(&good, "iss", json!("someone-else")),
            "iss",
        ),
        ("no iss", without(&good, "iss"), "iss"),
        (
            "client_id claim of another client",
            with(&good, "client_id", json!("someone-else")),
            "client_id",
        ),
        (
            "no client_id claim",
            without(&good, "client_id"),
            "client_id",
        ),
        (
            "aud array without the issuer",
            with(&good, "aud", json!(["https://elsewhere.example"])),
            "aud",
        ),
        (
            "no redirect_uri",
            without(&good, "redirect_uri"),
            "redirect_uri",
        ),
        ("no scope", without(&good, "scope"), "scope"),
        ("no state", without(&good, "state"), "state"),
        (
            "nested request_uri",
            with(&good, "request_uri", json!("urn:x")),
            "request_uri",
        ),
    ];
    for (name, claims, needle) in cases {
        let r = sb.par_with(BANK, &sign(&claims)).await;
        let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request_object").await;
        assert!(d.contains(needle), "{name}: {d}");
    }
    // The issuer inside an aud array is accepted (RFC 9101 §4: aud contains the issuer).
    let ok = with(&good, "aud", json!([sb.issuer(BANK)]));
    let r = sb.par_with(BANK, &sign(&ok)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn request_object_signed_with_a_short_rsa_key_is_refused() {
    let sb = FapiSandbox::start().await;
    let consent = consent(&sb).await;
    let good = sb.request_claims(BANK, &consent);
    // The 1024-bit key is in the client's own JWK Set, so only its size can refuse it.
    let ro = keys().small.sign(Algorithm::PS256, &good);
    let d = oauth_error(
        sb.par_with(BANK, &ro).await,
        StatusCode::BAD_REQUEST,
        "invalid_request_object",
    )
    .await;
    assert!(d.contains("2048"), "{d}");

    // Client assertions too (FAPI 1.0 Advanced Part 1 §5.2.2-5).
    let n = now();
    let assertion = keys().small.sign(
        Algorithm::PS256,
        &json!({"iss": FAPI_CLIENT, "sub": FAPI_CLIENT, "aud": sb.issuer(BANK),
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
            ("client_assertion", &assertion),
        ])
        .send()
        .await
        .unwrap();
    let d = oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(d.contains("2048"), "{d}");
}

#[tokio::test]
async fn par_request_uri_is_refused_in_the_body_and_single_use_for_its_client() {
    let sb = FapiSandbox::start().await;
    let consent = consent(&sb).await;
    let ro = sign_typed(None, &sb.request_claims(BANK, &consent));

    // RFC 9126 §2.1: request_uri must not be pushed.
    let r = sb
        .post_auth(
            &sb.mtls,
            BANK,
            "/auth/par",
            &[("request", &ro), ("request_uri", "urn:x")],
        )
        .await;
    let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(d.contains("request_uri"), "{d}");

    let r = sb.par_with(BANK, &ro).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let uri = v["request_uri"].as_str().unwrap().to_string();
    assert!(v["expires_in"].as_i64().unwrap() >= 60, "{v}");

    // Presented under another client_id: refused (and the handle is gone).
    let authorize = |client: &'static str, uri: String| {
        let http = sb.http.clone();
        let url = format!("{}/auth/authorize", sb.issuer(BANK));
        async move {
            http.get(url)
                .query(&[("client_id", client), ("request_uri", uri.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let r = authorize(support::CLIENT_ID, uri.clone()).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("request_uri"));
    let r = authorize(FAPI_CLIENT, uri.clone()).await;
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "a misused handle stays dead"
    );

    // A fresh handle works once for its own client, then never again.
    let uri = sb.par(BANK, &consent).await;
    let r = authorize(FAPI_CLIENT, uri.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = authorize(FAPI_CLIENT, uri).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("already used"));
}

#[tokio::test]
async fn replayed_code_revokes_the_tokens_issued_from_it() {
    let sb = FapiSandbox::start().await;
    let params = sb.authorise(BANK).await;
    let code = param(&params, "code").unwrap();
    let r = sb.exchange(&sb.mtls, BANK, code).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    let access = t["access_token"].as_str().unwrap();
    let refresh = t["refresh_token"].as_str().unwrap();

    let r = sb.exchange(&sb.mtls, BANK, code).await;
    let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert!(d.contains("already used"), "{d}");

    // Both tokens of the first exchange are dead now.
    let r = sb
        .post_auth(&sb.mtls, BANK, "/auth/introspect", &[("token", access)])
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["active"], false, "{v}");
    let r = sb
        .post_auth(
            &sb.mtls,
            BANK,
            "/auth/token",
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
    oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant").await;
}

#[tokio::test]
async fn code_needs_its_own_verifier_and_redirect_uri() {
    let sb = FapiSandbox::start().await;
    let params = sb.authorise(BANK).await;
    let code = param(&params, "code").unwrap();
    let exchange = |redirect: &'static str, verifier: String| {
        let code = code.to_string();
        let sb = &sb;
        async move {
            sb.post_auth(
                &sb.mtls,
                BANK,
                "/auth/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", &verifier),
                ],
            )
            .await
        }
    };
    let r = exchange(FAPI_REDIRECT, "a".repeat(43)).await;
    let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert!(d.contains("code_verifier"), "{d}");
    // The code was spent by the failed attempt: even the right verifier cannot use it now.
    let r = exchange(FAPI_REDIRECT, VERIFIER.to_string()).await;
    oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant").await;

    let params = sb.authorise(BANK).await;
    let code = param(&params, "code").unwrap().to_string();
    let r = sb
        .post_auth(
            &sb.mtls,
            BANK,
            "/auth/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "https://ponte.example/other"),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    let d = oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert!(d.contains("redirect_uri"), "{d}");
}

#[tokio::test]
async fn fapi_api_calls_must_carry_a_uuid_interaction_id() {
    let sb = FapiSandbox::start().await;
    let consents = sb.mtls_url(BANK, "/open-banking/consents/v3/consents");
    let cert = sb.pki.client(ORG_ID, SOFTWARE_ID);
    let bare = mtls_client_with(&sb.pki, Some(&cert), Default::default());
    // The token endpoint itself does not ask for the header.
    let r = sb
        .post_auth(
            &bare,
            BANK,
            "/auth/token",
            &[("grant_type", "client_credentials"), ("scope", "consents")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    let cc = t["access_token"].as_str().unwrap().to_string();
    let post = |id: Option<&'static str>| {
        let mut b = bare
            .post(&consents)
            .bearer_auth(&cc)
            .json(&support::good_consent_body());
        if let Some(id) = id {
            b = b.header("x-fapi-interaction-id", id);
        }
        b.send()
    };
    for (id, code) in [
        (None, "PARAMETRO_NAO_INFORMADO"),
        (Some("not-a-uuid"), "PARAMETRO_INVALIDO"),
    ] {
        let r = post(id).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{id:?}");
        // Even the refusal carries an interaction id.
        assert!(r.headers().contains_key("x-fapi-interaction-id"));
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["errors"][0]["code"], code, "{e}");
        assert!(
            e["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("x-fapi-interaction-id"),
            "{e}"
        );
    }
    let r = post(Some("7c4a2d1e-9b3f-4e8a-a1c2-3d4e5f607182"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.headers()["x-fapi-interaction-id"],
        "7c4a2d1e-9b3f-4e8a-a1c2-3d4e5f607182"
    );
}

#[tokio::test]
async fn end_user_headers_must_follow_the_spec_when_sent() {
    let sb = FapiSandbox::start().await;
    let consents = sb.mtls_url(BANK, "/open-banking/consents/v3/consents");
    let cert = sb.pki.client(ORG_ID, SOFTWARE_ID);
    let bare = mtls_client_with(&sb.pki, Some(&cert), Default::default());
    let r = sb
        .post_auth(
            &bare,
            BANK,
            "/auth/token",
            &[("grant_type", "client_credentials"), ("scope", "consents")],
        )
        .await;
    let t: Value = r.json().await.unwrap();
    let cc = t["access_token"].as_str().unwrap().to_string();
    let post = |name: &'static str, value: &'static str| {
        bare.post(&consents)
            .bearer_auth(&cc)
            .header("x-fapi-interaction-id", uuid::Uuid::new_v4().to_string())
            .header(name, value)
            .json(&support::good_consent_body())
            .send()
    };
    // An ISO date, and a date whose weekday is wrong (7 Dec 2026 is a Monday).
    for (name, value) in [
        ("x-fapi-auth-date", "2026-12-07T01:02:03Z"),
        ("x-fapi-auth-date", "Tue, 07 Dec 2026 01:02:03 GMT"),
        ("x-fapi-customer-ip-address", "the-users-laptop"),
    ] {
        let r = post(name, value).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{name}: {value}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["errors"][0]["code"], "PARAMETRO_INVALIDO", "{e}");
        assert!(
            e["errors"][0]["detail"].as_str().unwrap().contains(name),
            "{e}"
        );
    }
    let r = post("x-fapi-auth-date", "Mon, 07 Dec 2026 01:02:03 GMT")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}
