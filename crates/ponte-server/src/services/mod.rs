//! The rules: each module owns one concept and writes a state change
//! together with its outbox row.

pub mod clients;
pub mod consents;
pub mod directory;
pub mod links;
pub mod outbox;
pub mod sandbox_driver;
