//! Consents and their status history.

use crate::{db::Conn, db::Result};
use ponte_core::ConsentStatus;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentRow {
    pub id: String,
    pub client_id: String,
    pub link_id: String,
    /// The person who consents; `None` only for rows older than end users.
    pub end_user_id: Option<String>,
    pub institution_code: String,
    pub external_track_id: Option<String>,
    #[sqlx(try_from = "crate::typed::Flag")]
    pub business: bool,
    pub tax_ids_enc: String,
    pub redirect_url: Option<String>,
    #[sqlx(try_from = "crate::ConsentStatusText")]
    pub status: ConsentStatus,
    pub status_reason: Option<String>,
    /// JSON array of Open Finance permission names.
    pub permissions: String,
    pub expire_at: i64,
    /// An `AWAITING_AUTHORISATION` consent not authorised by then is rejected.
    pub authorise_by: i64,
    pub bank_consent_id: Option<String>,
    /// The institution's authorisation URL the end user is sent to.
    pub authorization_url: Option<String>,
    pub oauth_state: Option<String>,
    pub pkce_verifier_enc: Option<String>,
    /// The OpenID Connect nonce of the pending authorisation (FAPI-BR).
    pub oauth_nonce: Option<String>,
    pub bank_tokens_enc: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentEventRow {
    #[sqlx(try_from = "crate::ConsentStatusText")]
    pub status: ConsentStatus,
    pub reason: Option<String>,
    pub at: i64,
}

/// The consent's client's sandbox test-clock offset, inside a query on `consents`.
const OFFSET: &str = "COALESCE((SELECT k.offset_ms FROM sandbox_client_clocks k WHERE k.client_id = consents.client_id), 0)";

pub(crate) const COLUMNS: &str = "id, client_id, link_id, end_user_id, institution_code, external_track_id, business, tax_ids_enc, redirect_url, status, status_reason, permissions, expire_at, authorise_by, bank_consent_id, authorization_url, oauth_state, pkce_verifier_enc, bank_tokens_enc, created_at, updated_at, oauth_nonce";

pub async fn insert_consent(conn: &mut Conn, c: &ConsentRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO consents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
    ))
    .bind(&c.id)
    .bind(&c.client_id)
    .bind(&c.link_id)
    .bind(&c.end_user_id)
    .bind(&c.institution_code)
    .bind(&c.external_track_id)
    .bind(i64::from(c.business))
    .bind(&c.tax_ids_enc)
    .bind(&c.redirect_url)
    .bind(c.status.as_str())
    .bind(&c.status_reason)
    .bind(&c.permissions)
    .bind(c.expire_at)
    .bind(c.authorise_by)
    .bind(&c.bank_consent_id)
    .bind(&c.authorization_url)
    .bind(&c.oauth_state)
    .bind(&c.pkce_verifier_enc)
    .bind(&c.bank_tokens_enc)
    .bind(c.created_at)
    .bind(c.updated_at)
    .bind(&c.oauth_nonce)
    .execute(&mut *conn)
    .await?;
    insert_event(
        conn,
        &c.id,
        c.status,
        c.status_reason.as_deref(),
        c.created_at,
    )
    .await
}

pub async fn consent_by_id(conn: &mut Conn, id: &str) -> Result<Option<ConsentRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM consents WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn consent_by_state(conn: &mut Conn, oauth_state: &str) -> Result<Option<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents WHERE oauth_state = $1"
    ))
    .bind(oauth_state)
    .fetch_optional(conn)
    .await?)
}

pub async fn consents_of_link(conn: &mut Conn, link_id: &str) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents WHERE link_id = $1 ORDER BY created_at"
    ))
    .bind(link_id)
    .fetch_all(conn)
    .await?)
}

/// One end user's consents across links and institutions, only if `client_id`'s.
pub async fn consents_of_end_user(
    conn: &mut Conn,
    client_id: &str,
    end_user_id: &str,
) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents WHERE client_id = $1 AND end_user_id = $2 ORDER BY created_at, id"
    ))
    .bind(client_id)
    .bind(end_user_id)
    .fetch_all(conn)
    .await?)
}

/// Consents whose clock ran out: awaiting past `authorise_by`, or authorised
/// past `expire_at`, judged on their client's clock (`now` plus its sandbox
/// test-clock offset, if any).
pub async fn consents_due_to_expire(
    conn: &mut Conn,
    now: i64,
    limit: i64,
) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents
         WHERE (status = 'AWAITING_AUTHORISATION' AND authorise_by <= $1 + {OFFSET})
            OR (status = 'AUTHORISED' AND expire_at <= $2 + {OFFSET})
         ORDER BY created_at LIMIT $3"
    ))
    .bind(now)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Moves the consent from `from` to `to` and records it in the history; false
/// when someone else moved it first (the caller re-reads and decides again).
pub async fn update_consent_status(
    conn: &mut Conn,
    id: &str,
    from: ConsentStatus,
    to: ConsentStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query("UPDATE consents SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4 AND status = $5")
        .bind(to.as_str())
        .bind(reason)
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if done {
        insert_event(conn, id, to, reason, now).await?;
    }
    Ok(done)
}

