//! Auto-delivery keeps reports fresh (issue 26), on the sandbox test clock: a
//! scheduled refresh that finds new card transactions also brings a new
//! credit-card report (`REPORT_READY`, a new request) holding them, within the
//! month's budget (the OFB table: 4 `/transactions` a month per account or
//! card, one kept for requests, so the accounts, already read three times this
//! month, are not read again);
//! a client without auto-delivery gets the sync webhook and no report; a
//! refresh run again, or one that finds nothing new, requests nothing; and a
//! refresh whose report cannot be written records nothing, so its retry sends
//! one.

use crate::support;
use crate::transactions_sync::{advance, sync_path, synced_through, today};

use ponte_server::services::clients;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{Db, Receiver, TestServer};

async fn server(db: Db, events: &Receiver) -> TestServer {
    support::spawn_with(
        db,
        support::Options {
            webhook_url: Some(events.url.clone()),
            ..Default::default()
        },
    )
    .await
}

fn reports_of<'a>(bodies: &'a [Value], consent: &str) -> Vec<&'a Value> {
    bodies
        .iter()
        .filter(|e| e["event"] == "REPORT_READY" && e["consentId"] == consent)
        .collect()
}

/// Requests written for the consent's reports (delivered or not).
async fn requests_of(ts: &TestServer, consent: &str) -> i64 {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    let like = format!("%{consent}%");
    sqlx::query("SELECT COUNT(*) AS n FROM retrieval_requests WHERE consent_ids LIKE $1")
        .bind(like)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get("n")
}

/// (account or card id, transaction id) of every transaction in a report.
async fn report_transactions(ts: &TestServer, event: &Value) -> BTreeSet<(String, String)> {
    assert_eq!(event["status"], "SUCCESS", "{event}");
    let url = event["downloadUrl"].as_str().expect("downloadUrl");
    let body: Value = ts.http.get(url).send().await.unwrap().json().await.unwrap();
    let data = body.get("data").unwrap_or(&body);
    let mut out = BTreeSet::new();
    for a in data["accounts"].as_array().expect("accounts") {
        let account = a["account"]["accountId"]
            .as_str()
            .or_else(|| a["account"]["creditCardAccountId"].as_str())
            .unwrap()
            .to_string();
        for t in a["transactions"].as_array().unwrap() {
            let id = t["transactionId"].as_str().unwrap().to_string();
            out.insert((account.clone(), id));
        }
    }
    out
}

/// Every change the cursor has after `cursor`: added ids and the next cursor.
async fn added_since(
    ts: &TestServer,
    access: &str,
    consent: &str,
    mut cursor: String,
) -> (BTreeSet<(String, String)>, String) {
    let mut added = BTreeSet::new();
    loop {
        let (status, page) = ts
            .get(&sync_path(consent, &cursor, 500), Some(access))
            .await;
        assert_eq!(status, 200, "{page}");
        for t in page["added"].as_array().unwrap() {
            added.insert((
                t["accountId"].as_str().unwrap().to_string(),
                t["transactionId"].as_str().unwrap().to_string(),
            ));
        }
        cursor = page["nextCursor"].as_str().unwrap().to_string();
        if page["hasMore"] == false {
            return (added, cursor);
        }
    }
}

