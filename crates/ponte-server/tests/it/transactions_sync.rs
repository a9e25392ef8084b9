//! Incremental transaction sync on the sandbox test clock: 30 days of daily refreshes
//! whose changes the cursor returns exactly once (checked by replaying them into a mirror
//! that must end equal to the bank's own full list), a refresh that lands between two
//! pages, purchases that process and then settle without appearing twice, voided holds
//! that are removed, and the errors of a bad cursor or count.

use crate::support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use support::{Db, Receiver, TestServer};

type Mirror = BTreeMap<(String, String), Value>;

/// What the replay saw happen, for the assertions on pending transactions.
#[derive(Default)]
struct Seen {
    /// Ids first added as processing that later settled under the same id.
    settled: Vec<String>,
    removed: usize,
    pending_added: Vec<String>,
    /// Ids of posted transactions whose amount changed later (a correction).
    corrected: Vec<String>,
    /// Ids of posted transactions removed later (a reversal).
    reversed: Vec<String>,
}

pub(crate) async fn advance(ts: &TestServer, access: &str, days: i64) -> i64 {
    let (status, body) = ts
        .post(
            "/sandbox/v1/clock/advance",
            Some(access),
            json!({"days": days}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["now"].as_str().map(day_of).expect("clock now")
}

/// Days since 1970 of an RFC 3339 time.
fn day_of(rfc3339: &str) -> i64 {
    let t = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .expect("rfc3339");
    t.unix_timestamp().div_euclid(86_400)
}

pub(crate) fn ymd(day: i64) -> String {
    let d = time::OffsetDateTime::from_unix_timestamp(day * 86_400)
        .unwrap()
        .date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub(crate) async fn today(ts: &TestServer, access: &str) -> i64 {
    let (status, clock) = ts.get("/sandbox/v1/clock", Some(access)).await;
    assert_eq!(status, 200, "{clock}");
    day_of(clock["now"].as_str().unwrap())
}

pub(crate) fn sync_path(consent: &str, cursor: &str, count: usize) -> String {
    format!("/data/v1/consents/{consent}/transactions/sync?cursor={cursor}&count={count}")
}

/// Waits until the consent's last refresh read through `day` and none is queued.
pub(crate) async fn synced_through(ts: &TestServer, access: &str, consent: &str, day: i64) {
    let want = ymd(day);
    let mut last = Value::Null;
    for _ in 0..2400 {
        let (status, page) = ts.get(&sync_path(consent, "", 1), Some(access)).await;
        assert_eq!(status, 200, "{page}");
        if page["refreshing"] == false && page["syncedThrough"] == want.as_str() {
            return;
        }
        last = page;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    let jobs: Vec<String> =
        sqlx::query("SELECT status, last_error FROM jobs WHERE kind = 'sync_transactions'")
            .fetch_all(&mut *conn)
            .await
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {:?}",
                    r.get::<String, _>("status"),
                    r.get::<Option<String>, _>("last_error")
                )
            })
            .collect();
    panic!("consent {consent} never synced through {want}: {last}; jobs {jobs:?}");
}

/// Applies one page to the mirror, asserting each change comes exactly once.
fn apply(mirror: &mut Mirror, seen: &mut Seen, page: &Value) -> usize {
    let key = |v: &Value| {
        (
            v["accountId"].as_str().unwrap().to_string(),
            v["transactionId"].as_str().unwrap().to_string(),
        )
    };
    let mut n = 0;
    for t in page["added"].as_array().unwrap() {
        let k = key(t);
        if t["completedAuthorisedPaymentType"] == "TRANSACAO_PROCESSANDO" {
            seen.pending_added.push(k.1.clone());
        }
        assert!(
            mirror.insert(k.clone(), t.clone()).is_none(),
            "{k:?} added twice"
        );
        n += 1;
    }
    for t in page["modified"].as_array().unwrap() {
        let k = key(t);
        let before = mirror.insert(k.clone(), t.clone());
        let before = before.unwrap_or_else(|| panic!("{k:?} modified before it was added"));
        assert_ne!(&before, t, "{k:?} modified without a change");
        if before["completedAuthorisedPaymentType"] == "TRANSACAO_PROCESSANDO"
            && t["completedAuthorisedPaymentType"] == "TRANSACAO_EFETIVADA"
        {
            seen.settled.push(k.1.clone());
        }
        if before["completedAuthorisedPaymentType"] == "TRANSACAO_EFETIVADA"
            && t["completedAuthorisedPaymentType"] == "TRANSACAO_EFETIVADA"
            && before["transactionAmount"] != t["transactionAmount"]
        {
            seen.corrected.push(k.1.clone());
        }
        n += 1;
    }
    for t in page["removed"].as_array().unwrap() {
        let k = key(t);
        let gone = mirror.remove(&k);
        let gone = gone.unwrap_or_else(|| panic!("{k:?} removed but never added"));
        if gone["completedAuthorisedPaymentType"] == "TRANSACAO_EFETIVADA" {
            seen.reversed.push(k.1.clone());
        }
        seen.removed += 1;
        n += 1;
    }
    n
}

/// Reads pages of `count` until `hasMore` is false; answers the last cursor.
async fn drain(
    ts: &TestServer,
    access: &str,
    consent: &str,
    mut cursor: String,
    count: usize,
    mirror: &mut Mirror,
    seen: &mut Seen,
) -> String {
    loop {
        let (status, page) = ts
            .get(&sync_path(consent, &cursor, count), Some(access))
            .await;
        assert_eq!(status, 200, "{page}");
        let n = apply(mirror, seen, &page);
        assert!(n <= count, "a page of {n} for count {count}");
        cursor = page["nextCursor"].as_str().unwrap().to_string();
        if page["hasMore"] == false {
            return cursor;
        }
        assert!(n > 0, "hasMore with an empty page");
    }
}

/// The bank's own list, from a full data request: (account or card id, id) → item.
async fn bank_list(
    ts: &TestServer,
    events: &Receiver,
    access: &str,
    link: &str,
    consent: &str,
) -> Mirror {
    let (status, resp) = ts
        .post(
            "/data/personal/institution-data",
            Some(access),
            json!({"taxId": "529.982.247-25", "linkId": link, "consentId": [consent],
                   "products": ["accounts", "creditCards"]}),
        )
        .await;
    assert_eq!(status, 200, "{resp}");
    let request = resp["requestId"].as_str().unwrap().to_string();
    let mine = |b: &[Value]| -> Vec<Value> {
        b.iter()
            .filter(|e| e["event"] == "REPORT_READY" && e["requestId"] == request.as_str())
            .cloned()
            .collect()
    };
    let reports = mine(&events.wait_for("the reports", |b| mine(b).len() >= 2).await);
    let mut out = Mirror::new();
    for report in reports {
        assert_eq!(report["status"], "SUCCESS", "{report}");
        let url = report["downloadUrl"].as_str().unwrap();
        let body: Value = ts.http.get(url).send().await.unwrap().json().await.unwrap();
        let data = body.get("data").unwrap_or(&body);
        for a in data["accounts"].as_array().expect("accounts") {
            let id = a["account"]["accountId"]
                .as_str()
                .or_else(|| a["account"]["creditCardAccountId"].as_str())
                .unwrap()
                .to_string();
            for t in a["transactions"].as_array().unwrap() {
                let mut t = t.clone();
                t["accountId"] = json!(id);
                out.insert(
                    (id.clone(), t["transactionId"].as_str().unwrap().to_string()),
                    t,
                );
            }
        }
    }
    out
}

both!(
    thirty_days_of_refreshes_return_every_change_once,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link, consent) = ts.authorised(&access, "user_good").await;

        // The first pull reads the whole history.
        let (status, body) = ts
            .post(
                &format!("/data/v1/consents/{consent}/refresh"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 202, "{body}");
        assert!(
            ["QUEUED", "ALREADY_QUEUED"].contains(&body["refresh"].as_str().unwrap()),
            "{body}"
        );
        let mut day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent, day).await;
        let mut mirror = Mirror::new();
        let mut seen = Seen::default();
        let mut cursor = drain(
            &ts,
            &access,
            &consent,
            String::new(),
            500,
            &mut mirror,
            &mut seen,
        )
        .await;
        assert!(mirror.len() > 300, "a year of history: {}", mirror.len());
        events
            .wait_for("TRANSACTIONS_SYNC_UPDATES_AVAILABLE", |b| {
                b.iter().any(|e| {
                    e["event"] == "TRANSACTIONS_SYNC_UPDATES_AVAILABLE"
                        && e["consentId"] == consent.as_str()
                        && e["historicalUpdateComplete"] == true
                        && e["eventId"].is_string()
                })
            })
            .await;

        // Thirty days, one scheduled refresh each (the clock queues it).
        let mut interrupted = false;
        for n in 1..=30 {
            day = advance(&ts, &access, 1).await;
            synced_through(&ts, &access, &consent, day).await;
            if n >= 12 && !interrupted {
                // One page read, then a refresh lands, then the rest: nothing skipped or repeated.
                let (status, page) = ts
                    .get(&sync_path(&consent, &cursor, 1), Some(&access))
                    .await;
                assert_eq!(status, 200, "{page}");
                apply(&mut mirror, &mut seen, &page);
                cursor = page["nextCursor"].as_str().unwrap().to_string();
                if page["hasMore"] == true {
                    interrupted = true;
                    day = advance(&ts, &access, 1).await;
                    synced_through(&ts, &access, &consent, day).await;
                }
            }
            cursor = drain(&ts, &access, &consent, cursor, 7, &mut mirror, &mut seen).await;
        }
        assert!(interrupted, "a refresh landed between two pages");
        // Nothing new: an empty page, the same cursor.
        let (_, page) = ts
            .get(&sync_path(&consent, &cursor, 100), Some(&access))
            .await;
        assert_eq!(
            (
                page["added"].as_array().unwrap().len(),
                page["hasMore"].clone()
            ),
            (0, json!(false))
        );
        assert_eq!(page["nextCursor"], cursor.as_str());

        // Purchases processed and settled under the same id, never twice; holds went.
        assert!(seen.settled.len() >= 3, "settled: {:?}", seen.settled);
        assert!(seen.removed >= 1, "a voided hold is removed");
        // Posted ones corrected (same id, new amount) and reversed (removed), each once:
        // `apply` refuses a change seen twice.
        assert!(!seen.corrected.is_empty(), "a posted purchase corrected");
        assert!(!seen.reversed.is_empty(), "a posted duplicate reversed");
        assert!(
            seen.reversed.iter().all(|id| id.ends_with("-d")),
            "only duplicates are reversed: {:?}",
            seen.reversed
        );
        assert!(
            seen.settled
                .iter()
                .all(|id| seen.pending_added.contains(id)),
            "settled ones were added as processing"
        );

        // The replay equals the bank's own list (a full pull), item for item. Items still
        // processing today are in both, as the bank lists them.
        let bank = bank_list(&ts, &events, &access, &link, &consent).await;
        // What fell out of the bank's one-year history since the first pull stays synced.
        let date =
            |v: &Value| v["transactionDateTime"].as_str().unwrap_or_default()[..10].to_string();
        let oldest = bank.values().map(date).min().unwrap();
        assert!(mirror.values().any(|v| date(v) < oldest), "older ones kept");
        let mine: Mirror = mirror
            .into_iter()
            .filter(|(_, v)| date(v) >= oldest)
            .map(|(k, mut v)| {
                if let Some(o) = v.as_object_mut() {
                    o.remove("pendingTransactionId");
                }
                (k, v)
            })
            .collect();
        assert_eq!(
            mine.len(),
            bank.len(),
            "as many transactions as the bank lists"
        );
        for (k, v) in &bank {
            // A purchase gets its `billId` when its bill closes, weeks after the window
            // that read it: the new bill's read brings it (sync_balances_bills.rs). A
            // bill's payment is on the next bill, which lists only purchases: it keeps
            // the version the window read.
            let payment = v["transactionType"] == "PAGAMENTO";
            let mut v = v.clone();
            let mut m = mine.get(k).cloned();
            if let (Some(o), Some(m), true) = (
                v.as_object_mut(),
                m.as_mut().and_then(Value::as_object_mut),
                payment,
            ) {
                o.remove("billId");
                m.remove("billId");
            }
            assert_eq!(m.as_ref(), Some(&v), "{k:?}");
        }
    }
);

