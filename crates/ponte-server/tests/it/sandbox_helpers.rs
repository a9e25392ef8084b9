//! The headless sandbox helpers answer oversized credentials as the caller's
//! mistake (400 naming the field), before anything reaches the bank.

use crate::support;

use serde_json::json;
use support::Db;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_credentials_are_a_400_naming_the_field() {
    let ts = support::spawn(Db::Sqlite).await;
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (consent_id, _) = ts.consent(&link_token, json!({})).await;
    let huge = "x".repeat(100 * 1024);
    let authorise = format!("/sandbox/v1/consents/{consent_id}/authorise");
    let revoke = format!("/sandbox/v1/consents/{consent_id}/revoke-at-institution");
    for (path, body, field) in [
        (
            &authorise,
            json!({"username": "user_good", "password": huge}),
            "password",
        ),
        (
            &authorise,
            json!({"username": huge, "password": "pass_good"}),
            "username",
        ),
        (
            &authorise,
            json!({"username": "user_mfa", "password": "pass_good", "otp": huge}),
            "otp",
        ),
        (
            &revoke,
            json!({"username": "user_good", "password": huge}),
            "password",
        ),
        (
            &revoke,
            json!({"username": huge, "password": "pass_good"}),
            "username",
        ),
    ] {
        let (status, answer) = ts.post(path, Some(&link_token), body).await;
        assert_eq!(
            (
                status,
                answer["error"]["code"].as_str(),
                answer["error"]["field"].as_str()
            ),
            (400, Some("INVALID_FIELD"), Some(field)),
            "{path}: {answer}"
        );
    }
    // Nothing was tried at the bank: the consent still waits, and right
    // credentials still authorise it.
    let (status, answer) = ts
        .post(
            &authorise,
            Some(&link_token),
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("AUTHORISED")),
        "{answer}"
    );
}
