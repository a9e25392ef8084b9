//! What must hold after the run, from three places a duplicate or a loss
//! would show: the receiver's deliveries, the database's own delivery log
//! and job table, and the bucket.

use crate::receiver::Delivery;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Waits (up to `within`) until no webhook message or job is still pending.
pub async fn drain(database: &str, within: Duration) -> (i64, i64) {
    let deadline = Instant::now() + within;
    loop {
        let pending = pending(database).await;
        if pending == (0, 0) || Instant::now() >= deadline {
            return pending;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn pg(database: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(database)
        .await
        .expect("the bench's database")
}

/// Webhook messages and jobs not ended yet.
async fn pending(database: &str) -> (i64, i64) {
    let mut db = pg(database).await;
    let messages: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_messages WHERE status = 'pending'")
            .fetch_one(&mut db)
            .await
            .expect("count messages");
    let jobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = 'pending'")
        .fetch_one(&mut db)
        .await
        .expect("count jobs");
    (messages, jobs)
}

/// Recorded attempts per webhook message, and the messages that died.
async fn attempts(database: &str) -> (HashMap<String, i64>, i64) {
    let mut db = pg(database).await;
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT message_id, COUNT(*) FROM webhook_attempts GROUP BY message_id")
            .fetch_all(&mut db)
            .await
            .expect("attempts");
    let dead: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_messages WHERE status = 'dead'")
            .fetch_one(&mut db)
            .await
            .expect("count dead");
    (rows.into_iter().collect(), dead)
}

/// Every key under `documents/` in the bucket.
pub async fn bucket_keys(endpoint: &str, bucket: &str) -> Vec<String> {
    let key = regex::Regex::new("<Key>([^<]+)</Key>").expect("regex");
    let next =
        regex::Regex::new("<NextContinuationToken>([^<]+)</NextContinuationToken>").expect("regex");
    let http = reqwest::Client::new();
    let mut keys = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = vec![
            ("list-type", "2".to_string()),
            ("prefix", "documents/".into()),
        ];
        if let Some(t) = &token {
            query.push(("continuation-token", t.clone()));
        }
        let page = http
            .get(format!("{endpoint}/{bucket}"))
            .query(&query)
            .send()
            .await
            .expect("list bucket")
            .text()
            .await
            .expect("listing");
        keys.extend(key.captures_iter(&page).map(|c| c[1].to_string()));
        token = next.captures(&page).map(|c| c[1].to_string());
        if token.is_none() || !page.contains("<IsTruncated>true</IsTruncated>") {
            return keys;
        }
    }
}

/// The file ids of a retrieval webhook's `files` (the last segment of each download URL).
fn file_ids(body: &Value) -> Vec<String> {
    body["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["download_url"].as_str())
        .filter_map(|u| u.split('?').next()?.rsplit('/').next().map(str::to_string))
        .collect()
}

pub struct Inputs<'a> {
    pub database: &'a str,
    pub deliveries: &'a [Delivery],
    pub expected: &'a [String],
    pub arrived: &'a dyn Fn(&str) -> bool,
    pub keys: &'a [String],
    pub tickets: (usize, usize),
    pub killed_at: Option<Instant>,
}

/// The checks, each with its figures and whether it held.
pub async fn run(i: Inputs<'_>) -> Value {
    let (recorded, dead) = attempts(i.database).await;
    let mut received: HashMap<&str, Vec<Instant>> = HashMap::new();
    for d in i.deliveries {
        received
            .entry(d.webhook_id.as_str())
            .or_default()
            .push(d.at);
    }
    // More deliveries than recorded attempts: one attempt arrived twice. The
    // one allowance is the killed node's last attempt, which reached the
    // receiver before the node could record it (at-least-once).
    let mut twice = 0;
    let mut resent_after_kill = 0;
    for (id, ats) in &received {
        let extra = ats.len() as i64 - recorded.get(*id).copied().unwrap_or(0);
        if extra <= 0 {
            continue;
        }
        let first = ats.iter().min().copied();
        if extra == 1 && i.killed_at.is_some_and(|k| first.is_some_and(|f| f <= k)) {
            resent_after_kill += 1;
        } else {
            twice += extra;
        }
    }
    let without_id = received.get("").map_or(0, Vec::len);
    let lost: Vec<&String> = i.expected.iter().filter(|k| !(i.arrived)(k)).collect();

    let mut files: HashSet<String> = HashSet::new();
    for d in i.deliveries {
        files.extend(file_ids(&d.body));
    }
    let mut stored: HashMap<String, usize> = HashMap::new();
    for key in i.keys {
        let id = key.rsplit('/').next().unwrap_or(key);
        let id = id.strip_suffix(".pdf").unwrap_or(id);
        *stored.entry(id.to_string()).or_default() += 1;
    }
    let stored_twice = stored.values().filter(|n| **n > 1).count();
    let missing = files.iter().filter(|f| !stored.contains_key(*f)).count();
    let orphans = stored.keys().filter(|k| !files.contains(*k)).count();
    let (tickets, refused) = i.tickets;

    json!({
        "webhooks": {
            "deliveries": i.deliveries.len(),
            "distinct_ids": received.len(),
            "sent_twice_for_one_attempt": twice,
            "resent_after_kill": resent_after_kill,
            "without_webhook_id": without_id,
            "dead_messages": dead,
            "ok": twice == 0 && without_id == 0 && dead == 0,
        },
        "events": {
            "expected": i.expected.len(),
            "lost": lost.len(),
            "lost_examples": lost.iter().take(5).collect::<Vec<_>>(),
            "ok": lost.is_empty(),
        },
        "documents": {
            "files_in_webhooks": files.len(),
            "objects_in_bucket": i.keys.len(),
            "stored_twice": stored_twice,
            "missing": missing,
            "orphans": orphans,
            "ok": stored_twice == 0 && missing == 0 && orphans == 0,
        },
        "tickets": {
            "exchanged": tickets,
            "spent_once": refused,
            "ok": tickets == refused,
        },
    })
}
