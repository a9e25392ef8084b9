//! The only code that speaks SQL.
//!
//! One repository API over SQLite (embedded default) and PostgreSQL (several
//! nodes on one database), through sqlx's `Any` driver so a query's text is
//! written once: both schemas keep times as BIGINT unix milliseconds and JSON
//! as TEXT. Each backend has its own migrations; what differs at run time
//! (claiming work) is split in `Backend`.

mod client_locale;
mod clients;
mod consent_lifecycle;
mod consents;
mod console;
mod db;
mod devices;
mod document_refresh;
mod documents;
mod duplicates;
mod end_users;
mod files;
mod institution_calls;
mod jobs;
mod lifecycle_lists;
mod links;
mod read_cache;
mod readers;
mod reauthorisations;
mod redirect_urls;
mod registrations;
mod rejection_checks;
mod reports;
pub mod retention;
mod secrets_file;
mod sessions;
mod settings;
mod sync;
mod sync_current;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
pub(crate) mod testing_owner;
mod throwaway;
mod typed;
pub mod wake;
mod webhooks;

pub use client_locale::*;
pub use clients::*;
pub use consent_lifecycle::*;
pub use consents::*;
pub use console::*;
pub use db::{
    get_setting, init_setting, install_tls_provider, Backend, Conn, Result, Store, StoreError, Tx,
    CONNECT_TIMEOUT,
};
pub use devices::*;
pub use document_refresh::*;
pub use documents::*;
pub use duplicates::*;
pub use end_users::*;
pub use institution_calls::*;
pub use jobs::*;
pub use lifecycle_lists::*;
pub use links::*;
pub use ponte_core::event::ReportOutcome;
pub use ponte_core::ConsentStatus;
pub use read_cache::ReadCache;
pub use readers::ReadConn;
pub use reauthorisations::*;
pub use redirect_urls::*;
pub use registrations::*;
pub use rejection_checks::*;
pub use reports::*;
pub use sessions::*;
pub use settings::*;
pub use sync::*;
pub use sync_current::*;
pub use throwaway::{drop_postgres_database, fresh_postgres_database};
pub use typed::{
    ConsentStatusText, FileId, FileStatus, Flag, JobKind, JobStatus, ReauthorisationStatus,
    ReportOutcomeText, RetrievalId, RetrievalStatus, WebhookStatus,
};
pub use wake::{Wakes, Work};
pub use webhooks::*;
