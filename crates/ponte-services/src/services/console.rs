//! The integrator console's people: console users (one client's, or an
//! operator's who sees every client), their passwords (argon2id), one-time
//! sign-in links and browser sessions. Shared by `ponte console-users` and
//! the console's sign-in API.

use crate::crypto::random_secret;
use crate::error::{Error, Result};
use crate::App;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use ponte_core::{ClientId, Email, FieldError};
use ponte_store::{ConsoleSessionRow, ConsoleUserRow};
use std::net::IpAddr;
use std::sync::LazyLock;

/// How long a browser stays signed in without signing in again.
pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;
/// How long a printed sign-in link works (once).
pub const SIGNIN_LINK_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// Shortest password accepted: long passphrases beat composition rules.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What a console user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// One client's objects, nothing else.
    Client(ClientId),
    /// Every client's (Ponte's own operators).
    Operator,
}

#[derive(Debug, Clone)]
pub struct ConsoleUser {
    pub id: String,
    pub email: String,
    pub role: Role,
}

impl ConsoleUser {
    fn from_row(row: ConsoleUserRow) -> Result<ConsoleUser> {
        let role = match (row.role.as_str(), row.client_id) {
            ("operator", _) => Role::Operator,
            ("client", Some(c)) => Role::Client(ClientId::from_trusted(c)),
            (other, _) => {
                return Err(anyhow::anyhow!("console user {} has role {other:?}", row.id).into())
            }
        };
        Ok(ConsoleUser {
            id: row.id,
            email: row.email,
            role,
        })
    }
}

/// A new console user; `sign_in_token` is set when no password was given:
/// the one-time secret of the sign-in link, shown only now.
#[derive(Debug, Clone)]
pub struct NewConsoleUser {
    pub user: ConsoleUser,
    pub sign_in_token: Option<String>,
}

/// A password as typed, checked for length (never logged, never stored).
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Password, FieldError> {
        let raw = raw.trim_end_matches(['\r', '\n']);
        let n = raw.chars().count();
        if !(MIN_PASSWORD_CHARS..=1024).contains(&n) {
            return Err(FieldError::new(
                "password",
                format!("must be {MIN_PASSWORD_CHARS} to 1024 characters"),
            ));
        }
        Ok(Password(raw.to_string()))
    }
}

fn hash_password(p: &Password) -> Result<String> {
    Argon2::default()
        .hash_password(p.0.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}").into())
}

/// A hash of nothing anyone knows, checked against when the e-mail is
/// unknown: a sign-in takes as long whether or not the user exists.
static DECOY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_password(&Password(random_secret("decoy_"))).ok());

fn password_matches(password: &str, hash: Option<&str>) -> bool {
    let hash = hash.or(DECOY_HASH.as_deref()).unwrap_or_default();
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
        && !hash.is_empty()
}

/// Creates a console user of `client` (or an operator with `None`), with a
/// password, or else a one-time sign-in link's token.
pub async fn create_user(
    app: &App,
    email: &str,
    client: Option<&str>,
    password: Option<Password>,
) -> Result<NewConsoleUser> {
    let email = Email::parse("email", email)?.as_str().to_ascii_lowercase();
    let hash = match &password {
        Some(p) => Some(hash_on_blocking_thread(p).await?),
        None => None,
    };
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let client_id = match client {
        Some(raw) => {
            let c = ponte_store::client_by_id(&mut tx, raw.trim())
                .await?
                .ok_or_else(|| FieldError::new("clientId", "there is no client with this id"))?;
            Some(c.id)
        }
        None => None,
    };
    let row = ConsoleUserRow {
        id: uuid::Uuid::now_v7().to_string(),
        email,
        role: if client_id.is_some() {
            "client"
        } else {
            "operator"
        }
        .into(),
        client_id,
        password_hash: hash,
        created_at: now,
    };
    if !ponte_store::insert_console_user(&mut tx, &row).await? {
        return Err(FieldError::new("email", "a console user with this e-mail exists").into());
    }
    let token = match password {
        Some(_) => None,
        None => Some(issue_link_in(app, &mut tx, &row.id, now).await?),
    };
    tx.commit().await?;
    tracing::info!(console_user_id = %row.id, "console user created");
    Ok(NewConsoleUser {
        user: ConsoleUser::from_row(row)?,
        sign_in_token: token,
    })
}

