//! Pruning what no one needs any more, so the database does not grow without
//! bound under steady traffic: webhook messages that ended (delivered, and
//! dead ones too once as old: they stay replayable for the whole retention)
//! with their attempts, finished jobs, spent or expired tickets and revoked
//! or expired refresh tokens. A spent refresh token is kept until it expires:
//! presenting it again must still revoke its family.
//!
//! Each batch is one short transaction deleting at most `batch` rows, so a
//! sweep never holds SQLite's single writer, or PostgreSQL row locks, long.

use crate::db::{Result, Store};
use crate::typed::{JobStatus, WebhookStatus};

/// Rows removed by one sweep, per table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub webhook_messages: u64,
    pub jobs: u64,
    pub tickets: u64,
    pub refresh_tokens: u64,
}

/// One statement per kind of row; `$1` is the cutoff (unix ms), `$2` the
/// batch size. Attempts go with their message (`ON DELETE CASCADE`).
const MESSAGES: &str = "DELETE FROM webhook_messages WHERE id IN (SELECT id FROM webhook_messages \
     WHERE status IN ($3, $4) AND finished_at < $1 LIMIT $2)";
const JOBS: &str = "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs \
     WHERE status IN ($3, $4) AND finished_at < $1 LIMIT $2)";
const TICKETS: &str = "DELETE FROM tickets WHERE ticket_hash IN (SELECT ticket_hash FROM tickets \
     WHERE expires_at < $1 OR used_at < $1 LIMIT $2)";
const REFRESH_TOKENS: &str = "DELETE FROM refresh_tokens WHERE token_hash IN \
     (SELECT token_hash FROM refresh_tokens WHERE expires_at < $1 OR revoked_at < $1 LIMIT $2)";

/// Deletes everything that ended before `cutoff_ms`, `batch` rows at a time.
pub async fn prune(store: &Store, cutoff_ms: i64, batch: i64) -> Result<Pruned> {
    Ok(Pruned {
        webhook_messages: drain(
            store,
            MESSAGES,
            cutoff_ms,
            batch,
            [
                WebhookStatus::Delivered.as_str(),
                WebhookStatus::Dead.as_str(),
            ],
        )
        .await?,
        jobs: drain(
            store,
            JOBS,
            cutoff_ms,
            batch,
            [JobStatus::Done.as_str(), JobStatus::Failed.as_str()],
        )
        .await?,
        tickets: drain(store, TICKETS, cutoff_ms, batch, []).await?,
        refresh_tokens: drain(store, REFRESH_TOKENS, cutoff_ms, batch, []).await?,
    })
}

async fn drain<const N: usize>(
    store: &Store,
    sql: &str,
    cutoff_ms: i64,
    batch: i64,
    statuses: [&str; N],
) -> Result<u64> {
    let mut total = 0;
    loop {
        let mut tx = store.begin().await?;
        let mut query = sqlx::query(sql).bind(cutoff_ms).bind(batch);
        for status in statuses {
            query = query.bind(status);
        }
        let deleted = query.execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        total += deleted;
        if deleted < batch.max(1) as u64 {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{client, stores};

    const DAY: i64 = 86_400_000;

    async fn exec(store: &Store, sql: &str) {
        let mut tx = store.begin().await.unwrap();
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }

    async fn count(store: &Store, table: &str) -> i64 {
        let mut conn = store.read().await.unwrap();
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_sweep_removes_what_ended_before_the_cutoff_and_keeps_the_rest() {
        for (store, _dir) in stores().await {
            {
                let mut tx = store.begin().await.unwrap();
                client(&mut tx, "c1").await;
                tx.commit().await.unwrap();
            }
            exec(
                &store,
                "INSERT INTO end_users (id, client_id, lookup_key, created_at) VALUES ('u1', 'c1', 'k1', 0)",
            )
            .await;
            let now = 100 * DAY;
            let old = now - 40 * DAY;
            let recent = now - DAY;
            // 7 old delivered and 2 old dead messages go; a recent delivered
            // one, an old pending one and a dead one of yesterday stay.
            let mut n = 0;
            for (status, finished) in std::iter::repeat_n(("delivered", Some(old)), 7)
                .chain(std::iter::repeat_n(("dead", Some(old)), 2))
                .chain([
                    ("delivered", Some(recent)),
                    ("pending", None),
                    ("dead", Some(recent)),
                ])
            {
                n += 1;
                let finished = finished.map_or("NULL".to_string(), |f| f.to_string());
                exec(&store, &format!(
                    "INSERT INTO webhook_messages (id, client_id, event_type, target, payload, status, attempts, next_attempt_at, created_at, finished_at) \
                     VALUES ('m{n}', 'c1', 'E', 'event', '{{}}', '{status}', 1, 0, {old}, {finished})"
                )).await;
                exec(&store, &format!(
                    "INSERT INTO webhook_attempts (message_id, attempt, at, latency_ms) VALUES ('m{n}', 1, {old}, 5)"
                )).await;
            }
            for (i, (status, finished)) in [
                ("done", Some(old)),
                ("failed", Some(old)),
                ("done", Some(recent)),
                ("pending", None),
                ("running", None),
            ]
            .into_iter()
            .enumerate()
            {
                let finished = finished.map_or("NULL".to_string(), |f| f.to_string());
                exec(&store, &format!(
                    "INSERT INTO jobs (id, kind, payload, status, attempts, run_at, created_at, finished_at) \
                     VALUES ('j{i}', 'k', '{{}}', '{status}', 0, {old}, {old}, {finished})"
                )).await;
            }
            for (i, (expires, used)) in [
                (old, "NULL".to_string()),
                (now + DAY, old.to_string()),
                (now + DAY, "NULL".to_string()),
                (recent, "NULL".to_string()),
            ]
            .into_iter()
            .enumerate()
            {
                exec(&store, &format!(
                    "INSERT INTO tickets (ticket_hash, kind, client_id, end_user_id, created_at, expires_at, used_at) \
                     VALUES ('t{i}', 'k', 'c1', 'u1', {old}, {expires}, {used})"
                )).await;
            }
            for (i, (expires, used, revoked)) in [
                (old, "NULL", "NULL".to_string()),
                (now + DAY, "NULL", old.to_string()),
                (now + DAY, "1", "NULL".to_string()),
                (now + DAY, "NULL", recent.to_string()),
            ]
            .into_iter()
            .enumerate()
            {
                exec(&store, &format!(
                    "INSERT INTO refresh_tokens (token_hash, family_id, kind, client_id, end_user_id, created_at, expires_at, used_at, revoked_at) \
                     VALUES ('r{i}', 'f', 'k', 'c1', 'u1', {old}, {expires}, {used}, {revoked})"
                )).await;
            }

            // Batches of 2: several short transactions, the same outcome.
            let pruned = prune(&store, now - 30 * DAY, 2).await.unwrap();
            assert_eq!(
                pruned,
                Pruned {
                    webhook_messages: 9,
                    jobs: 2,
                    tickets: 2,
                    refresh_tokens: 2
                }
            );
            assert_eq!(count(&store, "webhook_messages").await, 3);
            assert_eq!(
                count(&store, "webhook_attempts").await,
                3,
                "attempts go with their message"
            );
            assert_eq!(count(&store, "jobs").await, 3);
            assert_eq!(count(&store, "tickets").await, 2);
            assert_eq!(count(&store, "refresh_tokens").await, 2);

            let again = prune(&store, now - 30 * DAY, 2).await.unwrap();
            assert_eq!(again, Pruned::default(), "nothing left to prune");
        }
    }
}
