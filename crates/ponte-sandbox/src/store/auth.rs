//! Authorization requests (PAR handles, login transactions), codes and tokens.

use sqlx::Row;

use super::{token_from_row, AuthRequest, NewToken, Redeem, Res, Store, Token, Txn};
use crate::util::{now_ms, sha256_hex};

impl Store {
    // ---- authorization requests (PAR handles and login transactions) ----

    /// Stores a request under a random handle (`kind` = "par" or "txn").
    pub async fn insert_auth_request(
        &self,
        kind: &str,
        handle: &str,
        bank: &str,
        req: &AuthRequest,
        ttl_ms: i64,
    ) -> Res<()> {
        sqlx::query(
            "INSERT INTO sandbox_auth_requests (handle_hash, kind, bank, client_id, redirect_uri,
             state, nonce, code_challenge, consent_id, step, username, otp_failures, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'login', NULL, 0, $10)",
        )
        .bind(sha256_hex(handle))
        .bind(kind)
        .bind(bank)
        .bind(&req.client_id)
        .bind(&req.redirect_uri)
        .bind(&req.state)
        .bind(req.nonce.clone())
        .bind(&req.code_challenge)
        .bind(&req.consent_id)
        .bind(now_ms() + ttl_ms)
        .execute(&self.pool)
        .await?;
        if let Some(f) = &req.fapi {
            let extras = serde_json::to_value(f).unwrap_or_default();
            self.put_auth_extras(&sha256_hex(handle), &extras).await?;
        }
        Ok(())
    }

    /// Consumes a PAR handle: one-time use, and only before it expires.
    pub async fn take_par(&self, bank: &str, request_uri: &str) -> Res<Option<AuthRequest>> {
        let hash = sha256_hex(request_uri);
        let r = sqlx::query(
            "UPDATE sandbox_auth_requests SET step = 'used' WHERE handle_hash = $1 AND kind = 'par'
             AND bank = $2 AND step = 'login' AND expires_at > $3",
        )
        .bind(&hash)
        .bind(bank)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        if r.rows_affected() != 1 {
            return Ok(None);
        }
        Ok(self.load_auth(bank, "par", &hash).await?.map(|t| t.req))
    }

    /// A live login transaction.
    pub async fn txn(&self, bank: &str, txn: &str) -> Res<Option<Txn>> {
        let t = self.load_auth(bank, "txn", &sha256_hex(txn)).await?;
        Ok(t.filter(|t| t.expires_at > now_ms()))
    }

    async fn load_auth(&self, bank: &str, kind: &str, hash: &str) -> Res<Option<Txn>> {
        let row = sqlx::query(
            "SELECT client_id, redirect_uri, state, nonce, code_challenge, consent_id, step,
             username, expires_at FROM sandbox_auth_requests
             WHERE handle_hash = $1 AND kind = $2 AND bank = $3",
        )
        .bind(hash)
        .bind(kind)
        .bind(bank)
        .fetch_optional(&self.pool)
        .await?;
        let fapi = match row {
            Some(_) => self
                .auth_extras(hash)
                .await?
                .and_then(|v| serde_json::from_value(v).ok()),
            None => None,
        };
        row.map(|r| {
            Ok(Txn {
                req: AuthRequest {
                    client_id: r.try_get("client_id")?,
                    redirect_uri: r.try_get("redirect_uri")?,
                    state: r.try_get("state")?,
                    nonce: r.try_get("nonce")?,
                    code_challenge: r.try_get("code_challenge")?,
                    consent_id: r.try_get("consent_id")?,
                    fapi,
                },
                step: r.try_get("step")?,
                username: r.try_get("username")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// Compare-and-set on the journey step, so a transaction cannot be replayed or raced.
    pub async fn advance_txn(
        &self,
        txn: &str,
        from: &str,
        to: &str,
        username: Option<&str>,
    ) -> Res<bool> {
        let r = sqlx::query(
            "UPDATE sandbox_auth_requests SET step = $1, username = COALESCE($2, username)
             WHERE handle_hash = $3 AND kind = 'txn' AND step = $4",
        )
        .bind(to)
        .bind(username)
        .bind(sha256_hex(txn))
        .bind(from)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Counts a wrong one-time code and returns the new total.
    pub async fn otp_failure(&self, txn: &str) -> Res<i64> {
        let hash = sha256_hex(txn);
        sqlx::query(
            "UPDATE sandbox_auth_requests SET otp_failures = otp_failures + 1
             WHERE handle_hash = $1 AND kind = 'txn'",
        )
        .bind(&hash)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query(
            "SELECT otp_failures FROM sandbox_auth_requests WHERE handle_hash = $1 AND kind = 'txn'",
        )
        .bind(&hash)
        .fetch_one(&self.pool)
        .await?;
        row.try_get("otp_failures")
    }

    // ---- tokens and codes ----

    /// Stores a new secret and returns it (only its hash is kept).
    pub async fn issue(&self, t: NewToken<'_>) -> Res<String> {
        let secret = crate::util::random_token();
        sqlx::query(
            "INSERT INTO sandbox_tokens (token_hash, kind, bank, client_id, scope, consent_id,
             code_hash, redirect_uri, code_challenge, expires_at, revoked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)",
        )
        .bind(sha256_hex(&secret))
        .bind(t.kind)
        .bind(t.bank)
        .bind(t.client_id)
        .bind(t.scope)
        .bind(t.consent_id)
        .bind(t.code_hash)
        .bind(t.redirect_uri)
        .bind(t.code_challenge)
        .bind(now_ms() + t.ttl_ms)
        .execute(&self.pool)
        .await?;
        self.put_token_extras(&sha256_hex(&secret), t.cnf, t.extras)
            .await?;
        Ok(secret)
    }

    /// Looks up a live (unexpired, unrevoked) token of `kind` at `bank`. Data API modules
    /// authenticate their callers with this (kind "access").
    pub async fn token(&self, bank: &str, kind: &str, secret: &str) -> Res<Option<Token>> {
        let t = self.load_token(bank, kind, &sha256_hex(secret)).await?;
        Ok(t.filter(|t| !t.revoked && t.expires_at > now_ms()))
    }

    async fn load_token(&self, bank: &str, kind: &str, hash: &str) -> Res<Option<Token>> {
        let row = sqlx::query(
            "SELECT client_id, scope, consent_id, code_hash, redirect_uri, code_challenge,
             expires_at, revoked FROM sandbox_tokens
             WHERE token_hash = $1 AND bank = $2 AND kind = $3",
        )
        .bind(hash)
        .bind(bank)
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut t) = row.map(|r| token_from_row(&r)).transpose()? else {
            return Ok(None);
        };
        (t.cnf, t.extras) = self.token_extras(hash).await?;
        Ok(Some(t))
    }

    /// Single-use redemption of an authorization code or refresh token: the first caller
    /// wins the compare-and-set, everyone after sees `Replayed`.
    pub async fn redeem(&self, bank: &str, kind: &str, secret: &str) -> Res<Redeem> {
        let hash = sha256_hex(secret);
        let Some(t) = self.load_token(bank, kind, &hash).await? else {
            return Ok(Redeem::Unknown);
        };
        if t.expires_at <= now_ms() {
            return Ok(Redeem::Unknown);
        }
        let r = sqlx::query(
            "UPDATE sandbox_tokens SET revoked = 1 WHERE token_hash = $1 AND revoked = 0",
        )
        .bind(&hash)
        .execute(&self.pool)
        .await?;
        if r.rows_affected() == 1 {
            Ok(Redeem::Ok(Box::new(t)))
        } else {
            Ok(Redeem::Replayed)
        }
    }

    /// Revokes everything minted from an authorization code (RFC 6749 §4.1.2 on code replay).
    pub async fn revoke_from_code(&self, code: &str) -> Res<()> {
        sqlx::query("UPDATE sandbox_tokens SET revoked = 1 WHERE code_hash = $1")
            .bind(sha256_hex(code))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends an access token's life now (it answers 401 from here on).
    pub async fn expire_token(&self, bank: &str, secret: &str) -> Res<()> {
        sqlx::query(
            "UPDATE sandbox_tokens SET expires_at = $1 WHERE token_hash = $2 AND bank = $3
             AND expires_at > $4",
        )
        .bind(now_ms())
        .bind(sha256_hex(secret))
        .bind(bank)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
