//! What the data APIs need beyond OAuth: who authorised a consent (the data is theirs),
//! per-resource call counts (`user_flaky`, `user_throttled`), per-token call counts
//! (`user_expiring`) and the consent's activity counters, all in `sandbox_calls`.

use super::{Res, Store};
use sqlx::Row;

/// Whose data a consent opens.
#[derive(Clone, Debug)]
pub struct ConsentUser {
    pub username: String,
    /// `loggedUser.document.identification` of the consent.
    pub cpf: String,
    /// `businessEntity.document.identification`, if the consent has one.
    pub cnpj: Option<String>,
}

pub(super) const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS sandbox_consent_users (
        consent_id TEXT PRIMARY KEY, username TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_calls (
        consent_id TEXT NOT NULL, resource TEXT NOT NULL, n BIGINT NOT NULL,
        PRIMARY KEY (consent_id, resource))",
];

/// Counter keys of `sandbox_calls` that are not resources (resources never start with '#').
pub mod counter {
    /// Refresh-token grants the bank honoured for the consent (each one rotates the token).
    pub const REFRESHES: &str = "#refreshes";
    /// Data-API calls answered 429.
    pub const THROTTLED: &str = "#throttled";
    /// Access tokens that stopped working before their time (`user_expiring`).
    pub const EXPIRED_TOKENS: &str = "#expired-tokens";

    /// Calls made with one access token, keyed by the token's hash.
    pub fn token_calls(token_hash: &str) -> String {
        format!("#token:{token_hash}")
    }
}

impl Store {
    /// Records the user who logged in and approved the consent (first one wins).
    pub async fn record_user(&self, consent_id: &str, username: &str) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_consent_users (consent_id, username) VALUES ($1, $2)
             ON CONFLICT (consent_id) DO NOTHING",
        )
        .bind(consent_id)
        .bind(username)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user who authorised the consent, the CPF the consent names and its business
    /// entity's CNPJ.
    pub async fn consent_user(&self, consent_id: &str) -> Res<Option<ConsentUser>> {
        let row = sqlx::query(
            "SELECT u.username, c.logged_user, c.business_entity FROM sandbox_consent_users u
             JOIN sandbox_consents c ON c.id = u.consent_id WHERE u.consent_id = $1",
        )
        .bind(consent_id)
        .fetch_optional(&self.pool)
        .await?;
        let doc = |json: Option<String>| {
            let v: serde_json::Value = json
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default();
            v["document"]["identification"].as_str().map(str::to_string)
        };
        row.map(|r| {
            Ok(ConsentUser {
                username: r.try_get(0)?,
                cpf: doc(r.try_get(1)?).unwrap_or_default(),
                cnpj: doc(r.try_get(2)?),
            })
        })
        .transpose()
    }

    /// Counts a call to `resource` under the consent; returns the count including this one.
    pub async fn count_call(&self, consent_id: &str, resource: &str) -> Res<i64> {
        let row = sqlx::query(
            "INSERT INTO sandbox_calls (consent_id, resource, n) VALUES ($1, $2, 1)
             ON CONFLICT (consent_id, resource) DO UPDATE SET n = sandbox_calls.n + 1
             RETURNING n",
        )
        .bind(consent_id)
        .bind(resource)
        .fetch_one(&self.pool)
        .await?;
        row.try_get(0)
    }

    /// The current value of a counter (0 when it never moved).
    pub async fn counter(&self, consent_id: &str, key: &str) -> Res<i64> {
        let row =
            sqlx::query("SELECT n FROM sandbox_calls WHERE consent_id = $1 AND resource = $2")
                .bind(consent_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        row.map_or(Ok(0), |r| r.try_get(0))
    }
}
