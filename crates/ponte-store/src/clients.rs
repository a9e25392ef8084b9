//! Integrators (clients), their API secrets and the token signing keys.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    pub api_key: String,
    pub webhook_url: Option<String>,
    pub report_webhook_url: Option<String>,
    pub webhook_secret_enc: String,
    #[sqlx(try_from = "crate::typed::Flag")]
    pub auto_delivery: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecretRow {
    pub id: String,
    pub client_id: String,
    pub secret_hash: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

const CLIENT_COLUMNS: &str = "id, name, api_key, webhook_url, report_webhook_url, webhook_secret_enc, auto_delivery, created_at";

/// How the client appears in the hosted widget (migration 0008).
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ClientBrandingRow {
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    pub primary_color: Option<String>,
    pub privacy_policy_url: Option<String>,
    /// Space-separated origins allowed to frame the widget.
    pub frame_origins: Option<String>,
}

pub async fn client_branding(conn: &mut Conn, id: &str) -> Result<Option<ClientBrandingRow>> {
    Ok(sqlx::query_as(
        "SELECT display_name, logo_url, primary_color, privacy_policy_url, frame_origins FROM clients WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Replaces the client's branding; false when there is no such client.
pub async fn set_client_branding(conn: &mut Conn, id: &str, b: &ClientBrandingRow) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE clients SET display_name = $1, logo_url = $2, primary_color = $3, privacy_policy_url = $4, frame_origins = $5 WHERE id = $6",
    )
    .bind(&b.display_name)
    .bind(&b.logo_url)
    .bind(&b.primary_color)
    .bind(&b.privacy_policy_url)
    .bind(&b.frame_origins)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn insert_client(conn: &mut Conn, c: &ClientRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO clients (id, name, api_key, webhook_url, report_webhook_url, webhook_secret_enc, auto_delivery, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.id)
    .bind(&c.name)
    .bind(&c.api_key)
    .bind(&c.webhook_url)
    .bind(&c.report_webhook_url)
    .bind(&c.webhook_secret_enc)
    .bind(i64::from(c.auto_delivery))
    .bind(c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn client_by_id(conn: &mut Conn, id: &str) -> Result<Option<ClientRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

pub async fn client_by_api_key(conn: &mut Conn, api_key: &str) -> Result<Option<ClientRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CLIENT_COLUMNS} FROM clients WHERE api_key = $1"
    ))
    .bind(api_key)
    .fetch_optional(conn)
    .await?)
}

pub async fn list_clients(conn: &mut Conn) -> Result<Vec<ClientRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CLIENT_COLUMNS} FROM clients ORDER BY created_at"
    ))
    .fetch_all(conn)
    .await?)
}

pub async fn count_clients(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM clients")
        .fetch_one(conn)
        .await?)
}

