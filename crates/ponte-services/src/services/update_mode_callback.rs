//! The institution's answer to an update mode's authorisation (see
//! `update_mode`): on approval the new institution consent's id and tokens
//! replace the old ones under the same Ponte consent, its expiry moves (with
//! an extension row and `CONSENT_RENEWED`, as a renewal without a redirect
//! records it), and a job revokes the replaced consent at the institution,
//! only now that the new one holds. A refusal leaves the consent as it was.

use crate::error::{Error, Result};
use crate::services::authorisation_answer::{self, CallbackOutcome, CallbackParams, Refusal};
use crate::services::update_mode::{RevokeReplaced, RevokeReplacedJob};
use crate::services::{job, outbox, slots, text};
use crate::App;
use ponte_connect::BankTokens;
use ponte_core::event::{ConsentExpiry, DomainEvent};
use ponte_core::{ConsentStatus, FieldError};
use ponte_store::{ConsentRow, ReauthorisationRow, ReauthorisationStatus};

/// Completes the update mode `r` with the institution's answer `p`.
pub(crate) async fn complete(
    app: &App,
    r: ReauthorisationRow,
    p: CallbackParams,
) -> Result<CallbackOutcome> {
    let state = text(&p.state).unwrap_or_default().to_string();
    let consent = {
        let mut conn = app.store.read().await?;
        ponte_store::consent_by_id(&mut conn, &r.consent_id)
            .await?
            .ok_or(Error::NotFound("authorisation"))?
    };
    let institution = app
        .directory
        .get(&consent.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    let attempt = attempt_view(&consent, &r);
    authorisation_answer::check_issuer(app, &institution, &attempt, text(&p.iss)).await?;
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
    let claimed = ponte_store::claim_reauthorisation(
        &mut tx,
        &state,
        now,
        now - authorisation_answer::CLAIM_STALE_MS,
    )
    .await?;
    tx.commit().await?;
    let Some(r) = claimed else {
        return outcome_of_other_callback(app, &r).await;
    };
    let bank_consent_id = r.bank_consent_id.clone().unwrap_or_default();
    let tokens = match error {
        Some(error) => Err(Refusal {
            reason: authorisation_answer::refusal_reason(
                app,
                &institution,
                &bank_consent_id,
                error,
            )
            .await,
            check: None,
        }),
        None => {
            let verifier = String::from_utf8(app.crypto.open(
                slots::reauthorisation_pkce_verifier(&r.link_id),
                r.pkce_verifier_enc.as_deref().unwrap_or_default(),
            )?)
            .unwrap_or_default();
            let code = code.unwrap_or_default();
            authorisation_answer::redeem(app, &institution, &attempt, &p, code, &verifier, now)
                .await
        }
    };
    let tokens = match tokens {
        Ok(tokens) => tokens,
        Err(why) => {
            let mut tx = app.store.begin().await?;
            ponte_store::reject_reauthorisation(&mut tx, &r.link_id, &why.reason, now).await?;
            tx.commit().await?;
            tracing::info!(consent_id = %r.consent_id, reason = %why.reason, check = why.check.as_deref(), "update mode: the end user's new authorisation was refused; the consent is unchanged");
            return Ok(outcome(&r, ConsentStatus::Rejected));
        }
    };
    swap(app, &consent, &r, &tokens, now).await
}

/// The consent as the shared authorisation checks read it: the update
/// mode's attempt (its institution consent, `state` and `nonce`) in place
/// of the consent's own.
fn attempt_view(consent: &ConsentRow, r: &ReauthorisationRow) -> ConsentRow {
    let mut attempt = consent.clone();
    attempt.bank_consent_id = r.bank_consent_id.clone();
    attempt.oauth_state = r.oauth_state.clone();
    attempt.oauth_nonce = r.oauth_nonce.clone();
    attempt
}

/// Puts the new institution consent under the Ponte consent, in one
/// transaction with its webhook and the old consent's revocation job.
async fn swap(
    app: &App,
    consent: &ConsentRow,
    r: &ReauthorisationRow,
    tokens: &BankTokens,
    now: i64,
) -> Result<CallbackOutcome> {
    let expire_at = r.expire_at.unwrap_or(consent.expire_at);
    let sealed = app
        .crypto
        .seal_json::<BankTokens>(slots::consent_bank_tokens(&consent.id), tokens);
    let mut tx = app.store.begin().await?;
    let swapped = ponte_store::complete_reauthorisation(
        &mut tx,
        r,
        consent.bank_consent_id.as_deref(),
        consent.expire_at,
        expire_at,
        &sealed,
        now,
    )
    .await?;
    if !swapped {
        // The consent ended (or moved) while the end user was at the bank:
        // nothing is swapped, and the institution's new consent, which
        // nobody will use, is revoked there.
        drop(tx);
        let mut tx = app.store.begin().await?;
        ponte_store::reject_reauthorisation(&mut tx, &r.link_id, "CONSENT_ENDED", now).await?;
        queue_revoke(&mut tx, consent, r.bank_consent_id.as_deref(), now).await?;
        tx.commit().await?;
        tracing::info!(consent_id = %consent.id, "update mode: the consent changed before its renewal completed");
        return Ok(outcome(r, ConsentStatus::Rejected));
    }
    let event = DomainEvent::ConsentRenewed(ConsentExpiry {
        client_id: consent.client_id.clone(),
        consent_id: consent.id.clone(),
        link_id: consent.link_id.clone(),
        external_track_id: consent.external_track_id.clone(),
        institution_code: consent.institution_code.clone(),
        expire_at_ms: expire_at,
        previous_expire_at_ms: Some(consent.expire_at),
        occurred_at_ms: now,
    });
    outbox::publish(&app.renderers, &mut tx, &event, now).await?;
    queue_revoke(&mut tx, consent, consent.bank_consent_id.as_deref(), now).await?;
    tx.commit().await?;
    tracing::info!(consent_id = %consent.id, link_id = %r.link_id, "update mode: consent renewed with the end user's new authorisation");
    Ok(outcome(r, ConsentStatus::Authorised))
}

async fn queue_revoke(
    tx: &mut ponte_store::Conn,
    consent: &ConsentRow,
    bank_consent_id: Option<&str>,
    now: i64,
) -> Result<()> {
    let Some(bank_consent_id) = bank_consent_id else {
        return Ok(());
    };
    job::queue::<RevokeReplacedJob>(
        tx,
        &RevokeReplaced {
            consent_id: consent.id.clone(),
            institution_code: consent.institution_code.clone(),
            bank_consent_id: bank_consent_id.to_string(),
        },
        now,
    )
    .await
}

/// Another request holds this answer: wait for its outcome rather than
/// trade the code a second time.
async fn outcome_of_other_callback(app: &App, r: &ReauthorisationRow) -> Result<CallbackOutcome> {
    let deadline = tokio::time::Instant::now() + authorisation_answer::OUTCOME_WAIT;
    loop {
        let current = {
            let mut conn = app.store.read().await?;
            ponte_store::reauthorisation_of_link(&mut conn, &r.link_id)
                .await?
                .ok_or(Error::NotFound("authorisation"))?
        };
        match current.status {
            ReauthorisationStatus::Authorised => {
                return Ok(outcome(&current, ConsentStatus::Authorised))
            }
            ReauthorisationStatus::Rejected => {
                return Ok(outcome(&current, ConsentStatus::Rejected))
            }
            _ if current.oauth_state != r.oauth_state => {
                // A newer attempt replaced this one: its answer is spent.
                return Err(Error::NotFound("authorisation"));
            }
            _ => {}
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Error::Conflict(
                "the renewal is still being completed; try again shortly".into(),
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Where the end user goes: the update mode's return address with
/// `consentId`, `status` (the renewal's outcome) and `renewal=true`.
fn outcome(r: &ReauthorisationRow, to: ConsentStatus) -> CallbackOutcome {
    let redirect = r
        .redirect_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|mut u| {
            u.query_pairs_mut()
                .append_pair("consentId", &r.consent_id)
                .append_pair("status", to.as_str())
                .append_pair("renewal", "true");
            u.to_string()
        });
    CallbackOutcome {
        consent_id: r.consent_id.clone(),
        status: to,
        redirect,
    }
}
