//! Institution connectors: HTTP clients, one per institution protocol.
//! They get everything from the institution directory and know nothing of
//! how the institution is implemented (the sandbox is just another server).

pub mod bounds;
pub mod consent_renewal;
pub mod current;
pub mod dcr;
pub mod discovery;
pub mod document_portal;
pub mod endpoint;
pub mod fapi;
pub mod headers;
pub mod id_token;
pub mod jose;
pub mod observe;
pub mod open_finance;
pub mod products;
pub mod recent;
mod redact;
pub mod security;
pub mod session;
#[cfg(test)]
pub(crate) mod testkit;

pub use bounds::Timeouts;
pub use consent_renewal::{ConsentExtension, Renewal, RenewalOutcome};
pub use dcr::{ClientMetadata, Registration};
pub use document_portal::{DocumentPortalClient, PortalDocument, PortalSession};
pub use fapi::{AuthorisationResponse, Completed, GrantedConsent, PendingAuthorisation};
pub use headers::EndUser;
pub use id_token::CheckFailed;
pub use jose::{DecryptionKey, SigningKey};
pub use observe::{CallObserver, CallRecord};
pub use open_finance::{
    BankTokens, ConnectError, OpenFinanceClient, OpenFinanceEndpoint, Security,
    StartedAuthorisation, RECIPIENT_NAME_PARAM,
};
pub use security::{
    ClientAuth, ConfigError, FapiProfile, FapiSettings, Secret, SecretStyle, Trust,
};
pub use session::{DataSession, TokenStore};
