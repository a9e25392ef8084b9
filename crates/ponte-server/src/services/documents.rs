//! The Documents API's rules: an integrator opens a documents session for
//! one end user (minted or named again), the end user connects a document
//! portal (one retrieval each, integer ids), Ponte fetches the portal's
//! documents in a durable job (`documents_job`) and tells the client once,
//! through the outbox. Files are served by signed URLs valid 15 minutes.

use crate::crypto::Slot;
use crate::error::{Error, Result};
use crate::services::{clients, end_users, job};
use crate::tokens::{Bearer, Subject, TokenKind};
use crate::App;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use ponte_connect::{OpenFinanceEndpoint, PortalSession};
use ponte_core::event::{DocumentsReady, ReadyFile};
use ponte_core::{ClientId, DomainEvent, FieldError};
use ponte_store::{Conn, RetrievalRow};
use serde_json::{Map, Value};
use sha2::Sha256;
use std::net::IpAddr;

/// Where document portals send the end user back.
pub const CALLBACK_PATH: &str = "/callback/documents";
pub const JOB_KIND: &str = "documents.retrieve";
pub const DOWNLOAD_TTL_MS: i64 = 15 * 60 * 1000;
/// `metadata` is echoed in every webhook: bounded, so it stays a label.
pub const MAX_METADATA_BYTES: usize = 4 * 1024;

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
    pub retrieval_id: i64,
    pub login_url: String,
}

/// The language the portal's sign-in page is asked for (OpenID's
/// `ui_locales`); without one the portal goes by the browser's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiLocale {
    PtBr,
    En,
}

