//! What a refresh reads besides the transaction window (issue 26), on the sandbox test
//! clock: each account's balances and the card's limits come with every sync page and
//! move as days pass (`asOf` with them); a card purchase read before its bill closed
//! comes back once, `modified`, with the `billId` the close gave it; `/quota` counts the
//! balances and bills calls; a balances call refused by the budget leaves the
//! transactions refreshed and the last balances in place, with their `asOf`; and an
//! auto-delivery report after a refresh carries the same card limits as the sync answer.

use crate::quota::{endpoint, quota};
use crate::reports::ofb_schema;
use crate::support;
use crate::transactions_sync::{advance, sync_path, synced_through, today, ymd};

use serde_json::{json, Value};
use std::collections::BTreeMap;
use support::{Db, TestServer};

const BALANCES: &str = "/open-banking/accounts/v2/accounts/{accountId}/balances";
const LIMITS: &str = "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/limits";
const BILLS: &str = "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/bills";
const BILL_TRANSACTIONS: &str =
    "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/bills/{billId}/transactions";

/// Institution calls the consent made, per endpoint (every month).
async fn calls(ts: &TestServer, consent: &str) -> BTreeMap<String, i64> {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query(
        "SELECT endpoint, COUNT(*) AS n FROM institution_calls
         WHERE consent_id = $1 AND counted = 1 GROUP BY endpoint",
    )
    .bind(consent)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<String, _>("endpoint"), r.get::<i64, _>("n")))
    .collect()
}

/// (account or card id, transaction id) → the latest version the cursor gave.
type Mirror = BTreeMap<(String, String), Value>;

fn key(v: &Value) -> (String, String) {
    (
        v["accountId"].as_str().unwrap().to_string(),
        v["transactionId"].as_str().unwrap().to_string(),
    )
}

/// Reads every page after `cursor` into `mirror`; answers the new cursor, the ids
/// modified, and the last page (for its `accounts`).
async fn drain(
    ts: &TestServer,
    access: &str,
    consent: &str,
    mut cursor: String,
    mirror: &mut Mirror,
) -> (String, Vec<(String, String)>, Value) {
    let mut modified = Vec::new();
    loop {
        let (status, page) = ts
            .get(&sync_path(consent, &cursor, 500), Some(access))
            .await;
        assert_eq!(status, 200, "{page}");
        for t in page["added"].as_array().unwrap() {
            assert!(
                mirror.insert(key(t), t.clone()).is_none(),
                "{:?} added twice",
                key(t)
            );
        }
        for t in page["modified"].as_array().unwrap() {
            let before = mirror.insert(key(t), t.clone());
            assert!(before.is_some(), "{:?} modified before added", key(t));
            modified.push(key(t));
        }
        for t in page["removed"].as_array().unwrap() {
            mirror.remove(&key(t));
        }
        cursor = page["nextCursor"].as_str().unwrap().to_string();
        if page["hasMore"] == false {
            return (cursor, modified, page);
        }
    }
}

