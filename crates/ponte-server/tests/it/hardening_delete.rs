//! Deleting a client leaves nothing of it behind: every table is as it was
//! before the client came, and the other clients keep all of theirs.

use crate::support;

use ponte_server::services::clients;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use support::{Db, Receiver, TestServer};

/// Every table Ponte keeps (the sandbox banks' own tables are theirs).
const TABLES: &[&str] = &[
    "clients",
    "client_secrets",
    "signing_keys",
    "settings",
    "end_users",
    "links",
    "consents",
    "consent_events",
    "webhook_messages",
    "webhook_attempts",
    "jobs",
    "retrieval_requests",
    "reports",
    "webhook_retired_secrets",
    "webhook_endpoints",
    "tickets",
    "refresh_tokens",
    "client_redirect_urls",
];

async fn counts(ts: &TestServer) -> BTreeMap<&'static str, i64> {
    let mut conn = ts.app().store.read().await.expect("connection");
    let mut out = BTreeMap::new();
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .expect("count");
        out.insert(*table, n);
    }
    out
}

both!(a_deleted_client_leaves_no_row_behind, |db: Db| async move {
    let ts = support::spawn(db).await;
    // The client that stays has data of its own.
    let keeper = ts.access_token().await;
    let (kept_link, _) = ts.link(&keeper, json!({})).await;
    let before = counts(&ts).await;

    // The client that goes: a link, an authorised consent, a retrieval with
    // its reports, webhooks delivered, a rotated webhook secret.
    let events = Receiver::start().await;
    let goner = clients::create(
        ts.app(),
        clients::parse_new_client("Goner", Some(&events.url), None, false).unwrap(),
    )
    .await
    .unwrap();
    clients::rotate_webhook_secret(ts.app(), &goner.client_id)
        .await
        .unwrap();
    let access = ts.access_token_for(&goner).await;
    let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
    let (status, body) = ts
        .post(
            "/data/personal/institution-data",
            Some(&access),
            json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let request_id = body["requestId"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, req) = ts
            .get(&format!("/data/v1/requests/{request_id}"), Some(&access))
            .await;
        if req["status"] == "COMPLETED" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the retrieval never ended: {req}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    events
        .wait_for("the report webhook", |bodies: &[Value]| {
            bodies.iter().any(|b| b["event"] == "REPORT_READY")
        })
        .await;
    let during = counts(&ts).await;
    for table in [
        "end_users",
        "links",
        "consents",
        "reports",
        "webhook_messages",
        "jobs",
    ] {
        assert!(during[table] > before[table], "{table}: the test made none");
    }

    clients::delete(ts.app(), &goner.client_id).await.unwrap();
    assert_eq!(
        counts(&ts).await,
        before,
        "every table as before the client came"
    );

    // Its credentials and tokens are gone with it; the other client's not.
    let (status, _) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": goner.api_key, "secretKey": goner.api_secret}),
        )
        .await;
    assert_eq!(status, 401);
    // Its tokens die with its secrets, at once: not even a 404 to learn from.
    let (status, body) = ts
        .get(&format!("/data/v1/links/{link_id}"), Some(&access))
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("INVALID_TOKEN")),
        "{body}"
    );
    let (status, body) = ts
        .get(&format!("/data/v1/links/{kept_link}"), Some(&keeper))
        .await;
    assert_eq!(status, 200, "{body}");
    let err = clients::delete(ts.app(), &goner.client_id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not found"), "{err}");
});
