//! Telling the institution a consent ended here (revoked by the client or
//! the end user, or expired by the consent clock): a durable job queued in
//! the transaction that ends the consent, so no bank call holds that up.

use crate::error::{Error, Result};
use crate::services::job::{self, Job, JobOutcome};
use crate::App;
use ponte_store::JobRow;
use serde::{Deserialize, Serialize};

/// Tells the institution a consent ended here.
pub const REVOKE_JOB_KIND: &str = "revoke_at_institution";

// Stored in the jobs table: its spelling is a storage format (queued jobs must still read).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokeAtInstitution {
    consent_id: String,
}

impl RevokeAtInstitution {
    /// Tells the institution `consent_id` ended here (revoked or expired).
    pub fn of(consent_id: &str) -> Self {
        Self {
            consent_id: consent_id.to_string(),
        }
    }
}

/// Tells the institution a consent ended here; nobody waits on it, so
/// giving up just ends it.
pub struct RevokeAtInstitutionJob;

impl Job for RevokeAtInstitutionJob {
    const KIND: &'static str = REVOKE_JOB_KIND;
    type Payload = RevokeAtInstitution;

    async fn run(app: &App, job: &JobRow, p: RevokeAtInstitution) -> Result<JobOutcome> {
        run_revoke_at_institution(app, job, p).await
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        job::end_failed(app, job, why).await
    }
}

/// Runs one `REVOKE_JOB_KIND` job (safe to run twice: revoking an ended
/// consent again is accepted by the institution).
async fn run_revoke_at_institution(
    app: &App,
    job: &JobRow,
    p: RevokeAtInstitution,
) -> Result<JobOutcome> {
    let row = {
        let mut conn = app.store.read().await?;
        ponte_store::consent_by_id(&mut conn, &p.consent_id)
            .await?
            .ok_or(Error::NotFound("consent"))?
    };
    let (Some(institution), Some(bank_consent_id)) = (
        app.directory.get(&row.institution_code),
        row.bank_consent_id.as_deref(),
    ) else {
        tracing::warn!(consent_id = %row.id, "no institution to tell of the revocation");
        return Ok(JobOutcome::Done);
    };
    match app
        .open_finance
        .revoke(&institution.endpoint, bank_consent_id)
        .await
    {
        Ok(()) => {
            tracing::info!(consent_id = %row.id, "revoked at the institution");
            Ok(JobOutcome::Done)
        }
        Err(e) => {
            // Our side is revoked already and its tokens erased: no data can
            // be fetched meanwhile, so this is retried like any job.
            tracing::warn!(consent_id = %row.id, attempt = job.attempts, error = %e, "revocation at the institution failed");
            Err(Error::Institution(format!(
                "{}: revocation failed",
                institution.name
            )))
        }
    }
}