both!(bad_cursors_and_counts_name_the_field, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (_, consent) = ts.authorised(&access, "user_good").await;
    let (_, other) = ts.authorised(&access, "user_good").await;
    for (query, field) in [
        ("count=0", "count"),
        ("count=501", "count"),
        ("count=ten", "count"),
        ("cursor=%25%25%25", "cursor"),
        ("cursor=Y25zXzE6OQ", "cursor"),
    ] {
        let (status, body) = ts
            .get(
                &format!("/data/v1/consents/{consent}/transactions/sync?{query}"),
                Some(&access),
            )
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    // Another consent's cursor is refused on this one.
    let (status, page) = ts.get(&sync_path(&other, "", 100), Some(&access)).await;
    assert_eq!(status, 200, "{page}");
    let foreign = page["nextCursor"].as_str().unwrap().to_string();
    let (status, body) = ts
        .get(&sync_path(&consent, &foreign, 100), Some(&access))
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (400, json!("cursor")),
        "{body}"
    );
    // An unknown consent is 404; a refresh of one that is not authorised is refused.
    let (status, _) = ts.get(&sync_path("cns_nope", "", 10), Some(&access)).await;
    assert_eq!(status, 404);
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (waiting, _) = ts.consent(&link_token, json!({})).await;
    let (status, body) = ts
        .post(
            &format!("/data/v1/consents/{waiting}/refresh"),
            Some(&access),
            json!({}),
        )
        .await;
    assert!(status == 409 || status == 422, "{status} {body}");

    // A second refresh while one is queued joins it.
    let mut conn = ts.app().store.begin().await.unwrap();
    let claimed = ponte_store::claim_sync_refresh(&mut conn, &other, None, 1)
        .await
        .unwrap();
    let again = ponte_store::claim_sync_refresh(&mut conn, &other, None, 2)
        .await
        .unwrap();
    conn.rollback().await.unwrap();
    assert!(
        !again || !claimed,
        "two refreshes of one consent queued at once"
    );
});