impl UiLocale {
    pub fn parse(raw: &str) -> std::result::Result<UiLocale, FieldError> {
        match raw {
            "pt-BR" => Ok(UiLocale::PtBr),
            "en" => Ok(UiLocale::En),
            _ => Err(FieldError::new("ui_locales", "must be pt-BR or en")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UiLocale::PtBr => "pt-BR",
            UiLocale::En => "en",
        }
    }
}

/// The end user chose a portal: a retrieval waiting for their login there.
pub async fn connect(
    app: &App,
    s: &Session,
    institution_code: &str,
    locale: Option<UiLocale>,
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
    let mut tx = app.store.begin().await?;
    let id = ponte_store::insert_retrieval(
        &mut tx,
        s.bearer.client_id.as_str(),
        &s.end_user_id,
        institution_code,
        &app.crypto.hash_secret(&state),
        &s.metadata,
        app.clock.now_ms(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        retrieval_id = id,
        institution_code,
        "documents retrieval started"
    );
    Ok(Started {
        retrieval_id: id,
        login_url,
    })
}

/// The portal's sign-in URL asking for `locale`, set server-side so any
/// client (not only the hosted app) gets the page in its user's language.
fn with_ui_locales(login_url: &str, locale: UiLocale) -> Result<String> {
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
        .append_pair("ui_locales", locale.as_str());
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
    if row.status != ponte_store::RETRIEVAL_AWAITING_LOGIN {
        return Err(Error::Conflict("this sign-in was already completed".into()));
    }
    let Some(code) = code.filter(|_| error.is_none()) else {
        // Only a word the app knows is kept: the URL is the browser's to change.
        let tag = crate::services::documents_progress::FailureReason::from_portal(description)
            .map(|r| format!("{} ", r.tag()))
            .unwrap_or_default();
        let why = format!("{tag}the portal answered {}", error.unwrap_or("no code"));
        fail(app, &row, ponte_store::RETRIEVAL_AWAITING_LOGIN, &why).await?;
        return Err(Error::Institution(
            "the documents were not shared at the portal".into(),
        ));
    };
    let ep = portal_endpoint(app, &row.institution_code).ok_or(Error::NotFound("portal"))?;
    let session = match app.document_portals.exchange_code(&ep, code).await {
        Ok(s) => s,
        Err(e) => {
            fail(
                app,
                &row,
                ponte_store::RETRIEVAL_AWAITING_LOGIN,
                &e.to_string(),
            )
            .await?;
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
        ponte_store::RETRIEVAL_AWAITING_LOGIN,
        ponte_store::RETRIEVAL_RUNNING,
        Some(&sealed),
        None,
        None,
    )
    .await?;
    if !moved {
        return Err(Error::Conflict("this sign-in was already completed".into()));
    }
    let now = app.clock.now_ms();
    job::queue(
        &mut tx,
        JOB_KIND,
        &serde_json::json!({"retrievalId": row.id}),
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
pub async fn fail(app: &App, row: &RetrievalRow, from: &str, why: &str) -> Result<()> {
    tracing::info!(retrieval_id = row.id, "documents retrieval failed");
    let mut tx = app.store.begin().await?;
    let now = app.clock.now_ms();
    if ponte_store::advance_retrieval(
        &mut tx,
        row.id,
        from,
        ponte_store::RETRIEVAL_FAILED,
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
pub async fn ready_event(conn: &mut Conn, id: i64) -> Result<Option<DocumentsReady>> {
    let Some(row) = ponte_store::retrieval(conn, id).await? else {
        return Ok(None);
    };
    let files = ponte_store::retrieval_files(conn, id).await?;
    let files: Vec<ReadyFile> = files
        .into_iter()
        .map(|f| ReadyFile {
            success: f.status == ponte_store::FILE_SUCCESS,
            size_bytes: f.size_bytes.unwrap_or(0).max(0) as u64,
            file_id: f.id,
            file_name: f.file_name,
        })
        .collect();
    let metadata = serde_json::from_str(&row.metadata).unwrap_or(Value::Object(Map::new()));
    Ok(Some(DocumentsReady {
        client_id: row.client_id,
        retrieval_id: row.id,
        success: row.status == ponte_store::RETRIEVAL_SUCCESS,
        end_user_id: row.end_user_id,
        metadata,
        created_at_ms: row.created_at,
        files,
    }))
}

/// Writes the retrieval's webhook into the outbox, in the caller's
/// transaction. Documents events have no link to take a dialect from: the
/// Documents API renders them.
pub async fn publish_ready(app: &App, conn: &mut Conn, id: i64) -> Result<()> {
    let Some(event) = ready_event(conn, id).await? else {
        return Ok(());
    };
    let dialect = crate::dialects::documents_api::DIALECT;
    let renderer = crate::dialects::renderer(dialect)
        .ok_or_else(|| anyhow::anyhow!("the documents dialect renders no webhooks"))?;
    let event = DomainEvent::DocumentsReady(event);
    let Some(rendered) = renderer.render(&event) else {
        return Ok(());
    };
    let now = app.clock.now_ms();
    let row = ponte_store::WebhookMessageRow {
        id: format!("msg_{}", uuid::Uuid::now_v7().simple()),
        client_id: event.client_id().to_string(),
        event_type: rendered.event_type.clone(),
        target: "event".into(),
        target_url: rendered.target_url,
        payload: rendered.body,
        status: ponte_store::PENDING.to_string(),
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
        dialect: dialect.to_string(),
    };
    ponte_store::insert_message(conn, &row).await?;
    metrics::counter!("ponte_webhook_messages_enqueued_total", "event" => rendered.event_type)
        .increment(1);
    Ok(())
}

/// The client's retrieval (another client's is not found).
pub async fn retrieval_for(
    app: &App,
    client: &ClientId,
    id: i64,
) -> Result<(RetrievalRow, DocumentsReady)> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::retrieval(&mut conn, id)
        .await?
        .filter(|r| r.client_id == client.as_str())
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
        .ok_or(Error::NotFound("retrieval"))?;
    let event = ready_event(&mut conn, row.id)
        .await?
        .ok_or(Error::NotFound("retrieval"))?;
    Ok((row, event))
}

fn signature(app: &App, file_id: &str, expires: i64) -> String {
    let key = app.crypto.derive("ponte/document-download/v1");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{file_id}.{expires}").as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A download URL for `file_id`, valid 15 minutes from now.
pub fn signed_url(app: &App, file_id: &str) -> String {
    let expires = (app.clock.now_ms() + DOWNLOAD_TTL_MS) / 1000;
    let sig = signature(app, file_id, expires);
    format!(
        "{}/files/{file_id}?expires={expires}&signature={sig}",
        app.public_url
    )
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("the link is invalid or has expired; ask GET /api/retrievals/{{id}} for a fresh one")]
    Forbidden,
    #[error("file not found")]
    NotFound,
    #[error("the requested range is not satisfiable")]
    Range(u64),
    #[error("internal error")]
    Internal(String),
}

pub struct Download {
    pub file_name: String,
    pub reading: crate::storage::Reading,
}

/// The file behind a signed URL, whole or `range`.
pub async fn download(
    app: &App,
    file_id: &str,
    expires: Option<&str>,
    sig: Option<&str>,
    range: Option<crate::storage::ByteRange>,
) -> Result<Download, DownloadError> {
    let expires: i64 = expires
        .and_then(|e| e.parse().ok())
        .ok_or(DownloadError::Forbidden)?;
    let sig = sig.ok_or(DownloadError::Forbidden)?;
    let expected = signature(app, file_id, expires);
    let valid = expected.len() == sig.len()
        && subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), sig.as_bytes()).into();
    if !valid || expires * 1000 <= app.clock.now_ms() {
        return Err(DownloadError::Forbidden);
    }
    let internal = |e: &dyn std::fmt::Display| DownloadError::Internal(e.to_string());
    let mut conn = app.store.read().await.map_err(|e| internal(&e))?;
    let row = ponte_store::document_file(&mut conn, file_id)
        .await
        .map_err(|e| internal(&e))?
        .ok_or(DownloadError::NotFound)?;
    drop(conn);
    let key = row.storage_key.ok_or(DownloadError::NotFound)?;
    let reading = match app.storage.get(&key, range).await {
        Ok(r) => r,
        Err(crate::storage::StorageError::NotFound) => return Err(DownloadError::NotFound),
        Err(crate::storage::StorageError::Range) => {
            let size = app.storage.size(&key).await.unwrap_or(0);
            return Err(DownloadError::Range(size));
        }
        Err(e) => return Err(internal(&e)),
    };
    Ok(Download {
        file_name: row.file_name,
        reading,
    })
}

/// Where a file's bytes live: under its client and end user, so erasing a
/// person is erasing a prefix.
pub fn storage_key(client_id: &str, end_user_id: &str, file_id: &str) -> String {
    format!("documents/{client_id}/{end_user_id}/{file_id}.pdf")
}

/// `DELETE /api/users/{id}`: the end user's files leave storage, then their
/// documents rows and the end user go.
pub async fn erase_end_user(app: &App, client: &ClientId, id: &str) -> Result<()> {
    let user = end_users::find(app, client, id).await?;
    let mut conn = app.store.read().await?;
    let keys = ponte_store::end_user_file_keys(&mut conn, user.id.as_str()).await?;
    drop(conn);
    for key in &keys {
        app.storage
            .delete(key)
            .await
            .map_err(|e| anyhow::anyhow!("erasing a document: {e}"))?;
    }
    // Files written after the listing (a retrieval still running) share the prefix.
    let prefix = format!("documents/{client}/{}", user.id);
    for key in app.storage.keys(&prefix).await.unwrap_or_default() {
        let _ = app.storage.delete(&key).await;
    }
    let mut tx = app.store.begin().await?;
    ponte_store::delete_end_user_documents(&mut tx, user.id.as_str()).await?;
    ponte_store::delete_documents_end_user(&mut tx, client.as_str(), user.id.as_str()).await?;
    tx.commit().await?;
    tracing::info!(end_user_id = %user.id, files = keys.len(), "documents end user erased");
    Ok(())
}

/// Every stored file of a client (its deletion): the rows went with the client.
pub async fn erase_client_files(app: &App, client_id: &str) -> Result<()> {
    let prefix = format!("documents/{client_id}");
    let keys = app
        .storage
        .keys(&prefix)
        .await
        .map_err(|e| anyhow::anyhow!("listing a deleted client's documents: {e}"))?;
    for key in &keys {
        app.storage
            .delete(key)
            .await
            .map_err(|e| anyhow::anyhow!("erasing a document: {e}"))?;
    }
    tracing::info!(
        client_id,
        files = keys.len(),
        "deleted client's documents erased"
    );
    Ok(())
}

/// Deletes files stored before `cutoff` (the retention sweep); returns how many.
pub async fn sweep(app: &App, cutoff: i64, batch: i64) -> Result<u64> {
    let mut removed = 0;
    loop {
        let mut conn = app.store.read().await?;
        let old = ponte_store::files_stored_before(&mut conn, cutoff, batch).await?;
        drop(conn);
        if old.is_empty() {
            return Ok(removed);
        }
        for f in &old {
            if let Some(key) = &f.storage_key {
                app.storage
                    .delete(key)
                    .await
                    .map_err(|e| anyhow::anyhow!("erasing a document: {e}"))?;
            }
            let mut tx = app.store.begin().await?;
            ponte_store::file_expired(&mut tx, &f.id).await?;
            tx.commit().await?;
            removed += 1;
        }
    }
}

/// The document types a portal holds, for pickers.
pub fn document_types(code: &str) -> Vec<&'static str> {
    use ponte_sandbox::PortalKind;
    match ponte_sandbox::portals()
        .iter()
        .find(|p| p.code == code)
        .map(|p| p.kind)
    {
        Some(PortalKind::Bank) => vec!["bank_statement", "1099_int", "year_end_summary"],
        Some(PortalKind::Brokerage) => vec!["1099_div", "1099_b", "year_end_summary"],
        Some(PortalKind::Crypto) => vec!["1099_b", "year_end_summary"],
        // A configured portal of our own: whatever it lists.
        None => vec![
            "bank_statement",
            "1099_int",
            "1099_div",
            "1099_b",
            "year_end_summary",
        ],
    }
}
