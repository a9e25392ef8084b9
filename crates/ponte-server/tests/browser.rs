//! The hosted widget in a real browser: headless Chromium, driven by the
//! journeys in `tests/browser/` (Node + playwright-core), against a live
//! server in sandbox mode. Screenshots land in `target/browser-screenshots/`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`
//! (`.ci/run` installs them). Without them the test fails under CI and
//! otherwise says what is missing and passes.

mod support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{Db, TestServer};

const CHROMIUM: &str = "/usr/bin/chromium";
/// A hang guard, not a timing assertion: a stuck browser fails the test
/// instead of holding CI forever.
const JOURNEYS_AT_MOST: Duration = Duration::from_secs(600);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether the browser suite can run here.
fn browser_available() -> bool {
    let root = repo_root();
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        missing.push("node".to_string());
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        missing.push("tests/browser/node_modules (npm ci in tests/browser)".to_string());
    }
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the browser tests; missing: {}",
        missing.join(", ")
    );
    eprintln!(
        "skipping the browser journeys; missing: {}",
        missing.join(", ")
    );
    false
}

/// Runs `node tests/browser/<script> <args…>`, prints what it said, and
/// fails the test unless it exited 0.
async fn journeys(script: &str, args: &[String]) {
    let root = repo_root();
    let run = tokio::process::Command::new("node")
        .arg(root.join("tests/browser").join(script))
        .args(args)
        .current_dir(&root)
        .env(
            "PONTE_SCREENSHOTS",
            root.join("target/browser-screenshots"),
        )
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(JOURNEYS_AT_MOST, run)
        .await
        .unwrap_or_else(|_| panic!("{script} still running after {JOURNEYS_AT_MOST:?}"))
        .expect("start node");
    println!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{script} failed: {}", out.status);
}

/// A fresh link whose end user comes back to the integrator's page.
async fn link(ts: &TestServer, access: &str) -> (String, String) {
    let (_, body) = ts
        .post(
            "/data/v1/links",
            Some(access),
            json!({"personalTaxId": "529.982.247-25", "redirectUrl": "https://app.example.com/done"}),
        )
        .await;
    (
        body["linkId"].as_str().expect("linkId").to_string(),
        body["linkUrl"].as_str().expect("linkUrl").to_string(),
    )
}

async fn consent_statuses(ts: &TestServer, access: &str, link_id: &str) -> Vec<String> {
    let (status, body) = ts
        .get(&format!("/data/v1/links/{link_id}"), Some(access))
        .await;
    assert_eq!(status, 200, "{body}");
    body["consents"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| c["status"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    let access = ts.access_token().await;
    // Made first: the clock moves past its expiry before its journey.
    let (_, expired) = link(&ts, &access).await;

    let mut urls = serde_json::Map::new();
    let mut ids = serde_json::Map::new();
    for name in ["good_pt", "good_en", "deny", "outage", "exit"] {
        let (id, url) = link(&ts, &access).await;
        urls.insert(name.into(), Value::String(url));
        ids.insert(name.into(), Value::String(id));
    }
    urls.insert("base".into(), Value::String(ts.base.clone()));
    journeys("link.mjs", &[Value::Object(urls).to_string()]).await;

    // What the browser did, as the integrator's backend sees it.
    let id = |name: &str| ids[name].as_str().unwrap_or_default().to_string();
    for name in ["good_pt", "good_en"] {
        assert_eq!(
            consent_statuses(&ts, &access, &id(name)).await,
            ["AUTHORISED"],
            "{name}"
        );
    }
    assert!(
        consent_statuses(&ts, &access, &id("deny"))
            .await
            .contains(&"REJECTED".to_string()),
        "user_deny's consent is rejected"
    );
    assert_eq!(
        consent_statuses(&ts, &access, &id("exit")).await,
        Vec::<String>::new(),
        "leaving before choosing a bank creates no consent"
    );

    ts.clock
        .advance(Duration::from_secs(ponte_server::tokens::LINK_TOKEN_TTL_SECS as u64 + 60));
    journeys(
        "expired.mjs",
        &[json!({"base": ts.base, "expired": expired}).to_string()],
    )
    .await;
}
