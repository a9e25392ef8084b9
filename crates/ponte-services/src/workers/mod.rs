//! Background work: the webhook dispatcher, the job runner, the consent clock
//! and the retention sweep.

pub mod dispatcher;
pub mod jobs;
pub mod retention;

use crate::App;
use std::time::Duration;
use tokio::sync::watch;

/// Starts the workers; they end when `stop` turns true, after their work in flight.
/// Committed work wakes the dispatcher and the job runner at once (on
/// PostgreSQL through this node's listener, see `ponte_store::wake`); each
/// also polls every `PONTE_WORKER_POLL` for work that came due by time.
pub fn spawn(app: App, stop: watch::Receiver<bool>) -> Vec<tokio::task::JoinHandle<()>> {
    vec![
        tokio::spawn(app.store.listen(stop.clone())),
        tokio::spawn(dispatcher::run(app.clone(), stop.clone())),
        tokio::spawn(jobs::run(app.clone(), stop.clone())),
        tokio::spawn(retention::run(app.clone(), stop.clone())),
        tokio::spawn(consent_clock(app, stop)),
    ]
}

/// Applies consent expiry even when nobody reads the consent, so its webhook goes out.
async fn consent_clock(app: App, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = crate::services::consents::expire_due(&app).await {
            tracing::warn!(error = %e, "consent expiry sweep failed");
        }
        if let Err(e) = crate::services::consent_lifecycle::warn_expiring(&app).await {
            tracing::warn!(error = %e, "consent expiring-warning sweep failed");
        }
        if let Err(e) = crate::services::sync::schedule_due(&app).await {
            tracing::warn!(error = %e, "scheduling the daily transaction refreshes failed");
        }
        if let Err(e) = crate::services::documents_refresh::schedule_due(&app).await {
            tracing::warn!(error = %e, "scheduling the documents refreshes failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stop.changed() => return,
        }
    }
}
