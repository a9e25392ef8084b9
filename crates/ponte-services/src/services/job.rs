//! What a service's job reports back to the job runner, and how a service
//! queues one inside the transaction that causes it.

use crate::error::Result;
use ponte_store::Conn;

pub enum JobOutcome {
    /// Finished; the runner records it.
    Done,
    /// Finished and recorded in the same transaction as its result.
    Recorded,
    /// Another worker holds the job now (this one's lease lapsed): nothing was recorded.
    Superseded,
    /// Try again later, for this reason.
    Retry(String),
}

/// Queues a job of `kind`, due at once, in the caller's transaction.
pub async fn queue(
    conn: &mut Conn,
    kind: &str,
    payload: &impl serde::Serialize,
    now: i64,
) -> Result<()> {
    let payload = serde_json::to_string(payload).map_err(anyhow::Error::from)?;
    ponte_store::insert_job(conn, &uuid::Uuid::now_v7().to_string(), kind, &payload, now).await?;
    Ok(())
}
