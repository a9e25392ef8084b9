//! The webhook outbox: messages written with the change they report, claimed
//! by dispatchers under a lease, and every attempt kept.

use crate::db::{Backend, Conn, Result};
use crate::typed::WebhookStatus;
use crate::wake::{self, Work};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookMessageRow {
    pub id: String,
    pub client_id: String,
    pub event_type: String,
    /// `event` or `report`: which of the client's URLs receives it, unless `target_url` is set.
    pub target: String,
    pub target_url: Option<String>,
    pub payload: String,
    pub status: WebhookStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// The dialect that rendered `payload` (see ponte-server's `dialects`).
    pub dialect: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookAttemptRow {
    pub message_id: String,
    pub attempt: i64,
    pub at: i64,
    pub target_url: Option<String>,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub response: Option<String>,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, client_id, event_type, target, target_url, payload, status, attempts, next_attempt_at, locked_until, last_error, created_at, finished_at, dialect";

/// Writes a message into the outbox; the dispatchers are woken once the
/// caller's transaction commits (see `wake`).
pub async fn insert_message(conn: &mut Conn, m: &WebhookMessageRow) -> Result<()> {
    let sql = wake::notifying_insert(
        wake::is_postgres(conn),
        "webhook_messages",
        COLUMNS,
        "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14",
        Work::Webhooks,
    );
    sqlx::query(&sql)
        .bind(&m.id)
        .bind(&m.client_id)
        .bind(&m.event_type)
        .bind(&m.target)
        .bind(&m.target_url)
        .bind(&m.payload)
        .bind(m.status)
        .bind(m.attempts)
        .bind(m.next_attempt_at)
        .bind(m.locked_until)
        .bind(&m.last_error)
        .bind(m.created_at)
        .bind(m.finished_at)
        .bind(&m.dialect)
        .execute(&mut *conn)
        .await?;
    wake::count_sqlite(conn, Work::Webhooks);
    Ok(())
}

/// The URL a message goes to, as SQL over `webhook_messages m`: its own
/// `target_url`, else the client's URL for its kind ('' when there is none).
/// Mirrors the dispatcher's choice, so queries can pick messages by endpoint.
const RESOLVED_URL: &str = "COALESCE(m.target_url, (SELECT CASE WHEN m.target = 'report'
    THEN COALESCE(c.report_webhook_url, c.webhook_url) ELSE c.webhook_url END
    FROM clients c WHERE c.id = m.client_id), '')";

/// Leases up to `limit` due messages until `lease_until`. A message whose
/// dispatcher died keeps its lease until it lapses, then is claimable again:
/// delivery is at least once. On PostgreSQL `SKIP LOCKED` keeps two nodes
/// from claiming the same row; SQLite has a single writer.
///
/// Messages whose URL starts with one of `skip_prefixes` (the origins, with
/// their `/`, of endpoints already at their concurrency limit) stay where
/// they are, so the claim reaches the messages of every other endpoint.
pub async fn claim_due_messages(
    conn: &mut Conn,
    backend: Backend,
    now: i64,
    lease_until: i64,
    limit: i64,
    skip_prefixes: &[String],
) -> Result<Vec<WebhookMessageRow>> {
    let lock = backend.skip_locked();
    // Each placeholder is used once: the two backends number reused ones differently.
    let skip: String = (0..skip_prefixes.len())
        .map(|i| {
            let (len, prefix) = (5 + 2 * i, 6 + 2 * i);
            format!(" AND substr({RESOLVED_URL}, 1, length(${len})) <> ${prefix}")
        })
        .collect();
    let sql = format!(
        "UPDATE webhook_messages SET locked_until = $1 WHERE id IN (
            SELECT m.id FROM webhook_messages m
            WHERE m.status = 'pending' AND m.next_attempt_at <= $2 AND (m.locked_until IS NULL OR m.locked_until <= $3){skip}
            ORDER BY m.next_attempt_at LIMIT $4 {lock})
         RETURNING {COLUMNS}"
    );
    let mut query = sqlx::query_as(&sql)
        .bind(lease_until)
        .bind(now)
        .bind(now)
        .bind(limit);
    for prefix in skip_prefixes {
        query = query.bind(prefix).bind(prefix);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Gives a claimed message back untouched (no attempt made), for the next claim.
pub async fn release_claim(conn: &mut Conn, id: &str, lease_until: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_messages SET locked_until = NULL
         WHERE id = $1 AND locked_until = $2 AND status = 'pending'",
    )
    .bind(id)
    .bind(lease_until)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Ends a claimed message as dead without an attempt (its endpoint is
/// disabled), under the same fence as `record_attempt`.
pub async fn kill_unattempted(
    conn: &mut Conn,
    id: &str,
    attempts: i64,
    error: &str,
    at: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_messages SET status = 'dead', locked_until = NULL, last_error = $1, finished_at = $2
         WHERE id = $3 AND attempts = $4 AND status = 'pending'",
    )
    .bind(error)
    .bind(at)
    .bind(id)
    .bind(attempts)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, Clone, Copy)]
