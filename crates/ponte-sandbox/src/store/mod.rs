//! Sandbox state in SQLite or Postgres through sqlx's Any driver.
//!
//! One query text must serve both databases, hence: times as BIGINT unix millis, JSON and
//! flags as TEXT/BIGINT, `$n` placeholders numbered in order of appearance (SQLite binds
//! them by first appearance), and no sqlx migrator (its table would clash with Ponte's).
//! Secrets (tokens, codes, request URIs) are stored only as SHA-256 hashes.

use serde_json::Value;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

mod auth;
mod data;
mod fapi;
mod lifecycle;
mod recipients;

pub use data::counter;
pub use fapi::StoredClient;
pub use lifecycle::{Extension, NewExtension};

use crate::util::now_ms;

type Res<T> = Result<T, sqlx::Error>;

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS sandbox_consents (
        id TEXT PRIMARY KEY, bank TEXT NOT NULL, client_id TEXT NOT NULL, status TEXT NOT NULL,
        permissions TEXT NOT NULL, logged_user TEXT NOT NULL, business_entity TEXT,
        expiration BIGINT, created_at BIGINT NOT NULL, status_updated_at BIGINT NOT NULL,
        rejection TEXT)",
    "CREATE TABLE IF NOT EXISTS sandbox_auth_requests (
        handle_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, bank TEXT NOT NULL,
        client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, state TEXT NOT NULL, nonce TEXT,
        code_challenge TEXT NOT NULL, consent_id TEXT NOT NULL, step TEXT NOT NULL,
        username TEXT, otp_failures BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_tokens (
        token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, bank TEXT NOT NULL,
        client_id TEXT NOT NULL, scope TEXT NOT NULL, consent_id TEXT, code_hash TEXT,
        redirect_uri TEXT, code_challenge TEXT, expires_at BIGINT NOT NULL,
        revoked BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sandbox_tokens_consent ON sandbox_tokens (consent_id)",
    "CREATE INDEX IF NOT EXISTS sandbox_tokens_code ON sandbox_tokens (code_hash)",
    "CREATE TABLE IF NOT EXISTS sandbox_recipients (consent_id TEXT PRIMARY KEY, name TEXT NOT NULL)",
];

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
}

#[derive(Clone, Debug)]
pub struct Consent {
    pub id: String,
    pub client_id: String,
    pub status: String,
    pub permissions: Vec<String>,
    pub expiration: Option<i64>,
    pub created_at: i64,
    pub status_updated_at: i64,
    pub rejection: Option<Value>,
}

/// What the client asked for at /authorize (or PAR), and later the login journey's progress.
#[derive(Clone, Debug)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: String,
    pub nonce: Option<String>,
    pub code_challenge: String,
    pub consent_id: String,
    /// Set when the request came from a FAPI client's signed request object: the answer is
    /// then the hybrid `code id_token` in the fragment.
    pub fapi: Option<FapiAuth>,
}

/// What a FAPI authorization request adds.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FapiAuth {
    /// `acr` values the client asked for (`claims.id_token.acr.value(s)`), possibly none.
    pub acr_values: Vec<String>,
    /// Who the end user shares with (Ponte's `recipient_name` claim), for the
    /// consent page: signed inside the request object.
    #[serde(default)]
    pub recipient_name: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Txn {
    pub req: AuthRequest,
    pub step: String,
    pub username: Option<String>,
    pub expires_at: i64,
}

/// A row of sandbox_tokens; `kind` is access, refresh or code.
#[derive(Clone, Debug)]
pub struct Token {
    pub client_id: String,
    pub scope: String,
    pub consent_id: Option<String>,
    pub code_hash: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_challenge: Option<String>,
    pub expires_at: i64,
    pub revoked: bool,
    /// RFC 8705 `x5t#S256` the token is bound to (FAPI clients' tokens).
    pub cnf: Option<String>,
    /// For codes of FAPI requests: what the token endpoint's ID token repeats
    /// (`sub`, `nonce`, `acr`, `auth_time`).
    pub extras: Option<Value>,
}

pub struct NewToken<'a> {
    pub kind: &'a str,
    pub bank: &'a str,
    pub client_id: &'a str,
    pub scope: &'a str,
    pub consent_id: Option<&'a str>,
    pub code_hash: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub ttl_ms: i64,
    pub cnf: Option<&'a str>,
    pub extras: Option<&'a Value>,
}

/// Outcome of redeeming an authorization code.
pub enum Redeem {
    Ok(Box<Token>),
    Unknown,
    /// Already used: the caller must revoke what it produced.
    Replayed,
}

const AWAITING_TTL_MS: i64 = 60 * 60 * 1000;

