//! The Documents API's scheduled refresh: a connection whose retrieval
//! succeeded is read again at its portal every `every_days` days on the
//! client's clock (the sandbox test clock moves it), with the portal session
//! the connection keeps. Only documents the portal did not list before are
//! downloaded, and they arrive in one `documents.ready` webhook (the
//! quickstart's shape) naming just them. Nothing new, nothing sent.
//!
//! Crash-safe like the first retrieval: the files a refresh records are
//! remembered on the schedule (`pending_file_ids`) until their webhook is
//! written, in the transaction that ends the refresh.
//!
//! A file whose download failed (announced as failed) is tried again by each
//! refresh while the portal lists it, and named again once it arrives; a
//! stored file is never downloaded twice. When the portal refuses the stored
//! sign-in (expired or revoked), the integrator gets one webhook saying the
//! end user must connect again (`reconnect_required`), not one a day.

use crate::error::{Error, Result};
use crate::services::documents::{self, portal_endpoint};
use crate::services::documents_refresh_pending::Pending;
use crate::services::job::{self, Job, JobOutcome};
use crate::services::{consent_lifecycle, documents_job, outbox};
use crate::App;
use ponte_connect::{ConnectError, OpenFinanceEndpoint, PortalDocument, PortalSession};
use ponte_core::{ClientId, DomainEvent, FieldError};
use ponte_store::{
    Conn, DocumentFileRow, FileId, FileStatus, JobRow, RefreshScheduleRow, RetrievalId,
    RetrievalRow, RetrievalStatus,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub const JOB_KIND: &str = "documents.refresh";
const DAY_MS: i64 = 86_400_000;
/// A year at most between refreshes: a schedule is for keeping data fresh.
pub const MAX_EVERY_DAYS: i64 = 366;
/// The schedule's `last_error` once the portal refused the stored sign-in.
pub const SIGN_IN_REFUSED: &str =
    "the portal no longer accepts this connection's sign-in: the end user must connect again";

/// How a refresh ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending<'a> {
    /// The portal was read (new files, if any, fetched).
    Read,
    /// It could not be read, for this reason.
    Failed(&'a str),
    /// The portal refused the stored sign-in.
    SignInRefused,
}

/// A connection's refresh schedule as the integrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub retrieval_id: RetrievalId,
    pub every_days: i64,
    /// On the client's clock (ms).
    pub next_refresh_at_ms: i64,
    /// On the client's clock (ms).
    pub last_refreshed_at_ms: Option<i64>,
    /// Why the last refresh could not read the portal.
    pub last_error: Option<String>,
}

impl From<RefreshScheduleRow> for Schedule {
    fn from(r: RefreshScheduleRow) -> Self {
        Schedule {
            retrieval_id: r.retrieval_id,
            every_days: r.every_days,
            next_refresh_at_ms: r.next_due_at,
            last_refreshed_at_ms: r.last_refreshed_at,
            last_error: r.last_error,
        }
    }
}

/// The client's retrieval (another client's is not found).
async fn own_retrieval(app: &App, client: &ClientId, id: RetrievalId) -> Result<RetrievalRow> {
    let mut conn = app.store.read().await?;
    ponte_store::retrieval(&mut conn, id)
        .await?
        .filter(|r| r.client_id == client.as_str())
        .ok_or(Error::NotFound("retrieval"))
}

/// Refreshes the connection every `every_days` days from now (client's
/// clock), or stops its refreshes (`None`). Only a connection whose
/// retrieval succeeded holds a portal session to read again.
pub async fn set_schedule(
    app: &App,
    client: &ClientId,
    retrieval_id: RetrievalId,
    every_days: Option<i64>,
) -> Result<Option<Schedule>> {
    let row = own_retrieval(app, client, retrieval_id).await?;
    let Some(every_days) = every_days else {
        let mut tx = app.store.begin().await?;
        ponte_store::delete_refresh_schedule(&mut tx, row.id).await?;
        tx.commit().await?;
        return Ok(None);
    };
    if !(1..=MAX_EVERY_DAYS).contains(&every_days) {
        return Err(FieldError::new(
            "every_days",
            format!("must be a whole number of days from 1 to {MAX_EVERY_DAYS}, or null to stop"),
        )
        .into());
    }
    if row.status != RetrievalStatus::Success {
        return Err(Error::Conflict(format!(
            "retrieval {} is {}: only a connection whose retrieval succeeded can be refreshed",
            row.id, row.status
        )));
    }
    let next = consent_lifecycle::client_now(app, client.as_str()).await? + every_days * DAY_MS;
    let mut tx = app.store.begin().await?;
    ponte_store::upsert_refresh_schedule(
        &mut tx,
        row.id,
        client.as_str(),
        every_days,
        next,
        app.clock.now_ms(),
    )
    .await?;
    let saved = ponte_store::refresh_schedule(&mut tx, row.id).await?;
    tx.commit().await?;
    tracing::info!(
        retrieval_id = row.id.get(),
        every_days,
        "documents refresh scheduled"
    );
    Ok(saved.map(Schedule::from))
}

