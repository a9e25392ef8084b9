//! Consent lifecycle: renewals, expiry warnings, the warning lead time per
//! client, and the sandbox test clock's per-client offset.

use crate::consents::COLUMNS;
use crate::{consents::ConsentRow, db::Conn, db::Result};
use sqlx::Row;

/// The lead time when a client has not set one.
pub const DEFAULT_EXPIRING_NOTICE_DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsentExtensionRow {
    pub consent_id: String,
    pub seq: i64,
    pub expire_at: i64,
    pub previous_expire_at: i64,
    pub requested_at: i64,
}

/// Moves an AUTHORISED consent's expiry from `from` to `to` and records the
/// renewal; false when the consent is no longer AUTHORISED with that expiry
/// (another writer won: the caller re-reads).
pub async fn renew_consent(
    conn: &mut Conn,
    consent_id: &str,
    from: i64,
    to: i64,
    now: i64,
) -> Result<bool> {
    let moved = sqlx::query(
        "UPDATE consents SET expire_at = $1, updated_at = $2
         WHERE id = $3 AND status = 'AUTHORISED' AND expire_at = $4",
    )
    .bind(to)
    .bind(now)
    .bind(consent_id)
    .bind(from)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        return Ok(false);
    }
    let seq: i64 = sqlx::query(
        "SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM consent_extensions WHERE consent_id = $1",
    )
    .bind(consent_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("next")?;
    sqlx::query(
        "INSERT INTO consent_extensions (consent_id, seq, expire_at, previous_expire_at, requested_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(consent_id)
    .bind(seq)
    .bind(to)
    .bind(from)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// A consent's renewals, newest first.
pub async fn consent_extensions(
    conn: &mut Conn,
    consent_id: &str,
) -> Result<Vec<ConsentExtensionRow>> {
    Ok(sqlx::query_as(
        "SELECT consent_id, seq, expire_at, previous_expire_at, requested_at
         FROM consent_extensions WHERE consent_id = $1 ORDER BY seq DESC",
    )
    .bind(consent_id)
    .fetch_all(conn)
    .await?)
}

/// AUTHORISED consents inside their client's warning window (judged on the
/// client's clock: `now` plus its test-clock offset) and not yet warned of
/// their current expiry.
pub async fn consents_to_warn(conn: &mut Conn, now: i64, limit: i64) -> Result<Vec<ConsentRow>> {
    let columns: String = COLUMNS
        .split(", ")
        .map(|c| format!("c.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(sqlx::query_as(&format!(
        "SELECT {columns} FROM consents c
         LEFT JOIN client_consent_settings s ON s.client_id = c.client_id
         LEFT JOIN sandbox_client_clocks k ON k.client_id = c.client_id
         WHERE c.status = 'AUTHORISED'
           AND COALESCE(s.expiring_notice_days, $1) > 0
           AND c.expire_at - COALESCE(s.expiring_notice_days, $2) * $3 <= $4 + COALESCE(k.offset_ms, 0)
           AND NOT EXISTS (SELECT 1 FROM consent_expiry_warnings w
                           WHERE w.consent_id = c.id AND w.expire_at = c.expire_at)
         ORDER BY c.expire_at LIMIT $5"
    ))
    .bind(DEFAULT_EXPIRING_NOTICE_DAYS)
    .bind(DEFAULT_EXPIRING_NOTICE_DAYS)
    .bind(DAY_MS)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Claims the warning of `consent_id` expiring at `expire_at`: true for the
/// one writer that inserted the row, false for everyone after.
pub async fn claim_expiry_warning(
    conn: &mut Conn,
    consent_id: &str,
    expire_at: i64,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO consent_expiry_warnings (consent_id, expire_at, warned_at) VALUES ($1, $2, $3)
         ON CONFLICT (consent_id, expire_at) DO NOTHING",
    )
    .bind(consent_id)
    .bind(expire_at)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The client's warning lead time in days (0 = off).
pub async fn expiring_notice_days(conn: &mut Conn, client_id: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT expiring_notice_days FROM client_consent_settings WHERE client_id = $1",
    )
    .bind(client_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get("expiring_notice_days")?,
        None => DEFAULT_EXPIRING_NOTICE_DAYS,
    })
}

pub async fn set_expiring_notice_days(conn: &mut Conn, client_id: &str, days: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_consent_settings (client_id, expiring_notice_days) VALUES ($1, $2)
         ON CONFLICT (client_id) DO UPDATE SET expiring_notice_days = $3",
    )
    .bind(client_id)
    .bind(days)
    .bind(days)
    .execute(conn)
    .await?;
    Ok(())
}

/// How far the client's sandbox test clock runs ahead of real time (0 unless moved).
pub async fn client_clock_offset(conn: &mut Conn, client_id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT offset_ms FROM sandbox_client_clocks WHERE client_id = $1")
        .bind(client_id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get("offset_ms")?,
        None => 0,
    })
}

/// Moves the client's test clock forward by `by_ms`; returns the new offset.
/// One statement, so two advances at once both count.
pub async fn advance_client_clock(
    conn: &mut Conn,
    client_id: &str,
    by_ms: i64,
    now: i64,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO sandbox_client_clocks (client_id, offset_ms, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (client_id) DO UPDATE
         SET offset_ms = sandbox_client_clocks.offset_ms + $4, updated_at = $5",
    )
    .bind(client_id)
    .bind(by_ms)
    .bind(now)
    .bind(by_ms)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    client_clock_offset(conn, client_id).await
}

/// The client's AUTHORISED consents (the ones a test clock must reach at the banks).
pub async fn authorised_consents_of_client(
    conn: &mut Conn,
    client_id: &str,
) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents WHERE client_id = $1 AND status = 'AUTHORISED' ORDER BY created_at"
    ))
    .bind(client_id)
    .fetch_all(conn)
    .await?)
}

#[cfg(test)]
mod tests;