pub enum AttemptOutcome<'a> {
    Delivered,
    /// Try again at the given time.
    Retry {
        at: i64,
        error: &'a str,
    },
    /// No more tries (schedule exhausted, or the endpoint said 410 Gone).
    Dead {
        error: &'a str,
    },
}

/// Records one attempt and its consequence. Only the holder of the claim that
/// counted `attempt` may record it, so a lapsed, re-claimed lease cannot double-count.
pub async fn record_attempt(
    conn: &mut Conn,
    a: &WebhookAttemptRow,
    outcome: AttemptOutcome<'_>,
) -> Result<bool> {
    let (status, next, error, finished) = consequence(a, outcome);
    let updated = sqlx::query(
        "UPDATE webhook_messages SET status = $1, attempts = $2, next_attempt_at = COALESCE($3, next_attempt_at),
            locked_until = NULL, last_error = $4, finished_at = $5
         WHERE id = $6 AND attempts = $7",
    )
    .bind(status)
    .bind(a.attempt)
    .bind(next)
    .bind(error)
    .bind(finished)
    .bind(&a.message_id)
    .bind(a.attempt - 1)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if updated {
        sqlx::query(
            "INSERT INTO webhook_attempts (message_id, attempt, at, target_url, status_code, latency_ms, response, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&a.message_id)
        .bind(a.attempt)
        .bind(a.at)
        .bind(&a.target_url)
        .bind(a.status_code)
        .bind(a.latency_ms)
        .bind(&a.response)
        .bind(&a.error)
        .execute(conn)
        .await?;
    }
    Ok(updated)
}

/// Rows per statement in `record_attempts`: 8 placeholders each stays far
/// under SQLite's limit on them.
const RECORD_CHUNK: usize = 64;

/// Records several attempts, each exactly as `record_attempt` would in this
/// order (the same fence: only the holder of the claim that counted an
/// attempt records it), in two statements per 64 instead of two per
/// attempt. Returns, per attempt, whether it was recorded. A message named
/// twice is recorded first as the earlier, then the later is fenced
/// against it, as one after the other would be.
pub async fn record_attempts(
    conn: &mut Conn,
    records: &[(&WebhookAttemptRow, AttemptOutcome<'_>)],
) -> Result<Vec<bool>> {
    let mut recorded = vec![false; records.len()];
    let mut seen = std::collections::HashSet::new();
    let (mut once, mut again) = (Vec::new(), Vec::new());
    for (i, (a, _)) in records.iter().enumerate() {
        if seen.insert(a.message_id.as_str()) {
            once.push(i);
        } else {
            again.push(i);
        }
    }
    for chunk in once.chunks(RECORD_CHUNK) {
        let updated = update_recorded(conn, records, chunk).await?;
        let inserted: Vec<usize> = chunk
            .iter()
            .copied()
            .filter(|&i| updated.contains(&records[i].0.message_id))
            .collect();
        insert_attempts(conn, records, &inserted).await?;
        for i in inserted {
            recorded[i] = true;
        }
    }
    for i in again {
        let (a, outcome) = &records[i];
        recorded[i] = record_attempt(conn, a, *outcome).await?;
    }
    Ok(recorded)
}

/// `record_attempt`'s fenced update for the attempts `at` (message ids all
/// different) in one statement; returns the ids it updated.
async fn update_recorded(
    conn: &mut Conn,
    records: &[(&WebhookAttemptRow, AttemptOutcome<'_>)],
    at: &[usize],
) -> Result<std::collections::HashSet<String>> {
    if at.is_empty() {
        return Ok(Default::default());
    }
    // VALUES columns are column1.. on both databases; the casts give
    // PostgreSQL their types whatever the bound values.
    let values: Vec<String> = (0..at.len())
        .map(|row| {
            let p = |col: usize| 6 * row + col;
            format!(
                "(CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS BIGINT), CAST(${} AS BIGINT), CAST(${} AS TEXT), CAST(${} AS BIGINT))",
                p(1), p(2), p(3), p(4), p(5), p(6)
            )
        })
        .collect();
    let sql = format!(
        "UPDATE webhook_messages SET status = v.column2, attempts = v.column3,
            next_attempt_at = COALESCE(v.column4, webhook_messages.next_attempt_at),
            locked_until = NULL, last_error = v.column5, finished_at = v.column6
         FROM (VALUES {}) AS v
         WHERE webhook_messages.id = v.column1 AND webhook_messages.attempts = v.column3 - 1
         RETURNING webhook_messages.id",
        values.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for &i in at {
        let (a, outcome) = &records[i];
        let (status, next, error, finished) = consequence(a, *outcome);
        query = query
            .bind(a.message_id.as_str())
            .bind(status)
            .bind(a.attempt)
            .bind(next)
            .bind(error)
            .bind(finished);
    }
    Ok(query.fetch_all(conn).await?.into_iter().collect())
}

/// The attempt rows of `at`, in one statement.
async fn insert_attempts(
    conn: &mut Conn,
    records: &[(&WebhookAttemptRow, AttemptOutcome<'_>)],
    at: &[usize],
) -> Result<()> {
    if at.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..at.len())
        .map(|row| {
            let cols: Vec<String> = (1..=8).map(|col| format!("${}", 8 * row + col)).collect();
            format!("({})", cols.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO webhook_attempts (message_id, attempt, at, target_url, status_code, latency_ms, response, error)
         VALUES {}",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for &i in at {
        let a = &records[i].0;
        query = query
            .bind(a.message_id.as_str())
            .bind(a.attempt)
            .bind(a.at)
            .bind(a.target_url.as_deref())
            .bind(a.status_code)
            .bind(a.latency_ms)
            .bind(a.response.as_deref())
            .bind(a.error.as_deref());
    }
    query.execute(conn).await?;
    Ok(())
}

/// What an attempt's outcome makes of its message: status, next attempt,
/// last error, and when it finished.
fn consequence<'a>(
    a: &WebhookAttemptRow,
    outcome: AttemptOutcome<'a>,
) -> (WebhookStatus, Option<i64>, Option<&'a str>, Option<i64>) {
    match outcome {
        AttemptOutcome::Delivered => (WebhookStatus::Delivered, None, None, Some(a.at)),
        AttemptOutcome::Retry { at, error } => {
            (WebhookStatus::Pending, Some(at), Some(error), None)
        }
        AttemptOutcome::Dead { error } => (WebhookStatus::Dead, None, Some(error), Some(a.at)),
    }
}

pub async fn message_for_client(
    conn: &mut Conn,
    client_id: &str,
    id: &str,
) -> Result<Option<WebhookMessageRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM webhook_messages WHERE id = $1 AND client_id = $2"
    ))
    .bind(id)
    .bind(client_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn attempts_of(conn: &mut Conn, message_id: &str) -> Result<Vec<WebhookAttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT message_id, attempt, at, target_url, status_code, latency_ms, response, error
         FROM webhook_attempts WHERE message_id = $1 ORDER BY attempt",
    )
    .bind(message_id)
    .fetch_all(conn)
    .await?)
}

/// A client's messages, newest first, optionally of one status; `before` is
/// the `created_at` cursor from the previous page.
pub async fn list_messages(
    conn: &mut Conn,
    client_id: &str,
    status: Option<WebhookStatus>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<WebhookMessageRow>> {
    // The cursor is the last row's (created_at, id): messages written in one
    // transaction share a created_at and must not fall between two pages.
    let (at, id) = before.unzip();
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM webhook_messages
         WHERE client_id = $1 AND ($2 IS NULL OR status = $3)
           AND ($4 IS NULL OR created_at < $5 OR (created_at = $6 AND id < $7))
         ORDER BY created_at DESC, id DESC LIMIT $8"
    ))
    .bind(client_id)
    .bind(status)
    .bind(status)
    .bind(at)
    .bind(at)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Puts a finished message back in the queue for one more round of attempts.
pub async fn replay_message(conn: &mut Conn, client_id: &str, id: &str, now: i64) -> Result<bool> {
    let replayed = sqlx::query(
        "UPDATE webhook_messages SET status = 'pending', next_attempt_at = $1, locked_until = NULL, finished_at = NULL
         WHERE id = $2 AND client_id = $3 AND status <> 'pending'",
    )
    .bind(now)
    .bind(id)
    .bind(client_id)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if replayed {
        wake::enqueued(conn, Work::Webhooks).await?;
    }
    Ok(replayed)
}

/// Replays every dead message of the client that died at or after `since`,
/// except those whose endpoint is disabled (see `dead_since_to_disabled`).
pub async fn replay_dead_since(
    conn: &mut Conn,
    client_id: &str,
    since: i64,
    now: i64,
) -> Result<u64> {
    let replayed = sqlx::query(&format!(
        "UPDATE webhook_messages SET status = 'pending', next_attempt_at = $1, locked_until = NULL, finished_at = NULL
         WHERE id IN (SELECT m.id FROM webhook_messages m
            WHERE m.client_id = $2 AND m.status = 'dead' AND m.finished_at >= $3
            AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                WHERE e.client_id = m.client_id AND e.disabled_at IS NOT NULL AND e.url = {RESOLVED_URL}))"
    ))
    .bind(now)
    .bind(client_id)
    .bind(since)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if replayed > 0 {
        wake::enqueued(conn, Work::Webhooks).await?;
    }
    Ok(replayed)
}

/// How many of the client's messages dead since `since` go to a disabled endpoint.
pub async fn dead_since_to_disabled(conn: &mut Conn, client_id: &str, since: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM webhook_messages m
         WHERE m.client_id = $1 AND m.status = 'dead' AND m.finished_at >= $2
         AND EXISTS (SELECT 1 FROM webhook_endpoints e
            WHERE e.client_id = m.client_id AND e.disabled_at IS NOT NULL AND e.url = {RESOLVED_URL})"
    ))
    .bind(client_id)
    .bind(since)
    .fetch_one(conn)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookEndpointRow {
    pub client_id: String,
    pub url: String,
    pub disabled_at: Option<i64>,
    /// The message whose attempt got the 410.
    pub disabled_by: Option<String>,
    pub updated_at: i64,
}

/// Marks the client's URL disabled (it answered 410 Gone to `message_id`).
pub async fn disable_endpoint(
    conn: &mut Conn,
    client_id: &str,
    url: &str,
    at: i64,
    message_id: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_endpoints (client_id, url, disabled_at, disabled_by, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (client_id, url) DO UPDATE
         SET disabled_at = excluded.disabled_at, disabled_by = excluded.disabled_by, updated_at = excluded.updated_at",
    )
    .bind(client_id)
    .bind(url)
    .bind(at)
    .bind(message_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Enables the client's URL again; true if it was disabled.
pub async fn enable_endpoint(conn: &mut Conn, client_id: &str, url: &str, at: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_endpoints SET disabled_at = NULL, disabled_by = NULL, updated_at = $1
         WHERE client_id = $2 AND url = $3 AND disabled_at IS NOT NULL",
    )
    .bind(at)
    .bind(client_id)
    .bind(url)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The client's disabled URLs.
pub async fn disabled_endpoints(
    conn: &mut Conn,
    client_id: &str,
) -> Result<Vec<WebhookEndpointRow>> {
    Ok(sqlx::query_as(
        "SELECT client_id, url, disabled_at, disabled_by, updated_at FROM webhook_endpoints
         WHERE client_id = $1 AND disabled_at IS NOT NULL ORDER BY url",
    )
    .bind(client_id)
    .fetch_all(conn)
    .await?)
}

pub async fn count_messages(conn: &mut Conn, status: WebhookStatus) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_messages WHERE status = $1")
            .bind(status)
            .fetch_one(conn)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::stores;
    use crate::{clients::insert_client, clients::ClientRow};

    fn message(id: &str, due: i64) -> WebhookMessageRow {
        WebhookMessageRow {
            id: id.into(),
            client_id: "c1".into(),
            event_type: "CONSENT_STATUS_CHANGED".into(),
            target: "event".into(),
            target_url: None,
            payload: "{}".into(),
            status: WebhookStatus::Pending,
            attempts: 0,
            next_attempt_at: due,
            locked_until: None,
            last_error: None,
            created_at: due,
            finished_at: None,
            dialect: "data_api".into(),
        }
    }

    fn attempt(id: &str, n: i64, at: i64) -> WebhookAttemptRow {
        WebhookAttemptRow {
            message_id: id.into(),
            attempt: n,
            at,
            target_url: None,
            status_code: Some(500),
            latency_ms: 3,
            response: None,
            error: None,
        }
    }

    #[tokio::test]
    async fn a_claim_is_exclusive_until_its_lease_lapses_and_attempts_are_fenced() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            let c = ClientRow {
                id: "c1".into(),
                name: "n".into(),
                api_key: "k".into(),
                webhook_url: None,
                report_webhook_url: None,
                webhook_secret_enc: "e".into(),
                auto_delivery: false,
                created_at: 0,
            };
            insert_client(&mut tx, &c).await.unwrap();
            insert_message(&mut tx, &message("m1", 100)).await.unwrap();
            insert_message(&mut tx, &message("m2", 500)).await.unwrap();
            tx.commit().await.unwrap();
            let b = store.backend();

            let mut conn = store.begin().await.unwrap();
            let first = claim_due_messages(&mut conn, b, 200, 1_200, 10, &[])
                .await
                .unwrap();
            assert_eq!(
                first.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
                ["m1"],
                "only due messages"
            );
            assert!(
                claim_due_messages(&mut conn, b, 300, 1_300, 10, &[])
                    .await
                    .unwrap()
                    .is_empty(),
                "leased"
            );
            // The holder died; after the lease the message is claimable again.
            let again = claim_due_messages(&mut conn, b, 1_200, 2_200, 10, &[])
                .await
                .unwrap();
            assert_eq!(again.len(), 2);
            assert!(record_attempt(
                &mut conn,
                &attempt("m1", 1, 1_201),
                AttemptOutcome::Retry {
                    at: 5_000,
                    error: "500"
                }
            )
            .await
            .unwrap());
            // A second recorder of the same attempt loses.
            assert!(!record_attempt(
                &mut conn,
                &attempt("m1", 1, 1_202),
                AttemptOutcome::Delivered
            )
            .await
            .unwrap());
            assert!(record_attempt(
                &mut conn,
                &attempt("m2", 1, 1_203),
                AttemptOutcome::Dead { error: "gone" }
            )
            .await
            .unwrap());
            conn.commit().await.unwrap();

            let mut conn = store.read().await.unwrap();
            let m1 = message_for_client(&mut conn, "c1", "m1")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (m1.status, m1.attempts, m1.next_attempt_at),
                (WebhookStatus::Pending, 1, 5_000)
            );
            assert_eq!(attempts_of(&mut conn, "m1").await.unwrap().len(), 1);
            assert!(message_for_client(&mut conn, "other", "m1")
                .await
                .unwrap()
                .is_none());
            let dead = list_messages(&mut conn, "c1", Some(WebhookStatus::Dead), None, 10)
                .await
                .unwrap();
            assert_eq!(dead.len(), 1);
            drop(conn);

            let mut tx = store.begin().await.unwrap();
            assert!(replay_message(&mut tx, "c1", "m2", 6_000).await.unwrap());
            assert!(
                !replay_message(&mut tx, "c1", "m2", 6_000).await.unwrap(),
                "already pending"
            );
            tx.commit().await.unwrap();
        }
    }

    #[tokio::test]
    async fn attempts_recorded_together_are_fenced_as_one_after_the_other() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            crate::testing::client(&mut tx, "c1").await;
            // More than one statement's worth.
            let ids: Vec<String> = (0..70).map(|i| format!("m{i:02}")).collect();
            for id in &ids {
                insert_message(&mut tx, &message(id, 100)).await.unwrap();
            }
            tx.commit().await.unwrap();

            let mut tx = store.begin().await.unwrap();
            // m01 has had its first attempt recorded already.
            assert!(record_attempt(
                &mut tx,
                &attempt("m01", 1, 150),
                AttemptOutcome::Retry {
                    at: 160,
                    error: "HTTP 500"
                }
            )
            .await
            .unwrap());
            let delivered = |id: &str, n: i64| {
                let mut a = attempt(id, n, 200);
                a.status_code = Some(200);
                (a, AttemptOutcome::Delivered)
            };
            let mut records: Vec<(WebhookAttemptRow, AttemptOutcome)> =
                ids.iter().map(|id| delivered(id, 1)).collect();
            // m00: a retry; m02: dead; m01: a stale claim's attempt 1, then
            // its second attempt; m03's attempt 1 a second time, fenced.
            records[0].1 = AttemptOutcome::Retry {
                at: 5_000,
                error: "HTTP 500",
            };
            records[2].1 = AttemptOutcome::Dead { error: "HTTP 410" };
            records.push(delivered("m01", 2));
            records.push(delivered("m03", 1));
            let records: Vec<(&WebhookAttemptRow, AttemptOutcome)> =
                records.iter().map(|(a, o)| (a, *o)).collect();
            let recorded = record_attempts(&mut tx, &records).await.unwrap();
            tx.commit().await.unwrap();
            let mut expected = vec![true; 72];
            expected[1] = false;
            expected[71] = false;
            assert_eq!(recorded, expected);

            let mut conn = store.read().await.unwrap();
            let m = message_for_client(&mut conn, "c1", "m00")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (
                    m.status,
                    m.attempts,
                    m.next_attempt_at,
                    m.last_error,
                    m.locked_until
                ),
                (
                    WebhookStatus::Pending,
                    1,
                    5_000,
                    Some("HTTP 500".into()),
                    None
                )
            );
            let m = message_for_client(&mut conn, "c1", "m01")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (m.status, m.attempts, m.finished_at, m.last_error),
                (WebhookStatus::Delivered, 2, Some(200), None)
            );
            let m = message_for_client(&mut conn, "c1", "m02")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (m.status, m.attempts, m.finished_at),
                (WebhookStatus::Dead, 1, Some(200))
            );
            let m = message_for_client(&mut conn, "c1", "m69")
                .await
                .unwrap()
                .unwrap();
            assert_eq!((m.status, m.attempts), (WebhookStatus::Delivered, 1));
            let m01 = attempts_of(&mut conn, "m01").await.unwrap();
            assert_eq!(
                m01.iter()
                    .map(|a| (a.attempt, a.status_code))
                    .collect::<Vec<_>>(),
                [(1, Some(500)), (2, Some(200))]
            );
            let m03 = attempts_of(&mut conn, "m03").await.unwrap();
            assert_eq!(m03.len(), 1, "the second attempt 1 was fenced out");
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_attempts")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(total, 71);
            assert_eq!(
                count_messages(&mut conn, WebhookStatus::Delivered)
                    .await
                    .unwrap(),
                68
            );
        }
    }

    #[tokio::test]
    async fn attempts_recorded_together_but_never_committed_are_claimed_again() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            crate::testing::client(&mut tx, "c1").await;
            for id in ["a", "b", "c"] {
                insert_message(&mut tx, &message(id, 100)).await.unwrap();
            }
            tx.commit().await.unwrap();
            let backend = store.backend();
            let mut tx = store.begin().await.unwrap();
            let claimed = claim_due_messages(&mut tx, backend, 200, 1_200, 10, &[])
                .await
                .unwrap();
            assert_eq!(claimed.len(), 3);
            tx.commit().await.unwrap();

            // All three answered 2xx; the node died before their records committed.
            let rows: Vec<WebhookAttemptRow> = ["a", "b", "c"]
                .into_iter()
                .map(|id| WebhookAttemptRow {
                    status_code: Some(200),
                    ..attempt(id, 1, 300)
                })
                .collect();
            let records: Vec<(&WebhookAttemptRow, AttemptOutcome)> = rows
                .iter()
                .map(|a| (a, AttemptOutcome::Delivered))
                .collect();
            let mut tx = store.begin().await.unwrap();
            assert_eq!(
                record_attempts(&mut tx, &records).await.unwrap(),
                [true, true, true]
            );
            // What a dead node's connection amounts to. Not `drop(tx)`: sqlx
            // rolls a dropped transaction back only when the connection is
            // next used, and until then PostgreSQL's `SKIP LOCKED` passes
            // over the rows it updated, so the claim below would find none.
            tx.rollback().await.unwrap();

            let mut tx = store.begin().await.unwrap();
            assert!(
                claim_due_messages(&mut tx, backend, 1_100, 2_100, 10, &[])
                    .await
                    .unwrap()
                    .is_empty(),
                "still leased by the dead node"
            );
            let again = claim_due_messages(&mut tx, backend, 1_200, 2_200, 10, &[])
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let mut ids: Vec<_> = again.iter().map(|m| (m.id.as_str(), m.attempts)).collect();
            ids.sort();
            assert_eq!(ids, [("a", 0), ("b", 0), ("c", 0)], "each is sent again");
            let mut conn = store.read().await.unwrap();
            for id in ["a", "b", "c"] {
                assert!(attempts_of(&mut conn, id).await.unwrap().is_empty());
            }
        }
    }

    #[tokio::test]
    async fn endpoints_at_their_limit_or_disabled_are_passed_over() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            let c = ClientRow {
                id: "c1".into(),
                name: "n".into(),
                api_key: "k".into(),
                webhook_url: Some("https://slow.example/hook".into()),
                report_webhook_url: Some("https://fast.example/reports".into()),
                webhook_secret_enc: "e".into(),
                auto_delivery: false,
                created_at: 0,
            };
            insert_client(&mut tx, &c).await.unwrap();
            let event = message("event", 100);
            let report = WebhookMessageRow {
                target: "report".into(),
                ..message("report", 101)
            };
            let callback = WebhookMessageRow {
                target_url: Some("https://slow.example/callback".into()),
                ..message("callback", 102)
            };
            for m in [&event, &report, &callback] {
                insert_message(&mut tx, m).await.unwrap();
            }
            tx.commit().await.unwrap();
            let b = store.backend();

            let mut tx = store.begin().await.unwrap();
            let ids = |rows: Vec<WebhookMessageRow>| {
                let mut ids: Vec<String> = rows.into_iter().map(|m| m.id).collect();
                ids.sort();
                ids
            };
            let claimed = claim_due_messages(
                &mut tx,
                b,
                200,
                1_200,
                10,
                &["https://slow.example/".to_string()],
            )
            .await
            .unwrap();
            assert_eq!(ids(claimed), ["report"], "both slow.example URLs wait");
            assert!(release_claim(&mut tx, "report", 1_200).await.unwrap());
            assert!(!release_claim(&mut tx, "report", 1_200).await.unwrap());
            let claimed = claim_due_messages(&mut tx, b, 300, 1_300, 10, &[])
                .await
                .unwrap();
            assert_eq!(ids(claimed), ["callback", "event", "report"]);
            assert!(kill_unattempted(&mut tx, "event", 0, "disabled", 400)
                .await
                .unwrap());
            assert!(record_attempt(
                &mut tx,
                &attempt("callback", 1, 400),
                AttemptOutcome::Dead { error: "HTTP 410" }
            )
            .await
            .unwrap());
            disable_endpoint(&mut tx, "c1", "https://slow.example/hook", 400, "event")
                .await
                .unwrap();
            // Disabling twice keeps one row with the latest time.
            disable_endpoint(&mut tx, "c1", "https://slow.example/hook", 450, "event")
                .await
                .unwrap();
            tx.commit().await.unwrap();

            let mut tx = store.begin().await.unwrap();
            let disabled = disabled_endpoints(&mut tx, "c1").await.unwrap();
            assert_eq!(
                disabled
                    .iter()
                    .map(|e| (e.url.as_str(), e.disabled_at))
                    .collect::<Vec<_>>(),
                [("https://slow.example/hook", Some(450))]
            );
            assert_eq!(dead_since_to_disabled(&mut tx, "c1", 0).await.unwrap(), 1);
            assert_eq!(
                replay_dead_since(&mut tx, "c1", 0, 500).await.unwrap(),
                1,
                "only the callback: the event's URL is disabled"
            );
            assert!(
                enable_endpoint(&mut tx, "c1", "https://slow.example/hook", 600)
                    .await
                    .unwrap()
            );
            assert!(
                !enable_endpoint(&mut tx, "c1", "https://slow.example/hook", 600)
                    .await
                    .unwrap()
            );
            assert_eq!(replay_dead_since(&mut tx, "c1", 0, 700).await.unwrap(), 1);
            assert!(disabled_endpoints(&mut tx, "c1").await.unwrap().is_empty());
            tx.commit().await.unwrap();
        }
    }
}