/// Starts the consent's sync (its first pull) and waits for it.
async fn first_pull(ts: &TestServer, access: &str, consent: &str) -> i64 {
    let (status, body) = ts
        .post(
            &format!("/data/v1/consents/{consent}/refresh"),
            Some(access),
            json!({}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let day = today(ts, access).await;
    synced_through(ts, access, consent, day).await;
    day
}

/// Queues one more run of the consent's refresh job, as a worker that crashed
/// after the refresh's commit would run it again; waits until it ends.
async fn run_refresh_again(ts: &TestServer, consent: &str) {
    use sqlx::Row;
    let id = uuid::Uuid::now_v7().to_string();
    let payload = json!({"consentId": consent, "scheduled": true}).to_string();
    let mut tx = ts.app().store.begin().await.unwrap();
    ponte_store::insert_job(
        &mut tx,
        &id,
        &ponte_store::JobKind::new("sync_transactions"),
        &payload,
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..2400 {
        let mut conn = ts.app().store.read().await.unwrap();
        let status: String = sqlx::query("SELECT status FROM jobs WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get("status");
        drop(conn);
        if status != "pending" {
            assert_eq!(status, "done");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the refresh run again never ended");
}

both!(
    auto_delivery_sends_a_fresh_report_after_a_refresh_with_new_transactions,
    |db: Db| async move {
        let events = Receiver::start().await;
        let ts = server(db, &events).await;
        let auto = clients::create(
            ts.app(),
            clients::parse_new_client("Auto", Some(&events.url), None, true).unwrap(),
        )
        .await
        .unwrap();
        let access = ts.access_token_for(&auto).await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        // Authorisation's auto-delivery: every product the link asked for.
        let bodies = events
            .wait_for("the first reports", |b| reports_of(b, &consent).len() >= 6)
            .await;
        let first = reports_of(&bodies, &consent);
        let first_request = first[0]["requestId"].as_str().unwrap().to_string();
        let first_cards = first
            .iter()
            .find(|e| e["product"] == "creditCards")
            .expect("a credit cards report");
        let before = report_transactions(&ts, first_cards).await;
        let cards: BTreeSet<String> = before.iter().map(|(c, _)| c.clone()).collect();

        // The first pull brings no report: authorisation's has just been sent.
        first_pull(&ts, &access, &consent).await;
        let (_, mut cursor) = added_since(&ts, &access, &consent, String::new()).await;
        assert_eq!(
            requests_of(&ts, &consent).await,
            1,
            "no report for the first pull"
        );

        // Day by day until a refresh finds new card transactions.
        let mut new_on_cards = BTreeSet::new();
        let mut day = 0;
        for _ in 0..6 {
            day = advance(&ts, &access, 1).await;
            synced_through(&ts, &access, &consent, day).await;
            let (added, next) = added_since(&ts, &access, &consent, cursor).await;
            cursor = next;
            new_on_cards = added
                .into_iter()
                .filter(|(c, _)| cards.contains(c))
                .collect();
            if !new_on_cards.is_empty() {
                break;
            }
        }
        assert!(
            !new_on_cards.is_empty(),
            "the sandbox bank booked card purchases"
        );
        let bodies = events
            .wait_for("the fresh report", |b| {
                reports_of(b, &consent)
                    .iter()
                    .any(|e| e["requestId"] != first_request.as_str())
            })
            .await;
        let fresh: Vec<&Value> = reports_of(&bodies, &consent)
            .into_iter()
            .filter(|e| e["requestId"] != first_request.as_str())
            .collect();
        // This month's accounts `/transactions` calls went to authorisation's
        // accounts and insights reports and the first pull: one more would
        // spend the call kept for requests, so only the cards come again.
        let products: BTreeSet<&str> = fresh.iter().filter_map(|e| e["product"].as_str()).collect();
        assert_eq!(products, BTreeSet::from(["creditCards"]), "{fresh:?}");
        let after = report_transactions(&ts, fresh[0]).await;
        let missing: Vec<_> = new_on_cards.difference(&after).collect();
        assert!(
            missing.is_empty(),
            "the fresh report holds the new ones: {missing:?}"
        );
        assert!(
            new_on_cards.iter().any(|t| !before.contains(t)),
            "the first report lacked them"
        );
        assert_eq!(requests_of(&ts, &consent).await, 2, "one fresh request");
        let (status, quota) = ts
            .get(&format!("/data/v1/consents/{consent}/quota"), Some(&access))
            .await;
        assert_eq!(status, 200, "{quota}");
        let transactions = quota["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| {
                e["endpoint"] == "/open-banking/accounts/v2/accounts/{accountId}/transactions"
            })
            .unwrap_or_else(|| panic!("{quota}"));
        assert_eq!(
            (&transactions["used"], &transactions["remaining"]),
            (&json!(3), &json!(1)),
            "the call kept for requests is left: {quota}"
        );

        // A refresh run again (a crash after its commit) finds nothing new to
        // report; so does one asked for the same day.
        run_refresh_again(&ts, &consent).await;
        let (status, _) = ts
            .post(
                &format!("/data/v1/consents/{consent}/refresh"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 202);
        synced_through(&ts, &access, &consent, day).await;
        assert_eq!(
            requests_of(&ts, &consent).await,
            2,
            "no second report for the same changes"
        );
    }
);

both!(
    without_auto_delivery_a_refresh_sends_the_sync_webhook_and_no_report,
    |db: Db| async move {
        let events = Receiver::start().await;
        let ts = server(db, &events).await;
        let access = ts.access_token().await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        first_pull(&ts, &access, &consent).await;
        let updates = |b: &[Value]| {
            b.iter()
                .filter(|e| {
                    e["event"] == "TRANSACTIONS_SYNC_UPDATES_AVAILABLE"
                        && e["consentId"] == consent.as_str()
                })
                .count()
        };
        events
            .wait_for("the first pull's webhook", |b| updates(b) >= 1)
            .await;
        let day = advance(&ts, &access, 2).await;
        synced_through(&ts, &access, &consent, day).await;
        events
            .wait_for("the refresh's webhook", |b| updates(b) >= 2)
            .await;
        assert_eq!(requests_of(&ts, &consent).await, 0, "no report requested");
        assert!(reports_of(&events.bodies(), &consent).is_empty());
    }
);

/// The consent's refresh job still to run: (attempts, at rest, last error).
async fn pending_refresh(ts: &TestServer) -> Option<(i64, bool, Option<String>)> {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query(
        "SELECT attempts, locked_until, last_error FROM jobs
         WHERE kind = 'sync_transactions' AND status = 'pending'",
    )
    .fetch_optional(&mut *conn)
    .await
    .unwrap()
    .map(|r| {
        (
            r.get::<i64, _>("attempts"),
            r.get::<Option<i64>, _>("locked_until").is_none(),
            r.get::<Option<String>, _>("last_error"),
        )
    })
}

both!(
    a_refresh_whose_report_cannot_be_written_records_nothing_and_its_retry_sends_one,
    |db: Db| async move {
        let events = Receiver::start().await;
        let ts = server(db, &events).await;
        let auto = clients::create(
            ts.app(),
            clients::parse_new_client("Auto", Some(&events.url), None, true).unwrap(),
        )
        .await
        .unwrap();
        let access = ts.access_token_for(&auto).await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        events
            .wait_for("the first reports", |b| reports_of(b, &consent).len() >= 6)
            .await;
        let before = first_pull(&ts, &access, &consent).await;
        let (_, cursor) = added_since(&ts, &access, &consent, String::new()).await;

        // The request cannot be written (a database failure between the diff
        // and the report): the refresh's try fails as a whole.
        let injected =
            support::injected::Injected::start(&ts, db, "retrieval_requests", "TRUE").await;
        let day = advance(&ts, &access, 2).await;
        let mut failed = None;
        for _ in 0..2400 {
            if let Some((attempts, at_rest, Some(error))) = pending_refresh(&ts).await {
                if attempts >= 1 && at_rest {
                    failed = Some(error);
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let failed = failed.expect("the refresh's try failed");
        assert!(!failed.is_empty());
        let (added, _) = added_since(&ts, &access, &consent, cursor.clone()).await;
        assert!(added.is_empty(), "no change recorded without its report");
        let (_, page) = ts.get(&sync_path(&consent, "", 1), Some(&access)).await;
        assert_eq!(
            page["syncedThrough"],
            crate::transactions_sync::ymd(before),
            "{page}"
        );
        assert_eq!(requests_of(&ts, &consent).await, 1);
        injected.stop().await;

        // The next try records the changes and requests one report.
        synced_through(&ts, &access, &consent, day).await;
        let (added, _) = added_since(&ts, &access, &consent, cursor).await;
        assert!(!added.is_empty(), "the retry records the changes");
        assert_eq!(requests_of(&ts, &consent).await, 2, "one fresh request");
    }
);
