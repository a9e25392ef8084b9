//! Update mode: a consent authorised again at its institution through a new
//! link (`consent_reauthorisations`), and the swap of the institution's
//! consent and tokens under the same Ponte consent once it is authorised.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReauthorisationRow {
    pub link_id: String,
    pub consent_id: String,
    pub client_id: String,
    pub status: crate::ReauthorisationStatus,
    pub status_reason: Option<String>,
    pub redirect_url: Option<String>,
    pub bank_consent_id: Option<String>,
    pub authorization_url: Option<String>,
    pub oauth_state: Option<String>,
    pub oauth_nonce: Option<String>,
    pub pkce_verifier_enc: Option<String>,
    pub expire_at: Option<i64>,
    pub replaced_bank_consent_id: Option<String>,
    pub open_until: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "link_id, consent_id, client_id, status, status_reason, redirect_url, bank_consent_id, authorization_url, oauth_state, oauth_nonce, pkce_verifier_enc, expire_at, replaced_bank_consent_id, open_until, created_at, updated_at";

/// Opens update mode for `consent_id` through the new link `link_id`.
pub async fn insert_reauthorisation(
    conn: &mut Conn,
    link_id: &str,
    consent_id: &str,
    client_id: &str,
    open_until: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_reauthorisations (link_id, consent_id, client_id, status, open_until, created_at, updated_at) \
         VALUES ($1, $2, $3, 'OPEN', $4, $5, $5)",
    )
    .bind(link_id)
    .bind(consent_id)
    .bind(client_id)
    .bind(open_until)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The link of `consent_id`'s update mode still open at `now` (not decided,
/// its link not expired), if any.
pub async fn open_reauthorisation_of_consent(
    conn: &mut Conn,
    consent_id: &str,
    now: i64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT link_id FROM consent_reauthorisations \
         WHERE consent_id = $1 AND status IN ('OPEN', 'AWAITING_AUTHORISATION') AND open_until > $2 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(consent_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The update mode a link was opened for, if it was.
pub async fn reauthorisation_of_link(
    conn: &mut Conn,
    link_id: &str,
) -> Result<Option<ReauthorisationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consent_reauthorisations WHERE link_id = $1"
    ))
    .bind(link_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The update mode whose institution authorisation carries `oauth_state`.
pub async fn reauthorisation_by_state(
    conn: &mut Conn,
    oauth_state: &str,
) -> Result<Option<ReauthorisationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consent_reauthorisations WHERE oauth_state = $1"
    ))
    .bind(oauth_state)
    .fetch_optional(&mut *conn)
    .await?)
}

/// What a new authorisation attempt at the institution is made of.
#[derive(Debug)]
pub struct ReauthorisationAttempt<'a> {
    pub bank_consent_id: &'a str,
    pub authorization_url: &'a str,
    pub oauth_state: &'a str,
    pub oauth_nonce: &'a str,
    pub pkce_verifier_enc: &'a str,
    pub redirect_url: Option<&'a str>,
    pub expire_at: i64,
}

/// Records a new attempt (each replaces the last, whose `state` no longer
/// completes anything) unless the update mode already renewed the consent;
/// a refused one may be tried again: true if stored.
pub async fn set_reauthorisation_attempt(
    conn: &mut Conn,
    link_id: &str,
    a: &ReauthorisationAttempt<'_>,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE consent_reauthorisations SET status = 'AWAITING_AUTHORISATION', status_reason = NULL, bank_consent_id = $1, \
         authorization_url = $2, oauth_state = $3, oauth_nonce = $4, pkce_verifier_enc = $5, redirect_url = $6, \
         expire_at = $7, auth_claimed_at = NULL, updated_at = $8 \
         WHERE link_id = $9 AND status <> 'AUTHORISED'",
    )
    .bind(a.bank_consent_id)
    .bind(a.authorization_url)
    .bind(a.oauth_state)
    .bind(a.oauth_nonce)
    .bind(a.pkce_verifier_enc)
    .bind(a.redirect_url)
    .bind(a.expire_at)
    .bind(now)
    .bind(link_id)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1)
}

/// Claims the institution's answer for `oauth_state` (one of two callbacks
/// at once wins; a claim older than `stale_before` is taken as a crash).
pub async fn claim_reauthorisation(
    conn: &mut Conn,
    oauth_state: &str,
    now: i64,
    stale_before: i64,
) -> Result<Option<ReauthorisationRow>> {
    Ok(sqlx::query_as(&format!(
        "UPDATE consent_reauthorisations SET auth_claimed_at = $1 \
         WHERE oauth_state = $2 AND status = 'AWAITING_AUTHORISATION' \
         AND (auth_claimed_at IS NULL OR auth_claimed_at <= $3) RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(oauth_state)
    .bind(stale_before)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Ends the update mode `REJECTED` with `reason`; the attempt's secrets are spent.
pub async fn reject_reauthorisation(
    conn: &mut Conn,
    link_id: &str,
    reason: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE consent_reauthorisations SET status = 'REJECTED', status_reason = $1, oauth_state = NULL, \
         oauth_nonce = NULL, pkce_verifier_enc = NULL, updated_at = $2 WHERE link_id = $3",
    )
    .bind(reason)
    .bind(now)
    .bind(link_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the still `AUTHORISED` consent onto its institution's new consent:
/// its id, tokens and expiry (from `previous_expire_at`, which must still be
/// the consent's), recorded as an extension, and ends the update mode
/// `AUTHORISED` naming the institution consent it replaced. False, with
/// nothing written, when the consent ended or moved meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn complete_reauthorisation(
    conn: &mut Conn,
    r: &ReauthorisationRow,
    replaced_bank_consent_id: Option<&str>,
    previous_expire_at: i64,
    expire_at: i64,
    bank_tokens_enc: &str,
    now: i64,
) -> Result<bool> {
    let moved = sqlx::query(
        "UPDATE consents SET bank_consent_id = $1, bank_tokens_enc = $2, updated_at = $3 \
         WHERE id = $4 AND status = 'AUTHORISED' AND expire_at = $5",
    )
    .bind(&r.bank_consent_id)
    .bind(bank_tokens_enc)
    .bind(now)
    .bind(&r.consent_id)
    .bind(previous_expire_at)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        return Ok(false);
    }
    // The same row, still ours in this transaction: the expiry moves with
    // its history, as a renewal without a redirect records it.
    if !crate::consent_lifecycle::renew_consent(
        conn,
        &r.consent_id,
        previous_expire_at,
        expire_at,
        now,
    )
    .await?
    {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE consent_reauthorisations SET status = 'AUTHORISED', replaced_bank_consent_id = $1, \
         oauth_state = NULL, oauth_nonce = NULL, pkce_verifier_enc = NULL, updated_at = $2 WHERE link_id = $3",
    )
    .bind(replaced_bank_consent_id)
    .bind(now)
    .bind(&r.link_id)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