/// The connection's schedule; `NotFound` when it has none.
pub async fn schedule(app: &App, client: &ClientId, retrieval_id: RetrievalId) -> Result<Schedule> {
    let row = own_retrieval(app, client, retrieval_id).await?;
    let mut conn = app.store.read().await?;
    ponte_store::refresh_schedule(&mut conn, row.id)
        .await?
        .map(Schedule::from)
        .ok_or(Error::NotFound("refresh schedule"))
}

/// Queues the refresh of every connection due on its client's clock; the
/// next one is due `every_days` after now (one refresh however many were missed).
pub async fn schedule_due(app: &App) -> Result<usize> {
    let now = app.clock.now_ms();
    let (mut after, mut queued) = (RetrievalId::new(0), 0);
    loop {
        let due = {
            let mut conn = app.store.read().await?;
            ponte_store::refreshes_due(&mut conn, now, after, 100).await?
        };
        let Some(last) = due.last() else {
            return Ok(queued);
        };
        after = last.retrieval_id;
        for s in &due {
            let next =
                consent_lifecycle::client_now(app, &s.client_id).await? + s.every_days * DAY_MS;
            let mut tx = app.store.begin().await?;
            if !ponte_store::claim_document_refresh(&mut tx, s.retrieval_id, Some(next), now)
                .await?
            {
                tx.rollback().await?;
                continue;
            }
            let payload = Payload {
                retrieval_id: s.retrieval_id,
            };
            job::queue::<RefreshDocuments>(&mut tx, &payload, now).await?;
            tx.commit().await?;
            queued += 1;
        }
    }
}

// Stored in the jobs table: its spelling is a storage format.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub retrieval_id: RetrievalId,
}

/// Reads a connection's portal again and fetches what is new.
pub struct RefreshDocuments;

impl Job for RefreshDocuments {
    const KIND: &'static str = JOB_KIND;
    type Payload = Payload;

    async fn run(app: &App, _job: &JobRow, payload: Payload) -> Result<JobOutcome> {
        run(app, payload.retrieval_id).await
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        let mut tx = app.store.begin().await?;
        let now = app.clock.now_ms();
        if !ponte_store::finish_job(
            &mut tx,
            &job.lease(),
            ponte_store::JobEnd::Failed,
            Some(why),
            now,
        )
        .await?
        {
            return Ok(JobOutcome::Superseded);
        }
        if let Ok(p) = serde_json::from_str::<Payload>(&job.payload) {
            // What was recorded still goes out, once; the next refresh runs on schedule.
            end(app, &mut tx, p.retrieval_id, Ending::Failed(why)).await?;
        }
        tx.commit().await?;
        tracing::warn!(job_id = %job.id, "documents refresh given up after its last try");
        Ok(JobOutcome::Recorded)
    }
}

async fn run(app: &App, retrieval_id: RetrievalId) -> Result<JobOutcome> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::retrieval(&mut conn, retrieval_id).await?;
    let schedule = ponte_store::refresh_schedule(&mut conn, retrieval_id).await?;
    drop(conn);
    let (Some(row), Some(schedule)) = (row, schedule) else {
        // The connection or its schedule went (an erased end user): nothing to do.
        return Ok(JobOutcome::Done);
    };
    let Some(ep) = portal_endpoint(app, &row.institution_code) else {
        return finish(
            app,
            row.id,
            Ending::Failed("the portal is no longer configured"),
        )
        .await;
    };
    let session = documents::open_portal_session(app, &row)?;
    tell_portal_clock(app, &row, &ep, &session).await;
    let listed = match app.document_portals.list(&ep, &session).await {
        Ok(listed) => listed,
        Err(ConnectError::Unavailable(why) | ConnectError::Protocol(why)) => {
            return Ok(JobOutcome::Retry(format!("listing documents: {why}")))
        }
        Err(ConnectError::Transport(e)) => {
            return Ok(JobOutcome::Retry(format!("listing documents: {e}")))
        }
        Err(ConnectError::TokensRefused(_)) => {
            return finish(app, row.id, Ending::SignInRefused).await;
        }
        Err(e) => return finish(app, row.id, Ending::Failed(&e.to_string())).await,
    };
    let files = record_new(app, &row, &schedule, &listed).await?;
    // New ones and those that failed before; a stored file is not fetched again.
    for file in files.iter().filter(|f| f.status != FileStatus::Success) {
        let Some(doc) = listed.iter().find(|d| d.id == file.portal_document_id) else {
            continue;
        };
        documents_job::fetch_one(app, &row, &ep, &session, doc, file).await?;
    }
    finish(app, row.id, Ending::Read).await
}

