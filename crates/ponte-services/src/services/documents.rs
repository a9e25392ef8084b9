//! The Documents API's rules: an integrator opens a documents session for
//! one end user (minted or named again), the end user connects a document
//! portal (one retrieval each, integer ids), Ponte fetches the portal's
//! documents in a durable job (`documents_job`) and tells the client once,
//! through the outbox. Stored files, their URLs and erasure: `documents_files`.

use crate::crypto::Slot;
use crate::error::{Error, Result};
use crate::services::{clients, documents_job, end_users, job, outbox};
use crate::tokens::{Bearer, Subject, TokenKind};
use crate::App;
use ponte_connect::{OpenFinanceEndpoint, PortalSession};
use ponte_core::event::{DocumentsReady, ReadyFile};
use ponte_core::{ClientId, DomainEvent, FieldError, Locale};
use ponte_store::{Conn, FileStatus, RetrievalId, RetrievalRow, RetrievalStatus};
use serde_json::{Map, Value};
use std::net::IpAddr;

/// Where document portals send the end user back.
pub const CALLBACK_PATH: &str = "/callback/documents";
pub const JOB_KIND: &str = "documents.retrieve";
/// `metadata` is echoed in every webhook: bounded, so it stays a label.
pub const MAX_METADATA_BYTES: usize = 4 * 1024;
/// How long a retrieval waits for its end user's sign-in at the portal before
/// it is `expired` (a connect for the same user and portal starts it again).
pub const LOGIN_WINDOW_MS: i64 = 30 * 60 * 1000;
const EXPIRED_WHY: &str = "the end user did not sign in at the portal within 30 minutes";

/// The retrieval as it stands now: one still awaiting a sign-in that started
/// longer than the login window ago reads as `expired`, before the sweep
/// (`expire_abandoned`) records it.
pub fn as_of(now: i64, mut row: RetrievalRow) -> RetrievalRow {
    if row.status == RetrievalStatus::AwaitingLogin && row.login_started() < now - LOGIN_WINDOW_MS {
        row.status = RetrievalStatus::Expired;
        row.error = Some(EXPIRED_WHY.into());
    }
    row
}

/// Records as `expired` every retrieval whose sign-in window has passed.
pub async fn expire_abandoned(app: &App) -> Result<u64> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let n =
        ponte_store::expire_retrievals(&mut tx, now - LOGIN_WINDOW_MS, EXPIRED_WHY, now).await?;
    tx.commit().await?;
    Ok(n)
}

/// A portal's endpoint with Ponte's documents callback as the return address.
pub fn portal_endpoint(app: &App, code: &str) -> Option<OpenFinanceEndpoint> {
    let portal = app.directory.document_portal(code)?;
    let mut ep = portal.endpoint.clone();
    ep.redirect_uri = format!("{}{CALLBACK_PATH}", app.public_url);
    Some(ep)
}

pub fn portal_session_slot(retrieval_id: &str) -> Slot<'_> {
    Slot::new("document_retrievals", "portal_session_enc", retrieval_id)
}

pub struct Opened {
    pub access_token: String,
    pub end_user_id: String,
    pub expires_in: i64,
}

