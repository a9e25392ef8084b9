//! One language everywhere, proved in a real browser (headless Chromium
//! driven by `tests/browser/language.mjs`): an English browser and a
//! Portuguese one open the widget, `/me`, the documents app and the console;
//! each page speaks only the browser's language, carries the switch, passes
//! axe-core and fits 360 px; one switch in the console then holds on every
//! other page. The widget's bank list and `/me` show the sandbox banks'
//! logos. Screenshots land in `target/browser-screenshots/language-*`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`;
//! without them it fails under CI and otherwise says what is missing.

use crate::support;
use crate::support::server_api;

use ponte_server::services::clients::{self, BrandingChange};
use ponte_server::services::console::{self, Password};
use serde_json::{json, Value};
use support::browser::browser_available;
use support::{Db, TestServer};

const CLIENT_NAME: &str = "Acme Crédito";
const PASSWORD: &str = "correct horse battery staple";
/// The end user authorises a consent at `code` through a link of their own
/// (Server API), so `/me` lists it.
async fn connect_at(ts: &TestServer, access: &str, code: &str) {
    let (status, v) = ts
        .post(
            "/v1/client/connections/link",
            Some(access),
            json!({"personalTaxId": "529.982.247-25"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let link_token = v["data"]["linkToken"].as_str().expect("linkToken");
    let (consent_id, _) = ts
        .consent(link_token, json!({"institutionCode": code}))
        .await;
    let (status, c) = ts
        .authorise(
            link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
}

/// A widget link (Data API) and a documents app session (Taiki API).
async fn link_and_app(ts: &TestServer, access: &str) -> (String, String) {
    let (status, link) = ts
        .post(
            "/data/v1/links",
            Some(access),
            json!({"personalTaxId": "529.982.247-25", "redirectUrl": "https://app.example.com/done"}),
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let (status, token) = ts
        .post(
            "/api/token",
            None,
            json!({"api_key": ts.client.api_key, "api_secret": ts.client.api_secret}),
        )
        .await;
    assert_eq!(status, 200, "{token}");
    let app = ts.url(&format!(
        "/app?access_token={}",
        token["access_token"].as_str().expect("access_token")
    ));
    (link["linkUrl"].as_str().expect("linkUrl").to_string(), app)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_speaks_the_browsers_language_and_keeps_the_switch() {
    if !browser_available("the language browser journeys") {
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
    console::create_user(
        ts.app(),
        "lang@example.com",
        Some(&ts.client.client_id),
        Some(Password::parse(PASSWORD).unwrap()),
    )
    .await
    .unwrap();
    let access = ts.access_token().await;
    let mut names: Vec<&str> = ponte_sandbox::banks().iter().map(|b| b.name).collect();
    names.extend(ponte_sandbox::portals().iter().map(|p| p.name));
    names.extend(ponte_sandbox::portals().iter().map(|p| p.legal_name));
    names.push(CLIENT_NAME);
    let mut args = serde_json::Map::new();
    for (lang, user) in [("pt-BR", "lang-ana"), ("en", "lang-bob")] {
        let (_, session) = server_api::session_for(&ts, &ts.client, user).await;
        let user_access = server_api::access_of(&session);
        connect_at(&ts, &user_access, "itau").await;
        connect_at(&ts, &user_access, "nubank").await;
        let (_, ticket) = server_api::ticket_for(&ts, &ts.client, user).await;
        let (link, app) = link_and_app(&ts, &access).await;
        args.insert(
            lang.into(),
            json!({"me": ts.url(&format!("/me?ticket={ticket}")), "link": link, "app": app}),
        );
    }
    args.insert("base".into(), json!(ts.base));
    args.insert("names".into(), json!(names));
    args.insert("email".into(), json!("lang@example.com"));
    args.insert("password".into(), json!(PASSWORD));

    support::browser::journeys(
        "language.mjs",
        [Value::Object(args).to_string()],
        "languages",
    )
    .await;
}
