//! Named values a serving node records for the commands beside it (migration 0023).

use crate::{db::Conn, db::Result};

/// Sets `name` to `value` (the latest writer wins).
pub async fn set_server_setting(conn: &mut Conn, name: &str, value: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO server_settings (name, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(value)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn server_setting(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM server_settings WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}
