//! The links an integrator opens for its end users.

use crate::{consents::ConsentRow, db::Conn, db::Result};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use std::sync::LazyLock;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub id: String,
    pub client_id: String,
    pub end_user_id: String,
    /// Encrypted JSON of the end user's tax ids, e-mail and phone.
    pub details_enc: String,
    pub redirect_url: Option<String>,
    /// JSON object: product name → URL.
    pub products_callback_url: String,
    /// JSON object the integrator attached, returned as given.
    pub external_info: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The dialect that opened the link and renders its webhooks.
    pub dialect: String,
}

pub async fn insert_link(conn: &mut Conn, l: &LinkRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO links (id, client_id, end_user_id, details_enc, redirect_url, products_callback_url, external_info, created_at, expires_at, dialect)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&l.id)
    .bind(&l.client_id)
    .bind(&l.end_user_id)
    .bind(&l.details_enc)
    .bind(&l.redirect_url)
    .bind(&l.products_callback_url)
    .bind(&l.external_info)
    .bind(l.created_at)
    .bind(l.expires_at)
    .bind(&l.dialect)
    .execute(conn)
    .await?;
    Ok(())
}

/// The link, only if it belongs to `client_id`: another client's link does not exist for them.
pub async fn link_for_client(
    conn: &mut Conn,
    client_id: &str,
    link_id: &str,
) -> Result<Option<LinkRow>> {
    Ok(sqlx::query_as(
        "SELECT id, client_id, end_user_id, details_enc, redirect_url, products_callback_url, external_info, created_at, expires_at, dialect
         FROM links WHERE id = $1 AND client_id = $2",
    )
    .bind(link_id)
    .bind(client_id)
    .fetch_optional(conn)
    .await?)
}

/// The dialect that owns the link's webhooks; `None` for an unknown link.
pub async fn link_dialect(conn: &mut Conn, link_id: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT dialect FROM links WHERE id = $1")
            .bind(link_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// What a link's webhooks carry for the integrator to correlate them: the
/// dialect that renders them, the link's `external_info` (JSON text), the
/// integrator's own id for the end user when it named one, and the
/// `external_track_id` of the consent the event is about and the consent it
/// duplicates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkCorrelation {
    pub dialect: String,
    pub external_info: String,
    pub external_ref: Option<String>,
    pub external_track_id: Option<String>,
    /// The AUTHORISED consent the event's consent duplicates, if any.
    pub duplicate_of: Option<String>,
}

/// The correlation data of a link and, when `consent_id` is given, of that
/// consent; `None` for an unknown link.
pub async fn link_correlation(
    conn: &mut Conn,
    link_id: &str,
    consent_id: Option<&str>,
) -> Result<Option<LinkCorrelation>> {
    Ok(sqlx::query_as(
        "SELECT l.dialect, l.external_info, u.external_ref,
                (SELECT c.external_track_id FROM consents c WHERE c.id = $2 AND c.link_id = l.id) AS external_track_id,
                (SELECT h.duplicate_of FROM consent_holders h WHERE h.consent_id = $2) AS duplicate_of
         FROM links l LEFT JOIN end_users u ON u.id = l.end_user_id WHERE l.id = $1",
    )
    .bind(link_id)
    .bind(consent_id)
    .fetch_optional(conn)
    .await?)
}

/// The link, only if it belongs to `client_id`, with its consents oldest
/// first, in one query: a link's page is read on every poll of an
/// integrator, and a second round trip for its consents cost a quarter of
/// its rate. (A LEFT JOIN: the link's columns repeat on each consent's row,
/// at most a handful of rows since a link's consents are capped.)
/// A link, its consents, and, for an update-mode link (which renews a
/// consent of another link and has none of its own), where its renewal stands.
pub type LinkWithConsents = (
    LinkRow,
    Vec<ConsentRow>,
    Option<crate::ReauthorisationStatus>,
);

pub async fn link_with_consents(
    conn: &mut Conn,
    client_id: &str,
    link_id: &str,
) -> Result<Option<LinkWithConsents>> {
    static QUERY: LazyLock<String> = LazyLock::new(|| {
        let consent_columns: Vec<String> = crate::consents::COLUMNS
            .split(", ")
            .map(|c| format!("c.{c} AS c_{c}"))
            .collect();
        format!(
            "SELECT l.id, l.client_id, l.end_user_id, l.details_enc, l.redirect_url, l.products_callback_url, l.external_info, l.created_at, l.expires_at, l.dialect, r.status AS r_status, {}
             FROM links l LEFT JOIN consents c ON c.link_id = l.id
             LEFT JOIN consent_reauthorisations r ON r.link_id = l.id
             WHERE l.id = $1 AND l.client_id = $2 ORDER BY c.created_at, c.id",
            consent_columns.join(", ")
        )
    });
    let rows = sqlx::query(QUERY.as_str())
        .bind(link_id)
        .bind(client_id)
        .fetch_all(conn)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let link = LinkRow::from_row(first)?;
    let renewal = match first.try_get::<Option<String>, _>("r_status")? {
        Some(raw) => Some(crate::ReauthorisationStatus::parse(&raw).ok_or_else(|| {
            sqlx::Error::Decode(
                format!("unknown reauthorisation status {raw:?} in column status").into(),
            )
        })?),
        None => None,
    };
    let mut consents = Vec::with_capacity(rows.len());
    for row in &rows {
        if row.try_get::<Option<String>, _>("c_id")?.is_some() {
            consents.push(consent_of(row)?);
        }
    }
    Ok(Some((link, consents, renewal)))
}

/// A consent from the `c_`-prefixed columns of [`link_with_consents`].
fn consent_of(row: &AnyRow) -> std::result::Result<ConsentRow, sqlx::Error> {
    Ok(ConsentRow {
        id: row.try_get("c_id")?,
        client_id: row.try_get("c_client_id")?,
        link_id: row.try_get("c_link_id")?,
        end_user_id: row.try_get("c_end_user_id")?,
        institution_code: row.try_get("c_institution_code")?,
        external_track_id: row.try_get("c_external_track_id")?,
        business: crate::typed::flag_at(row, "c_business")?,
        tax_ids_enc: row.try_get("c_tax_ids_enc")?,
        redirect_url: row.try_get("c_redirect_url")?,
        status: crate::typed::consent_status_at(row, "c_status")?,
        status_reason: row.try_get("c_status_reason")?,
        permissions: row.try_get("c_permissions")?,
        expire_at: row.try_get("c_expire_at")?,
        authorise_by: row.try_get("c_authorise_by")?,
        bank_consent_id: row.try_get("c_bank_consent_id")?,
        authorization_url: row.try_get("c_authorization_url")?,
        oauth_state: row.try_get("c_oauth_state")?,
        pkce_verifier_enc: row.try_get("c_pkce_verifier_enc")?,
        oauth_nonce: row.try_get("c_oauth_nonce")?,
        bank_tokens_enc: row.try_get("c_bank_tokens_enc")?,
        created_at: row.try_get("c_created_at")?,
        updated_at: row.try_get("c_updated_at")?,
    })
}
