//! The documents app (`/app`) in a real browser (headless Chromium driven by
//! `tests/browser/documents.mjs`): `user_good` in Portuguese and English,
//! `user_mfa`, `user_locked`, leaving from the picker and a bad token, at
//! 360×640 with axe-core; then the webhooks those retrievals sent, in the
//! quickstart's shape. Screenshots land in `target/browser-screenshots/documents-*`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`;
//! without them it fails under CI and otherwise says what is missing.

use crate::support;

use serde_json::{json, Value};
use support::browser::browser_available;
use support::{Db, Options, Receiver, TestServer};

const CLIENT_NAME: &str = "Acme Crédito";

/// A fresh app session for one journey: its URL and its end user.
async fn app_url(ts: &TestServer, journey: &str) -> (String, String) {
    let (status, got) = ts
        .post(
            "/api/token",
            None,
            json!({
                "api_key": ts.client.api_key,
                "api_secret": ts.client.api_secret,
                "metadata": {"journey": journey},
            }),
        )
        .await;
    assert_eq!(status, 200, "{got}");
    let token = got["access_token"].as_str().unwrap();
    (
        ts.url(&format!("/app?access_token={token}")),
        got["taiki_user_id"].as_str().unwrap().to_string(),
    )
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_app_in_a_browser() {
    if !browser_available("the documents browser journeys") {
        return;
    }
    let hook = Receiver::start().await;
    let ts = support::spawn_with(
        Db::Sqlite,
        Options {
            webhook_url: Some(hook.url.clone()),
            ..Options::default()
        },
    )
    .await;
    ponte_server::services::clients::update_branding(
        ts.app(),
        &ts.client.client_id,
        &ponte_server::services::clients::BrandingChange {
            display_name: Some(CLIENT_NAME),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut urls = serde_json::Map::new();
    let mut users = Vec::new();
    for journey in ["good_pt", "good_en", "mfa", "locked", "exit"] {
        let (url, user) = app_url(&ts, journey).await;
        urls.insert(journey.into(), json!(url));
        users.push((journey, user));
    }
    urls.insert("base".into(), json!(ts.base));
    urls.insert("client".into(), json!(CLIENT_NAME));

    support::browser::journeys(
        "documents.mjs",
        [Value::Object(urls).to_string()],
        "documents",
    )
    .await;

    // Each retrieval the browser made told the client once, in the
    // quickstart's shape, with the metadata its session was opened with.
    for (journey, user) in &users {
        let expected = match *journey {
            "exit" => continue,
            "locked" => "failed",
            _ => "success",
        };
        let bodies = hook
            .wait_for(&format!("the {journey} webhook"), |b| {
                b.iter().any(|w| w["data"]["client_id"] == user.as_str())
            })
            .await;
        let body = bodies
            .iter()
            .find(|w| w["data"]["client_id"] == user.as_str())
            .unwrap();
        assert_eq!(
            keys(body),
            ["data", "event", "event_id", "files", "status"],
            "{body}"
        );
        assert_eq!(
            keys(&body["data"]),
            ["client_id", "created_at", "id", "metadata", "taiki_user_id"],
            "{body}"
        );
        assert_eq!(body["status"], expected, "{journey}: {body}");
        assert_eq!(body["data"]["metadata"], json!({"journey": journey}));
        let files = body["files"].as_array().unwrap();
        if expected == "success" {
            assert!(files.len() >= 3, "{journey}: {body}");
            for f in files {
                assert_eq!(
                    keys(f),
                    ["download_url", "file_name", "status", "total_size_bytes"],
                    "{f}"
                );
            }
        } else {
            assert!(files.is_empty(), "{journey}: {body}");
        }
    }
}
