//! The console's renewals page and a connection's quota in a real browser
//! (`tests/browser/renewals.mjs`), in Portuguese and English. Screenshots
//! land in `target/browser-screenshots/console-renewals-*`.

use crate::support;

use serde_json::json;
use std::time::Duration;
use support::browser::{browser_available, repo_root};
use support::console::{console_user, PASSWORD};
use support::Db;

const JOURNEY_AT_MOST: Duration = Duration::from_secs(600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_renewals_page_in_a_browser() {
    if !browser_available("the renewals browser journey") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    let client = ts.client.client_id.clone();
    console_user(&ts, "ana@example.com", Some(&client)).await;
    let access = ts.access_token().await;
    let (_, first) = ts.authorised(&access, "user_good").await;
    let (_, second) = ts.authorised(&access, "user_good").await;
    let (status, _) = ts
        .post(
            "/sandbox/v1/clock/advance",
            Some(&access),
            json!({"days": 360}),
        )
        .await;
    assert_eq!(status, 200);

    let root = repo_root();
    let args = json!({
        "base": ts.base, "email": "ana@example.com", "password": PASSWORD,
        "expiring": first, "duplicate": second, "duplicateOf": first,
    });
    let run = tokio::process::Command::new("node")
        .arg(root.join("tests/browser/renewals.mjs"))
        .arg(args.to_string())
        .current_dir(&root)
        .env("PONTE_SCREENSHOTS", root.join("target/browser-screenshots"))
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(JOURNEY_AT_MOST, run)
        .await
        .expect("the journey ends")
        .expect("start node");
    println!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "renewals.mjs failed: {}", out.status);
}
