//! The authorisation half of a consent: the request the end user takes to the
//! institution (pushed, with PKCE), a fresh attempt when the last one is spent,
//! and the callback that trades the institution's code for its tokens, which
//! moves the consent to `AUTHORISED` or `REJECTED` through
//! `consent_state::change_status` (queuing auto-delivery in the same
//! transaction).

use crate::error::{Error, Result};
use crate::services::consent_state::change_status;
use crate::services::directory::Institution;
use crate::services::failure::open_finance_code;
use crate::services::retrieval;
use crate::services::text;
use crate::App;
use ponte_connect::{
    AuthorisationResponse, BankTokens, ConnectError, PendingAuthorisation, StartedAuthorisation,
};
use ponte_core::consent::reason;
use ponte_core::{Cnpj, ConsentStatus, Cpf, FieldError};
use ponte_store::ConsentRow;
use serde::Deserialize;

/// Creates the consent at the institution and prepares the end user's
/// authorisation request there, naming `client_id` as the recipient; with
/// the end user present, their FAPI headers go with it.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    app: &App,
    client_id: &str,
    institution: &Institution,
    personal: &Cpf,
    business: Option<&Cnpj>,
    permissions: &[String],
    expire_at: i64,
    end_user: Option<&ponte_connect::EndUser>,
) -> Result<StartedAuthorisation> {
    let recipient = recipient_name(app, client_id).await;
    app.open_finance
        .start_authorisation_as(
            &institution.endpoint,
            personal.as_str(),
            business.map(Cnpj::as_str),
            permissions,
            &ofb_time(expire_at),
            recipient.as_deref(),
            end_user,
        )
        .await
        .map_err(|e| institution_error(institution, None, e))
}

/// Who the end user shares with, as the institution's consent page names
/// them: the client's display name, else its name. Not knowing it only
/// leaves the page's generic wording.
async fn recipient_name(app: &App, client_id: &str) -> Option<String> {
    let branding = crate::services::branding::branding(app, client_id)
        .await
        .ok();
    if let Some(name) = branding.and_then(|b| b.display_name) {
        return Some(name);
    }
    let mut conn = app.store.read().await.ok()?;
    let client = ponte_store::client_by_id(&mut conn, client_id)
        .await
        .ok()??;
    Some(client.name)
}

/// What the end user is told when the institution fails: a plain message;
/// what the institution said goes to the log only.
fn institution_error(
    institution: &Institution,
    consent_id: Option<&str>,
    e: ConnectError,
) -> Error {
    tracing::warn!(institution = %institution.institution_code, consent_id, error = %e, "institution call failed");
    match e {
        ConnectError::Unavailable(_) => {
            Error::Outage(format!("{} is unavailable at the moment", institution.name))
        }
        _ => Error::Institution(format!(
            "{} could not start the authorisation; try again later",
            institution.name
        )),
    }
}

/// Open Finance date-times: UTC, second precision.
fn ofb_time(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}

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

/// What the institution sent back to our callback.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    /// The hybrid flow's front-channel ID token (FAPI-BR institutions).
    pub id_token: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

pub struct CallbackOutcome {
    pub consent_id: String,
    pub status: ConsentStatus,
    /// Where to send the end user: the consent's `redirectUrl` with `consentId` and `status`.
    pub redirect: Option<String>,
}

/// A claim on an authorisation older than this is taken as its holder's
/// crash: the code exchange is bounded well below it (30 s).
pub(crate) const CLAIM_STALE_MS: i64 = 60_000;
/// How long a second callback waits for the first one's outcome.
pub(crate) const OUTCOME_WAIT: std::time::Duration = std::time::Duration::from_secs(40);

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

