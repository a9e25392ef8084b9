//! The one language rule in a real browser (headless Chromium driven by
//! `tests/browser/locale.mjs`), at 360×640 with axe-core on every page:
//! first with a client that set no language, an English browser and a
//! Portuguese one each see `/me`, the documents app and the bank's answer
//! (`/callback/open-finance`'s outcome page) in their own language; then the
//! client sets `en` and a Portuguese browser sees all three in English, the
//! portal it is handed to included, until the end user switches: the choice
//! is remembered on every page. Screenshots land in
//! `target/browser-screenshots/locale-*`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`;
//! without them it fails under CI and otherwise says what is missing.

use crate::support;
use crate::support::server_api;

use ponte_server::services::client_locale;
use ponte_server::services::clients::{self, BrandingChange};
use ponte_server::web::lang::Locale;
use serde_json::{json, Value};
use support::browser::browser_available;
use support::{Db, TestServer};

const CLIENT_NAME: &str = "Acme Crédito";
/// The bank's page for a new consent whose link has no `redirectUrl`, so
/// the bank's answer ends on Ponte's outcome page.
async fn bank_url(ts: &TestServer, access: &str) -> String {
    let (status, link) = ts
        .post(
            "/data/v1/links",
            Some(access),
            json!({"personalTaxId": "529.982.247-25"}),
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let token = link["linkToken"].as_str().expect("linkToken");
    ts.consent(token, json!({})).await.1
}

/// `/me` for a new end user with one authorised bank.
async fn me_url(ts: &TestServer, user: &str) -> String {
    let (_, session) = server_api::session_for(ts, &ts.client, user).await;
    server_api::connect(ts, &server_api::access_of(&session)).await;
    let (_, ticket) = server_api::ticket_for(ts, &ts.client, user).await;
    ts.url(&format!("/me?ticket={ticket}"))
}

async fn app_url(ts: &TestServer) -> String {
    let (status, got) = ts
        .post(
            "/api/token",
            None,
            json!({"api_key": ts.client.api_key, "api_secret": ts.client.api_secret}),
        )
        .await;
    assert_eq!(status, 200, "{got}");
    ts.url(&format!(
        "/app?access_token={}",
        got["access_token"].as_str().expect("access_token")
    ))
}

/// Everything one browser needs: its own `/me`, app session and bank pages.
async fn urls(ts: &TestServer, access: &str, user: &str, banks: usize) -> Value {
    let mut bank = Vec::new();
    for _ in 0..banks {
        bank.push(bank_url(ts, access).await);
    }
    json!({"me": me_url(ts, user).await, "app": app_url(ts).await, "banks": bank})
}

async fn journeys(phase: &str, args: Value) {
    let mut args = args;
    args["phase"] = json!(phase);
    support::browser::journeys("locale.mjs", [args.to_string()], phase).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_s_language_then_the_client_s_until_the_end_user_switches() {
    if !browser_available("the locale browser journeys") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    clients::update_branding(
        ts.app(),
        &ts.client.client_id,
        &BrandingChange {
            display_name: Some(CLIENT_NAME),
            privacy_policy_url: Some("https://acme.example/privacidade"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let access = ts.access_token().await;

    // No language set for the client: each browser's own.
    let args = json!({
        "base": ts.base,
        "client": CLIENT_NAME,
        "en": urls(&ts, &access, "locale-bob", 1).await,
        "pt-BR": urls(&ts, &access, "locale-ana", 1).await,
    });
    journeys("browser", args).await;

    // The client speaks English to its end users: a Portuguese browser too,
    // until its end user chooses Portuguese.
    client_locale::set(ts.app(), ts.client.client_id.as_str(), Some(Locale::En))
        .await
        .unwrap();
    let args = json!({
        "base": ts.base,
        "client": CLIENT_NAME,
        "pt-BR": urls(&ts, &access, "locale-caio", 2).await,
        "app2": app_url(&ts).await,
    });
    journeys("client", args).await;
}
