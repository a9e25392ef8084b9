//! Duplicate connections (migration 0016): who each consent is for, as a
//! keyed hash, and each client's policy when a person connects the same
//! institution twice.

use crate::{db::Conn, db::Result};

/// The AUTHORISED consent of the client's that the same person holds at
/// the same institution, newest first; `None` when there is none.
pub async fn authorised_duplicate(
    conn: &mut Conn,
    client_id: &str,
    institution_code: &str,
    holder_key: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT h.consent_id FROM consent_holders h JOIN consents c ON c.id = h.consent_id
         WHERE h.client_id = $1 AND h.institution_code = $2 AND h.holder_key = $3 AND c.status = 'AUTHORISED'
         ORDER BY c.created_at DESC, c.id DESC LIMIT 1",
    )
    .bind(client_id)
    .bind(institution_code)
    .bind(holder_key)
    .fetch_optional(conn)
    .await?)
}

/// The institutions where the client's consents for `holder_key` are
/// AUTHORISED, each once, in code order: what the widget warns about.
pub async fn authorised_institutions(
    conn: &mut Conn,
    client_id: &str,
    holder_key: &str,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT h.institution_code FROM consent_holders h JOIN consents c ON c.id = h.consent_id
         WHERE h.client_id = $1 AND h.holder_key = $2 AND c.status = 'AUTHORISED'
         ORDER BY h.institution_code",
    )
    .bind(client_id)
    .bind(holder_key)
    .fetch_all(conn)
    .await?)
}

/// Records who a new consent is for, and the consent it duplicates.
pub async fn insert_consent_holder(
    conn: &mut Conn,
    consent_id: &str,
    client_id: &str,
    institution_code: &str,
    holder_key: &str,
    duplicate_of: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_holders (consent_id, client_id, institution_code, holder_key, duplicate_of)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(consent_id)
    .bind(client_id)
    .bind(institution_code)
    .bind(holder_key)
    .bind(duplicate_of)
    .execute(conn)
    .await?;
    Ok(())
}

/// The consent `consent_id` duplicates, if it was made as a duplicate.
pub async fn duplicate_of(conn: &mut Conn, consent_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT duplicate_of FROM consent_holders WHERE consent_id = $1",
    )
    .bind(consent_id)
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// The client's policy (`allow`, `warn` or `refuse`); `None` for an unknown client.
pub async fn duplicate_policy(conn: &mut Conn, client_id: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT duplicate_policy FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Sets the client's policy; false for an unknown client.
pub async fn set_duplicate_policy(conn: &mut Conn, client_id: &str, policy: &str) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE clients SET duplicate_policy = $1 WHERE id = $2")
            .bind(policy)
            .bind(client_id)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// The link's consents made as duplicates: (consent, the one it duplicates).
pub async fn duplicates_of_link(conn: &mut Conn, link_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT h.consent_id, h.duplicate_of FROM consent_holders h JOIN consents c ON c.id = h.consent_id
         WHERE c.link_id = $1 AND h.duplicate_of IS NOT NULL",
    )
    .bind(link_id)
    .fetch_all(conn)
    .await?)
}