/// A new authorisation request for the same consent at the institution.
pub async fn set_consent_authorisation(
    conn: &mut Conn,
    id: &str,
    authorization_url: &str,
    oauth_state: &str,
    pkce_verifier_enc: &str,
    oauth_nonce: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE consents SET authorization_url = $1, oauth_state = $2, pkce_verifier_enc = $3, oauth_nonce = $4, auth_claimed_at = NULL, updated_at = $5 WHERE id = $6")
        .bind(authorization_url)
        .bind(oauth_state)
        .bind(pkce_verifier_enc)
        .bind(oauth_nonce)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Claims the pending authorisation whose `state` the institution sent back,
/// so that one callback alone trades its code: `None` when there is none or
/// another callback holds it (a claim made at or before `stale_before` is
/// taken as its holder's crash and claimed again).
pub async fn claim_authorisation(
    conn: &mut Conn,
    oauth_state: &str,
    now: i64,
    stale_before: i64,
) -> Result<Option<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "UPDATE consents SET auth_claimed_at = $1
         WHERE oauth_state = $2 AND (auth_claimed_at IS NULL OR auth_claimed_at <= $3)
         RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(oauth_state)
    .bind(stale_before)
    .fetch_optional(conn)
    .await?)
}

/// Stores (or, with `None`, erases) the institution's tokens; the PKCE
/// verifier and the `state` are spent either way, so a replayed callback finds nothing.
pub async fn set_consent_tokens(
    conn: &mut Conn,
    id: &str,
    bank_tokens_enc: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE consents SET bank_tokens_enc = $1, pkce_verifier_enc = NULL, oauth_state = NULL, oauth_nonce = NULL, updated_at = $2 WHERE id = $3")
        .bind(bank_tokens_enc)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores an institution's new tokens only while the consent is still
/// `AUTHORISED` (a revocation may have committed meanwhile): true if stored.
pub async fn set_live_consent_tokens(
    conn: &mut Conn,
    id: &str,
    bank_tokens_enc: &str,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE consents SET bank_tokens_enc = $1, updated_at = $2 WHERE id = $3 AND status = 'AUTHORISED'",
    )
    .bind(bank_tokens_enc)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Locks the consent's row for the rest of the transaction if it is still
/// `AUTHORISED`, so a revocation cannot commit between this check and what
/// the transaction writes next (it waits, then erases that too).
pub async fn lock_if_authorised(conn: &mut Conn, id: &str) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE consents SET updated_at = updated_at WHERE id = $1 AND status = 'AUTHORISED'",
    )
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

async fn insert_event(
    conn: &mut Conn,
    consent_id: &str,
    status: ConsentStatus,
    reason: Option<&str>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_events (consent_id, status, reason, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(consent_id)
    .bind(status.as_str())
    .bind(reason)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn consent_history(conn: &mut Conn, consent_id: &str) -> Result<Vec<ConsentEventRow>> {
    Ok(sqlx::query_as(
        "SELECT status, reason, at FROM consent_events WHERE consent_id = $1 ORDER BY seq",
    )
    .bind(consent_id)
    .fetch_all(conn)
    .await?)
}

/// One change of status of one of a link's consents.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkConsentEventRow {
    pub consent_id: String,
    #[sqlx(try_from = "crate::ConsentStatusText")]
    pub status: ConsentStatus,
    pub reason: Option<String>,
    pub at: i64,
}

/// The status histories of every consent of a link in one query (one per
/// consent made `GET /data/v1/links/{id}` cost a round trip per consent),
/// grouped by consent, each oldest change first.
pub async fn consent_histories_of_link(
    conn: &mut Conn,
    link_id: &str,
) -> Result<Vec<LinkConsentEventRow>> {
    Ok(sqlx::query_as(
        "SELECT e.consent_id, e.status, e.reason, e.at FROM consent_events e
         JOIN consents c ON c.id = e.consent_id
         WHERE c.link_id = $1 ORDER BY e.consent_id, e.seq",
    )
    .bind(link_id)
    .fetch_all(conn)
    .await?)
}

/// How many consents were opened through the link, whatever became of them.
pub async fn count_consents_of_link(conn: &mut Conn, link_id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE link_id = $1")
            .bind(link_id)
            .fetch_one(conn)
            .await?,
    )
}

/// `count_consents_of_link` inside a write transaction, holding the link's
/// row first on PostgreSQL (`FOR UPDATE`) so that two transactions adding a
/// consent to one link count each other's; SQLite has a single writer.
pub async fn count_consents_of_link_locked(
    conn: &mut Conn,
    backend: crate::db::Backend,
    link_id: &str,
) -> Result<i64> {
    if backend == crate::db::Backend::Postgres {
        sqlx::query("SELECT id FROM links WHERE id = $1 FOR UPDATE")
            .bind(link_id)
            .execute(&mut *conn)
            .await?;
    }
    count_consents_of_link(conn, link_id).await
}

/// The client's consents the institution may still hold open: awaiting or
/// authorised, with a consent there.
pub async fn live_consents_of_client(conn: &mut Conn, client_id: &str) -> Result<Vec<ConsentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consents
         WHERE client_id = $1 AND status IN ('AWAITING_AUTHORISATION', 'AUTHORISED') AND bank_consent_id IS NOT NULL
         ORDER BY created_at, id"
    ))
    .bind(client_id)
    .fetch_all(conn)
    .await?)
}

#[cfg(test)]
mod tests;
