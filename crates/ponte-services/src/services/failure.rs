//! Why a retrieval failed, as the integrator and the end user see it: a
//! stable code for programs and a plain message for people. What the
//! institution or the database actually said is logged with the consent id
//! and never put here, so no third party's text (or our internals) reaches a
//! report or a webhook verbatim.

use ponte_connect::ConnectError;
use ponte_core::consent::reason;
use ponte_core::ConsentStatus;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The institution could not be reached or kept failing.
    InstitutionUnavailable,
    /// The institution answered, but not with the data.
    InstitutionError,
    /// The customer withdrew the consent at the institution; carries the
    /// institution's Open Finance reason code when it sent a well-formed one.
    InstitutionRevoked(Option<String>),
    /// The institution ended the consent at its end date.
    ConsentMaxDateReached,
    /// The consent is no longer `AUTHORISED` here.
    ConsentEnded(ConsentStatus),
    /// The endpoint's monthly operational limit is spent for this consent;
    /// carries the endpoint (the call was never sent).
    QuotaExhausted(String),
    /// Ponte itself failed (e.g. its database) on every try.
    Internal,
}

impl Failure {
    pub fn code(&self) -> &'static str {
        match self {
            Failure::InstitutionUnavailable => "INSTITUTION_UNAVAILABLE",
            Failure::InstitutionError => reason::INSTITUTION_ERROR,
            Failure::InstitutionRevoked(_) => reason::INSTITUTION_REVOKED,
            Failure::ConsentMaxDateReached => reason::CONSENT_MAX_DATE_REACHED,
            Failure::ConsentEnded(ConsentStatus::Expired) => reason::CONSENT_MAX_DATE_REACHED,
            Failure::ConsentEnded(_) => "CONSENT_REVOKED",
            Failure::QuotaExhausted(_) => "QUOTA_EXHAUSTED",
            Failure::Internal => "INTERNAL_ERROR",
        }
    }

    /// What the institution's failure means for the report; the caller logs `e` itself.
    pub fn of_institution(e: &ConnectError) -> Failure {
        match e {
            ConnectError::Unavailable(_) | ConnectError::Transport(_) => {
                Failure::InstitutionUnavailable
            }
            ConnectError::ConsentRevoked(code) => {
                Failure::InstitutionRevoked(open_finance_code(code).map(str::to_string))
            }
            ConnectError::Refused(_)
            | ConnectError::Protocol(_)
            | ConnectError::InvalidGrant(_)
            | ConnectError::TokensRefused(_)
            | ConnectError::Check(_) => Failure::InstitutionError,
            ConnectError::QuotaExhausted { endpoint, .. } => {
                Failure::QuotaExhausted(endpoint.clone())
            }
        }
    }
}

/// `CODE: message`, the report's `reason`.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code();
        match self {
            Failure::InstitutionUnavailable => write!(
                f,
                "{code}: the institution could not be reached; try again later"
            ),
            Failure::InstitutionError => {
                write!(f, "{code}: the institution could not provide the data")
            }
            Failure::InstitutionRevoked(Some(why)) => write!(
                f,
                "{code}: the consent was revoked at the institution ({why})"
            ),
            Failure::InstitutionRevoked(None) => {
                write!(f, "{code}: the consent was revoked at the institution")
            }
            Failure::ConsentMaxDateReached => write!(
                f,
                "{code}: the institution ended the consent at its end date"
            ),
            Failure::ConsentEnded(status) => write!(f, "{code}: the consent is {status}"),
            Failure::QuotaExhausted(endpoint) => write!(
                f,
                "{code}: this month's limit of calls to {endpoint} is spent for this consent"
            ),
            Failure::Internal => write!(
                f,
                "{code}: the data could not be retrieved; request it again later"
            ),
        }
    }
}

/// An institution's reason code, if it looks like one (`CUSTOMER_MANUALLY_REVOKED`):
/// anything else it sends is free text and stays in the logs.
pub fn open_finance_code(raw: &str) -> Option<&str> {
    let well_formed = (1..=64).contains(&raw.len())
        && raw.starts_with(|c: char| c.is_ascii_uppercase())
        && raw
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    well_formed.then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_carry_a_stable_code_and_never_the_institutions_text() {
        let said = "<html>stack trace at db01.bank.internal: password=hunter2</html>";
        for e in [
            ConnectError::Unavailable(said.into()),
            ConnectError::Refused(said.into()),
            ConnectError::Protocol(said.into()),
            ConnectError::InvalidGrant(said.into()),
            ConnectError::TokensRefused(said.into()),
            ConnectError::ConsentRevoked(said.into()),
        ] {
            let reason = Failure::of_institution(&e).to_string();
            assert!(!reason.contains("hunter2"), "{reason}");
            let code = reason.split(':').next().unwrap_or_default();
            assert!(open_finance_code(code).is_some(), "{reason}");
        }
        assert_eq!(
            Failure::of_institution(&ConnectError::ConsentRevoked(
                "CUSTOMER_MANUALLY_REVOKED".into()
            ))
            .to_string(),
            "INSTITUTION_REVOKED: the consent was revoked at the institution (CUSTOMER_MANUALLY_REVOKED)"
        );
        assert!(Failure::ConsentEnded(ConsentStatus::Revoked)
            .to_string()
            .starts_with("CONSENT_REVOKED: "));
        assert!(Failure::Internal
            .to_string()
            .starts_with("INTERNAL_ERROR: "));
    }
}