pub async fn insert_secret(conn: &mut Conn, s: &SecretRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_secrets (id, client_id, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id)
    .bind(&s.client_id)
    .bind(&s.secret_hash)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Secrets that still work at `now` (the current one and any in its grace period).
pub async fn live_secrets(conn: &mut Conn, client_id: &str, now: i64) -> Result<Vec<SecretRow>> {
    Ok(sqlx::query_as(
        "SELECT id, client_id, secret_hash, created_at, expires_at FROM client_secrets
         WHERE client_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at DESC",
    )
    .bind(client_id)
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// The live secrets of the client whose key this is, in one round trip
/// (the hot path of `POST /data/v1/auth`); none for an unknown key.
pub async fn live_secrets_by_api_key(
    conn: &mut Conn,
    api_key: &str,
    now: i64,
) -> Result<Vec<SecretRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.client_id, s.secret_hash, s.created_at, s.expires_at
         FROM client_secrets s JOIN clients c ON c.id = s.client_id
         WHERE c.api_key = $1 AND (s.expires_at IS NULL OR s.expires_at > $2)
         ORDER BY s.created_at DESC",
    )
    .bind(api_key)
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// Whether the client's secret `secret_id` still works at `now`: not rotated
/// out past its grace, not revoked.
pub async fn secret_live(
    conn: &mut Conn,
    client_id: &str,
    secret_id: &str,
    now: i64,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM client_secrets
         WHERE id = $1 AND client_id = $2 AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(secret_id)
    .bind(client_id)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// When the API secret `secret_id` of `client_id` stops working: `None` if
/// there is no such secret, `Some(None)` if nothing ends it yet.
pub async fn secret_expiry(
    conn: &mut Conn,
    client_id: &str,
    secret_id: &str,
) -> Result<Option<Option<i64>>> {
    Ok(
        sqlx::query_scalar(
            "SELECT expires_at FROM client_secrets WHERE id = $1 AND client_id = $2",
        )
        .bind(secret_id)
        .bind(client_id)
        .fetch_optional(conn)
        .await?,
    )
}

/// Removes a client and everything it owns: its secrets, end users, links,
/// consents and their history, retrieval requests and reports, webhook
/// messages and attempts, sessions and tickets (the schema cascades from
/// `clients`), and its pending jobs, which name their work only in their
/// payload. False if there was no such client.
pub async fn delete_client(
    conn: &mut Conn,
    backend: crate::db::Backend,
    client_id: &str,
) -> Result<bool> {
    let field = |name: &str| match backend {
        crate::db::Backend::Sqlite => format!("json_extract(payload, '$.{name}')"),
        crate::db::Backend::Postgres => format!("(payload::jsonb ->> '{name}')"),
    };
    sqlx::query(&format!(
        "DELETE FROM jobs WHERE {} IN (SELECT id FROM retrieval_requests WHERE client_id = $1)
            OR {} IN (SELECT id FROM consents WHERE client_id = $1)",
        field("requestId"),
        field("consentId"),
    ))
    .bind(client_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM settings WHERE value = $1 AND name = 'sandbox_client_id'")
        .bind(client_id)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM clients WHERE id = $1")
        .bind(client_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1)
}

/// Gives every open-ended secret of the client an end, ahead of adding a new one.
pub async fn expire_secrets(conn: &mut Conn, client_id: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE client_secrets SET expires_at = $1 WHERE client_id = $2 AND (expires_at IS NULL OR expires_at > $3)")
        .bind(at)
        .bind(client_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Makes `new_enc` the client's current webhook secret if `old_enc` still
/// is (so two rotations at once cannot lose one); false if it was not.
pub async fn swap_webhook_secret(
    conn: &mut Conn,
    client_id: &str,
    old_enc: &str,
    new_enc: &str,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE clients SET webhook_secret_enc = $1 WHERE id = $2 AND webhook_secret_enc = $3",
    )
    .bind(new_enc)
    .bind(client_id)
    .bind(old_enc)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RetiredWebhookSecretRow {
    pub id: String,
    pub client_id: String,
    pub secret_enc: String,
    pub retired_at: i64,
    pub expires_at: i64,
}

/// Keeps a rotated-out webhook secret signing until `expires_at`.
/// Ends the grace of every secret still signing besides the current one:
/// a new rotation keeps exactly one previous secret live.
pub async fn end_retired_webhook_secrets(conn: &mut Conn, client_id: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE webhook_retired_secrets SET expires_at = $1 WHERE client_id = $2 AND expires_at > $3",
    )
    .bind(now)
    .bind(client_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_retired_webhook_secret(
    conn: &mut Conn,
    s: &RetiredWebhookSecretRow,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_retired_secrets (id, client_id, secret_enc, retired_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id)
    .bind(&s.client_id)
    .bind(&s.secret_enc)
    .bind(s.retired_at)
    .bind(s.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rotated-out webhook secrets still in their grace period at `now`, newest first.
pub async fn live_retired_webhook_secrets(
    conn: &mut Conn,
    client_id: &str,
    now: i64,
) -> Result<Vec<RetiredWebhookSecretRow>> {
    Ok(sqlx::query_as(
        "SELECT id, client_id, secret_enc, retired_at, expires_at FROM webhook_retired_secrets
         WHERE client_id = $1 AND expires_at > $2 ORDER BY retired_at DESC, id DESC",
    )
    .bind(client_id)
    .bind(now)
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SigningKeyRow {
    pub kid: String,
    pub private_key_enc: String,
    pub created_at: i64,
}

pub async fn insert_signing_key(conn: &mut Conn, k: &SigningKeyRow) -> Result<()> {
    sqlx::query("INSERT INTO signing_keys (kid, private_key_enc, created_at) VALUES ($1, $2, $3)")
        .bind(&k.kid)
        .bind(&k.private_key_enc)
        .bind(k.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Newest first: the first signs, all verify.
pub async fn signing_keys(conn: &mut Conn) -> Result<Vec<SigningKeyRow>> {
    Ok(sqlx::query_as(
        "SELECT kid, private_key_enc, created_at FROM signing_keys ORDER BY created_at DESC, kid",
    )
    .fetch_all(conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::stores;

    fn client(id: &str, key: &str) -> ClientRow {
        ClientRow {
            id: id.into(),
            name: "Acme".into(),
            api_key: key.into(),
            webhook_url: Some("http://127.0.0.1:9/hook".into()),
            report_webhook_url: None,
            webhook_secret_enc: "enc".into(),
            auto_delivery: false,
            created_at: 1,
        }
    }

    #[tokio::test]
    async fn secrets_rotate_with_a_grace_period() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            insert_client(&mut tx, &client("c1", "pk_1")).await.unwrap();
            let old = SecretRow {
                id: "s1".into(),
                client_id: "c1".into(),
                secret_hash: "h1".into(),
                created_at: 10,
                expires_at: None,
            };
            insert_secret(&mut tx, &old).await.unwrap();
            expire_secrets(&mut tx, "c1", 1_000).await.unwrap();
            let new = SecretRow {
                id: "s2".into(),
                client_id: "c1".into(),
                secret_hash: "h2".into(),
                created_at: 20,
                expires_at: None,
            };
            insert_secret(&mut tx, &new).await.unwrap();
            tx.commit().await.unwrap();

            let mut conn = store.read().await.unwrap();
            let during: Vec<_> = live_secrets(&mut conn, "c1", 999)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.secret_hash)
                .collect();
            assert_eq!(during, ["h2", "h1"]);
            let after: Vec<_> = live_secrets(&mut conn, "c1", 1_000)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.secret_hash)
                .collect();
            assert_eq!(after, ["h2"]);
            assert_eq!(
                client_by_api_key(&mut conn, "pk_1")
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
                "c1"
            );
            assert!(client_by_api_key(&mut conn, "pk_2")
                .await
                .unwrap()
                .is_none());
        }
    }

    #[tokio::test]
    async fn webhook_secrets_rotate_by_compare_and_swap_with_a_grace_period() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            insert_client(&mut tx, &client("c1", "pk_1")).await.unwrap();
            assert!(swap_webhook_secret(&mut tx, "c1", "enc", "enc2")
                .await
                .unwrap());
            assert!(
                !swap_webhook_secret(&mut tx, "c1", "enc", "enc3")
                    .await
                    .unwrap(),
                "a rotation that read the old secret loses to the one that replaced it"
            );
            for (id, retired, expires) in [("r1", 10, 1_000), ("r2", 20, 2_000)] {
                insert_retired_webhook_secret(
                    &mut tx,
                    &RetiredWebhookSecretRow {
                        id: id.into(),
                        client_id: "c1".into(),
                        secret_enc: format!("old-{id}"),
                        retired_at: retired,
                        expires_at: expires,
                    },
                )
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
            let mut conn = store.read().await.unwrap();
            let live = |rows: Vec<RetiredWebhookSecretRow>| {
                rows.into_iter().map(|r| r.secret_enc).collect::<Vec<_>>()
            };
            assert_eq!(
                live(
                    live_retired_webhook_secrets(&mut conn, "c1", 999)
                        .await
                        .unwrap()
                ),
                ["old-r2", "old-r1"]
            );
            assert_eq!(
                live(
                    live_retired_webhook_secrets(&mut conn, "c1", 1_000)
                        .await
                        .unwrap()
                ),
                ["old-r2"]
            );
            assert_eq!(
                client_by_id(&mut conn, "c1")
                    .await
                    .unwrap()
                    .unwrap()
                    .webhook_secret_enc,
                "enc2"
            );
        }
    }

    #[tokio::test]
    async fn api_keys_are_unique() {
        for (store, _dir) in stores().await {
            let mut tx = store.begin().await.unwrap();
            insert_client(&mut tx, &client("c1", "pk_1")).await.unwrap();
            assert!(insert_client(&mut tx, &client("c2", "pk_1")).await.is_err());
        }
    }
}