/// Institution calls recorded for the consent: (endpoint, count), and their total.
async fn calls(ts: &TestServer, consent: &str) -> Vec<(String, i64)> {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query(
        "SELECT endpoint, COUNT(*) AS n FROM institution_calls WHERE consent_id = $1
         GROUP BY endpoint ORDER BY endpoint",
    )
    .bind(consent)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<String, _>("endpoint"), r.get::<i64, _>("n")))
    .collect()
}

// The README's figures: a `user_big` refresh against its first (full) pull.
both!(
    a_daily_refresh_reads_only_the_recent_window,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, consent) = ts.authorised(&access, "user_big").await;
        let started = std::time::Instant::now();
        let (status, _) = ts
            .post(
                &format!("/data/v1/consents/{consent}/refresh"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 202);
        let day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent, day).await;
        let full_time = started.elapsed();
        let full = calls(&ts, &consent).await;

        let total = |c: &[(String, i64)]| c.iter().map(|(_, n)| n).sum::<i64>();
        println!(
            "user_big: first pull {} calls in {:?}: {full:?}",
            total(&full),
            full_time
        );
        // Two daily refreshes: the first also lists the card's bills (none seen yet)
        // and reads the newest once; the next lists them only if a bill can have
        // closed since (about ten days a month).
        let mut before = full.clone();
        let mut daily = Vec::new();
        for n in 1..=2 {
            let started = std::time::Instant::now();
            let day = advance(&ts, &access, 1).await;
            synced_through(&ts, &access, &consent, day).await;
            let took = started.elapsed();
            let after = calls(&ts, &consent).await;
            daily = after
                .iter()
                .map(|(e, n)| {
                    (
                        e.clone(),
                        n - before.iter().find(|(f, _)| f == e).map_or(0, |f| f.1),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .collect();
            before = after;
            println!(
                "user_big: daily refresh {n}: {} calls in {took:?}: {daily:?}",
                total(&daily)
            );
            let count = |suffix: &str| {
                daily
                    .iter()
                    .filter(|(e, _)| e.ends_with(suffix))
                    .map(|(_, n)| n)
                    .sum::<i64>()
            };
            // One transactions-current per account and card, their balances and
            // limits; no account list, no history.
            assert_eq!(count("/transactions-current"), 3, "{daily:?}");
            assert_eq!(count("/balances"), 2, "checking and savings: {daily:?}");
            assert_eq!(count("/limits"), 1, "the card: {daily:?}");
            assert!(count("/bills") <= 1, "{daily:?}");
            assert!(count("/bills/{billId}/transactions") <= 1, "{daily:?}");
            assert_eq!(
                total(&daily),
                6 + count("/bills") + count("/bills/{billId}/transactions"),
                "nothing else: {daily:?}"
            );
        }
        assert!(total(&full) >= 5 * total(&daily), "{full:?}");
    }
);

both!(
    sync_starts_when_the_integrator_first_asks_for_it,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, consent) = ts.authorised(&access, "user_good").await;
        // Authorised, but nobody asked for sync: the schedule spends no call on it.
        let app = ts.app();
        assert_eq!(
            ponte_server::services::sync::schedule_due(app)
                .await
                .unwrap(),
            0
        );
        // The first read starts it: the first pull is queued and the page says so.
        let (status, page) = ts.get(&sync_path(&consent, "", 10), Some(&access)).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["refreshing"], true, "{page}");
        let day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent, day).await;
        // From then on it is refreshed daily.
        let (status, _) = ts
            .post(
                "/sandbox/v1/clock/advance",
                Some(&access),
                json!({"days": 1}),
            )
            .await;
        assert_eq!(status, 200);
        synced_through(&ts, &access, &consent, day + 1).await;
    }
);
