//! Institution connectors: HTTP clients, one per institution protocol.
//! They get everything from the institution directory and know nothing of
//! how the institution is implemented (the sandbox is just another server).

pub mod bounds;
pub mod document_portal;
pub mod open_finance;
pub mod products;
pub mod session;

pub use bounds::Timeouts;
pub use document_portal::{DocumentPortalClient, PortalDocument, PortalSession};
pub use open_finance::{
    BankTokens, ConnectError, OpenFinanceClient, OpenFinanceEndpoint, StartedAuthorisation,
    RECIPIENT_NAME_PARAM,
};
pub use session::{DataSession, TokenStore};