/// The page's `accounts` by id.
fn accounts(page: &Value) -> BTreeMap<String, Value> {
    page["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| (a["accountId"].as_str().unwrap().to_string(), a.clone()))
        .collect()
}

/// An account entry without Ponte's two members: the OFB balances data.
fn ofb_balances(entry: &Value) -> Value {
    let mut b = entry.clone();
    let o = b.as_object_mut().unwrap();
    o.remove("accountId");
    o.remove("asOf");
    b
}

async fn refresh(ts: &TestServer, access: &str, consent: &str) {
    let (status, body) = ts
        .post(
            &format!("/data/v1/consents/{consent}/refresh"),
            Some(access),
            json!({}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
}

/// Waits for the consent's queued refresh to end (`refreshing` false).
async fn settled(ts: &TestServer, access: &str, consent: &str) {
    for _ in 0..2400 {
        let (_, page) = ts.get(&sync_path(consent, "", 1), Some(access)).await;
        if page["refreshing"] == false {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the refresh of {consent} never ended");
}

both!(
    balances_move_with_the_clock_and_closed_bills_bring_bill_ids,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        refresh(&ts, &access, &consent).await;
        let mut day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent, day).await;
        let mut mirror = Mirror::new();
        let (mut cursor, _, page) = drain(&ts, &access, &consent, String::new(), &mut mirror).await;

        // Every synced account and the card, in the OFB shapes, read today.
        let first = accounts(&page);
        assert_eq!(first.len(), 3, "checking, savings and the card: {page}");
        let accounts_spec = ofb_schema::OfbSpec::load("accounts-2.4.2.yml");
        let cards_spec = ofb_schema::OfbSpec::load("credit-cards-2.3.1.yml");
        let mut cards = 0;
        for entry in first.values() {
            assert!(
                entry["asOf"].as_str().unwrap().starts_with(&ymd(day)),
                "{entry}"
            );
            match entry.get("limits") {
                Some(limits) => {
                    cards += 1;
                    assert_eq!(ofb_balances(entry).as_object().unwrap().len(), 1, "{entry}");
                    for l in limits.as_array().unwrap() {
                        cards_spec.assert_valid("CreditCardAccountsLimitsData", l);
                    }
                }
                None => accounts_spec.assert_valid("AccountBalancesData", &ofb_balances(entry)),
            }
        }
        assert_eq!(cards, 1);

        // The card purchases read before their bill closed: no billId yet.
        let unbilled: Vec<(String, String)> = mirror
            .iter()
            .filter(|(_, t)| {
                t.get("billId").is_none()
                    && t.get("billPostDate").is_some()
                    && t["transactionType"] != "PAGAMENTO"
            })
            .map(|(k, _)| k.clone())
            .collect();
        assert!(!unbilled.is_empty(), "purchases on the open bill");

        // Four days at a time (the window stays within transactions-current) until the
        // bill closes (the sandbox closes on the 3rd): each comes back modified, once,
        // with its billId.
        let mut modified_all: Vec<(String, String)> = Vec::new();
        let mut last = first.clone();
        let mut moved = false;
        let mut advances = 0;
        for _ in 0..10 {
            day = advance(&ts, &access, 4).await;
            advances += 1;
            synced_through(&ts, &access, &consent, day).await;
            let (c, modified, page) = drain(&ts, &access, &consent, cursor, &mut mirror).await;
            cursor = c;
            modified_all.extend(modified);
            let now = accounts(&page);
            for (id, entry) in &now {
                assert!(
                    entry["asOf"].as_str().unwrap().starts_with(&ymd(day)),
                    "{entry}"
                );
                moved |= ofb_balances(entry) != ofb_balances(&last[id]);
            }
            last = now;
            if unbilled.iter().all(|k| mirror[k].get("billId").is_some()) {
                break;
            }
        }
        assert!(moved, "balances changed as days passed");
        // Some were past every refresh window when their bill closed: the bill's read
        // gave them their billId, not transactions-current.
        let window_start = ymd(day - 7);
        assert!(
            unbilled
                .iter()
                .any(|k| mirror[k]["transactionDateTime"].as_str().unwrap()[..10] < *window_start),
            "a purchase older than the window: {unbilled:?}"
        );
        for k in &unbilled {
            let t = &mirror[k];
            assert!(
                t["billId"].as_str().is_some_and(|b| !b.is_empty()),
                "{k:?}: {t}"
            );
            let times = modified_all.iter().filter(|m| *m == k).count();
            assert!(times >= 1, "{k:?} came back modified");
            cards_spec.assert_valid("CreditCardAccountsTransaction", &{
                let mut t = t.clone();
                t.as_object_mut().unwrap().remove("accountId");
                t
            });
        }
        // Once it has its billId nothing brings it back again.
        let again: Vec<_> = unbilled
            .iter()
            .filter(|k| modified_all.iter().filter(|m| m == k).count() > 1)
            .collect();
        assert!(again.is_empty(), "modified more than once: {again:?}");

        // What the refreshes read is counted: the balances of both accounts and the
        // card's limits at each, its bills listed only while one can close, and each
        // new bill read once. `/quota` shows this month's share.
        let refreshes = 1 + advances;
        let calls = calls(&ts, &consent).await;
        let n = |e: &str| calls.get(e).copied().unwrap_or(0);
        assert_eq!(n(BALANCES), 2 * refreshes, "{calls:?}");
        assert_eq!(n(LIMITS), refreshes, "{calls:?}");
        assert!((1..=refreshes).contains(&n(BILLS)), "{calls:?}");
        assert!(
            n(BILLS) < refreshes,
            "not listed at every refresh: {calls:?}"
        );
        assert!(
            (1..=2).contains(&n(BILL_TRANSACTIONS)),
            "each new bill read once: {calls:?}"
        );
        let q = quota(&ts, &access, &consent).await;
        for e in [BALANCES, LIMITS, BILLS] {
            assert!(endpoint(&q, e)["used"].as_i64().unwrap() >= 1, "{e}: {q}");
        }
    }
);

both!(
    a_refused_balances_call_keeps_the_last_ones,
    |db: Db| async move {
        // Two balance reads a month per account: the first pull and one refresh.
        let ts = support::spawn_with(
            db,
            support::Options {
                env: vec![("PONTE_QUOTA_LIMITS", format!("{BALANCES}=2"))],
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        refresh(&ts, &access, &consent).await;
        let day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent, day).await;
        refresh(&ts, &access, &consent).await;
        settled(&ts, &access, &consent).await;
        let (_, page) = ts.get(&sync_path(&consent, "", 1), Some(&access)).await;
        let read = accounts(&page);
        let q = quota(&ts, &access, &consent).await;
        assert_eq!(endpoint(&q, BALANCES)["remaining"], 0, "{q}");

        // A day later the scheduled refresh reads the transactions but keeps the
        // balances' last call for requests; an on-demand one is refused by the budget.
        let day = advance(&ts, &access, 1).await;
        synced_through(&ts, &access, &consent, day).await;
        refresh(&ts, &access, &consent).await;
        settled(&ts, &access, &consent).await;
        let (status, page) = ts.get(&sync_path(&consent, "", 1), Some(&access)).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            page["syncedThrough"],
            ymd(day),
            "the transactions were refreshed"
        );
        let kept = accounts(&page);
        for (id, entry) in &read {
            if entry.get("limits").is_some() {
                // The card's limits have their own budget: read today.
                assert!(kept[id]["asOf"].as_str().unwrap().starts_with(&ymd(day)));
                continue;
            }
            assert_eq!(&kept[id], entry, "the last balances, with their asOf");
            assert!(!entry["asOf"].as_str().unwrap().starts_with(&ymd(day)));
        }
        let q = quota(&ts, &access, &consent).await;
        assert_eq!(endpoint(&q, BALANCES)["used"], 2, "{q}");

        // No refresh failed for it.
        use sqlx::Row;
        let mut conn = ts.app().store.read().await.unwrap();
        let jobs: Vec<(String, Option<String>)> =
            sqlx::query("SELECT status, last_error FROM jobs WHERE kind = 'sync_transactions'")
                .fetch_all(&mut *conn)
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get("status"), r.get("last_error")))
                .collect();
        assert!(jobs.len() >= 4, "{jobs:?}");
        assert!(
            jobs.iter()
                .all(|(s, e)| s.eq_ignore_ascii_case("done") && e.is_none()),
            "{jobs:?}"
        );
    }
);

/// Requests written for the consent's reports (authorisation's and fresh ones).
async fn requests_of(ts: &TestServer, consent: &str) -> i64 {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM retrieval_requests WHERE consent_ids LIKE $1")
        .bind(format!("%{consent}%"))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get("n")
}

both!(
    a_fresh_report_after_a_refresh_carries_its_balances,
    |db: Db| async move {
        use ponte_server::services::clients;
        let events = support::Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(events.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let auto = clients::create(
            ts.app(),
            clients::parse_new_client("Auto", Some(&events.url), None, true).unwrap(),
        )
        .await
        .unwrap();
        let access = ts.access_token_for(&auto).await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        // The accounts' histories are spent by authorisation's reports (accounts and
        // insights) and the first pull: the card's fresh report is the one that goes.
        let card_reports = |b: &[Value]| -> Vec<Value> {
            b.iter()
                .filter(|e| {
                    e["event"] == "REPORT_READY"
                        && e["consentId"] == consent.as_str()
                        && e["product"] == "creditCards"
                })
                .cloned()
                .collect()
        };
        events
            .wait_for("authorisation's card report", |b| {
                !card_reports(b).is_empty()
            })
            .await;
        refresh(&ts, &access, &consent).await;
        let mut day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent, day).await;

        // Day by day until a refresh finds new card transactions: a fresh card report
        // follows, read the same day as the refresh's limits.
        for _ in 0..6 {
            day = advance(&ts, &access, 1).await;
            synced_through(&ts, &access, &consent, day).await;
            if requests_of(&ts, &consent).await > 1 {
                break;
            }
        }
        let bodies = events
            .wait_for("the fresh card report", |b| card_reports(b).len() >= 2)
            .await;
        let fresh = card_reports(&bodies).pop().unwrap();
        assert_eq!(fresh["status"], "SUCCESS", "{fresh}");
        let url = fresh["downloadUrl"].as_str().unwrap();
        let report: Value = ts.http.get(url).send().await.unwrap().json().await.unwrap();
        let data = report.get("data").unwrap_or(&report);
        let (_, page) = ts.get(&sync_path(&consent, "", 1), Some(&access)).await;
        let synced = accounts(&page);
        let cards = data["accounts"].as_array().unwrap();
        assert_eq!(cards.len(), 1, "{data}");
        for a in cards {
            let id = a["account"]["creditCardAccountId"].as_str().unwrap();
            let entry = &synced[id];
            assert!(
                entry["asOf"].as_str().unwrap().starts_with(&ymd(day)),
                "{entry}"
            );
            assert_eq!(a["limits"], entry["limits"], "{id}");
        }
    }
);