/// `POST /api/token`: the client's credentials (checked as every dialect
/// checks them), then a documents session for the end user it names, or a
/// new one. An id that is not this client's is refused, never made.
pub async fn open_session(
    app: &App,
    from: Option<IpAddr>,
    api_key: &str,
    api_secret: &str,
    end_user: Option<&str>,
    metadata: Map<String, Value>,
) -> Result<Opened> {
    let client = clients::authenticate(app, from, api_key, api_secret).await?;
    let client = ClientId::from_trusted(client.id);
    let user = match end_user {
        Some(id) => end_users::find(app, &client, id)
            .await
            .map_err(|e| match e {
                Error::NotFound(_) => {
                    FieldError::new("taiki_user_id", "no such user for these credentials").into()
                }
                other => other,
            })?,
        None => {
            let mut tx = app.store.begin().await?;
            let user = end_users::mint(app, &mut tx, &client, None).await?;
            tx.commit().await?;
            user
        }
    };
    let subject = Subject {
        end_user: Some(&user.id),
        ..Subject::default()
    };
    let (token, expires_in) =
        app.tokens
            .issue_for(TokenKind::DocumentsSession, &client, subject, None)?;
    let mut tx = app.store.begin().await?;
    ponte_store::insert_document_session(
        &mut tx,
        &ponte_store::DocumentSessionRow {
            id: session_key(app, &token),
            client_id: client.to_string(),
            end_user_id: user.id.to_string(),
            metadata: Value::Object(metadata).to_string(),
            created_at: app.clock.now_ms(),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(end_user_id = %user.id, "documents session opened");
    Ok(Opened {
        access_token: token,
        end_user_id: user.id.to_string(),
        expires_in,
    })
}

/// The session row of a token: its keyed hash (the token is never stored).
fn session_key(app: &App, token: &str) -> String {
    app.crypto
        .hash_secret(&format!("documents-session/{token}"))
}

/// A documents-session token's bearer and the metadata it was opened with.
pub struct Session {
    pub bearer: Bearer,
    pub end_user_id: String,
    pub metadata: String,
}

pub async fn session(app: &App, token: &str) -> Result<Session> {
    let bearer = app
        .tokens
        .verify(token, &[TokenKind::DocumentsSession])
        .await?;
    let end_user_id = bearer
        .end_user_id
        .as_ref()
        .map(|u| u.to_string())
        .ok_or(Error::Token(crate::tokens::TokenError::Invalid))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::document_session(&mut conn, &session_key(app, token))
        .await?
        .ok_or(Error::Token(crate::tokens::TokenError::Invalid))?;
    app.client_requests
        .admit(bearer.client_id.as_str(), app.clock.now_ms())
        .map_err(Error::RateLimited)?;
    Ok(Session {
        bearer,
        end_user_id,
        metadata: row.metadata,
    })
}

pub struct Started {
    pub retrieval_id: RetrievalId,
    pub login_url: String,
}

/// The language the portal's sign-in page is asked for (OpenID's
/// `ui_locales`), exactly as Ponte writes it; without one the portal goes
/// by the browser's.
pub fn ui_locale(raw: &str) -> std::result::Result<Locale, FieldError> {
    Locale::from_tag(raw).ok_or_else(|| FieldError::new("ui_locales", "must be pt-BR or en"))
}

/// The end user chose a portal: a retrieval waiting for their login there.
/// One at that portal that never got a sign-in (still waiting, or expired
/// waiting) is started again under the same id, so abandoned attempts do not
/// pile up and the integrator keeps one id per connection.
pub async fn connect(
    app: &App,
    s: &Session,
    institution_code: &str,
    locale: Option<Locale>,
) -> Result<Started> {
    let portal = app
        .directory
        .document_portal(institution_code)
        .ok_or_else(|| FieldError::new("institutionCode", "no such document portal"))?;
    if portal.is_outage {
        return Err(Error::Outage(format!("{} is unavailable", portal.name)));
    }
    let ep = portal_endpoint(app, institution_code).ok_or(Error::NotFound("portal"))?;
    let state = crate::crypto::random_secret("st_");
    let login_url = app
        .document_portals
        .login_url(&ep, &state)
        .map_err(|e| Error::Institution(e.to_string()))?;
    let login_url = match locale {
        Some(l) => with_ui_locales(&login_url, l)?,
        None => login_url,
    };
    let (state_hash, now) = (app.crypto.hash_secret(&state), app.clock.now_ms());
    let mut tx = app.store.begin().await?;
    let unfinished = ponte_store::latest_retrieval_at(&mut tx, &s.end_user_id, institution_code)
        .await?
        .filter(|r| r.client_id == s.bearer.client_id.as_str());
    let reopened = match unfinished {
        Some(r) if ponte_store::reopen_retrieval(&mut tx, r.id, &state_hash, now).await? => {
            Some(r.id)
        }
        _ => None,
    };
    let id = match reopened {
        Some(id) => id,
        None => {
            ponte_store::insert_retrieval(
                &mut tx,
                s.bearer.client_id.as_str(),
                &s.end_user_id,
                institution_code,
                &state_hash,
                &s.metadata,
                now,
            )
            .await?
        }
    };
    tx.commit().await?;
    tracing::info!(
        retrieval_id = id.get(),
        institution_code,
        again = reopened.is_some(),
        "documents retrieval started"
    );
    Ok(Started {
        retrieval_id: id,
        login_url,
    })
}

/// The portal's sign-in URL asking for `locale`, set server-side so any
/// client (not only the hosted app) gets the page in its user's language.
fn with_ui_locales(login_url: &str, locale: Locale) -> Result<String> {
    let mut url = url::Url::parse(login_url)
        .map_err(|e| Error::Institution(format!("the portal's sign-in URL: {e}")))?;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "ui_locales")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("ui_locales", locale.tag());
    Ok(url.into())
}

/// The portal sent the end user back (`code`, or `error`) with our `state`:
/// the code becomes a portal session and the retrieval job is queued.
pub async fn complete(
    app: &App,
    state: Option<&str>,
    code: Option<&str>,
    error: Option<&str>,
    description: Option<&str>,
) -> Result<RetrievalRow> {
    let state = state.ok_or_else(|| FieldError::new("state", "is required"))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::retrieval_by_state(&mut conn, &app.crypto.hash_secret(state))
        .await?
        .ok_or(Error::NotFound("retrieval"))?;
    drop(conn);
    let row = as_of(app.clock.now_ms(), row);
    if row.status == RetrievalStatus::Expired {
        return Err(Error::Conflict(
            "this sign-in took longer than 30 minutes and expired: connect again".into(),
        ));
    }
    if row.status != RetrievalStatus::AwaitingLogin {
        return Err(Error::Conflict("this sign-in was already completed".into()));
    }
    let Some(code) = code.filter(|_| error.is_none()) else {
        // Only a word the app knows is kept: the URL is the browser's to change.
        let tag = crate::services::documents_failure::FailureReason::from_portal(description)
            .map(|r| format!("{} ", r.tag()))
            .unwrap_or_default();
        let why = format!("{tag}the portal answered {}", error.unwrap_or("no code"));
        fail(app, &row, RetrievalStatus::AwaitingLogin, &why).await?;
        return Err(Error::Declined(
            "the documents were not shared at the portal: the sign-in was declined".into(),
        ));
    };
    let ep = portal_endpoint(app, &row.institution_code).ok_or(Error::NotFound("portal"))?;
    let session = match app.document_portals.exchange_code(&ep, code).await {
        Ok(s) => s,
        Err(e) => {
            fail(app, &row, RetrievalStatus::AwaitingLogin, &e.to_string()).await?;
            return Err(Error::Institution(format!(
                "the portal refused the sign-in: {e}"
            )));
        }
    };
    let id = row.id.to_string();
    let sealed = app
        .crypto
        .seal(portal_session_slot(&id), session.access_token.as_bytes());
    let mut tx = app.store.begin().await?;
    let moved = ponte_store::advance_retrieval(
        &mut tx,
        row.id,
        RetrievalStatus::AwaitingLogin,
        RetrievalStatus::Retrieving,
        Some(&sealed),
        None,
        None,
    )
    .await?;
    if !moved {
        return Err(Error::Conflict("this sign-in was already completed".into()));
    }
    let now = app.clock.now_ms();
    job::queue::<documents_job::RetrieveDocuments>(
        &mut tx,
        &documents_job::Payload {
            retrieval_id: row.id,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The portal session a running retrieval holds.
pub fn open_portal_session(app: &App, row: &RetrievalRow) -> Result<PortalSession> {
    let sealed = row
        .portal_session_enc
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("retrieval {} has no portal session", row.id))?;
    let token = app
        .crypto
        .open(portal_session_slot(&row.id.to_string()), sealed)?;
    Ok(PortalSession {
        access_token: String::from_utf8(token).map_err(anyhow::Error::from)?,
        expires_in: 0,
    })
}

/// Ends a retrieval at `from` as failed, with its webhook.
pub async fn fail(app: &App, row: &RetrievalRow, from: RetrievalStatus, why: &str) -> Result<()> {
    tracing::info!(retrieval_id = row.id.get(), "documents retrieval failed");
    let mut tx = app.store.begin().await?;
    let now = app.clock.now_ms();
    if ponte_store::advance_retrieval(
        &mut tx,
        row.id,
        from,
        RetrievalStatus::Failed,
        None,
        Some(why),
        Some(now),
    )
    .await?
    {
        publish_ready(app, &mut tx, row.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The retrieval as the webhook tells it, from the rows.
pub async fn ready_event(conn: &mut Conn, id: RetrievalId) -> Result<Option<DocumentsReady>> {
    let Some(row) = ponte_store::retrieval(conn, id).await? else {
        return Ok(None);
    };
    let files = ponte_store::retrieval_files(conn, id).await?;
    let files: Vec<ReadyFile> = files
        .into_iter()
        .map(|f| ReadyFile {
            success: f.status == FileStatus::Success,
            size_bytes: f.size_bytes.unwrap_or(0).max(0) as u64,
            file_id: f.id.to_string(),
            file_name: f.file_name,
        })
        .collect();
    let metadata = serde_json::from_str(&row.metadata).unwrap_or(Value::Object(Map::new()));
    Ok(Some(DocumentsReady {
        client_id: row.client_id,
        retrieval_id: row.id.get(),
        success: row.status == RetrievalStatus::Success,
        end_user_id: row.end_user_id,
        metadata,
        created_at_ms: row.created_at,
        files,
        reconnect_required: false,
    }))
}

/// Writes the retrieval's webhook into the outbox, in the caller's
/// transaction. Documents events have no link to take a dialect from: the
/// Documents API renders them.
pub async fn publish_ready(app: &App, conn: &mut Conn, id: RetrievalId) -> Result<()> {
    let Some(event) = ready_event(conn, id).await? else {
        return Ok(());
    };
    let event = DomainEvent::DocumentsReady(event);
    let now = app.clock.now_ms();
    outbox::publish_in(&app.renderers, conn, app.renderers.documents(), &event, now).await?;
    Ok(())
}

/// The client's retrieval (another client's is not found).
pub async fn retrieval_for(
    app: &App,
    client: &ClientId,
    id: RetrievalId,
) -> Result<(RetrievalRow, DocumentsReady)> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::retrieval(&mut conn, id)
        .await?
        .filter(|r| r.client_id == client.as_str())
        .map(|r| as_of(app.clock.now_ms(), r))
        .ok_or(Error::NotFound("retrieval"))?;
    let event = ready_event(&mut conn, id)
        .await?
        .ok_or(Error::NotFound("retrieval"))?;
    Ok((row, event))
}

/// The end user's latest retrieval, for the app's progress view.
pub async fn current(app: &App, s: &Session) -> Result<(RetrievalRow, DocumentsReady)> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::latest_retrieval(&mut conn, &s.end_user_id)
        .await?
        .map(|r| as_of(app.clock.now_ms(), r))
        .ok_or(Error::NotFound("retrieval"))?;
    let event = ready_event(&mut conn, row.id)
        .await?
        .ok_or(Error::NotFound("retrieval"))?;
    Ok((row, event))
}
