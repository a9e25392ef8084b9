//! The rules: each module owns one concept and writes a state change
//! together with its outbox row.

pub mod clients;
pub mod consents;
pub mod directory;
pub mod insights;
pub mod links;
pub mod outbox;
pub mod reports;
pub mod retrieval;
pub mod sandbox_driver;

/// An optional request string, trimmed; blank counts as absent.
pub(crate) fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