impl Store {
    /// Connects and creates the banks' tables. The pool is the sandbox's one
    /// pool, shared with the document portals ([`Store::pool`]). On SQLite it
    /// holds one connection: SQLite has one writer anyway, and every
    /// connection costs the idle process a thread and its memory (the 13 banks
    /// registering Ponte at start used to open four, for good).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let is_sqlite = url.starts_with("sqlite:");
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 1 } else { 12 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        // In WAL, NORMAL syncs at checkpoints, not at each
                        // commit: a crash of the process loses nothing, a
                        // power cut at most the last commits of a synthetic
                        // bank. FULL made the ~35 writes of one end user's
                        // connection about 10 ms of it.
                        conn.execute("PRAGMA synchronous=NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout=5000").await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("sandbox database: {e}"))?;
        // Concurrent CREATE TABLE IF NOT EXISTS can still collide on Postgres's catalog when
        // several processes start together, so serialise it with an advisory lock. The
        // outer SELECT keeps the result type to int, which the Any driver can decode.
        let mut conn = pool.acquire().await?;
        if !is_sqlite {
            conn.execute("SELECT 1 FROM (SELECT pg_advisory_lock(7305126)) AS l")
                .await?;
        }
        for stmt in SCHEMA
            .iter()
            .chain(data::SCHEMA)
            .chain(fapi::SCHEMA)
            .chain(lifecycle::SCHEMA)
        {
            conn.execute(*stmt).await?;
        }
        if !is_sqlite {
            conn.execute("SELECT 1 FROM (SELECT pg_advisory_unlock(7305126)) AS l")
                .await?;
        }
        drop(conn);
        Ok(Store { pool })
    }

    /// The pool, for the document portals' store.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    // ---- consents ----

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_consent(
        &self,
        id: &str,
        bank: &str,
        client_id: &str,
        permissions: &[String],
        logged_user: &Value,
        business_entity: Option<&Value>,
        expiration: Option<i64>,
        now: i64,
    ) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_consents (id, bank, client_id, status, permissions, logged_user,
             business_entity, expiration, created_at, status_updated_at, rejection)
             VALUES ($1, $2, $3, 'AWAITING_AUTHORISATION', $4, $5, $6, $7, $8, $9, NULL)",
        )
        .bind(id)
        .bind(bank)
        .bind(client_id)
        .bind(serde_json::to_string(permissions).unwrap_or_default())
        .bind(logged_user.to_string())
        .bind(business_entity.map(|v| v.to_string()))
        .bind(expiration)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Loads a consent, first applying the time-based transitions OFB mandates
    /// (unauthorised for 60 min → CONSENT_EXPIRED; past expiration → CONSENT_MAX_DATE_REACHED).
    pub async fn consent(&self, bank: &str, id: &str) -> Res<Option<Consent>> {
        let Some(c) = self.load_consent(bank, id).await? else {
            return Ok(None);
        };
        // Judged by the consent's own clock, which a test may have moved ahead.
        let now = now_ms() + self.consent_clock_offset(id).await?;
        let lapsed = match c.status.as_str() {
            "AWAITING_AUTHORISATION" if now > c.created_at + AWAITING_TTL_MS => {
                Some("CONSENT_EXPIRED")
            }
            "AUTHORISED" if c.expiration.is_some_and(|e| now > e) => {
                Some("CONSENT_MAX_DATE_REACHED")
            }
            _ => None,
        };
        if let Some(code) = lapsed {
            let rejection = serde_json::json!({"rejectedBy": "ASPSP", "reason": {"code": code}});
            self.reject_consent(id, &[c.status.as_str()], &rejection)
                .await?;
            return self.load_consent(bank, id).await;
        }
        Ok(Some(c))
    }

    async fn load_consent(&self, bank: &str, id: &str) -> Res<Option<Consent>> {
        let row = sqlx::query(
            "SELECT id, client_id, status, permissions, expiration, created_at,
             status_updated_at, rejection FROM sandbox_consents WHERE id = $1 AND bank = $2",
        )
        .bind(id)
        .bind(bank)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| consent_from_row(&r)).transpose()
    }

    /// Moves a consent from AWAITING_AUTHORISATION to AUTHORISED; false if it was not awaiting.
    pub async fn authorise_consent(&self, id: &str) -> Res<bool> {
        let r = sqlx::query(
            "UPDATE sandbox_consents SET status = 'AUTHORISED', status_updated_at = $1
             WHERE id = $2 AND status = 'AWAITING_AUTHORISATION'",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Rejects a consent currently in one of `from` and kills every token bound to it.
    /// Returns false when the consent was in none of those states.
    pub async fn reject_consent(&self, id: &str, from: &[&str], rejection: &Value) -> Res<bool> {
        let mut changed = false;
        for status in from {
            let r = sqlx::query(
                "UPDATE sandbox_consents SET status = 'REJECTED', status_updated_at = $1,
                 rejection = $2 WHERE id = $3 AND status = $4",
            )
            .bind(now_ms())
            .bind(rejection.to_string())
            .bind(id)
            .bind(*status)
            .execute(&self.pool)
            .await?;
            changed |= r.rows_affected() == 1;
        }
        sqlx::query("UPDATE sandbox_tokens SET revoked = 1 WHERE consent_id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(changed)
    }
}

fn consent_from_row(r: &AnyRow) -> Res<Consent> {
    let perms: String = r.try_get("permissions")?;
    let rejection: Option<String> = r.try_get("rejection")?;
    Ok(Consent {
        id: r.try_get("id")?,
        client_id: r.try_get("client_id")?,
        status: r.try_get("status")?,
        permissions: serde_json::from_str(&perms).unwrap_or_default(),
        expiration: r.try_get("expiration")?,
        created_at: r.try_get("created_at")?,
        status_updated_at: r.try_get("status_updated_at")?,
        rejection: rejection.and_then(|s| serde_json::from_str(&s).ok()),
    })
}

fn token_from_row(r: &AnyRow) -> Res<Token> {
    let revoked: i64 = r.try_get("revoked")?;
    Ok(Token {
        client_id: r.try_get("client_id")?,
        scope: r.try_get("scope")?,
        consent_id: r.try_get("consent_id")?,
        code_hash: r.try_get("code_hash")?,
        redirect_uri: r.try_get("redirect_uri")?,
        code_challenge: r.try_get("code_challenge")?,
        expires_at: r.try_get("expires_at")?,
        revoked: revoked != 0,
        cnf: None,
        extras: None,
    })
}