async fn hash_on_blocking_thread(p: &Password) -> Result<String> {
    let p = Password(p.0.clone());
    tokio::task::spawn_blocking(move || hash_password(&p))
        .await
        .map_err(|e| anyhow::anyhow!("password hashing: {e}"))?
}

async fn issue_link_in(
    app: &App,
    conn: &mut ponte_store::Conn,
    user_id: &str,
    now: i64,
) -> Result<String> {
    let token = random_secret("cst_");
    ponte_store::insert_signin_token(
        conn,
        &app.crypto.hash_secret(&token),
        user_id,
        now,
        now + SIGNIN_LINK_TTL_MS,
    )
    .await?;
    Ok(token)
}

/// A new one-time sign-in link's token for an existing user.
pub async fn issue_sign_in_link(app: &App, email: &str) -> Result<String> {
    let email = Email::parse("email", email)?.as_str().to_ascii_lowercase();
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let user = ponte_store::console_user_by_email(&mut tx, &email)
        .await?
        .ok_or_else(|| FieldError::new("email", "there is no console user with this e-mail"))?;
    let token = issue_link_in(app, &mut tx, &user.id, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// Where a one-time token signs in.
pub fn sign_in_url(app: &App, token: &str) -> String {
    sign_in_url_at(&app.public_url, token)
}

/// Where a one-time token signs in on the servers at `base`.
pub fn sign_in_url_at(base: &str, token: &str) -> String {
    format!("{base}/console/signin#token={token}")
}

const PUBLIC_URL: &str = "public_url";

/// A serving node records where it is reached, so that the one-off commands
/// run beside it (`ponte console-users link`) print links that work.
pub async fn record_public_url(app: &App) -> Result<()> {
    let mut tx = app.store.begin().await?;
    ponte_store::set_server_setting(&mut tx, PUBLIC_URL, &app.public_url, app.clock.now_ms())
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Where this database's servers are reached: `PONTE_PUBLIC_URL` when set,
/// else what the last serving node recorded, else this process's default.
pub async fn servers_url(app: &App) -> Result<String> {
    if app.config.public_url.is_some() {
        return Ok(app.public_url.clone());
    }
    let mut conn = app.store.read().await?;
    Ok(ponte_store::server_setting(&mut conn, PUBLIC_URL)
        .await?
        .unwrap_or_else(|| app.public_url.clone()))
}

/// A signed-in browser: the cookie's value (shown only now) and the token
/// the page must send back in `X-CSRF-Token` with every change.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf_token: String,
    pub user: ConsoleUser,
    pub expires_at: i64,
}

fn throttle_key(email: &str) -> String {
    format!("console:{}", email.trim().to_ascii_lowercase())
}

/// Signs in with e-mail and password. Failures are throttled per e-mail
/// and calling address, and say nothing about which part was wrong.
pub async fn sign_in(
    app: &App,
    from: Option<IpAddr>,
    email: &str,
    password: &str,
) -> Result<NewSession> {
    let key = throttle_key(email);
    let now = app.clock.now_ms();
    app.failed_logins
        .check(&key, from, now)
        .map_err(Error::RateLimited)?;
    let mut conn = app.store.read().await?;
    let user =
        ponte_store::console_user_by_email(&mut conn, &email.trim().to_ascii_lowercase()).await?;
    drop(conn);
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let presented = password.to_string();
    let ok = tokio::task::spawn_blocking(move || password_matches(&presented, hash.as_deref()))
        .await
        .unwrap_or(false);
    match user {
        Some(user) if ok => start_session(app, user).await,
        _ => {
            app.failed_logins.record_failure(&key, from, now);
            tracing::info!("console sign-in failed");
            Err(Error::InvalidCredentials)
        }
    }
}

/// Signs in with a one-time link's token; a used or expired one fails.
pub async fn redeem_sign_in_link(
    app: &App,
    from: Option<IpAddr>,
    token: &str,
) -> Result<NewSession> {
    let now = app.clock.now_ms();
    app.failed_logins
        .check("console-link", from, now)
        .map_err(Error::RateLimited)?;
    let mut tx = app.store.begin().await?;
    let user_id =
        ponte_store::consume_signin_token(&mut tx, &app.crypto.hash_secret(token.trim()), now)
            .await?;
    tx.commit().await?;
    let user = match user_id {
        Some(id) => {
            let mut conn = app.store.read().await?;
            ponte_store::console_user_by_id(&mut conn, &id).await?
        }
        None => None,
    };
    match user {
        Some(user) => start_session(app, user).await,
        None => {
            app.failed_logins.record_failure("console-link", from, now);
            Err(Error::Token(crate::tokens::TokenError::Invalid))
        }
    }
}

async fn start_session(app: &App, user: ConsoleUserRow) -> Result<NewSession> {
    let now = app.clock.now_ms();
    let cookie = random_secret("cs_");
    let csrf_token = random_secret("csrf_");
    let expires_at = now + SESSION_TTL_MS;
    let mut tx = app.store.begin().await?;
    // Sign-ins are rare: a good moment to forget sessions nobody can use.
    ponte_store::delete_expired_console_sessions(&mut tx, now).await?;
    ponte_store::insert_console_session(
        &mut tx,
        &ConsoleSessionRow {
            id_hash: app.crypto.hash_secret(&cookie),
            user_id: user.id.clone(),
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(console_user_id = %user.id, "console session started");
    Ok(NewSession {
        cookie,
        csrf_token,
        user: ConsoleUser::from_row(user)?,
        expires_at,
    })
}

/// A live session behind a cookie's value.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: ConsoleUser,
    pub csrf_token: String,
    pub expires_at: i64,
    id_hash: String,
}

pub async fn session(app: &App, cookie: &str) -> Result<Option<Session>> {
    let id_hash = app.crypto.hash_secret(cookie);
    let mut conn = app.store.read().await?;
    let found = ponte_store::console_session(&mut conn, &id_hash, app.clock.now_ms()).await?;
    drop(conn);
    let Some((s, user)) = found else {
        return Ok(None);
    };
    Ok(Some(Session {
        user: ConsoleUser::from_row(user)?,
        csrf_token: s.csrf_token,
        expires_at: s.expires_at,
        id_hash,
    }))
}

pub async fn sign_out(app: &App, session: &Session) -> Result<()> {
    let mut tx = app.store.begin().await?;
    ponte_store::delete_console_session(&mut tx, &session.id_hash).await?;
    tx.commit().await?;
    Ok(())
}

/// The sandbox client's console user, made at first start with a sign-in
/// link for the banner. `None` when it exists already.
pub async fn ensure_sandbox_user(app: &App, client_id: &str) -> Result<Option<NewConsoleUser>> {
    match create_user(app, SANDBOX_EMAIL, Some(client_id), None).await {
        Ok(made) => Ok(Some(made)),
        Err(Error::Field(f)) if f.field == "email" => Ok(None),
        Err(e) => Err(e),
    }
}

/// The sandbox client's console user.
pub const SANDBOX_EMAIL: &str = "sandbox@ponte.localhost";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let p = Password::parse("correct horse battery\n").unwrap();
        let hash = hash_password(&p).unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery", Some(&hash)));
        assert!(!password_matches("correct horse batterz", Some(&hash)));
        assert!(!password_matches("correct horse battery", None));
        assert!(!password_matches("x", Some("not a hash")));
        assert_eq!(Password::parse("short").err().unwrap().field, "password");
    }
}
