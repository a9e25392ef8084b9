//! The redirect URLs a client registered (migration 0010).

use crate::{db::Conn, db::Result};

pub async fn client_redirect_urls(conn: &mut Conn, client_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT url FROM client_redirect_urls WHERE client_id = $1 ORDER BY created_at, url",
    )
    .bind(client_id)
    .fetch_all(conn)
    .await?)
}

pub async fn clear_client_redirect_urls(conn: &mut Conn, client_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM client_redirect_urls WHERE client_id = $1")
        .bind(client_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Registers `url` for the client; registering it again changes nothing.
pub async fn add_client_redirect_url(
    conn: &mut Conn,
    client_id: &str,
    url: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_redirect_urls (client_id, url, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, url) DO NOTHING",
    )
    .bind(client_id)
    .bind(url)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
