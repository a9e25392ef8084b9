//! The Documents API as an integrator's backend drives it against a real
//! node: a token, the sandbox helper's portal login, the webhook awaited.

use super::Bodies;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// `POST /api/token` with the client's credentials; the access token.
pub async fn documents_token(http: &reqwest::Client, base: &str, creds: &Value) -> String {
    let session: Value = http
        .post(format!("{base}/api/token"))
        .json(&json!({"api_key": creds["apiKey"], "api_secret": creds["apiSecret"]}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token JSON");
    session["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access_token: {session}"))
        .to_string()
}

/// `POST /sandbox/v1/documents/connect` as `username` at `portal`; the retrieval id.
pub async fn sandbox_connect(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    portal: &str,
    username: &str,
) -> i64 {
    let started: Value = http
        .post(format!("{base}/sandbox/v1/documents/connect"))
        .bearer_auth(token)
        .json(&json!({"institutionCode": portal, "username": username, "password": "pass_good"}))
        .send()
        .await
        .expect("connect")
        .json()
        .await
        .expect("connect JSON");
    started["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{started}"))
}

/// The webhook of retrieval `id`, polled until `within` has passed.
pub async fn webhook_of(bodies: &Bodies, id: i64, within: Duration, what: &str) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let found = bodies
            .lock()
            .unwrap()
            .iter()
            .find(|b| b["data"]["id"] == id)
            .cloned();
        if let Some(b) = found {
            return b;
        }
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
