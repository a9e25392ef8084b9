//! What the console lists for a client's consents over time: the ones
//! about to expire, and the ones made as duplicates of another.

use crate::consents::COLUMNS;
use crate::{consents::ConsentRow, db::Conn, db::Result};

/// The client's `AUTHORISED` consents whose expiry is at most `until` (on
/// the client's clock), soonest first.
pub async fn expiring_consents_of_client(
    conn: &mut Conn,
    client_id: &str,
    until: i64,
    limit: i64,
) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents WHERE client_id = $1 AND status = 'AUTHORISED' AND expire_at <= $2 \
         ORDER BY expire_at, id LIMIT $3"
    ))
    .bind(client_id)
    .bind(until)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// (consent, the consent it duplicates) for the client's consents made as
/// duplicates, newest first.
pub async fn duplicate_consents_of_client(
    conn: &mut Conn,
    client_id: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT h.consent_id, h.duplicate_of FROM consent_holders h JOIN consents c ON c.id = h.consent_id \
         WHERE h.client_id = $1 AND h.duplicate_of IS NOT NULL ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
    )
    .bind(client_id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
