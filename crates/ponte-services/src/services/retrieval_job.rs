//! One retrieval job: reads one product of one consent at the institution,
//! stores the report and writes its `REPORT_READY` webhook and the job's end
//! in one transaction. A job that runs twice (a crash after the commit) finds
//! its report and delivers nothing new. A job that finds the consent revoked
//! at the institution ends it here too.

use crate::crypto::{DocumentChunks, SealedChunks};
use crate::error::{Error, Result};
use crate::services::bank_tokens::StoredTokens;
use crate::services::failure::Failure;
use crate::services::insights;
use crate::services::job::{Job, JobOutcome};
use crate::services::outbox;
use crate::services::quota::{self, Budget};
use crate::services::{consent_state, slots};
use crate::App;
use ponte_connect::products::{self, Window};
use ponte_connect::{ConnectError, DataSession};
use ponte_core::event::{DomainEvent, ReportOutcome, ReportReady};
use ponte_core::{ConsentStatus, Product, ReportId};
use ponte_store::{ConsentRow, JobLease, JobRow, ReportRow, RequestRow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::io::Write;

/// The kind of a retrieval job's rows (a storage format: queued jobs must still read).
pub const JOB_KIND: &str = "retrieve";
/// Tries of one job, whatever fails (the institution or Ponte), before its
/// report is recorded as failed.
pub const MAX_JOB_ATTEMPTS: i64 = 5;

// Stored in the jobs table: its spelling is a storage format (queued jobs must still read).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobPayload {
    pub request_id: String,
    pub consent_id: String,
    pub product: Product,
}

/// Retrieves one product of a request (queued by `retrieval::request`).
pub struct Retrieve;

impl Job for Retrieve {
    const KIND: &'static str = JOB_KIND;
    type Payload = JobPayload;

    async fn run(app: &App, job: &JobRow, p: JobPayload) -> Result<JobOutcome> {
        run(app, job, p).await
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        give_up(app, job, why).await
    }
}

