//! A client's default language for its end users' pages (migration 0025).

use crate::{db::Conn, db::Result};

/// The client's locale tag (`pt-BR` or `en`); `None` when unset or for an
/// unknown client.
pub async fn client_locale(conn: &mut Conn, client_id: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT locale FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// Sets (or clears, with `None`) the client's locale; false for an unknown client.
pub async fn set_client_locale(
    conn: &mut Conn,
    client_id: &str,
    locale: Option<&str>,
) -> Result<bool> {
    Ok(sqlx::query("UPDATE clients SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(client_id)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}
