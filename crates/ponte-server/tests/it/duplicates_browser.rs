//! "You already connected {bank}" in a real browser (headless Chromium driven
//! by `tests/browser/duplicates.mjs`): the end user already connected a bank
//! for the client. With `warn` picking it asks first, Cancel stays on the
//! list and Continue goes on to the bank; with `refuse` it is marked, picking
//! it explains it cannot be connected again, and the end user chooses another
//! bank or exits (in the SDK's modal: onExit with errorKind
//! DUPLICATE_CONNECTION, modal gone). Both in pt-BR and en, at 360×640 and 1280×800; screenshots
//! land in `target/browser-screenshots/duplicates-*`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`;
//! without them it fails under CI and otherwise says what is missing.

use crate::support;

use ponte_server::services::clients::{self, BrandingChange};
use ponte_server::services::duplicates::{self, DuplicatePolicy};
use serde_json::{json, Value};
use support::browser::browser_available;
use support::{Db, TestServer};

const CLIENT_NAME: &str = "Acme Crédito";
/// A fresh link for the same person, per language and screen size.
async fn links(ts: &TestServer, access: &str) -> Value {
    let mut links = serde_json::Map::new();
    for lang in ["pt-BR", "en"] {
        for size in ["phone", "desktop"] {
            let (status, link) = ts
                .post(
                    "/data/v1/links",
                    Some(access),
                    json!({"personalTaxId": "529.982.247-25", "redirectUrl": "https://app.example.com/done"}),
                )
                .await;
            assert_eq!(status, 200, "{link}");
            links.insert(format!("{lang}-{size}"), link["linkUrl"].clone());
        }
    }
    let (_, sdk) = ts.link(access, json!({})).await;
    links.insert("sdk".into(), json!(sdk));
    Value::Object(links)
}

async fn journeys(policy: &str, args: Value) {
    support::browser::journeys("duplicates.mjs", [args.to_string()], policy).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_warns_about_or_refuses_a_bank_already_connected() {
    if !browser_available("the duplicate-connection journeys") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    // The SDK journey's integrator page: another origin on loopback.
    let port = ts.base.rsplit(':').next().unwrap_or_default();
    let frame_origins = format!("http://localhost:{port}");
    clients::update_branding(
        ts.app(),
        &ts.client.client_id,
        &BrandingChange {
            display_name: Some(CLIENT_NAME),
            frame_origins: Some(&frame_origins),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let access = ts.access_token().await;
    let (_, first) = ts.authorised(&access, "user_good").await;
    let (_, consent) = ts
        .get(&format!("/data/v1/consents/{first}"), Some(&access))
        .await;
    let code = consent["institutionCode"].as_str().unwrap().to_string();
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (_, list) = ts
        .get("/data/v1/links/institutions", Some(&link_token))
        .await;
    let bank = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["institutionCode"] == code.as_str())
        .expect("the bank in the list")["name"]
        .clone();
    let client = ts.client.client_id.to_string();

    for policy in [DuplicatePolicy::Warn, DuplicatePolicy::Refuse] {
        duplicates::set_policy(ts.app(), &client, policy)
            .await
            .unwrap();
        let links = links(&ts, &access).await;
        let args = json!({
            "policy": policy.as_str(), "code": code, "bank": bank,
            "client": CLIENT_NAME, "links": links, "base": ts.base,
        });
        journeys(policy.as_str(), args).await;
    }
}
