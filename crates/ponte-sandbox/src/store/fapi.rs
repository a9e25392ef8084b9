//! FAPI state: dynamically registered clients, the banks' ID-token key, seen assertion
//! `jti`s, the misbehaviour switch, and what FAPI adds to tokens and authorization
//! requests. The additions live in side tables, not new columns, so a sandbox database
//! created by an earlier version keeps working (`CREATE TABLE IF NOT EXISTS` only).

use serde_json::Value;
use sqlx::Row;

use super::{Res, Store};
use crate::util::{now_ms, sha256_hex};

pub(super) const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS sandbox_clients (
        client_id TEXT PRIMARY KEY, bank TEXT NOT NULL, software_id TEXT NOT NULL,
        registration_token_hash TEXT NOT NULL, client TEXT NOT NULL, metadata TEXT NOT NULL,
        created_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_keys (name TEXT PRIMARY KEY, pem TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_jtis (
        client_id TEXT NOT NULL, jti TEXT NOT NULL, expires_at BIGINT NOT NULL,
        PRIMARY KEY (client_id, jti))",
    "CREATE TABLE IF NOT EXISTS sandbox_misbehaviour (bank TEXT PRIMARY KEY, mode TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_token_extras (
        token_hash TEXT PRIMARY KEY, cnf TEXT, extras TEXT)",
    "CREATE TABLE IF NOT EXISTS sandbox_auth_extras (handle_hash TEXT PRIMARY KEY, extras TEXT NOT NULL)",
];

/// A dynamically registered client as stored.
pub struct StoredClient {
    pub bank: String,
    pub registration_token_hash: String,
    /// `crate::SandboxClient` as JSON.
    pub client: Value,
    /// The registered metadata, echoed by RFC 7592 reads.
    pub metadata: Value,
}

impl Store {
    // ---- the banks' signing key ----

