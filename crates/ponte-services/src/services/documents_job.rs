//! The documents retrieval job, one per portal connection: list the
//! portal's documents, stream each into storage (a few tries each; one
//! failed file never fails the others), then end the retrieval and write its
//! webhook in one transaction. Safe to run again after a crash: files
//! already stored are kept, and a finished retrieval is left alone.

use crate::error::Result;
use crate::services::documents::{self, portal_endpoint};
use crate::services::job::{Job, JobOutcome};
use crate::App;
use ponte_connect::{ConnectError, PortalDocument};
use ponte_store::{
    Conn, DocumentFileRow, FileId, FileStatus, JobRow, RetrievalId, RetrievalRow, RetrievalStatus,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// Tries per file within one run: a portal's brief failures (`user_flaky`)
/// should not cost the file.
const FILE_TRIES: u32 = 4;

// Stored in the jobs table: its spelling is a storage format (queued jobs must still read).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub retrieval_id: RetrievalId,
}

/// Signs in to a document portal and fetches the files of one retrieval
/// (queued by `documents::complete_sign_in`'s caller).
pub struct RetrieveDocuments;

impl Job for RetrieveDocuments {
    const KIND: &'static str = documents::JOB_KIND;
    type Payload = Payload;

    async fn run(app: &App, job: &JobRow, payload: Payload) -> Result<JobOutcome> {
        run(app, job, payload).await
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        give_up(app, job, why).await
    }
}

async fn run(app: &App, _job: &JobRow, payload: Payload) -> Result<JobOutcome> {
    let mut conn = app.store.read().await?;
    let Some(row) = ponte_store::retrieval(&mut conn, payload.retrieval_id).await? else {
        return Ok(JobOutcome::Done);
    };
    drop(conn);
    if row.status != RetrievalStatus::Retrieving {
        return Ok(JobOutcome::Done);
    }
    let Some(ep) = portal_endpoint(app, &row.institution_code) else {
        documents::fail(
            app,
            &row,
            RetrievalStatus::Retrieving,
            "the portal is no longer configured",
        )
        .await?;
        return Ok(JobOutcome::Done);
    };
    let session = documents::open_portal_session(app, &row)?;
    crate::services::documents_refresh::tell_portal_clock(app, &row, &ep, &session).await;
    let portal = &app.document_portals;
    let listed = match portal.list(&ep, &session).await {
        Ok(listed) => listed,
        Err(ConnectError::Unavailable(why) | ConnectError::Protocol(why)) => {
            return Ok(JobOutcome::Retry(format!("listing documents: {why}")))
        }
        Err(ConnectError::Transport(e)) => {
            return Ok(JobOutcome::Retry(format!("listing documents: {e}")))
        }
        Err(e) => {
            documents::fail(app, &row, RetrievalStatus::Retrieving, &e.to_string()).await?;
            return Ok(JobOutcome::Done);
        }
    };
    let files = record_listing(app, &row, &listed).await?;
    for doc in &listed {
        let Some(file) = files.iter().find(|f| f.portal_document_id == doc.id) else {
            continue;
        };
        if file.status == FileStatus::Success {
            continue;
        }
        fetch_one(app, &row, &ep, &session, doc, file).await?;
    }
    finish(app, &row).await?;
    Ok(JobOutcome::Done)
}

/// One row per listed document (kept as they were by a run before this one).
async fn record_listing(
    app: &App,
    row: &RetrievalRow,
    listed: &[PortalDocument],
) -> Result<Vec<DocumentFileRow>> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    for doc in listed {
        ponte_store::insert_document_file(
            &mut tx,
            &DocumentFileRow {
                id: FileId::mint(),
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
    }
    let files = ponte_store::retrieval_files(&mut tx, row.id).await?;
    tx.commit().await?;
    Ok(files)
}

/// Streams one document into storage, a few tries; records what became of it.
pub(crate) async fn fetch_one(
    app: &App,
    row: &RetrievalRow,
    ep: &ponte_connect::OpenFinanceEndpoint,
    session: &ponte_connect::PortalSession,
    doc: &PortalDocument,
    file: &DocumentFileRow,
) -> Result<()> {
    let key =
        crate::services::documents_files::storage_key(&row.client_id, &row.end_user_id, &file.id);
    let mut last = String::new();
    for attempt in 1..=FILE_TRIES {
        let mut writer = app.storage.writer(&key);
        match app
            .document_portals
            .download(ep, session, doc, &mut writer)
            .await
        {
            Ok(size) => match writer.shutdown().await {
                Ok(()) => {
                    let mut tx = app.store.begin().await?;
                    ponte_store::file_stored(
                        &mut tx,
                        &file.id,
                        &key,
                        size as i64,
                        app.clock.now_ms(),
                    )
                    .await?;
                    tx.commit().await?;
                    return Ok(());
                }
                Err(e) => last = format!("storing: {e}"),
            },
            Err(e) => {
                let _ = writer.abort().await;
                last = e.to_string();
                if !matches!(e, ConnectError::Unavailable(_) | ConnectError::Transport(_)) {
                    break;
                }
            }
        }
        tracing::info!(file_id = %file.id, attempt, "document download failed; trying again");
        tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
    }
    tracing::warn!(file_id = %file.id, "document not retrieved");
    let mut tx = app.store.begin().await?;
    ponte_store::file_failed(&mut tx, &file.id, &last).await?;
    tx.commit().await?;
    Ok(())
}

/// `success` when at least one file arrived; the webhook goes with it.
async fn finish(app: &App, row: &RetrievalRow) -> Result<()> {
    let mut tx = app.store.begin().await?;
    let (status, files) = end_running(app, &mut tx, row.id).await?;
    tx.commit().await?;
    tracing::info!(
        retrieval_id = row.id.get(),
        status = status.as_str(),
        files,
        "documents retrieval ended"
    );
    Ok(())
}

/// Ends a running retrieval with what arrived (`success` when at least one
/// file did) and writes its webhook, in the caller's transaction.
async fn end_running(
    app: &App,
    tx: &mut Conn,
    id: RetrievalId,
) -> Result<(RetrievalStatus, usize)> {
    let files = ponte_store::retrieval_files(&mut *tx, id).await?;
    let any = files.iter().any(|f| f.status == FileStatus::Success);
    let status = if any {
        RetrievalStatus::Success
    } else {
        RetrievalStatus::Failed
    };
    let error = (!any).then_some("no document could be retrieved");
    let now = app.clock.now_ms();
    if ponte_store::advance_retrieval(
        &mut *tx,
        id,
        RetrievalStatus::Retrieving,
        status,
        None,
        error,
        Some(now),
    )
    .await?
    {
        documents::publish_ready(app, &mut *tx, id).await?;
    }
    Ok((status, files.len()))
}

/// The job's last try failed for Ponte's own reason (the database, most
/// often): the retrieval ends with what arrived and its webhook goes out, in
/// the transaction that ends the job, so nobody waits on it for ever.
async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
    let mut tx = app.store.begin().await?;
    let now = app.clock.now_ms();
    let lease = job.lease();
    if !ponte_store::finish_job(&mut tx, &lease, ponte_store::JobEnd::Failed, Some(why), now)
        .await?
    {
        return Ok(JobOutcome::Superseded);
    }
    if let Ok(p) = serde_json::from_str::<Payload>(&job.payload) {
        end_running(app, &mut tx, p.retrieval_id).await?;
    }
    tx.commit().await?;
    tracing::warn!(job_id = %job.id, "documents retrieval given up after its last try");
    Ok(JobOutcome::Recorded)
}
