//! The Documents API's scheduled refresh, driven by the sandbox test clock:
//! a connection refreshed daily gets one `documents.ready` webhook naming
//! exactly the documents the portal published since (the month's new
//! statement), and nothing when there is nothing new.

use crate::support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use support::documents::{assert_quickstart_shape, basic, connect, server, token, webhook_for};
use support::{Db, TestServer};

const DAY_MS: i64 = 86_400_000;
const PORTAL: &str = "harborline";
const USER: &str = "user_good";

/// (year, month, day) of a unix day (Howard Hinnant's civil_from_days).
pub(crate) fn civil(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The client's time now (real time plus its test clock).
pub(crate) async fn client_now(ts: &TestServer) -> i64 {
    let mut conn = ts.app().store.read().await.unwrap();
    let offset = ponte_store::client_clock_offset(&mut conn, &ts.client.client_id)
        .await
        .unwrap();
    ts.app().clock.now_ms() + offset
}

pub(crate) async fn advance(ts: &TestServer, access: &str, days: i64) {
    let (status, body) = ts
        .post(
            "/sandbox/v1/clock/advance",
            Some(access),
            json!({"days": days}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

pub(crate) async fn refresh_call(
    ts: &TestServer,
    id: i64,
    method: reqwest::Method,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = ts
        .http
        .request(method, ts.url(&format!("/api/retrievals/{id}/refresh")))
        .header(
            "authorization",
            basic(&ts.client.api_key, &ts.client.api_secret),
        );
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Waits until the schedule records a refresh after `before` (a string or null).
pub(crate) async fn refreshed_after(ts: &TestServer, id: i64, before: &Value) -> Value {
    for _ in 0..2400 {
        let (status, s) = refresh_call(ts, id, reqwest::Method::GET, None).await;
        assert_eq!(status, 200, "{s}");
        if !s["last_refreshed_at"].is_null() && s["last_refreshed_at"] != *before {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no refresh of retrieval {id} was recorded");
}

/// `documents.ready` messages written for the client (delivered or not).
pub(crate) async fn ready_messages(ts: &TestServer) -> i64 {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM webhook_messages WHERE event_type = $1")
        .bind("documents.ready")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get("n")
}

pub(crate) fn file_names(body: &Value) -> BTreeSet<String> {
    body["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["file_name"].as_str().expect("file_name").to_string())
        .collect()
}

/// What the portal lists at `t1` and did not at `t0`: file names.
fn published_between(t0: i64, t1: i64) -> BTreeSet<String> {
    let before: BTreeSet<_> = ponte_sandbox::documents_listed_at(PORTAL, USER, t0)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    ponte_sandbox::documents_listed_at(PORTAL, USER, t1)
        .into_iter()
        .filter(|(id, _)| !before.contains(id))
        .map(|(_, name)| name)
        .collect()
}

both!(
    a_scheduled_refresh_downloads_only_the_new_statement_in_one_webhook,
    |db: Db| async move {
        let (ts, hook) = server(db).await;
        let access = ts.access_token().await;
        let (tok, _) = token(&ts, json!({"metadata": {"case": "refresh"}})).await;
        let (status, body) = connect(&ts, &tok, PORTAL, USER, None).await;
        assert_eq!(status, 200, "{body}");
        let id = body["id"].as_i64().expect("retrieval id");
        let first = webhook_for(&hook, id).await;
        assert_eq!(first["status"], "success", "{first}");
        let t0 = client_now(&ts).await;

        // Bad input names the field; a retrieval of another id is not found.
        let (status, err) = refresh_call(
            &ts,
            id,
            reqwest::Method::PUT,
            Some(json!({"every_days": 0})),
        )
        .await;
        assert_eq!(status, 400, "{err}");
        assert_eq!(err["error"]["field"], "every_days", "{err}");
        let (status, err) = refresh_call(&ts, id, reqwest::Method::PUT, Some(json!({}))).await;
        assert_eq!(
            (status, &err["error"]["field"]),
            (400, &json!("every_days")),
            "{err}"
        );
        let (status, _) = refresh_call(
            &ts,
            id + 1000,
            reqwest::Method::PUT,
            Some(json!({"every_days": 1})),
        )
        .await;
        assert_eq!(status, 404);

        let (status, schedule) = refresh_call(
            &ts,
            id,
            reqwest::Method::PUT,
            Some(json!({"every_days": 1})),
        )
        .await;
        assert_eq!(status, 200, "{schedule}");
        assert_eq!(schedule["every_days"], 1, "{schedule}");
        assert!(schedule["last_refreshed_at"].is_null(), "{schedule}");

        // To the 2nd of next month: exactly this month's end passes.
        let (y0, m0, _) = civil(t0.div_euclid(DAY_MS));
        let days = (1..=40)
            .find(|k| {
                let (_, m, d) = civil(t0.div_euclid(DAY_MS) + k);
                m != m0 && d == 2
            })
            .expect("a 2nd of next month");
        advance(&ts, &access, days).await;
        let after_month = refreshed_after(&ts, id, &Value::Null).await;
        assert!(after_month["last_error"].is_null(), "{after_month}");
        let t1 = client_now(&ts).await;

        let expected = published_between(t0, t1);
        let statement = format!("statement_{y0}-{m0:02}.pdf");
        assert!(expected.contains(&statement), "{expected:?}");
        let bodies = hook
            .wait_for("the refresh's webhook", |b| {
                b.iter().filter(|b| b["data"]["id"] == id).count() >= 2
            })
            .await;
        let ours: Vec<&Value> = bodies.iter().filter(|b| b["data"]["id"] == id).collect();
        assert_eq!(ours.len(), 2, "{ours:?}");
        let refresh = ours[1];
        assert_quickstart_shape(refresh);
        assert_eq!(refresh["status"], "success", "{refresh}");
        assert_eq!(refresh["data"]["metadata"], json!({"case": "refresh"}));
        assert_eq!(
            file_names(refresh),
            expected,
            "only the new documents: {refresh}"
        );
        assert!(
            refresh["files"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["status"] == "success"),
            "{refresh}"
        );
        assert!(
            file_names(&first).is_disjoint(&expected),
            "none was downloaded twice"
        );

        // The new statement is a real download, served at its URL.
        let url = refresh["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file_name"] == statement.as_str())
            .and_then(|f| f["download_url"].as_str())
            .expect("the statement's URL")
            .to_string();
        let pdf = ts.http.get(url).send().await.unwrap();
        assert_eq!(pdf.status().as_u16(), 200);
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

        // The retrieval now holds every document, each once.
        let (status, view) = support::documents::retrieval(&ts, id).await;
        assert_eq!(status, 200, "{view}");
        let all = file_names(&view);
        assert_eq!(all.len(), view["files"].as_array().unwrap().len(), "{view}");
        assert_eq!(all, &file_names(&first) | &expected);

        // A day later nothing is new: the refresh runs and sends nothing.
        assert!(published_between(t1, t1 + DAY_MS).is_empty());
        let sent = ready_messages(&ts).await;
        assert_eq!(sent, 2);
        advance(&ts, &access, 1).await;
        refreshed_after(&ts, id, &after_month["last_refreshed_at"]).await;
        assert_eq!(
            ready_messages(&ts).await,
            sent,
            "no webhook without new documents"
        );

        // Stopped: no schedule left.
        let (status, _) = refresh_call(
            &ts,
            id,
            reqwest::Method::PUT,
            Some(json!({"every_days": null})),
        )
        .await;
        assert_eq!(status, 204);
        let (status, _) = refresh_call(&ts, id, reqwest::Method::GET, None).await;
        assert_eq!(status, 404);
    }
);
