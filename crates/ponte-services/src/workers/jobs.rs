//! Runs durable jobs: claims a few under a lease, runs them concurrently,
//! retries failures (the institution's or Ponte's own) with backoff and
//! jitter, and gives up after `MAX_JOB_ATTEMPTS` tries in a way the job's
//! owner sees. A job interrupted by a crash is claimed again once its lease
//! lapses; only the current holder of a job's lease can record its outcome.

use crate::error::Result;
use crate::services::job::JobOutcome;
use crate::services::retrieval_job::MAX_JOB_ATTEMPTS;
use crate::App;
use ponte_store::{JobLease, JobRow, Work};
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify, Semaphore};
use tracing::Instrument;

/// A running job renews its lease every `LEASE_MS / 3`; a crashed worker's
/// jobs run again once their lease lapses: within 15 s, so a killed node's
/// jobs are back well within 30 s of its restart.
const LEASE_MS: i64 = 15_000;
const CONCURRENCY: usize = 4;

pub async fn run(app: App, stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    let freed = Arc::new(Notify::new());
    work(&app, &slots, &freed, stop).await;
    // Let attempts in flight finish and record themselves before the store closes.
    let _ = slots.acquire_many(CONCURRENCY as u32).await;
}

/// Claims while slots are free; idle (nothing due, or every slot busy), it
/// waits for a commit that enqueues a job (see `ponte_store::wake`), a slot
/// to free, or its fallback poll (`PONTE_WORKER_POLL`).
async fn work(
    app: &App,
    slots: &Arc<Semaphore>,
    freed: &Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
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
            let (app, freed) = (app.clone(), freed.clone());
            tokio::spawn(async move {
                execute(&app, job).await;
                drop(permit);
                freed.notify_one();
            });
        }
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(app.config.worker_poll) => {}
                _ = app.store.wakes().committed(Work::Jobs) => {}
                _ = freed.notified(), if free == 0 => {}
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

/// How long after the failed try `attempt` a job runs again: doubling from
/// 2 s up to 5 min, with jitter so jobs that failed together (a database
/// blip) do not come back together.
fn backoff_ms(attempt: i64) -> i64 {
    let full = (2_000i64 << attempt.clamp(1, 16).saturating_sub(1)).min(300_000);
    rand::thread_rng().gen_range(full / 2..=full)
}

async fn execute(app: &App, job: JobRow) {
    let span =
        tracing::info_span!("job", job_id = %job.id, kind = %job.kind, attempt = job.attempts);
    let lease = job.lease();
    let mut keeper = tokio::spawn(keep_lease(app.clone(), lease.clone()));
    let work = async {
        // A job whose last try could not even record its failure goes
        // straight to giving up: its tries are spent.
        if job.attempts > MAX_JOB_ATTEMPTS {
            return Err(
                anyhow::anyhow!("{}", job.last_error.as_deref().unwrap_or("out of tries")).into(),
            );
        }
        app.jobs.run(app, &job).await
    };
    let outcome = tokio::select! {
        outcome = work.instrument(span.clone()) => outcome,
        _ = &mut keeper => {
            // Dropping the work stops it at its next await; its new holder runs it.
            tracing::warn!(parent: &span, "the job's lease could not be kept; stopped");
            metrics::counter!("ponte_jobs_total", "kind" => job.kind.to_string(), "outcome" => "lease_lost").increment(1);
            return;
        }
    };
    keeper.abort();
    let label = match &outcome {
        Ok(JobOutcome::Done | JobOutcome::Recorded) => "done",
        Ok(JobOutcome::Superseded) => "lease_lost",
        Ok(JobOutcome::Retry(_)) => "retry",
        Err(_) if job.attempts < MAX_JOB_ATTEMPTS => "retry",
        Err(_) => "failed",
    };
    let recorded = record(app, &job, &lease, outcome)
        .instrument(span.clone())
        .await;
    match recorded {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(parent: &span, "the job's lease was taken over; its outcome is not recorded")
        }
        Err(e) => {
            tracing::warn!(parent: &span, error = %e, "recording a job's outcome failed; it will run again")
        }
    }
    metrics::counter!("ponte_jobs_total", "kind" => job.kind.to_string(), "outcome" => label)
        .increment(1);
}

/// Writes what became of a try, under the lease's fence; false if the lease
/// was taken over meanwhile.
async fn record(
    app: &App,
    job: &JobRow,
    lease: &JobLease,
    outcome: Result<JobOutcome>,
) -> anyhow::Result<bool> {
    let now = app.clock.now_ms();
    let retry = |why: String| async move {
        let delay = backoff_ms(job.attempts);
        tracing::info!(error = %why, delay_ms = delay, "job will be retried");
        let mut tx = app.store.begin().await?;
        let held = ponte_store::retry_job(&mut tx, lease, &why, now + delay).await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(held)
    };
    match outcome {
        Ok(JobOutcome::Recorded | JobOutcome::Superseded) => Ok(true),
        Ok(JobOutcome::Done) => {
            let mut tx = app.store.begin().await?;
            let held =
                ponte_store::finish_job(&mut tx, lease, ponte_store::JobEnd::Done, None, now)
                    .await?;
            tx.commit().await?;
            Ok(held)
        }
        Ok(JobOutcome::Retry(why)) => retry(why).await,
        // Ponte's own failure (a database blip, most often): worth another try.
        Err(e) if job.attempts < MAX_JOB_ATTEMPTS => {
            tracing::warn!(error = %e, "job failed; it will be retried");
            retry(e.to_string()).await
        }
        Err(e) => {
            tracing::error!(error = %e, "job failed on its last try; giving up");
            let why = e.to_string();
            let given_up = app.jobs.give_up(app, job, &why).await;
            match given_up {
                Ok(JobOutcome::Superseded) => Ok(false),
                Ok(_) => Ok(true),
                Err(e) => {
                    // Ending the job failed too: if the store answers, end it
                    // as failed; if not, it stays due and gives up again.
                    tracing::warn!(error = %e, "giving up on the job failed");
                    let mut tx = app.store.begin().await?;
                    let held = if matches!(e, crate::error::Error::Internal(_)) {
                        ponte_store::retry_job(&mut tx, lease, &why, now + backoff_ms(job.attempts))
                            .await?
                    } else {
                        ponte_store::finish_job(
                            &mut tx,
                            lease,
                            ponte_store::JobEnd::Failed,
                            Some(&why),
                            now,
                        )
                        .await?
                    };
                    tx.commit().await?;
                    Ok(held)
                }
            }
        }
    }
}

/// Renews the lease while the job runs; returns once it is lost: taken over,
/// or not renewed before it lapsed (the store unreachable meanwhile).
async fn keep_lease(app: App, lease: JobLease) {
    let mut until = app.clock.now_ms() + LEASE_MS;
    loop {
        tokio::time::sleep(Duration::from_millis((LEASE_MS / 3) as u64)).await;
        loop {
            let next = app.clock.now_ms() + LEASE_MS;
            let renewed = async {
                let mut tx = app.store.begin().await?;
                let held = ponte_store::extend_job_lease(&mut tx, &lease, next).await?;
                tx.commit().await?;
                Ok::<_, anyhow::Error>(held)
            }
            .await;
            match renewed {
                Ok(true) => {
                    until = next;
                    break;
                }
                Ok(false) => return,
                Err(e) if app.clock.now_ms() + 1_000 >= until => {
                    tracing::warn!(job_id = %lease.id, error = %e, "the job's lease lapsed unrenewed");
                    return;
                }
                Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
    }
}