/// Runs one retrieval job (safe to run twice).
async fn run(app: &App, job: &JobRow, p: JobPayload) -> Result<JobOutcome> {
    let mut conn = app.store.read().await?;
    let request = ponte_store::request_by_id(&mut conn, &p.request_id)
        .await?
        .ok_or(Error::NotFound("request"))?;
    let consent = ponte_store::consent_by_id(&mut conn, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    let done = ponte_store::reports_of_request(&mut conn, &request.id)
        .await?
        .into_iter()
        .any(|r| r.consent_id == consent.id && r.product == p.product.as_str());
    drop(conn);
    if done {
        return Ok(JobOutcome::Done);
    }
    let budget = quota::budget_for(app, &consent).await?;
    let result = match consent.status {
        ConsentStatus::Authorised => match retrieve(app, &consent, p.product, &budget).await {
            Ok(data) => Ok(data),
            Err(ConnectError::ConsentRevoked(code)) => {
                tracing::info!(consent_id = %consent.id, code, "the institution reports the consent revoked");
                let now = consent_state::ended_at_institution(
                    &app.renderers,
                    &app.store,
                    &consent.id,
                    &code,
                    app.clock.now_ms(),
                )
                .await?;
                Err(if now.status == ConsentStatus::Expired {
                    Failure::ConsentMaxDateReached
                } else {
                    Failure::of_institution(&ConnectError::ConsentRevoked(code))
                })
            }
            Err(e) => {
                tracing::warn!(consent_id = %consent.id, request_id = %request.id, product = %p.product, attempt = job.attempts, error = %e, "the institution failed the retrieval");
                if transient(&e) && job.attempts < MAX_JOB_ATTEMPTS {
                    return Ok(JobOutcome::Retry(e.to_string()));
                }
                Err(Failure::of_institution(&e))
            }
        },
        other => Err(Failure::ConsentEnded(other)),
    };
    store_report(
        app,
        &job.lease(),
        &request,
        &consent,
        p.product,
        result,
        None,
    )
    .await
}

/// The job failed on every try (Ponte's own error, e.g. its database): its
/// report is recorded `FAILED` with its `REPORT_READY`, and the job ended, in
/// one transaction, so the request does not stay `PROCESSING`.
async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
    let Ok(p) = serde_json::from_str::<JobPayload>(&job.payload) else {
        // Nothing to report on: the job just ends.
        let mut tx = app.store.begin().await?;
        let now = app.clock.now_ms();
        let lease = job.lease();
        if !ponte_store::finish_job(&mut tx, &lease, ponte_store::JobEnd::Failed, Some(why), now)
            .await?
        {
            return Ok(JobOutcome::Superseded);
        }
        tx.commit().await?;
        return Ok(JobOutcome::Recorded);
    };
    let mut conn = app.store.read().await?;
    let request = ponte_store::request_by_id(&mut conn, &p.request_id)
        .await?
        .ok_or(Error::NotFound("request"))?;
    let consent = ponte_store::consent_by_id(&mut conn, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    drop(conn);
    store_report(
        app,
        &job.lease(),
        &request,
        &consent,
        p.product,
        Err(Failure::Internal),
        Some(why),
    )
    .await
}

/// Worth another try later: the institution was unreachable, or refused tokens
/// that a sibling job may have replaced by the time this one runs again.
fn transient(e: &ConnectError) -> bool {
    matches!(
        e,
        ConnectError::Unavailable(_) | ConnectError::Transport(_) | ConnectError::TokensRefused(_)
    )
}

/// A report as retrieved: its text deflated as it arrived, in the chunks
/// `Crypto::seal_chunks` seals, and what it holds, counted.
struct Retrieved {
    packed: DocumentChunks,
    summary: Value,
}

impl Retrieved {
    /// A report whose whole text is at hand (insights, derived from one).
    fn of_text(text: &[u8], summary: Value) -> Result<Retrieved, ConnectError> {
        let mut z = packer();
        z.write_all(text).map_err(unpacked)?;
        Ok(Retrieved {
            packed: finish(z)?,
            summary,
        })
    }
}

type Packer = std::io::BufWriter<flate2::write::GzEncoder<DocumentChunks>>;

/// Where a report's text goes as it arrives: deflated at once, so a long
/// history is held as a sixth of its text, never whole, in the chunks it is
/// sealed and stored in. Written through a buffer: the connector writes it a
/// record (and a comma) at a time.
fn packer() -> Packer {
    let z = flate2::write::GzEncoder::new(DocumentChunks::new(), flate2::Compression::fast());
    std::io::BufWriter::with_capacity(64 * 1024, z)
}

fn finish(z: Packer) -> Result<DocumentChunks, ConnectError> {
    z.into_inner()
        .map_err(|e| unpacked(e.into_error()))?
        .finish()
        .map_err(unpacked)
}

/// Deflating into memory fails only when memory does.
fn unpacked(e: std::io::Error) -> ConnectError {
    ConnectError::Protocol(format!("the report could not be deflated: {e}"))
}

async fn retrieve(
    app: &App,
    consent: &ConsentRow,
    product: Product,
    budget: &Budget,
) -> Result<Retrieved, ConnectError> {
    let start = crate::services::bank_tokens::session_start(app, consent)?;
    let stored = StoredTokens {
        app,
        consent_id: &consent.id,
    };
    let mut session = DataSession::new(
        &app.open_finance,
        &start.institution.endpoint,
        start.bank_consent_id,
        start.tokens,
    )
    .with_token_store(&stored)
    .with_observer(budget);
    // The client's today: on a sandbox test clock the history ends where its banks' does.
    let today_ms = crate::services::consent_lifecycle::client_now(app, &consent.client_id)
        .await
        .map_err(|e| ConnectError::Protocol(e.to_string()))?;
    let window = Window::ending(today_ms);
    if product != Product::Insights {
        let mut z = packer();
        let fetched =
            products::fetch_into(&mut session, product, consent.business, &window, &mut z).await;
        drop(session);
        save_calls(app, consent, budget).await;
        let counts = fetched?;
        return Ok(Retrieved {
            packed: finish(z)?,
            summary: counts.summary(product),
        });
    }
    // Insights are derived from the accounts text, deflated as it arrives
    // and read back a record at a time; only the insights are kept.
    let mut z = packer();
    let fetched =
        products::fetch_into(&mut session, product, consent.business, &window, &mut z).await;
    drop(session);
    save_calls(app, consent, budget).await;
    let counts = fetched?;
    let accounts = finish(z)?;
    // A PIX or TED to the holder's own CPF/CNPJ is neither income nor spending.
    let ctx = insights::Context {
        holder_tax_ids: crate::services::consent_tax_ids::holder_tax_ids(app, consent),
        locale: insights::Locale::default(),
        transactions: counts.transactions,
    };
    let insights =
        insights::compute_reader_with(flate2::read::GzDecoder::new(accounts.reader()), &ctx)
            .map_err(ConnectError::Protocol)?;
    drop(accounts);
    let text = serde_json::to_vec(&insights).map_err(|e| ConnectError::Protocol(e.to_string()))?;
    Retrieved::of_text(&text, insights::summary(&insights))
}

/// The calls are stored whatever the outcome: a failed retrieval spent them too.
async fn save_calls(app: &App, consent: &ConsentRow, budget: &Budget) {
    if let Err(e) = quota::save_calls(app, consent, budget.take_calls()).await {
        tracing::warn!(consent_id = %consent.id, error = %e, "could not store the institution calls");
    }
}

/// Stores the job's report and its `REPORT_READY`, and ends the job (failed,
/// with `job_error`, when given), in one transaction.
#[allow(clippy::too_many_arguments)]
async fn store_report(
    app: &App,
    lease: &JobLease,
    request: &RequestRow,
    consent: &ConsentRow,
    product: Product,
    result: Result<Retrieved, Failure>,
    job_error: Option<&str>,
) -> Result<JobOutcome> {
    // Sealed before the transaction: five years of transactions take a while.
    let report_id = ReportId::generate().to_string();
    let sealed = result.map(|data| {
        let sealed = app
            .crypto
            .seal_chunks(slots::report_data(&report_id), data.packed);
        (data.summary, sealed)
    });
    let mut tx = app.store.begin().await?;
    // Revocation deletes what was retrieved under the consent. The row stays
    // locked to the commit: a revocation either committed before (the data
    // read meanwhile is dropped here) or waits and erases this report too.
    let result = match sealed {
        Ok(_) if !ponte_store::lock_if_authorised(&mut tx, &consent.id).await? => {
            let current = ponte_store::consent_by_id(&mut tx, &consent.id).await?;
            Err(
                current.map_or(Failure::ConsentEnded(ConsentStatus::Revoked), |c| {
                    Failure::ConsentEnded(c.status)
                }),
            )
        }
        other => other,
    };
    let now = app.clock.now_ms();
    let (outcome, reason, summary, chunks) = match result {
        Ok((summary, data)) => (ReportOutcome::Success, None, summary, Some(data)),
        Err(why) => (
            ReportOutcome::Failed,
            Some(why.to_string()),
            Value::Object(Map::new()),
            None,
        ),
    };
    let row = ReportRow {
        id: report_id,
        request_id: request.id.clone(),
        client_id: request.client_id.clone(),
        link_id: request.link_id.clone(),
        consent_id: consent.id.clone(),
        institution_code: consent.institution_code.clone(),
        product: product.as_str().to_string(),
        status: outcome,
        reason: reason.clone(),
        summary: summary.to_string(),
        // In `report_chunks`, written below.
        data_enc: None,
        generated_at: now,
        deleted_at: None,
    };
    let callbacks: Map<String, Value> =
        serde_json::from_str(&request.callbacks).unwrap_or_default();
    let event = DomainEvent::ReportReady(ReportReady {
        client_id: row.client_id.clone(),
        request_id: row.request_id.clone(),
        report_id: row.id.clone(),
        link_id: row.link_id.clone(),
        consent_id: row.consent_id.clone(),
        product,
        outcome,
        reason,
        summary,
        callback_url: callbacks
            .get(product.as_str())
            .and_then(Value::as_str)
            .map(str::to_string),
    });
    if ponte_store::insert_report(&mut tx, &row).await? {
        if let Some(SealedChunks(chunks)) = chunks {
            // Each chunk bound to the driver and dropped once written.
            let count = chunks.len();
            for (seq, chunk) in chunks.into_iter().enumerate() {
                ponte_store::insert_report_chunk(&mut tx, &row.id, seq as i64, &chunk).await?;
            }
            ponte_store::set_report_chunks(&mut tx, &row.id, count as i64).await?;
        }
        outbox::publish(&app.renderers, &mut tx, &event, now).await?;
    }
    let job_status = match job_error {
        Some(_) => ponte_store::JobEnd::Failed,
        None => ponte_store::JobEnd::Done,
    };
    if !ponte_store::finish_job(&mut tx, lease, job_status, job_error, now).await? {
        // Our lease lapsed and another worker runs the job: its report wins.
        tx.rollback().await?;
        return Ok(JobOutcome::Superseded);
    }
    tx.commit().await?;
    metrics::counter!("ponte_reports_total", "product" => product.as_str(), "status" => outcome.as_str())
        .increment(1);
    tracing::info!(report_id = %row.id, request_id = %row.request_id, consent_id = %row.consent_id, product = %product, status = outcome.as_str(), reason = row.reason, "report stored");
    Ok(JobOutcome::Recorded)
}
