//! How long the dead node's work stayed undone. At the kill, the jobs and
//! webhook messages under a lease are noted (the database does not say
//! which node holds each, so the live nodes' are among them); the figure is
//! when the last of them ended. The dead node's wait out their lease (15 s
//! for a job, 25 s for a message) and are then claimed by another node.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

async fn pg(database: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(database)
        .await
        .expect("the bench's database")
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Ids of the jobs and of the webhook messages leased now.
pub async fn leased(database: &str) -> (Vec<String>, Vec<String>) {
    let mut db = pg(database).await;
    let now = now_ms();
    let jobs =
        sqlx::query_scalar("SELECT id FROM jobs WHERE status = 'pending' AND locked_until > $1")
            .bind(now)
            .fetch_all(&mut db)
            .await
            .expect("leased jobs");
    let messages = sqlx::query_scalar(
        "SELECT id FROM webhook_messages WHERE status = 'pending' AND locked_until > $1",
    )
    .bind(now)
    .fetch_all(&mut db)
    .await
    .expect("leased messages");
    (jobs, messages)
}

/// How long after `since` the last of `work` ended, if within `limit`.
pub async fn ended(
    database: &str,
    (jobs, messages): (Vec<String>, Vec<String>),
    since: Instant,
    limit: Duration,
) -> Option<Duration> {
    let mut db = pg(database).await;
    loop {
        let open_jobs: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE id = ANY($1) AND status = 'pending'",
        )
        .bind(&jobs)
        .fetch_one(&mut db)
        .await
        .expect("open jobs");
        let open_messages: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_messages WHERE id = ANY($1) AND status = 'pending'",
        )
        .bind(&messages)
        .fetch_one(&mut db)
        .await
        .expect("open messages");
        if open_jobs + open_messages == 0 {
            return Some(since.elapsed());
        }
        if since.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
