//! The console in a real browser (headless Chromium driven by
//! `tests/browser/console.mjs`): sign in, a connection this test made with
//! its report, replaying a dead webhook, rotating the secret and changing the
//! widget's colour. Screenshots land in `target/browser-screenshots/console-*`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`;
//! without them it fails under CI and otherwise says what is missing.

use crate::support;

use ponte_server::services::console::{self, Password};
use ponte_server::services::console_data;
use ponte_store::MessageFilter;
use serde_json::json;
use std::time::Duration;
use support::browser::browser_available;
use support::{Db, Receiver};

const PASSWORD: &str = "correct horse battery staple";
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_a_browser() {
    if !browser_available("the console browser journey") {
        return;
    }
    let receiver = Receiver::start().await;
    receiver.answers.lock().unwrap().extend([500; 200]);
    let ts = support::spawn_with(
        Db::Sqlite,
        support::Options {
            retry_schedule: "1s",
            webhook_url: Some(receiver.url.clone()),
            ..Default::default()
        },
    )
    .await;
    let client = ts.client.client_id.clone();
    console::create_user(
        ts.app(),
        "ana@example.com",
        Some(&client),
        Some(Password::parse(PASSWORD).unwrap()),
    )
    .await
    .unwrap();
    console::create_user(
        ts.app(),
        "ops@example.com",
        None,
        Some(Password::parse(PASSWORD).unwrap()),
    )
    .await
    .unwrap();
    let access = ts.access_token().await;
    let (link_id, link_token) = ts.link(&access, json!({})).await;
    let (consent_id, _) = ts
        .consent(&link_token, json!({"externalTrackId": "browser-track"}))
        .await;
    let (status, body) = ts
        .authorise(
            &link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = ts
        .post(
            "/data/personal/institution-data",
            Some(&access),
            json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let cid = ponte_server::services::clients::client_id(&client);
    let mut dead = None;
    for _ in 0..1200 {
        let reports = console_data::reports_of(ts.app(), &cid, &consent_id)
            .await
            .unwrap();
        let (msgs, _) = console_data::messages(
            ts.app(),
            &cid,
            &MessageFilter {
                status: Some("dead".into()),
                ..Default::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
        if !reports.is_empty() && !msgs.is_empty() {
            dead = Some(msgs[0].id.clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let dead = dead.expect("a report and a dead webhook");
    let institution = console_data::connection_of(ts.app(), &cid, &consent_id)
        .await
        .unwrap()
        .institution_name;
    // From now on the receiver accepts: a replay is delivered.
    receiver.answers.lock().unwrap().clear();

    support::browser::journeys(
        "console.mjs",
        [
            ts.base.clone(),
            "ana@example.com".into(),
            PASSWORD.into(),
            consent_id.clone(),
            dead,
            ts.client.api_key.clone(),
            ts.client.api_secret.clone(),
            "ops@example.com".into(),
            institution,
        ],
        "console",
    )
    .await;
}
