//! Consent lifecycle state: the renewal history of consents v3 `extends`, and each
//! consent's test-clock offset (how far the sandbox's client has moved its time ahead;
//! the bank judges that consent's expiry by real time plus this offset).

use serde_json::Value;
use sqlx::Row;

use super::{Res, Store};

pub const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS sandbox_consent_clocks (
        consent_id TEXT PRIMARY KEY, offset_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_consent_extensions (
        consent_id TEXT NOT NULL, seq BIGINT NOT NULL, expiration BIGINT,
        previous_expiration BIGINT, logged_user TEXT NOT NULL, customer_ip TEXT NOT NULL,
        user_agent TEXT NOT NULL, requested_at BIGINT NOT NULL,
        PRIMARY KEY (consent_id, seq))",
];

/// One renewal, as `GET /consents/{id}/extensions` lists it.
#[derive(Clone, Debug)]
pub struct Extension {
    pub expiration: Option<i64>,
    pub previous_expiration: Option<i64>,
    pub logged_user: Value,
    pub customer_ip: String,
    pub user_agent: String,
    pub requested_at: i64,
}

/// A renewal to record; `previous` is the expiration it replaces (compare-and-set).
pub struct NewExtension<'a> {
    pub consent_id: &'a str,
    pub expiration: Option<i64>,
    pub previous: Option<i64>,
    pub logged_user: &'a Value,
    pub customer_ip: &'a str,
    pub user_agent: &'a str,
    pub requested_at: i64,
    /// New expiry (real time) of the consent's live refresh tokens: renewing keeps them.
    pub refresh_expires_at: i64,
}

impl Store {
    /// The consent's test-clock offset in milliseconds (0 unless a test moved it).
    pub async fn consent_clock_offset(&self, consent_id: &str) -> Res<i64> {
        let row = sqlx::query("SELECT offset_ms FROM sandbox_consent_clocks WHERE consent_id = $1")
            .bind(consent_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map_or(Ok(0), |r| r.try_get("offset_ms"))
    }

    /// Sets the consent's offset (absolute, so repeating a call changes nothing).
    pub async fn set_consent_clock_offset(&self, consent_id: &str, offset_ms: i64) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_consent_clocks (consent_id, offset_ms) VALUES ($1, $2)
             ON CONFLICT (consent_id) DO UPDATE SET offset_ms = $3",
        )
        .bind(consent_id)
        .bind(offset_ms)
        .bind(offset_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Applies a renewal if the consent is still AUTHORISED with the expiration it was
    /// judged on; false when something changed in between (the caller re-reads).
    pub async fn extend_consent(&self, e: &NewExtension<'_>) -> Res<bool> {
        let mut tx = self.pool.begin().await?;
        // `expiration = $n` never matches NULL, so an indefinite consent needs its own text.
        let sql = match e.previous {
            Some(_) => {
                "UPDATE sandbox_consents SET expiration = $1, logged_user = $2
                 WHERE id = $3 AND status = 'AUTHORISED' AND expiration = $4"
            }
            None => {
                "UPDATE sandbox_consents SET expiration = $1, logged_user = $2
                 WHERE id = $3 AND status = 'AUTHORISED' AND expiration IS NULL"
            }
        };
        let mut q = sqlx::query(sql)
            .bind(e.expiration)
            .bind(e.logged_user.to_string())
            .bind(e.consent_id);
        if let Some(p) = e.previous {
            q = q.bind(p);
        }
        if q.execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(false);
        }
        let seq: i64 = sqlx::query(
            "SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM sandbox_consent_extensions
             WHERE consent_id = $1",
        )
        .bind(e.consent_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("next")?;
        sqlx::query(
            "INSERT INTO sandbox_consent_extensions (consent_id, seq, expiration,
             previous_expiration, logged_user, customer_ip, user_agent, requested_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.consent_id)
        .bind(seq)
        .bind(e.expiration)
        .bind(e.previous)
        .bind(e.logged_user.to_string())
        .bind(e.customer_ip)
        .bind(e.user_agent)
        .bind(e.requested_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE sandbox_tokens SET expires_at = $1
             WHERE consent_id = $2 AND kind = 'refresh' AND revoked = 0",
        )
        .bind(e.refresh_expires_at)
        .bind(e.consent_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The consent's renewals, newest first (the order OFB mandates).
    pub async fn consent_extensions(&self, consent_id: &str) -> Res<Vec<Extension>> {
        let rows = sqlx::query(
            "SELECT expiration, previous_expiration, logged_user, customer_ip, user_agent,
             requested_at FROM sandbox_consent_extensions WHERE consent_id = $1
             ORDER BY seq DESC",
        )
        .bind(consent_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let user: String = r.try_get("logged_user")?;
                Ok(Extension {
                    expiration: r.try_get("expiration")?,
                    previous_expiration: r.try_get("previous_expiration")?,
                    logged_user: serde_json::from_str(&user).unwrap_or_default(),
                    customer_ip: r.try_get("customer_ip")?,
                    user_agent: r.try_get("user_agent")?,
                    requested_at: r.try_get("requested_at")?,
                })
            })
            .collect()
    }
}
