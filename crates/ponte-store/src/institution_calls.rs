//! Calls made to institutions (migration 0018): the monthly budgets read
//! them, OFB metrics reporting (PCM) exports them, retention prunes them.

use crate::{db::Conn, db::Result, db::Store};

/// One call, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub institution_code: String,
    pub consent_id: String,
    pub endpoint: String,
    pub resource: String,
    pub month: String,
    #[sqlx(try_from = "crate::typed::Flag")]
    pub counted: bool,
    pub status: Option<i64>,
    pub latency_ms: i64,
    pub interaction_id: String,
    pub called_at: i64,
}

/// A call to record (`id` is assigned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    pub institution_code: String,
    pub consent_id: String,
    pub endpoint: String,
    pub resource: String,
    pub month: String,
    pub counted: bool,
    pub status: Option<u16>,
    pub latency_ms: i64,
    pub interaction_id: String,
    pub called_at: i64,
}

pub async fn insert_calls(conn: &mut Conn, calls: &[NewCall]) -> Result<()> {
    for c in calls {
        sqlx::query(
            "INSERT INTO institution_calls (institution_code, consent_id, endpoint, resource, month,
                 counted, status, latency_ms, interaction_id, called_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&c.institution_code)
        .bind(&c.consent_id)
        .bind(&c.endpoint)
        .bind(&c.resource)
        .bind(&c.month)
        .bind(i64::from(c.counted))
        .bind(c.status.map(i64::from))
        .bind(c.latency_ms)
        .bind(&c.interaction_id)
        .bind(c.called_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Calls one consent spent in `month`, per endpoint and resource: those that
/// count and were served (2xx), as the institution counts them. A refused
/// call (an expired token's `401`, a `429`) or one that got no answer spent nothing.
pub async fn calls_spent(
    conn: &mut Conn,
    consent_id: &str,
    month: &str,
) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT endpoint, resource, COUNT(*) FROM institution_calls
         WHERE consent_id = $1 AND month = $2 AND counted = 1
           AND status >= 200 AND status < 300
         GROUP BY endpoint, resource ORDER BY endpoint, resource",
    )
    .bind(consent_id)
    .bind(month)
    .fetch_all(conn)
    .await?)
}

/// One page of `month`'s calls in the order they were recorded, after `after_id`.
pub async fn calls_of_month(
    conn: &mut Conn,
    month: &str,
    after_id: i64,
    limit: i64,
) -> Result<Vec<CallRow>> {
    Ok(sqlx::query_as(
        "SELECT id, institution_code, consent_id, endpoint, resource, month, counted, status,
                latency_ms, interaction_id, called_at
         FROM institution_calls WHERE month = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(month)
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Deletes calls made before `cutoff_ms`, `batch` at a time in short
/// transactions; answers how many went.
pub async fn prune_calls(store: &Store, cutoff_ms: i64, batch: i64) -> Result<u64> {
    let mut total = 0;
    loop {
        let mut tx = store.begin().await?;
        let deleted = sqlx::query(
            "DELETE FROM institution_calls WHERE id IN
               (SELECT id FROM institution_calls WHERE called_at < $1 LIMIT $2)",
        )
        .bind(cutoff_ms)
        .bind(batch)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        total += deleted;
        if deleted < batch.max(1) as u64 {
            return Ok(total);
        }
    }
}
