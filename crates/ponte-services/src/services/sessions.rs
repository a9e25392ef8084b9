//! End users' own sessions: a client's backend asks for a single-use ticket
//! for one of its end users; the end user's app trades it for a short access
//! token and a refresh token. Refreshing rotates the refresh token; a spent
//! refresh token presented again ends the whole session (it was copied).
//! Tickets and refresh tokens are random strings stored only as keyed hashes.

use crate::crypto::random_bytes;
use crate::error::{Error, Result};
use crate::tokens::{Subject, TokenError, TokenKind};
use crate::App;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ponte_core::{ClientId, EndUserId};
use ponte_store::{Conn, RefreshTokenRow, SpendRefused, TicketRow};

pub const TICKET_TTL_MS: i64 = 60 * 60 * 1000;
pub const REFRESH_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Tickets and refresh tokens of end-user sessions.
const END_USER: &str = "end_user";

fn secret(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
}

fn hash(app: &App, purpose: &str, token: &str) -> String {
    app.crypto.hash_secret(&format!("{purpose}/{token}"))
}

/// A single-use ticket for `end_user`, valid for an hour, written in the
/// caller's transaction (with the end user it names).
pub async fn issue_ticket(
    app: &App,
    conn: &mut Conn,
    client: &ClientId,
    end_user: &EndUserId,
) -> Result<(String, i64)> {
    let ticket = secret("tkt_");
    let now = app.clock.now_ms();
    let expires_at = now + TICKET_TTL_MS;
    ponte_store::insert_ticket(
        conn,
        &TicketRow {
            ticket_hash: hash(app, "ticket", &ticket),
            kind: END_USER.into(),
            client_id: client.to_string(),
            end_user_id: end_user.to_string(),
            created_at: now,
            expires_at,
            used_at: None,
        },
    )
    .await?;
    Ok((ticket, expires_at))
}

/// A signed-in end user's tokens. Times are unix milliseconds.
#[derive(Debug, Clone)]
pub struct Session {
    pub client_id: ClientId,
    pub end_user_id: EndUserId,
    pub access_token: String,
    pub access_expires_at: i64,
    pub refresh_token: String,
    pub refresh_expires_at: i64,
}

/// Spends the ticket (once, whoever races for it) and opens a session.
/// When the end user behind an end-user session signed in (their ticket was
/// exchanged): OFB's `x-fapi-auth-date` for the calls made while they are present.
pub async fn signed_in_at(app: &App, bearer: &crate::tokens::Bearer) -> Result<Option<i64>> {
    let Some(family) = bearer.session_id.as_deref() else {
        return Ok(None);
    };
    let mut conn = app.store.read().await?;
    Ok(ponte_store::refresh_family_started(&mut conn, family).await?)
}

pub async fn open_with_ticket(app: &App, ticket: &str) -> Result<Session> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let spent =
        ponte_store::spend_ticket(&mut tx, &hash(app, "ticket", ticket), END_USER, now).await?;
    let t = spent.map_err(refused)?;
    let family = uuid::Uuid::now_v7().to_string();
    let session = start(
        app,
        &mut tx,
        ClientId::from_trusted(t.client_id),
        EndUserId::from_trusted(t.end_user_id),
        &family,
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Trades a refresh token for a new pair. A spent one ends the session.
pub async fn refresh(app: &App, refresh_token: &str) -> Result<Session> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let spent = ponte_store::spend_refresh_token(
        &mut tx,
        &hash(app, "refresh", refresh_token),
        END_USER,
        now,
    )
    .await?;
    let r = match spent {
        Ok(r) => r,
        Err(why) => {
            // A reuse revoked the family in this transaction: keep that.
            tx.commit().await?;
            if why == SpendRefused::AlreadyUsed {
                tracing::warn!("a spent refresh token was presented again: session ended");
            }
            return Err(refused(why));
        }
    };
    let session = start(
        app,
        &mut tx,
        ClientId::from_trusted(r.client_id),
        EndUserId::from_trusted(r.end_user_id),
        &r.family_id,
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Ends the session the bearer's token belongs to (logout).
pub async fn end(app: &App, session_id: &str) -> Result<()> {
    let mut tx = app.store.begin().await?;
    ponte_store::revoke_refresh_family(&mut tx, session_id, app.clock.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// An end-user session token is honoured only while its session lives: a
/// logout or a detected reuse ends the access tokens minted in it too.
pub async fn ensure_live(app: &App, session_id: &str) -> Result<()> {
    let mut conn = app.store.read().await?;
    if ponte_store::refresh_family_live(&mut conn, session_id).await? {
        Ok(())
    } else {
        Err(Error::Token(TokenError::Invalid))
    }
}

async fn start(
    app: &App,
    conn: &mut Conn,
    client_id: ClientId,
    end_user_id: EndUserId,
    family: &str,
) -> Result<Session> {
    let now = app.clock.now_ms();
    let refresh_token = secret("rt_");
    let refresh_expires_at = now + REFRESH_TTL_MS;
    ponte_store::insert_refresh_token(
        conn,
        &RefreshTokenRow {
            token_hash: hash(app, "refresh", &refresh_token),
            family_id: family.to_string(),
            kind: END_USER.into(),
            client_id: client_id.to_string(),
            end_user_id: end_user_id.to_string(),
            created_at: now,
            expires_at: refresh_expires_at,
            used_at: None,
            revoked_at: None,
        },
    )
    .await?;
    let subject = Subject {
        end_user: Some(&end_user_id),
        session: Some(family),
        ..Subject::default()
    };
    let (access_token, ttl) =
        app.tokens
            .issue_for(TokenKind::EndUserSession, &client_id, subject, None)?;
    Ok(Session {
        client_id,
        end_user_id,
        access_token,
        access_expires_at: now + ttl * 1000,
        refresh_token,
        refresh_expires_at,
    })
}

fn refused(why: SpendRefused) -> Error {
    Error::Token(match why {
        SpendRefused::Expired => TokenError::Expired,
        SpendRefused::AlreadyUsed => TokenError::Spent,
        SpendRefused::Unknown => TokenError::Invalid,
    })
}
