//! The Documents API's refresh schedules: which connections (retrievals) are
//! read again at their portal, how often, and whether a refresh is queued.

use crate::{db::Conn, db::Result, RetrievalId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshScheduleRow {
    pub retrieval_id: RetrievalId,
    pub client_id: String,
    pub every_days: i64,
    /// On the client's clock (ms).
    pub next_due_at: i64,
    pub refresh_queued: i64,
    pub last_refreshed_at: Option<i64>,
    pub last_error: Option<String>,
    /// JSON array of file ids recorded by a refresh and not yet announced.
    pub pending_file_ids: Option<String>,
    pub updated_at: i64,
}

const SCHEDULE: &str = "retrieval_id, client_id, every_days, next_due_at, refresh_queued, last_refreshed_at, last_error, pending_file_ids, updated_at";

/// Sets (or replaces) a connection's schedule; a refresh already queued stays queued.
pub async fn upsert_refresh_schedule(
    conn: &mut Conn,
    retrieval_id: RetrievalId,
    client_id: &str,
    every_days: i64,
    next_due_at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_refresh_schedules (retrieval_id, client_id, every_days, next_due_at,
           refresh_queued, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5)
         ON CONFLICT (retrieval_id) DO UPDATE
           SET every_days = $3, next_due_at = $4, updated_at = $5",
    )
    .bind(retrieval_id)
    .bind(client_id)
    .bind(every_days)
    .bind(next_due_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stops a connection's refreshes; false when it had none.
pub async fn delete_refresh_schedule(conn: &mut Conn, retrieval_id: RetrievalId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM document_refresh_schedules WHERE retrieval_id = $1")
        .bind(retrieval_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn refresh_schedule(
    conn: &mut Conn,
    retrieval_id: RetrievalId,
) -> Result<Option<RefreshScheduleRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SCHEDULE} FROM document_refresh_schedules WHERE retrieval_id = $1"
    ))
    .bind(retrieval_id)
    .fetch_optional(conn)
    .await?)
}

/// The client's sandbox test-clock offset, inside a query on the schedules.
const OFFSET: &str = "COALESCE((SELECT k.offset_ms FROM sandbox_client_clocks k WHERE k.client_id = document_refresh_schedules.client_id), 0)";

/// Schedules due at `now` (real time; each judged on its client's clock) with
/// no refresh queued, after `after_id`, up to `limit`.
pub async fn refreshes_due(
    conn: &mut Conn,
    now: i64,
    after_id: RetrievalId,
    limit: i64,
) -> Result<Vec<RefreshScheduleRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SCHEDULE} FROM document_refresh_schedules
         WHERE refresh_queued = 0 AND retrieval_id > $2 AND next_due_at <= $1 + {OFFSET}
         ORDER BY retrieval_id LIMIT $3"
    ))
    .bind(now)
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Marks a refresh queued and moves the next due time (`Some`) or keeps it (an
/// on-demand refresh); false when one is already queued or there is no schedule.
pub async fn claim_document_refresh(
    conn: &mut Conn,
    retrieval_id: RetrievalId,
    next_due_at: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE document_refresh_schedules
         SET refresh_queued = 1, next_due_at = COALESCE($2, next_due_at), updated_at = $3
         WHERE retrieval_id = $1 AND refresh_queued = 0",
    )
    .bind(retrieval_id)
    .bind(next_due_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the files a refresh found (JSON array of ids), to announce once.
pub async fn set_refresh_pending(
    conn: &mut Conn,
    retrieval_id: RetrievalId,
    file_ids_json: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE document_refresh_schedules SET pending_file_ids = $2, updated_at = $3
         WHERE retrieval_id = $1",
    )
    .bind(retrieval_id)
    .bind(file_ids_json)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a queued refresh (its found files announced), recording when (`at`,
/// the client's clock) and why it could not read the portal.
pub async fn finish_document_refresh(
    conn: &mut Conn,
    retrieval_id: RetrievalId,
    error: Option<&str>,
    at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE document_refresh_schedules
         SET refresh_queued = 0, last_refreshed_at = $2, last_error = $3, updated_at = $4,
             pending_file_ids = NULL
         WHERE retrieval_id = $1",
    )
    .bind(retrieval_id)
    .bind(at)
    .bind(error)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