/// Records the documents the connection never listed before, and remembers
/// them on the schedule with the failed ones the portal still lists (and any
/// a crashed try recorded) in one transaction; returns those files.
async fn record_new(
    app: &App,
    row: &RetrievalRow,
    schedule: &RefreshScheduleRow,
    listed: &[PortalDocument],
) -> Result<Vec<DocumentFileRow>> {
    let mut pending = Pending::of(schedule);
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let before = ponte_store::retrieval_files(&mut tx, row.id).await?;
    let listed_ids: BTreeSet<&str> = listed.iter().map(|d| d.id.as_str()).collect();
    for f in &before {
        if f.status == FileStatus::Failed && listed_ids.contains(f.portal_document_id.as_str()) {
            pending.retry(&f.id);
        }
    }
    let known: BTreeSet<String> = before.into_iter().map(|f| f.portal_document_id).collect();
    for doc in listed.iter().filter(|d| !known.contains(&d.id)) {
        let id = FileId::mint();
        ponte_store::insert_document_file(
            &mut tx,
            &DocumentFileRow {
                id: id.clone(),
                retrieval_id: row.id,
                portal_document_id: doc.id.clone(),
                status: FileStatus::Pending,
                file_name: doc.file_name.clone(),
                storage_key: None,
                size_bytes: None,
                error: None,
                created_at: now,
                stored_at: None,
            },
        )
        .await?;
        pending.add_new(id);
    }
    ponte_store::set_refresh_pending(&mut tx, row.id, &pending.to_json()?, now).await?;
    let files = ponte_store::retrieval_files(&mut tx, row.id)
        .await?
        .into_iter()
        .filter(|f| pending.holds(&f.id))
        .collect();
    tx.commit().await?;
    Ok(files)
}

async fn finish(app: &App, retrieval_id: RetrievalId, ending: Ending<'_>) -> Result<JobOutcome> {
    let mut tx = app.store.begin().await?;
    let sent = end(app, &mut tx, retrieval_id, ending).await?;
    tx.commit().await?;
    tracing::info!(
        retrieval_id = retrieval_id.get(),
        files_named = sent,
        ending = ?ending,
        "documents refresh ended"
    );
    Ok(JobOutcome::Done)
}

/// Writes the webhook of the files the refresh found (none: no webhook; a
/// refused sign-in: one saying so, the first time) and ends the refresh, in
/// the caller's transaction; returns how many files it named.
async fn end(
    app: &App,
    tx: &mut Conn,
    retrieval_id: RetrievalId,
    ending: Ending<'_>,
) -> Result<usize> {
    let now = app.clock.now_ms();
    let Some(schedule) = ponte_store::refresh_schedule(&mut *tx, retrieval_id).await? else {
        return Ok(0);
    };
    let pending = Pending::of(&schedule);
    // Told once: the refreshes after it find the same refusal.
    let reconnect =
        ending == Ending::SignInRefused && schedule.last_error.as_deref() != Some(SIGN_IN_REFUSED);
    // Recorded on the client's clock, as the schedule is.
    let client_now = now + ponte_store::client_clock_offset(&mut *tx, &schedule.client_id).await?;
    let mut named = 0;
    if !pending.is_empty() || reconnect {
        if let Some(mut event) = documents::ready_event(&mut *tx, retrieval_id).await? {
            event.files.retain(|f| {
                FileId::parse(&f.file_id).is_some_and(|id| pending.names(&id, f.success))
            });
            event.success = !reconnect && event.files.iter().any(|f| f.success);
            event.reconnect_required = reconnect;
            named = event.files.len();
            if named > 0 || reconnect {
                let event = DomainEvent::DocumentsReady(event);
                outbox::publish_in(&app.renderers, tx, app.renderers.documents(), &event, now)
                    .await?;
            }
        }
    }
    let error = match ending {
        Ending::Read => None,
        Ending::Failed(why) => Some(why),
        Ending::SignInRefused => Some(SIGN_IN_REFUSED),
    };
    ponte_store::finish_document_refresh(&mut *tx, retrieval_id, error, client_now, now).await?;
    Ok(named)
}

/// Sandbox mode: tells a sandbox portal the client's test clock for this
/// session (its test hook, as the banks' per-consent clock), so the portal
/// lists what it holds on that date. Real time needs no call; a portal
/// without the hook is only logged.
pub(crate) async fn tell_portal_clock(
    app: &App,
    row: &RetrievalRow,
    ep: &OpenFinanceEndpoint,
    session: &PortalSession,
) {
    if !app.config.sandbox {
        return;
    }
    let offset = match app.store.read().await {
        Ok(mut conn) => ponte_store::client_clock_offset(&mut conn, &row.client_id)
            .await
            .unwrap_or(0),
        Err(_) => 0,
    };
    if offset == 0 {
        return;
    }
    let url = format!("{}/_test/clock", ep.issuer.trim_end_matches('/'));
    let sent = app
        .http
        .put(url)
        .bearer_auth(&session.access_token)
        .json(&serde_json::json!({ "offsetMs": offset }))
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => {
            tracing::warn!(
                retrieval_id = row.id.get(),
                status = r.status().as_u16(),
                "the portal did not take the test clock"
            )
        }
        Err(e) => {
            tracing::warn!(retrieval_id = row.id.get(), error = %e, "the portal did not take the test clock")
        }
    }
}
