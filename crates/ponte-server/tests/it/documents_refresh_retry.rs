//! The Documents API's scheduled refresh when things go wrong (issue 26), on
//! the sandbox test clock: a file whose download failed is tried again by the
//! next refresh and named once it arrives (a stored one is never fetched
//! again); and when the portal refuses the stored sign-in, the integrator gets
//! one webhook in the quickstart's shape saying the end user must connect again.

use crate::documents_refresh::{
    advance, civil, client_now, file_names, ready_messages, refresh_call, refreshed_after,
};
use crate::support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use support::documents::{assert_quickstart_shape, connect, server, token, webhook_for};
use support::{Db, Receiver, TestServer};

const DAY_MS: i64 = 86_400_000;
const PORTAL: &str = "harborline";

/// The `n`-th webhook (from 1) of retrieval `id`.
async fn nth_webhook(hook: &Receiver, id: i64, n: usize) -> Value {
    let mine = |b: &[Value]| -> Vec<Value> {
        b.iter()
            .filter(|b| b["data"]["id"] == id)
            .cloned()
            .collect()
    };
    let bodies = hook
        .wait_for("the refresh's webhook", |b| mine(b).len() >= n)
        .await;
    mine(&bodies).swap_remove(n - 1)
}

/// (file name, status) of each file a webhook names.
fn statuses(body: &Value) -> Vec<(String, String)> {
    body["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["file_name"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn schedule_daily(ts: &TestServer, id: i64) {
    let (status, s) =
        refresh_call(ts, id, reqwest::Method::PUT, Some(json!({"every_days": 1}))).await;
    assert_eq!(status, 200, "{s}");
}

/// Days from the client's now to the 2nd of January after it.
async fn days_to_new_year(ts: &TestServer) -> i64 {
    let today = client_now(ts).await.div_euclid(DAY_MS);
    let (year, _, _) = civil(today);
    (1..=400)
        .find(|k| civil(today + k) == (year + 1, 1, 2))
        .expect("a 2nd of January")
}

both!(
    a_failed_download_is_tried_again_by_the_next_refresh,
    |db: Db| async move {
        let (ts, hook) = server(db).await;
        let access = ts.access_token().await;
        let (tok, _) = token(&ts, json!({})).await;
        // The flaky portal never serves the latest year-end summary.
        let (status, body) = connect(&ts, &tok, PORTAL, "user_flaky", None).await;
        assert_eq!(status, 200, "{body}");
        let id = body["id"].as_i64().expect("retrieval id");
        let first = webhook_for(&hook, id).await;
        let (year, _, _) = civil(client_now(&ts).await.div_euclid(DAY_MS));
        let summary = |y: i64| format!("year_end_summary_{y}.pdf");
        let failed: Vec<(String, String)> = statuses(&first)
            .into_iter()
            .filter(|(_, s)| s == "failed")
            .collect();
        assert_eq!(
            failed,
            vec![(summary(year - 1), "failed".into())],
            "{first}"
        );
        schedule_daily(&ts, id).await;

        // A new year: last year's summary is no longer the latest, so the
        // refresh's new try fetches it; this year's new one fails and is named.
        advance(&ts, &access, days_to_new_year(&ts).await).await;
        let refreshed = refreshed_after(&ts, id, &Value::Null).await;
        let second = nth_webhook(&hook, id, 2).await;
        assert_quickstart_shape(&second);
        let named = statuses(&second);
        assert!(
            named.contains(&(summary(year - 1), "success".into())),
            "the failed file arrives: {second}"
        );
        assert!(
            named.contains(&(summary(year), "failed".into())),
            "{second}"
        );
        let delivered_before: BTreeSet<String> = statuses(&first)
            .into_iter()
            .filter(|(_, s)| s == "success")
            .map(|(n, _)| n)
            .collect();
        assert!(
            file_names(&second).is_disjoint(&delivered_before),
            "nothing stored is fetched again: {second}"
        );

        // A year on: the summary that failed in the last refresh arrives; the
        // one that arrived is not named again.
        advance(&ts, &access, 366).await;
        refreshed_after(&ts, id, &refreshed["last_refreshed_at"]).await;
        let third = nth_webhook(&hook, id, 3).await;
        let named = statuses(&third);
        assert!(
            named.contains(&(summary(year), "success".into())),
            "{third}"
        );
        assert!(!file_names(&third).contains(&summary(year - 1)), "{third}");

        // The retrieval holds each document once.
        let (status, view) = support::documents::retrieval(&ts, id).await;
        assert_eq!(status, 200, "{view}");
        let files = view["files"].as_array().unwrap();
        assert_eq!(file_names(&view).len(), files.len(), "{view}");
        assert_eq!(
            files.iter().filter(|f| f["status"] == "failed").count(),
            1,
            "only the latest summary is missing: {view}"
        );
    }
);

/// Ends every session the sandbox portals hold, as a portal does when the end
/// user changes their password or the session expires.
async fn portal_sessions_revoked(ts: &TestServer, db: Db) {
    use sqlx::{Connection, Executor};
    let url = match db {
        Db::Sqlite => format!("sqlite://{}/sandbox.db", ts.dir.path().display()),
        Db::Postgres => ts.database_url.clone(),
    };
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let done = conn
        .execute("DELETE FROM sandbox_portal_grants WHERE kind = 'session'")
        .await
        .unwrap();
    assert!(done.rows_affected() >= 1, "a session to revoke");
}

both!(
    a_refused_sign_in_asks_for_the_end_user_once,
    |db: Db| async move {
        let (ts, hook) = server(db).await;
        let access = ts.access_token().await;
        let (tok, _) = token(&ts, json!({"metadata": {"case": "reconnect"}})).await;
        let (status, body) = connect(&ts, &tok, PORTAL, "user_good", None).await;
        assert_eq!(status, 200, "{body}");
        let id = body["id"].as_i64().expect("retrieval id");
        let first = webhook_for(&hook, id).await;
        assert_eq!(first["status"], "success", "{first}");
        schedule_daily(&ts, id).await;
        portal_sessions_revoked(&ts, db).await;

        advance(&ts, &access, 1).await;
        let refreshed = refreshed_after(&ts, id, &Value::Null).await;
        assert!(
            refreshed["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("connect again")),
            "{refreshed}"
        );
        let mut told = nth_webhook(&hook, id, 2).await;
        assert_eq!(told["status"], "failed", "{told}");
        assert_eq!(told["files"], json!([]), "{told}");
        assert_eq!(told["data"]["metadata"], json!({"case": "reconnect"}));
        assert_eq!(told["error"]["code"], "RECONNECT_REQUIRED", "{told}");
        assert!(
            told["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("next step")),
            "{told}"
        );
        // Apart from the error it is the quickstart's shape.
        told.as_object_mut().unwrap().remove("error");
        assert_quickstart_shape(&told);

        // The next refresh meets the same refusal and says nothing new.
        let sent = ready_messages(&ts).await;
        advance(&ts, &access, 1).await;
        refreshed_after(&ts, id, &refreshed["last_refreshed_at"]).await;
        assert_eq!(ready_messages(&ts).await, sent, "told once");

        // What was delivered stays available.
        let (status, view) = support::documents::retrieval(&ts, id).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "success", "{view}");
    }
);
