//! Before a client is erased, the institutions are told its consents ended:
//! the queued revocation job cannot do it afterwards (it rereads the consent,
//! which is gone), so the deletion revokes them itself, within a bound.

use crate::error::Result;
use crate::App;
use std::time::Duration;

/// What became of the revocations: how many the institutions confirmed, and
/// the ids of those they did not (failed or out of time).
#[derive(Debug, Default)]
pub struct Revoked {
    pub confirmed: usize,
    pub unconfirmed: Vec<String>,
}

/// Revokes every live consent of the client at its institution, all within
/// `limit`; a failure is reported, not fatal (the deletion goes on).
pub async fn revoke_client_consents(
    app: &App,
    client_id: &str,
    limit: Duration,
) -> Result<Revoked> {
    let mut conn = app.store.read().await?;
    let live = ponte_store::live_consents_of_client(&mut conn, client_id).await?;
    drop(conn);
    let deadline = tokio::time::Instant::now() + limit;
    let mut out = Revoked::default();
    for row in live {
        let (Some(institution), Some(bank_consent_id)) = (
            app.directory.get(&row.institution_code),
            row.bank_consent_id.as_deref(),
        ) else {
            out.unconfirmed.push(row.id);
            continue;
        };
        let call = app
            .open_finance
            .revoke(&institution.endpoint, bank_consent_id);
        match tokio::time::timeout_at(deadline, call).await {
            Ok(Ok(())) => out.confirmed += 1,
            Ok(Err(e)) => {
                tracing::warn!(consent_id = %row.id, error = %e, "revocation at the institution failed before deleting its client");
                out.unconfirmed.push(row.id);
            }
            Err(_) => {
                tracing::warn!(consent_id = %row.id, "revocation at the institution timed out before deleting its client");
                out.unconfirmed.push(row.id);
            }
        }
    }
    Ok(out)
}