    /// The PEM stored under `name`, storing `make()`'s when there is none yet. Several
    /// nodes starting together all end up with the first one written.
    pub async fn key_or_insert(&self, name: &str, candidate: &str) -> Res<String> {
        sqlx::query(
            "INSERT INTO sandbox_keys (name, pem) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .execute(&self.pool)
        .await?;
        self.key(name)
            .await?
            .ok_or_else(|| sqlx::Error::RowNotFound)
    }

    pub async fn key(&self, name: &str) -> Res<Option<String>> {
        let row = sqlx::query("SELECT pem FROM sandbox_keys WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    // ---- client assertion replay ----

    /// Records a client assertion's `jti`; false when the client used it before.
    pub async fn remember_jti(&self, client_id: &str, jti: &str, expires_at_ms: i64) -> Res<bool> {
        let now = now_ms();
        sqlx::query("DELETE FROM sandbox_jtis WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        let r = sqlx::query(
            "INSERT INTO sandbox_jtis (client_id, jti, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (client_id, jti) DO NOTHING",
        )
        .bind(client_id)
        .bind(jti)
        .bind(expires_at_ms.max(now))
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    // ---- misbehaviour ----

    /// The mode for `bank` (a bank's own setting wins over the one for all banks).
    pub async fn misbehaviour(&self, bank: &str) -> Res<Option<String>> {
        let rows = sqlx::query(
            "SELECT bank, mode FROM sandbox_misbehaviour WHERE bank = $1 OR bank = '*'",
        )
        .bind(bank)
        .fetch_all(&self.pool)
        .await?;
        let mut all = None;
        for r in rows {
            let (b, mode): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            if b == bank {
                return Ok(Some(mode).filter(|m| m != "none"));
            }
            all = Some(mode);
        }
        Ok(all.filter(|m| m != "none"))
    }

    /// Sets the mode of one bank, or (`bank` None) of all banks, clearing per-bank ones.
    pub async fn set_misbehaviour(&self, bank: Option<&str>, mode: &str) -> Res<()> {
        let key = match bank {
            Some(b) => b,
            None => {
                sqlx::query("DELETE FROM sandbox_misbehaviour")
                    .execute(&self.pool)
                    .await?;
                "*"
            }
        };
        sqlx::query(
            "INSERT INTO sandbox_misbehaviour (bank, mode) VALUES ($1, $2)
             ON CONFLICT (bank) DO UPDATE SET mode = excluded.mode",
        )
        .bind(key)
        .bind(mode)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every setting, `*` meaning all banks.
    pub async fn misbehaviours(&self) -> Res<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT bank, mode FROM sandbox_misbehaviour ORDER BY bank")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    // ---- token and request extras ----

    pub(super) async fn put_token_extras(
        &self,
        token_hash: &str,
        cnf: Option<&str>,
        extras: Option<&Value>,
    ) -> Res<()> {
        if cnf.is_none() && extras.is_none() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO sandbox_token_extras (token_hash, cnf, extras) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(cnf)
        .bind(extras.map(Value::to_string))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub(super) async fn token_extras(
        &self,
        token_hash: &str,
    ) -> Res<(Option<String>, Option<Value>)> {
        let row = sqlx::query("SELECT cnf, extras FROM sandbox_token_extras WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else {
            return Ok((None, None));
        };
        let extras: Option<String> = r.try_get(1)?;
        Ok((
            r.try_get(0)?,
            extras.and_then(|s| serde_json::from_str(&s).ok()),
        ))
    }

    pub(super) async fn put_auth_extras(&self, handle_hash: &str, extras: &Value) -> Res<()> {
        sqlx::query("INSERT INTO sandbox_auth_extras (handle_hash, extras) VALUES ($1, $2)")
            .bind(handle_hash)
            .bind(extras.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub(super) async fn auth_extras(&self, handle_hash: &str) -> Res<Option<Value>> {
        let row = sqlx::query("SELECT extras FROM sandbox_auth_extras WHERE handle_hash = $1")
            .bind(handle_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get::<String, _>(0))
            .transpose()?
            .and_then(|s| serde_json::from_str(&s).ok()))
    }

    /// Revokes a client's access or refresh token (RFC 7009); unknown tokens are ignored.
    pub async fn revoke_token(&self, bank: &str, client_id: &str, secret: &str) -> Res<()> {
        sqlx::query(
            "UPDATE sandbox_tokens SET revoked = 1 WHERE token_hash = $1 AND bank = $2
             AND client_id = $3 AND kind IN ('access', 'refresh')",
        )
        .bind(sha256_hex(secret))
        .bind(bank)
        .bind(client_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // ---- dynamically registered clients ----

    pub async fn insert_client(
        &self,
        client_id: &str,
        bank: &str,
        software_id: &str,
        registration_token: &str,
        client: &Value,
        metadata: &Value,
    ) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_clients (client_id, bank, software_id, registration_token_hash,
             client, metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(client_id)
        .bind(bank)
        .bind(software_id)
        .bind(sha256_hex(registration_token))
        .bind(client.to_string())
        .bind(metadata.to_string())
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn update_client(
        &self,
        client_id: &str,
        client: &Value,
        metadata: &Value,
    ) -> Res<()> {
        sqlx::query("UPDATE sandbox_clients SET client = $1, metadata = $2 WHERE client_id = $3")
            .bind(client.to_string())
            .bind(metadata.to_string())
            .bind(client_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a registration and kills every token issued to it.
    pub async fn delete_client(&self, client_id: &str) -> Res<()> {
        sqlx::query("DELETE FROM sandbox_clients WHERE client_id = $1")
            .bind(client_id)
            .execute(&self.pool)
            .await?;
        sqlx::query("UPDATE sandbox_tokens SET revoked = 1 WHERE client_id = $1")
            .bind(client_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn stored_client(&self, client_id: &str) -> Res<Option<StoredClient>> {
        let row = sqlx::query(
            "SELECT bank, registration_token_hash, client, metadata FROM sandbox_clients
             WHERE client_id = $1",
        )
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let client: String = r.try_get(2)?;
            let metadata: String = r.try_get(3)?;
            Ok(StoredClient {
                bank: r.try_get(0)?,
                registration_token_hash: r.try_get(1)?,
                client: serde_json::from_str(&client).unwrap_or_default(),
                metadata: serde_json::from_str(&metadata).unwrap_or_default(),
            })
        })
        .transpose()
    }
}
