//! The Documents API as its tests drive it: a server whose client has a
//! webhook receiver, the token, the sandbox helper's connect, the retrieval
//! read back, and the quickstart's webhook shape.

use super::{Db, Options, Receiver, TestServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use std::time::Duration;

pub async fn server(db: Db) -> (TestServer, Receiver) {
    let hook = Receiver::start().await;
    let ts = super::spawn_with(
        db,
        Options {
            webhook_url: Some(hook.url.clone()),
            ..Options::default()
        },
    )
    .await;
    (ts, hook)
}

pub async fn token(ts: &TestServer, extra: Value) -> (String, String) {
    let mut body = json!({"api_key": ts.client.api_key, "api_secret": ts.client.api_secret});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().cloned().unwrap_or_default());
    let (status, got) = ts.post("/api/token", None, body).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["expires_in"], 3600);
    (
        got["access_token"].as_str().unwrap().to_string(),
        got["taiki_user_id"].as_str().unwrap().to_string(),
    )
}

pub async fn connect(
    ts: &TestServer,
    tok: &str,
    portal: &str,
    user: &str,
    otp: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({"institutionCode": portal, "username": user, "password": "pass_good"});
    if let Some(otp) = otp {
        body["otp"] = json!(otp);
    }
    ts.post("/sandbox/v1/documents/connect", Some(tok), body)
        .await
}

pub fn basic(key: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{key}:{secret}")))
}

pub async fn retrieval(ts: &TestServer, id: i64) -> (u16, Value) {
    let resp = ts
        .http
        .get(ts.url(&format!("/api/retrievals/{id}")))
        .header(
            "authorization",
            basic(&ts.client.api_key, &ts.client.api_secret),
        )
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// The webhook of retrieval `id`, waiting as long as a slow machine needs.
pub async fn webhook_for(hook: &Receiver, id: i64) -> Value {
    webhook_delivery_for(hook, id).await.1
}

/// The webhook of retrieval `id` with its headers.
pub async fn webhook_delivery_for(
    hook: &Receiver,
    id: i64,
) -> (std::collections::BTreeMap<String, String>, Value) {
    for _ in 0..2400 {
        let received = hook.received.lock().unwrap().clone();
        for (headers, body) in received {
            let body: Value = serde_json::from_str(&body).unwrap();
            if body["data"]["id"] == id {
                return (headers, body);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no webhook for retrieval {id}; received {:?}",
        hook.bodies()
    );
}

pub fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

/// The quickstart's webhook (or the retrieval read back), key by key and
/// type by type, with what Ponte adds for correlation: the webhook names its
/// `event` and carries its `event_id`; both carry `data.taiki_user_id`.
pub fn assert_quickstart_shape(body: &Value) {
    let top = keys(body);
    if top.contains(&"event") {
        assert_eq!(
            top,
            ["data", "event", "event_id", "files", "status"],
            "{body}"
        );
        assert_eq!(body["event"], "documents.ready", "{body}");
        assert!(
            body["event_id"].as_str().unwrap().starts_with("msg_"),
            "{body}"
        );
    } else {
        assert_eq!(top, ["data", "files", "status"], "{body}");
    }
    assert_eq!(
        keys(&body["data"]),
        ["client_id", "created_at", "id", "metadata", "taiki_user_id"],
        "{body}"
    );
    assert_eq!(body["data"]["taiki_user_id"], body["data"]["client_id"]);
    assert!(body["data"]["id"].is_i64(), "{body}");
    assert!(body["data"]["client_id"].is_string());
    assert!(body["data"]["metadata"].is_object());
    let created = body["data"]["created_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{created}"
    );
    for f in body["files"].as_array().unwrap() {
        assert_eq!(
            keys(f),
            ["download_url", "file_name", "status", "total_size_bytes"],
            "{f}"
        );
        assert!(f["total_size_bytes"].is_u64());
        assert!(f["file_name"].as_str().unwrap().ends_with(".pdf"), "{f}");
    }
}
