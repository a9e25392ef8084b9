//! The institution's answer to an authorisation, as a new consent's and an
//! update mode's callbacks both read it: its parameters, the issuer check,
//! the code traded for tokens (with FAPI-BR's checks), and why a refused
//! one was refused.

use crate::error::Result;
use crate::services::authorisation_start::institution_error;
use crate::services::directory::Institution;
use crate::services::failure::open_finance_code;
use crate::App;
use ponte_connect::{AuthorisationResponse, BankTokens, ConnectError, PendingAuthorisation};
use ponte_core::consent::reason;
use ponte_core::{ConsentStatus, FieldError};
use ponte_store::ConsentRow;
use serde::Deserialize;

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
