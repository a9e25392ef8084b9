//! The customer's side of the bank (revoking a consent in the bank's app, the consent's
//! activity counters) and the test users whose tokens expire early or who get throttled.

use crate::support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use support::ofb_schema::{consents, spec};
use support::*;

const PERMS: &[&str] = &[
    "RESOURCES_READ",
    "ACCOUNTS_READ",
    "ACCOUNTS_BALANCES_READ",
    "CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ",
];
const ACCOUNTS: &str = "/open-banking/accounts/v2/accounts";

/// A consent approved by `user`: (consent id, access token, refresh token).
async fn approved(sb: &Sandbox, user: &str) -> (String, String, String) {
    let cc = sb.cc_token(BANK).await;
    let body = json!({"data": {
        "loggedUser": {"document": {"identification": "76109277673", "rel": "CPF"}},
        "permissions": PERMS,
        "expirationDateTime": expiry_in_days(90),
    }});
    let r = sb.post_consent(BANK, &cc, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let consent = v["data"]["consentId"].as_str().unwrap().to_string();
    let code = sb.approved_code(BANK, &consent, user).await;
    let r = sb.exchange(BANK, &code, VERIFIER, REDIRECT).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    (
        consent,
        t["access_token"].as_str().unwrap().to_string(),
        t["refresh_token"].as_str().unwrap().to_string(),
    )
}

async fn get(sb: &Sandbox, token: &str, path: &str) -> (StatusCode, Option<String>, Value) {
    let r = sb
        .http
        .get(sb.url(BANK, path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|h| h.to_str().unwrap().to_string());
    (status, retry, r.json().await.unwrap())
}

/// The customer's endpoints, as `user` / `password`.
async fn customer(
    sb: &Sandbox,
    method: reqwest::Method,
    consent: &str,
    suffix: &str,
    user: &str,
    password: &str,
) -> (StatusCode, Value) {
    let r = sb
        .http
        .request(
            method,
            sb.url(BANK, &format!("/customer/consents/{consent}{suffix}")),
        )
        .basic_auth(user, Some(password))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

async fn activity(sb: &Sandbox, consent: &str, user: &str) -> Value {
    let (status, body) = customer(sb, reqwest::Method::GET, consent, "", user, "pass_good").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["activity"].clone()
}

#[tokio::test]
async fn the_customer_revokes_in_the_bank_and_every_token_dies() {
    let sb = Sandbox::start().await;
    let (consent, access, refresh) = approved(&sb, "user_good").await;
    assert_eq!(get(&sb, &access, ACCOUNTS).await.0, StatusCode::OK);

    // Only the person who authorised it sees it, with their password.
    let post = reqwest::Method::POST;
    for (user, password, status) in [
        ("user_good", "wrong", StatusCode::UNAUTHORIZED),
        ("user_locked", "pass_good", StatusCode::UNAUTHORIZED),
        ("user_mfa", "pass_good", StatusCode::NOT_FOUND),
    ] {
        let (s, body) = customer(&sb, post.clone(), &consent, "/revoke", user, password).await;
        assert_eq!(s, status, "{user}: {body}");
        assert!(body["errors"][0]["code"].is_string(), "{body}");
    }
    let r = sb
        .http
        .post(sb.url(BANK, &format!("/customer/consents/{consent}/revoke")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let (s, body) = customer(
        &sb,
        post.clone(),
        &consent,
        "/revoke",
        "user_good",
        "pass_good",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    consents().assert_valid("ResponseConsentRead", &body);
    assert_eq!(body["data"]["status"], "REJECTED");
    assert_eq!(body["data"]["rejection"]["rejectedBy"], "USER");
    assert_eq!(
        body["data"]["rejection"]["reason"]["code"],
        "CUSTOMER_MANUALLY_REVOKED"
    );

    // The receiving institution finds out the way a real one would.
    let (s, _, e) = get(&sb, &access, ACCOUNTS).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    spec("accounts-2.4.2.yml").assert_valid("ResponseError", &e);
    assert_oauth_error(
        sb.refresh(BANK, &refresh).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let read = sb
        .get_consent(BANK, &sb.cc_token(BANK).await, &consent)
        .await;
    assert_eq!(read["data"]["status"], "REJECTED");
    assert_eq!(
        read["data"]["rejection"]["reason"]["code"],
        "CUSTOMER_MANUALLY_REVOKED"
    );

    // Once is enough.
    let (s, body) = customer(&sb, post, &consent, "/revoke", "user_good", "pass_good").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["errors"][0]["code"],
        "CONSENTIMENTO_EM_STATUS_REJEITADO"
    );
    let (s, body) = customer(
        &sb,
        reqwest::Method::GET,
        &consent,
        "",
        "user_good",
        "pass_good",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["data"]["status"], "REJECTED");
}

#[tokio::test]
async fn user_expiring_tokens_serve_three_calls_then_need_a_refresh() {
    let sb = Sandbox::start().await;
    let (consent, access, refresh) = approved(&sb, "user_expiring").await;
    for _ in 0..3 {
        assert_eq!(get(&sb, &access, ACCOUNTS).await.0, StatusCode::OK);
    }
    let (s, _, e) = get(&sb, &access, ACCOUNTS).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    spec("accounts-2.4.2.yml").assert_valid("ResponseError", &e);
    // Dead for good, not just for that call.
    assert_eq!(
        get(&sb, &access, "/open-banking/resources/v3/resources")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        activity(&sb, &consent, "user_expiring").await,
        json!({"tokenRefreshes": 0, "throttledCalls": 0, "expiredTokens": 1})
    );

    let r = sb.refresh(BANK, &refresh).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    let (access2, refresh2) = (
        t["access_token"].as_str().unwrap(),
        t["refresh_token"].as_str().unwrap(),
    );
    assert_ne!(refresh2, refresh, "refresh tokens rotate");
    assert_eq!(get(&sb, access2, ACCOUNTS).await.0, StatusCode::OK);
    // The old refresh token was spent.
    assert_oauth_error(
        sb.refresh(BANK, &refresh).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert_eq!(
        activity(&sb, &consent, "user_expiring").await["tokenRefreshes"],
        1
    );

    // Other users' tokens last their whole life (past user_expiring's three
    // calls, within the account list's four a month).
    let (_, good, _) = approved(&sb, "user_good").await;
    for _ in 0..4 {
        assert_eq!(get(&sb, &good, ACCOUNTS).await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn user_throttled_gets_429_on_the_first_call_of_each_resource() {
    let sb = Sandbox::start().await;
    let (consent, access, _) = approved(&sb, "user_throttled").await;
    let (s, retry, e) = get(&sb, &access, ACCOUNTS).await;
    assert_eq!(
        (s, retry.as_deref()),
        (StatusCode::TOO_MANY_REQUESTS, Some("1")),
        "{e}"
    );
    spec("accounts-2.4.2.yml").assert_valid("ResponseError", &e);
    let (s, _, list) = get(&sb, &access, ACCOUNTS).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(get(&sb, &access, ACCOUNTS).await.0, StatusCode::OK);
    // Counted per resource: balances is throttled once on its own.
    let id = list["data"][0]["accountId"].as_str().unwrap();
    let balances = format!("{ACCOUNTS}/{id}/balances");
    assert_eq!(
        get(&sb, &access, &balances).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(get(&sb, &access, &balances).await.0, StatusCode::OK);
    assert_eq!(
        activity(&sb, &consent, "user_throttled").await,
        json!({"tokenRefreshes": 0, "throttledCalls": 2, "expiredTokens": 0})
    );
}
