//! The links an integrator opens for its end users.

use crate::{Conn, Result};

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