/// The OFB reason for an authorisation the institution answered with
/// `error`: its own rejection code when it gives one.
pub(crate) async fn refusal_reason(
    app: &App,
    institution: &Institution,
    bank_consent_id: &str,
    error: &str,
) -> String {
    match app
        .open_finance
        .consent_status(&institution.endpoint, bank_consent_id)
        .await
    {
        Ok((_, Some(code))) if open_finance_code(&code).is_some() => code,
        _ if error == "access_denied" => reason::CUSTOMER_MANUALLY_REJECTED.to_string(),
        _ => reason::INSTITUTION_ERROR.to_string(),
    }
}

/// Why an authorisation ended `REJECTED`: the OFB reason code, and the
/// FAPI-BR check when Ponte refused the institution's answer itself.
pub(crate) struct Refusal {
    pub(crate) reason: String,
    pub(crate) check: Option<String>,
}

impl From<String> for Refusal {
    fn from(reason: String) -> Self {
        Refusal {
            reason,
            check: None,
        }
    }
}

/// Trades the code for the institution's tokens. A FAPI-BR institution's
/// answer is checked first (its ID tokens, `c_hash`, `s_hash`, `nonce`,
/// `acr`, the token answer's `scope`): one that fails a check ends the
/// consent `REJECTED` with `INTERNAL_SECURITY_REASON`, the check named on
/// the consent (`consent_rejection_checks`) and in the log, and its code is
/// never redeemed.
pub(crate) async fn redeem(
    app: &App,
    institution: &Institution,
    row: &ConsentRow,
    p: &CallbackParams,
    code: &str,
    verifier: &str,
    now: i64,
) -> std::result::Result<BankTokens, Refusal> {
    let outcome = if institution.endpoint.is_fapi() {
        let response = AuthorisationResponse {
            code: Some(code.to_string()),
            id_token: p.id_token.clone(),
            state: p.state.clone(),
            iss: p.iss.clone(),
            error: None,
            error_description: None,
        };
        let pending = PendingAuthorisation {
            bank_consent_id: row.bank_consent_id.as_deref().unwrap_or_default(),
            state: row.oauth_state.as_deref().unwrap_or_default(),
            nonce: row.oauth_nonce.as_deref().unwrap_or_default(),
            pkce_verifier: verifier,
        };
        app.open_finance
            .complete_authorisation(&institution.endpoint, &response, &pending, now)
            .await
            .map(|done| done.tokens)
    } else {
        app.open_finance
            .exchange_code(&institution.endpoint, code, verifier, now)
            .await
    };
    outcome.map_err(|e| match e {
        ConnectError::Check(failed) => {
            tracing::warn!(consent_id = %row.id, institution = %institution.institution_code,
                check = %failed.check, why = %failed.description,
                "the institution's answer failed a security check; the consent is rejected");
            Refusal {
                reason: reason::INTERNAL_SECURITY_REASON.to_string(),
                check: Some(failed.check.to_string()),
            }
        }
        e => {
            tracing::warn!(consent_id = %row.id, error = %e, "code exchange failed");
            reason::INSTITUTION_ERROR.to_string().into()
        }
    })
}

/// Checks RFC 9207's `iss`: a wrong one is a mix-up (an answer meant for
/// another institution), a missing one from an institution that always sends
/// it is not its answer. Either is refused and changes nothing, so the real
/// answer can still complete the authorisation.
pub(crate) async fn check_issuer(
    app: &App,
    institution: &Institution,
    row: &ConsentRow,
    iss: Option<&str>,
) -> Result<()> {
    match iss {
        Some(iss) if iss != institution.endpoint.issuer => Err(FieldError::new(
            "iss",
            "does not match the institution the authorisation started at",
        )
        .into()),
        Some(_) => Ok(()),
        None => {
            let required = app
                .open_finance
                .iss_required(&institution.endpoint)
                .await
                .map_err(|e| institution_error(institution, Some(&row.id), e))?;
            if required {
                tracing::warn!(consent_id = %row.id, "an authorisation answer without iss was refused");
                return Err(FieldError::new(
                    "iss",
                    "is missing from the institution's answer, which always carries it",
                )
                .into());
            }
            Ok(())
        }
    }
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
