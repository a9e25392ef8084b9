//! The FAPI-BR check a consent's rejection came from (`consent_rejection_checks`).

use crate::{db::Conn, db::Result};

/// Records that `consent_id` was rejected because the institution's answer
/// failed `check` (a connector check name such as `id_token.s_hash`).
pub async fn record_rejection_check(
    conn: &mut Conn,
    consent_id: &str,
    check: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_rejection_checks (consent_id, check_name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (consent_id) DO UPDATE SET check_name = excluded.check_name, created_at = excluded.created_at",
    )
    .bind(consent_id)
    .bind(check)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The check that rejected `consent_id`, if a failed check did.
pub async fn rejection_check(conn: &mut Conn, consent_id: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT check_name FROM consent_rejection_checks WHERE consent_id = $1")
            .bind(consent_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// (consent id, check) for the consents of `link_id` that a failed check rejected.
pub async fn rejection_checks_of_link(
    conn: &mut Conn,
    link_id: &str,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT r.consent_id, r.check_name FROM consent_rejection_checks r \
         JOIN consents c ON c.id = r.consent_id WHERE c.link_id = $1",
    )
    .bind(link_id)
    .fetch_all(&mut *conn)
    .await?)
}
