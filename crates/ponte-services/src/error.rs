//! The service layer's errors. Each dialect maps them to its own shape in one function.

use crate::tokens::TokenError;
use ponte_core::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Field(#[from] FieldError),
    /// A request that cannot be read at all (a body that is not JSON);
    /// `field` is the JSON path reached before it broke, when there is one.
    #[error("{message}")]
    Malformed {
        field: Option<String>,
        message: String,
    },
    #[error("unknown key or wrong secret")]
    InvalidCredentials,
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Outage(String),
    #[error("{0}")]
    ConsentNotAuthorised(String),
    #[error("{0}")]
    Conflict(String),
    /// The end user declined at the institution (a portal's `access_denied`):
    /// an outcome of theirs, not a failure of Ponte's or the institution's.
    #[error("{0}")]
    Declined(String),
    /// The institution refused or failed; the message is safe to show.
    #[error("{0}")]
    Institution(String),
    /// A consent names an institution the directory does not hold.
    #[error("{0:?} is not an institution")]
    UnknownInstitution(String),
    /// A 410 Gone disabled the endpoint a replay would send to.
    #[error("the endpoint {url} is disabled since it answered 410 Gone at {}; enable it again, then replay", crate::clock::rfc3339(*at_ms))]
    EndpointDisabled { url: String, at_ms: i64 },
    /// The link already holds `PONTE_MAX_CONSENTS_PER_LINK` consents.
    #[error("the link already has the most consents one link may have ({0}); open a new link for this end user")]
    LinkConsentLimit(u32),
    /// The client refuses a second connection of the same person to the
    /// same institution while one is AUTHORISED (`ponte clients update --duplicates`).
    #[error("this person already has an AUTHORISED consent at {institution} ({consent_id}); this client refuses duplicate connections")]
    DuplicateConnection {
        consent_id: String,
        institution: String,
    },
    #[error("too many failed attempts; retry in {0} s")]
    RateLimited(i64),
    /// A retrieval would call endpoints whose monthly OFB operational limit
    /// the consent has spent; the institution would refuse them with 429.
    #[error("consent {consent_id} has spent this month's calls to {} (the institution's operational limit); the budget resets at {}", endpoints.join(", "), crate::clock::rfc3339(*resets_at_ms))]
    QuotaExhausted {
        consent_id: String,
        endpoints: Vec<String>,
        resets_at_ms: i64,
    },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<ponte_store::StoreError> for Error {
    fn from(e: ponte_store::StoreError) -> Self {
        Error::Internal(e.into())
    }
}

impl From<crate::crypto::DecryptError> for Error {
    fn from(e: crate::crypto::DecryptError) -> Self {
        Error::Internal(e.into())
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Internal(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
