//! Runs durable jobs: claims a few under a lease, runs them concurrently,
//! retries failures with backoff. A job interrupted by a crash is claimed
//! again once its lease lapses.

use crate::services::retrieval::{self, JobOutcome};
use crate::App;
use ponte_store::JobRow;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tracing::Instrument;

/// A running job renews its lease every `LEASE_MS / 3`; a crashed worker's
/// jobs run again once their lease lapses.
const LEASE_MS: i64 = 60_000;
const CONCURRENCY: usize = 4;

pub async fn run(app: App, stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    work(&app, &slots, stop).await;
    // Let attempts in flight finish and record themselves before the store closes.
    let _ = slots.acquire_many(CONCURRENCY as u32).await;
}

async fn work(app: &App, slots: &Arc<Semaphore>, mut stop: watch::Receiver<bool>) {
    loop {
        let free = slots.available_permits() as i64;
        let claimed = if free > 0 {
            claim(app, free).await
        } else {
            Vec::new()
        };
        let idle = claimed.is_empty();
        for job in claimed {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let app = app.clone();
            tokio::spawn(async move {
                execute(&app, job).await;
                drop(permit);
            });
        }
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = stop.changed() => return,
            }
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn claim(app: &App, limit: i64) -> Vec<JobRow> {
    let now = app.clock.now_ms();
    let result = async {
        let mut tx = app.store.begin().await?;
        let rows =
            ponte_store::claim_jobs(&mut tx, app.store.backend(), now, now + LEASE_MS, limit)
                .await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(rows)
    }
    .await;
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "claiming jobs failed");
        Vec::new()
    })
}

async fn execute(app: &App, job: JobRow) {
    let span =
        tracing::info_span!("job", job_id = %job.id, kind = %job.kind, attempt = job.attempts);
    let renew = {
        let (app, id) = (app.clone(), job.id.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_millis((LEASE_MS / 3) as u64)).await;
                let until = app.clock.now_ms() + LEASE_MS;
                let renewed = async {
                    let mut tx = app.store.begin().await?;
                    let ok = ponte_store::extend_job_lease(&mut tx, &id, until).await?;
                    tx.commit().await?;
                    Ok::<_, anyhow::Error>(ok)
                }
                .await;
                if !matches!(renewed, Ok(true)) {
                    return;
                }
            }
        })
    };
    let outcome = match job.kind.as_str() {
        retrieval::JOB_KIND => retrieval::run(app, &job).instrument(span.clone()).await,
        other => Err(anyhow::anyhow!("unknown job kind {other:?}").into()),
    };
    renew.abort();
    let now = app.clock.now_ms();
    let recorded = async {
        let mut tx = app.store.begin().await?;
        match &outcome {
            Ok(JobOutcome::Done) => {
                ponte_store::finish_job(&mut tx, &job.id, ponte_store::JOB_DONE, None, now).await?
            }
            Ok(JobOutcome::Retry(why)) => {
                let delay = 1_000 * 2i64.pow(job.attempts.clamp(0, 8) as u32);
                tracing::info!(error = %why, delay_ms = delay, "job will be retried");
                ponte_store::retry_job(&mut tx, &job.id, why, now + delay).await?
            }
            Err(e) => {
                tracing::error!(parent: &span, error = %e, "job failed");
                ponte_store::finish_job(
                    &mut tx,
                    &job.id,
                    ponte_store::JOB_FAILED,
                    Some(&e.to_string()),
                    now,
                )
                .await?
            }
        }
        tx.commit().await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "recording a job's outcome failed; it will run again");
    }
    metrics::counter!("ponte_jobs_total", "kind" => job.kind.clone(), "outcome" => match &outcome { Ok(JobOutcome::Done) => "done", Ok(JobOutcome::Retry(_)) => "retry", Err(_) => "failed" }).increment(1);
}
