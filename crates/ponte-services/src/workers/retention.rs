//! The retention sweep: once shortly after start, then hourly, removes what
//! ended more than `PONTE_RETENTION` ago (see `ponte_store::retention`).
//! Several nodes may sweep at once: each batch deletes what is still there.

use crate::App;
use std::time::Duration;
use tokio::sync::watch;

/// Rows per statement: small enough that no batch holds the writer long.
const BATCH: i64 = 500;
const FIRST_SWEEP_AFTER: Duration = Duration::from_secs(60);
const EVERY: Duration = Duration::from_secs(3600);

/// One sweep, with the retention the configuration sets.
pub async fn sweep(app: &App) -> ponte_store::Result<ponte_store::retention::Pruned> {
    let retention_ms = i64::try_from(app.config.retention.as_millis()).unwrap_or(i64::MAX);
    let cutoff = app.clock.now_ms().saturating_sub(retention_ms);
    ponte_store::retention::prune(&app.store, cutoff, BATCH).await
}

/// Deletes documents stored longer ago than `PONTE_DOCUMENT_RETENTION`.
pub async fn sweep_documents(app: &App) -> crate::error::Result<u64> {
    let keep_ms = i64::try_from(app.config.document_retention.as_millis()).unwrap_or(i64::MAX);
    let cutoff = app.clock.now_ms().saturating_sub(keep_ms);
    crate::services::documents_files::sweep(app, cutoff, BATCH).await
}

pub async fn run(app: App, mut stop: watch::Receiver<bool>) {
    let mut wait = FIRST_SWEEP_AFTER;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        match sweep(&app).await {
            Ok(pruned) => tracing::info!(
                webhook_messages = pruned.webhook_messages,
                jobs = pruned.jobs,
                tickets = pruned.tickets,
                refresh_tokens = pruned.refresh_tokens,
                "retention sweep"
            ),
            Err(e) => tracing::warn!(error = %e, "retention sweep failed"),
        }
        match crate::services::quota::prune_calls(&app, BATCH).await {
            Ok(calls) => tracing::info!(calls, "institution calls retention sweep"),
            Err(e) => tracing::warn!(error = %e, "institution calls retention sweep failed"),
        }
        match crate::services::documents::expire_abandoned(&app).await {
            Ok(retrievals) => tracing::info!(retrievals, "abandoned documents sign-ins expired"),
            Err(e) => tracing::warn!(error = %e, "expiring abandoned documents sign-ins failed"),
        }
        match sweep_documents(&app).await {
            Ok(files) => tracing::info!(files, "documents retention sweep"),
            Err(e) => tracing::warn!(error = %e, "documents retention sweep failed"),
        }
        wait = EVERY;
    }
}
