//! End users: one row per (client, the client's own id for the person),
//! shared by every dialect.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EndUserRow {
    pub id: String,
    pub client_id: String,
    /// What the client identifies the person by: `tax_id`, `documents`, `external`.
    pub kind: String,
    /// Keyed hash of "<kind>/<the client's id for the person>".
    pub lookup_key: String,
    /// Sealed JSON profile (tax ids, name, contact data).
    pub profile_enc: Option<String>,
    pub created_at: i64,
    pub updated_at: Option<i64>,
}

const COLUMNS: &str = "id, client_id, kind, lookup_key, profile_enc, created_at, updated_at";

/// The end user `client_id` knows by `lookup_key`: found, or made on first
/// sight with `id`. Returns the row that won (nodes racing agree on one).
pub async fn upsert_end_user(
    conn: &mut Conn,
    id: &str,
    client_id: &str,
    kind: &str,
    lookup_key: &str,
    now: i64,
) -> Result<EndUserRow> {
    sqlx::query(
        "INSERT INTO end_users (id, client_id, kind, lookup_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (client_id, lookup_key) DO NOTHING",
    )
    .bind(id)
    .bind(client_id)
    .bind(kind)
    .bind(lookup_key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM end_users WHERE client_id = $1 AND lookup_key = $2"
    ))
    .bind(client_id)
    .bind(lookup_key)
    .fetch_one(conn)
    .await?)
}

/// The end user, only if it belongs to `client_id`.
pub async fn end_user_for_client(
    conn: &mut Conn,
    client_id: &str,
    id: &str,
) -> Result<Option<EndUserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM end_users WHERE id = $1 AND client_id = $2"
    ))
    .bind(id)
    .bind(client_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn set_end_user_profile(
    conn: &mut Conn,
    id: &str,
    profile_enc: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE end_users SET profile_enc = $1, updated_at = $2 WHERE id = $3")
        .bind(profile_enc)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the integrator's own id for the end user (the Server API's
/// `xcUserID`), which webhooks carry; unchanged when it is already known.
pub async fn set_end_user_external_ref(
    conn: &mut Conn,
    id: &str,
    external_ref: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE end_users SET external_ref = $1 WHERE id = $2 AND (external_ref IS NULL OR external_ref <> $1)",
    )
    .bind(external_ref)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{client, stores};

    #[tokio::test]
    async fn one_row_per_client_and_lookup_key() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            client(&mut tx, "c1").await;
            client(&mut tx, "c2").await;
            let a = upsert_end_user(&mut tx, "u1", "c1", "external", "k", 1)
                .await
                .unwrap();
            let again = upsert_end_user(&mut tx, "u2", "c1", "external", "k", 2)
                .await
                .unwrap();
            assert_eq!((a.id.as_str(), again.id.as_str()), ("u1", "u1"));
            let other = upsert_end_user(&mut tx, "u3", "c2", "external", "k", 3)
                .await
                .unwrap();
            assert_eq!(
                other.id, "u3",
                "another client's person is another end user"
            );
            assert!(end_user_for_client(&mut tx, "c2", "u1")
                .await
                .unwrap()
                .is_none());
            set_end_user_profile(&mut tx, "u1", "sealed", 9)
                .await
                .unwrap();
            let read = end_user_for_client(&mut tx, "c1", "u1")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (read.profile_enc.as_deref(), read.updated_at),
                (Some("sealed"), Some(9))
            );
            tx.commit().await.unwrap();
        }
    }
}
