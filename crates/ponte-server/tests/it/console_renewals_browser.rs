//! The console's renewals page and a connection's quota in a real browser
//! (`tests/browser/renewals.mjs`), in Portuguese and English. Screenshots
//! land in `target/browser-screenshots/console-renewals-*`.

use crate::support;

use serde_json::json;
use support::browser::browser_available;
use support::console::{console_user, PASSWORD};
use support::Db;

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

    let args = json!({
        "base": ts.base, "email": "ana@example.com", "password": PASSWORD,
        "expiring": first, "duplicate": second, "duplicateOf": first,
    });
    support::browser::journeys("renewals.mjs", [args.to_string()], "renewals").await;
}
