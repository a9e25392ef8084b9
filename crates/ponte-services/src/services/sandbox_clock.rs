//! Sandbox test clocks (compare Stripe's): a client moves its own time
//! forward, in Ponte (expiry, warnings) and at the sandbox banks (each of its
//! consents there judges expiry and renewal on the same offset), to see in
//! seconds what takes months. Sandbox mode only; the process clock and every
//! other client's time are untouched.

use crate::error::{Error, Result};
use crate::services::{consent_lifecycle, consents};
use crate::App;
use ponte_core::FieldError;

const DAY_MS: i64 = 86_400_000;
/// Far enough for any lifecycle (OFB consents last at most 12 months).
const MAX_DAYS: i64 = 3650;

/// The client's clock: its time now and how far it runs ahead of real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestClock {
    pub now_ms: i64,
    pub offset_ms: i64,
}

fn sandbox_only(app: &App) -> Result<()> {
    if !app.config.sandbox {
        return Err(Error::NotFound("test clock (sandbox mode only)"));
    }
    Ok(())
}

pub async fn show(app: &App, client_id: &str) -> Result<TestClock> {
    sandbox_only(app)?;
    let mut conn = app.store.read().await?;
    let offset_ms = ponte_store::client_clock_offset(&mut conn, client_id).await?;
    Ok(TestClock {
        now_ms: app.clock.now_ms() + offset_ms,
        offset_ms,
    })
}

/// Moves the client's time `days` forward, tells the sandbox banks, and runs
/// what the new time makes due (warnings, expiries) before answering, so the
/// caller sees the outcome at once.
pub async fn advance(app: &App, client_id: &str, days: i64) -> Result<TestClock> {
    sandbox_only(app)?;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(FieldError::new(
            "days",
            format!("must be a whole number from 1 to {MAX_DAYS}"),
        )
        .into());
    }
    let mut tx = app.store.begin().await?;
    let offset_ms =
        ponte_store::advance_client_clock(&mut tx, client_id, days * DAY_MS, app.clock.now_ms())
            .await?;
    let rows = ponte_store::authorised_consents_of_client(&mut tx, client_id).await?;
    tx.commit().await?;
    for row in &rows {
        tell_bank(app, row, offset_ms).await;
    }
    consent_lifecycle::warn_expiring(app).await?;
    consents::expire_due(app).await?;
    // The new day's refreshes are queued now, not at the next sweep.
    crate::services::sync::schedule_due(app).await?;
    crate::services::documents_refresh::schedule_due(app).await?;
    tracing::info!(client_id, days, offset_ms, "sandbox test clock advanced");
    Ok(TestClock {
        now_ms: app.clock.now_ms() + offset_ms,
        offset_ms,
    })
}

/// Sets the consent's offset at its sandbox bank (the banks' test hook). A
/// bank that is not a sandbox bank has no such hook: only logged.
async fn tell_bank(app: &App, row: &ponte_store::ConsentRow, offset_ms: i64) {
    let (Some(institution), Some(bank_id)) = (
        app.directory.get(&row.institution_code),
        row.bank_consent_id.as_deref(),
    ) else {
        return;
    };
    let id: String = url::form_urlencoded::byte_serialize(bank_id.as_bytes()).collect();
    let url = format!(
        "{}/_test/consents/{id}/clock",
        institution.endpoint.issuer.trim_end_matches('/')
    );
    let sent = app
        .http
        .put(url)
        .json(&serde_json::json!({ "offsetMs": offset_ms }))
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => {
            tracing::warn!(consent_id = %row.id, status = r.status().as_u16(), "the bank did not take the test clock")
        }
        Err(e) => {
            tracing::warn!(consent_id = %row.id, error = %e, "the bank did not take the test clock")
        }
    }
}
