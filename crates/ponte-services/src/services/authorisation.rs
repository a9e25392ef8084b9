//! The authorisation half of a consent after its start
//! (`authorisation_start`): a fresh attempt when the last one is spent, and
//! the callback that trades the institution's code for its tokens
//! (`authorisation_answer`), which moves the consent to `AUTHORISED` or
//! `REJECTED` through `consent_state::change_status` (queuing auto-delivery
//! in the same transaction). An update mode's callback goes on to
//! `update_mode_callback`.

use crate::error::{Error, Result};
use crate::services::authorisation_answer::{
    check_issuer, redeem, refusal_reason, Refusal, CLAIM_STALE_MS, OUTCOME_WAIT,
};
use crate::services::authorisation_answer::{CallbackOutcome, CallbackParams};
use crate::services::authorisation_start::{institution_error, recipient_name};
use crate::services::consent_state::change_status;
use crate::services::retrieval;
use crate::services::text;
use crate::App;
use ponte_connect::BankTokens;
use ponte_core::{ConsentStatus, FieldError};
use ponte_store::ConsentRow;

/// Starts a new authorisation attempt at the institution for a consent still
/// awaiting one (the previous attempt's single-use request may be spent);
/// returns the institution URL to send the end user to.
pub async fn restart_authorisation(app: &App, row: &ConsentRow) -> Result<String> {
    let institution = app
        .directory
        .get(&row.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    let bank_consent_id = row
        .bank_consent_id
        .as_deref()
        .ok_or_else(|| Error::Conflict("the consent has no authorisation in progress".into()))?;
    let started = app
        .open_finance
        .reauthorise(
            &institution.endpoint,
            bank_consent_id,
            recipient_name(app, &row.client_id).await.as_deref(),
        )
        .await
        .map_err(|e| institution_error(&institution, Some(&row.id), e))?;
    let verifier = app.crypto.seal(
        crate::services::slots::consent_pkce_verifier(&row.id),
        started.pkce_verifier.as_bytes(),
    );
    let mut tx = app.store.begin().await?;
    ponte_store::set_consent_authorisation(
        &mut tx,
        &row.id,
        &started.authorization_url,
        &started.state,
        &verifier,
        &started.nonce,
        app.clock.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(started.authorization_url)
}

/// Finishes the authorisation the end user just did at the institution.
/// The same answer may arrive twice at once (double click, browser retry):
/// one request claims it and trades the code, the other is told its outcome.
pub async fn complete_authorisation(app: &App, p: CallbackParams) -> Result<CallbackOutcome> {
    let state = text(&p.state)
        .ok_or_else(|| FieldError::new("state", "is missing from the institution's answer"))?;
    let mut conn = app.store.read().await?;
    let Some(row) = ponte_store::consent_by_state(&mut conn, state).await? else {
        // Not a new consent's: an update mode's, or nothing Ponte started.
        let renewal = ponte_store::reauthorisation_by_state(&mut conn, state)
            .await?
            .ok_or(Error::NotFound("authorisation"))?;
        drop(conn);
        return crate::services::update_mode_callback::complete(app, renewal, p).await;
    };
    drop(conn);
    let institution = app
        .directory
        .get(&row.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    check_issuer(app, &institution, &row, text(&p.iss)).await?;
    let error = text(&p.error);
    let code =
        match error {
            Some(_) => None,
            None => Some(text(&p.code).ok_or_else(|| {
                FieldError::new("code", "is missing from the institution's answer")
            })?),
        };
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let claimed =
        ponte_store::claim_authorisation(&mut tx, state, now, now - CLAIM_STALE_MS).await?;
    tx.commit().await?;
    let Some(row) = claimed else {
        return outcome_of_other_callback(app, row).await;
    };
    let outcome = if let Some(error) = error {
        let why = Refusal::from(
            refusal_reason(
                app,
                &institution,
                row.bank_consent_id.as_deref().unwrap_or_default(),
                error,
            )
            .await,
        );
        tracing::info!(consent_id = %row.id, error, description = p.error_description.as_deref().unwrap_or(""), "authorisation refused");
        Err(why)
    } else {
        let code = code.unwrap_or_default();
        let verifier = String::from_utf8(app.crypto.open(
            crate::services::slots::consent_pkce_verifier(&row.id),
            row.pkce_verifier_enc.as_deref().unwrap_or_default(),
        )?)
        .unwrap_or_default();
        redeem(app, &institution, &row, &p, code, &verifier, now).await
    };
    let mut tx = app.store.begin().await?;
    // The status moves first, compare-and-set: if a `DELETE` or the clock
    // ended the consent meanwhile, the institution's tokens are not stored.
    let to = match &outcome {
        Ok(tokens) => {
            if change_status(
                &app.renderers,
                &mut tx,
                &row,
                ConsentStatus::Authorised,
                None,
                now,
            )
            .await?
            {
                ponte_store::set_consent_tokens(
                    &mut tx,
                    &row.id,
                    Some(&app.crypto.seal_json::<BankTokens>(
                        crate::services::slots::consent_bank_tokens(&row.id),
                        tokens,
                    )),
                    now,
                )
                .await?;
                retrieval::queue_auto_delivery(&mut tx, &row, now).await?;
                Some(ConsentStatus::Authorised)
            } else {
                None
            }
        }
        Err(why) => {
            if change_status(
                &app.renderers,
                &mut tx,
                &row,
                ConsentStatus::Rejected,
                Some(&why.reason),
                now,
            )
            .await?
            {
                ponte_store::set_consent_tokens(&mut tx, &row.id, None, now).await?;
                if let Some(check) = &why.check {
                    ponte_store::record_rejection_check(&mut tx, &row.id, check, now).await?;
                }
                Some(ConsentStatus::Rejected)
            } else {
                None
            }
        }
    };
    tx.commit().await?;
    let to = match to {
        Some(to) => to,
        None => {
            let mut conn = app.store.read().await?;
            let current = ponte_store::consent_by_id(&mut conn, &row.id)
                .await?
                .ok_or(Error::NotFound("consent"))?;
            tracing::info!(consent_id = %row.id, status = %current.status, "the consent changed before its authorisation completed");
            current.status
        }
    };
    Ok(outcome_for(row, to))
}

/// Another request holds this authorisation: wait for its outcome rather
/// than trade the code a second time.
async fn outcome_of_other_callback(app: &App, row: ConsentRow) -> Result<CallbackOutcome> {
    let deadline = tokio::time::Instant::now() + OUTCOME_WAIT;
    loop {
        let mut conn = app.store.read().await?;
        let current = ponte_store::consent_by_id(&mut conn, &row.id)
            .await?
            .ok_or(Error::NotFound("authorisation"))?;
        drop(conn);
        let status = current.status;
        if status != ConsentStatus::AwaitingAuthorisation {
            tracing::info!(consent_id = %row.id, status = %status, "a repeated authorisation answer was told the first one's outcome");
            return Ok(outcome_for(row, status));
        }
        if current.oauth_state != row.oauth_state {
            // The attempt was replaced by a new one: this answer is spent.
            return Err(Error::NotFound("authorisation"));
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Error::Conflict(
                "the authorisation is still being completed; try again shortly".into(),
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Where to send the end user: the consent's `redirectUrl` with `consentId`
/// and `status`.
fn outcome_for(row: ConsentRow, to: ConsentStatus) -> CallbackOutcome {
    let redirect = row
        .redirect_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|mut u| {
            u.query_pairs_mut()
                .append_pair("consentId", &row.id)
                .append_pair("status", to.as_str());
            u.to_string()
        });
    CallbackOutcome {
        consent_id: row.id,
        status: to,
        redirect,
    }
}
