//! The consent lifecycle, as one state machine.
//!
//! ```text
//! AWAITING_AUTHORISATION ──► AUTHORISED ──► REVOKED
//!            │                    └───────► EXPIRED
//!            └─────────────► REJECTED
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentStatus {
    AwaitingAuthorisation,
    Authorised,
    Rejected,
    Revoked,
    Expired,
}

/// Why a consent left the path to `AUTHORISED`; the names follow Open Finance Brasil's.
pub mod reason {
    pub const CUSTOMER_MANUALLY_REJECTED: &str = "CUSTOMER_MANUALLY_REJECTED";
    pub const CUSTOMER_MANUALLY_REVOKED: &str = "CUSTOMER_MANUALLY_REVOKED";
    /// Not authorised within the authorisation window.
    pub const CONSENT_EXPIRED: &str = "CONSENT_EXPIRED";
    /// Authorised, and its `expireAt` passed.
    pub const CONSENT_MAX_DATE_REACHED: &str = "CONSENT_MAX_DATE_REACHED";
    /// The institution refused the login or failed during the authorisation.
    pub const INSTITUTION_ERROR: &str = "INSTITUTION_ERROR";
    /// The integrator revoked it through the API.
    pub const CLIENT_REVOKED: &str = "CLIENT_REVOKED";
    /// The institution reports the consent revoked or rejected on its side.
    pub const INSTITUTION_REVOKED: &str = "INSTITUTION_REVOKED";
    /// The institution's authorisation answer failed a FAPI-BR security
    /// check (its ID token, `state`, `iss`, the granted scope): not trusted,
    /// so its code was never redeemed.
    pub const INTERNAL_SECURITY_REASON: &str = "INTERNAL_SECURITY_REASON";
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a consent cannot go from {from} to {to}")]
pub struct TransitionError {
    pub from: ConsentStatus,
    pub to: ConsentStatus,
}

impl ConsentStatus {
    pub const ALL: [ConsentStatus; 5] = [
        ConsentStatus::AwaitingAuthorisation,
        ConsentStatus::Authorised,
        ConsentStatus::Rejected,
        ConsentStatus::Revoked,
        ConsentStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentStatus::AwaitingAuthorisation => "AWAITING_AUTHORISATION",
            ConsentStatus::Authorised => "AUTHORISED",
            ConsentStatus::Rejected => "REJECTED",
            ConsentStatus::Revoked => "REVOKED",
            ConsentStatus::Expired => "EXPIRED",
        }
    }

    pub fn parse(raw: &str) -> Option<ConsentStatus> {
        ConsentStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The one place that says which moves are legal.
    pub fn can_become(self, to: ConsentStatus) -> bool {
        use ConsentStatus::*;
        matches!(
            (self, to),
            (AwaitingAuthorisation, Authorised | Rejected) | (Authorised, Revoked | Expired)
        )
    }

    pub fn transition(self, to: ConsentStatus) -> Result<ConsentStatus, TransitionError> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// No transition leaves a final status.
    pub fn is_final(self) -> bool {
        ConsentStatus::ALL.iter().all(|to| !self.can_become(*to))
    }
}

impl fmt::Display for ConsentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ConsentStatus::*;
    use super::*;

    #[test]
    fn every_pair_of_statuses_is_either_allowed_or_refused_as_the_contract_says() {
        let allowed = [
            (AwaitingAuthorisation, Authorised),
            (AwaitingAuthorisation, Rejected),
            (Authorised, Revoked),
            (Authorised, Expired),
        ];
        for from in ConsentStatus::ALL {
            for to in ConsentStatus::ALL {
                let expected = allowed.contains(&(from, to));
                assert_eq!(from.transition(to).is_ok(), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn final_statuses() {
        assert!(!AwaitingAuthorisation.is_final());
        assert!(!Authorised.is_final());
        assert!(Rejected.is_final() && Revoked.is_final() && Expired.is_final());
    }

    #[test]
    fn wire_names() {
        for s in ConsentStatus::ALL {
            assert_eq!(ConsentStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
