//! Auto-delivery keeps reports fresh (issue 26), on the sandbox test clock: after
//! days pass, the scheduled refresh that finds new transactions also brings a
//! new accounts report (`REPORT_READY`, a new request) holding them; a client
//! without auto-delivery gets the sync webhook and no report; a refresh run
//! again, or one that finds nothing new, requests nothing; and a refresh whose
//! report cannot be written records nothing, so its retry sends each once.

use crate::support;
use crate::transactions_sync::{advance, sync_path, synced_through, today};

use ponte_server::services::clients;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{Db, Receiver, TestServer};

/// The accounts endpoints a report calls, unlimited here as an operator with a
/// negotiated limit would set them: with the OFB table (4 `/transactions` a
/// month) the first month's calls go to authorisation's report and the first
/// pull, and a fresh report would spend the call kept for requests.
const LIMITS: &str = "/open-banking/accounts/v2/accounts=off,\
    /open-banking/accounts/v2/accounts/{accountId}=off,\
    /open-banking/accounts/v2/accounts/{accountId}/transactions=off";

async fn server(db: Db, events: &Receiver) -> TestServer {
    support::spawn_with(
        db,
        support::Options {
            webhook_url: Some(events.url.clone()),
            env: vec![("PONTE_QUOTA_LIMITS", LIMITS.to_string())],
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

/// (account id, transaction id) of every transaction in an accounts report.
async fn report_transactions(ts: &TestServer, event: &Value) -> BTreeSet<(String, String)> {
    assert_eq!(event["status"], "SUCCESS", "{event}");
    let url = event["downloadUrl"].as_str().expect("downloadUrl");
    let body: Value = ts.http.get(url).send().await.unwrap().json().await.unwrap();
    let data = body.get("data").unwrap_or(&body);
    let mut out = BTreeSet::new();
    for a in data["accounts"].as_array().expect("accounts") {
        let account = a["account"]["accountId"].as_str().unwrap().to_string();
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
    ponte_store::insert_job(&mut tx, &id, "sync_transactions", &payload, 0)
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
        let first_accounts = first
            .iter()
            .find(|e| e["product"] == "accounts")
            .expect("an accounts report");
        let before = report_transactions(&ts, first_accounts).await;

        // The first pull brings no report: authorisation's has just been sent.
        first_pull(&ts, &access, &consent).await;
        let (_, cursor) = added_since(&ts, &access, &consent, String::new()).await;
        assert_eq!(
            requests_of(&ts, &consent).await,
            1,
            "no report for the first pull"
        );

        // Two days on, the scheduled refresh finds new transactions.
        let day = advance(&ts, &access, 2).await;
        synced_through(&ts, &access, &consent, day).await;
        let (added, _) = added_since(&ts, &access, &consent, cursor).await;
        let accounts: BTreeSet<&String> = before.iter().map(|(a, _)| a).collect();
        let new_in_accounts: BTreeSet<(String, String)> = added
            .into_iter()
            .filter(|(a, _)| accounts.contains(a))
            .collect();
        assert!(
            !new_in_accounts.is_empty(),
            "the sandbox bank booked transactions in two days"
        );
        let bodies = events
            .wait_for("the fresh accounts report", |b| {
                reports_of(b, &consent)
                    .iter()
                    .any(|e| e["requestId"] != first_request.as_str() && e["product"] == "accounts")
            })
            .await;
        let fresh: Vec<&Value> = reports_of(&bodies, &consent)
            .into_iter()
            .filter(|e| e["requestId"] != first_request.as_str())
            .collect();
        let products: BTreeSet<&str> = fresh.iter().filter_map(|e| e["product"].as_str()).collect();
        assert!(
            products.is_subset(&BTreeSet::from(["accounts", "creditCards", "insights"])),
            "only what a transaction changes is fetched again: {products:?}"
        );
        let report = fresh.iter().find(|e| e["product"] == "accounts").unwrap();
        let after = report_transactions(&ts, report).await;
        let missing: Vec<_> = new_in_accounts.difference(&after).collect();
        assert!(
            missing.is_empty(),
            "the fresh report holds the new ones: {missing:?}"
        );
        assert!(
            new_in_accounts.iter().any(|t| !before.contains(t)),
            "the first report lacked them"
        );
        assert_eq!(requests_of(&ts, &consent).await, 2, "one fresh request");

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
