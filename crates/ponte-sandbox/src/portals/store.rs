//! The portals' own state: login transactions, authorization codes, sessions
//! and the download counters `user_flaky` needs. Same rules as the banks'
//! store (sqlx Any, one query text for SQLite and PostgreSQL, times as unix
//! millis, secrets kept only as SHA-256 hashes), in tables of its own.

use sqlx::{AnyPool, Executor, Row};

use crate::util::{now_ms, sha256_hex};

type Res<T> = Result<T, sqlx::Error>;

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS sandbox_portal_grants (
        handle_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, portal TEXT NOT NULL,
        client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, state TEXT NOT NULL,
        step TEXT NOT NULL, username TEXT, expires_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandbox_portal_calls (
        session_hash TEXT NOT NULL, document_id TEXT NOT NULL, calls BIGINT NOT NULL,
        PRIMARY KEY (session_hash, document_id))",
    // A session's test clock (Ponte's sandbox test clocks): how far its time
    // runs ahead of real time. No row: real time.
    "CREATE TABLE IF NOT EXISTS sandbox_portal_clocks (
        session_hash TEXT PRIMARY KEY, offset_ms BIGINT NOT NULL)",
];

/// A row of `sandbox_portal_grants`: a login transaction (`txn`), an
/// authorization code (`code`) or a session (`session`).
#[derive(Clone, Debug)]
pub struct Grant {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: String,
    pub step: String,
    pub username: Option<String>,
}

#[derive(Clone)]
pub struct PortalStore {
    pool: AnyPool,
}

impl PortalStore {
    /// Creates the portals' tables in the banks' database, on its pool.
    pub async fn open(url: &str, pool: AnyPool) -> anyhow::Result<Self> {
        let is_sqlite = url.starts_with("sqlite:");
        let mut conn = pool.acquire().await?;
        // Several nodes may start together on one PostgreSQL: serialise the DDL
        // (a lock id of its own, so it never waits on the banks' schema).
        if !is_sqlite {
            conn.execute("SELECT 1 FROM (SELECT pg_advisory_lock(7305127)) AS l")
                .await?;
        }
        for stmt in SCHEMA {
            conn.execute(*stmt).await?;
        }
        if !is_sqlite {
            conn.execute("SELECT 1 FROM (SELECT pg_advisory_unlock(7305127)) AS l")
                .await?;
        }
        drop(conn);
        Ok(PortalStore { pool })
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert(
        &self,
        kind: &str,
        handle: &str,
        portal: &str,
        grant: &Grant,
        ttl_ms: i64,
    ) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_portal_grants (handle_hash, kind, portal, client_id,
             redirect_uri, state, step, username, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(sha256_hex(handle))
        .bind(kind)
        .bind(portal)
        .bind(&grant.client_id)
        .bind(&grant.redirect_uri)
        .bind(&grant.state)
        .bind(&grant.step)
        .bind(grant.username.clone())
        .bind(now_ms() + ttl_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A live grant of `kind` at `portal`.
    pub async fn get(&self, kind: &str, portal: &str, handle: &str) -> Res<Option<Grant>> {
        let row = sqlx::query(
            "SELECT client_id, redirect_uri, state, step, username FROM sandbox_portal_grants
             WHERE handle_hash = $1 AND kind = $2 AND portal = $3 AND expires_at > $4",
        )
        .bind(sha256_hex(handle))
        .bind(kind)
        .bind(portal)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Grant {
                client_id: r.try_get("client_id")?,
                redirect_uri: r.try_get("redirect_uri")?,
                state: r.try_get("state")?,
                step: r.try_get("step")?,
                username: r.try_get("username")?,
            })
        })
        .transpose()
    }

    /// Compare-and-set of a live grant's step (and user): each page is
    /// submitted once, a code is redeemed once. False when `from` no longer holds.
    pub async fn advance(
        &self,
        kind: &str,
        portal: &str,
        handle: &str,
        from: &str,
        to: &str,
        username: Option<&str>,
    ) -> Res<bool> {
        let r = sqlx::query(
            "UPDATE sandbox_portal_grants SET step = $1, username = COALESCE($2, username)
             WHERE handle_hash = $3 AND kind = $4 AND portal = $5 AND step = $6
             AND expires_at > $7",
        )
        .bind(to)
        .bind(username)
        .bind(sha256_hex(handle))
        .bind(kind)
        .bind(portal)
        .bind(from)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Counts one more download of `document_id` in a session; returns the count.
    pub async fn count_call(&self, session: &str, document_id: &str) -> Res<i64> {
        let hash = sha256_hex(session);
        sqlx::query(
            "INSERT INTO sandbox_portal_calls (session_hash, document_id, calls) VALUES ($1, $2, 1)
             ON CONFLICT (session_hash, document_id) DO UPDATE
             SET calls = sandbox_portal_calls.calls + 1",
        )
        .bind(&hash)
        .bind(document_id)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query(
            "SELECT calls FROM sandbox_portal_calls WHERE session_hash = $1 AND document_id = $2",
        )
        .bind(&hash)
        .bind(document_id)
        .fetch_one(&self.pool)
        .await?;
        row.try_get("calls")
    }

    /// Sets a session's test-clock offset (ms ahead of real time).
    pub async fn set_clock(&self, session: &str, offset_ms: i64) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_portal_clocks (session_hash, offset_ms) VALUES ($1, $2)
             ON CONFLICT (session_hash) DO UPDATE SET offset_ms = $3",
        )
        .bind(sha256_hex(session))
        .bind(offset_ms)
        .bind(offset_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A session's time now: real time plus its test-clock offset.
    pub async fn now_of(&self, session: &str) -> Res<i64> {
        let row =
            sqlx::query("SELECT offset_ms FROM sandbox_portal_clocks WHERE session_hash = $1")
                .bind(sha256_hex(session))
                .fetch_optional(&self.pool)
                .await?;
        let offset: i64 = match row {
            Some(r) => r.try_get("offset_ms")?,
            None => 0,
        };
        Ok(now_ms() + offset)
    }
}
