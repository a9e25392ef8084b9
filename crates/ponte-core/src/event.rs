//! What happened, in the domain's words. Services write these into the
//! outbox; the dialect that owns the subscription renders each one into its
//! own payload bytes, once, when the message is written.

use crate::{ConsentStatus, Product};

/// Non-exhaustive: a dialect renders the events it knows and answers `None`
/// for the rest, so a new kind of event touches no other dialect.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DomainEvent {
    ConsentStatusChanged(ConsentStatusChanged),
    ReportReady(ReportReady),
    DocumentsReady(DocumentsReady),
    /// An authorised consent is inside its client's warning window.
    ConsentExpiring(ConsentExpiry),
    /// A consent was renewed at its institution without a redirect.
    ConsentRenewed(ConsentExpiry),
    /// A refresh found transactions added, modified or removed: the sync cursor has more.
    TransactionsSyncUpdatesAvailable(SyncUpdates),
}

impl DomainEvent {
    /// The link whose subscription receives the event: its dialect renders it.
    pub fn link_id(&self) -> &str {
        match self {
            DomainEvent::ConsentStatusChanged(e) => &e.link_id,
            DomainEvent::ReportReady(e) => &e.link_id,
            DomainEvent::ConsentExpiring(e) | DomainEvent::ConsentRenewed(e) => &e.link_id,
            DomainEvent::TransactionsSyncUpdatesAvailable(e) => &e.link_id,
            // No link: the Documents API's service writes its own messages.
            DomainEvent::DocumentsReady(_) => "",
        }
    }

    /// The integrator the event belongs to.
    pub fn client_id(&self) -> &str {
        match self {
            DomainEvent::ConsentStatusChanged(e) => &e.client_id,
            DomainEvent::ReportReady(e) => &e.client_id,
            DomainEvent::DocumentsReady(e) => &e.client_id,
            DomainEvent::ConsentExpiring(e) | DomainEvent::ConsentRenewed(e) => &e.client_id,
            DomainEvent::TransactionsSyncUpdatesAvailable(e) => &e.client_id,
        }
    }
}

/// A consent entered `status` (`previous` is `None` when it was just created).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentStatusChanged {
    pub client_id: String,
    pub consent_id: String,
    pub link_id: String,
    pub external_track_id: Option<String>,
    pub institution_code: String,
    pub status: ConsentStatus,
    pub previous: Option<ConsentStatus>,
    pub reason: Option<String>,
    /// Unix milliseconds.
    pub occurred_at_ms: i64,
}

/// A consent's expiry: the one it is about to reach (`ConsentExpiring`) or the
/// one a renewal just set (`ConsentRenewed`, with the one it replaced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentExpiry {
    pub client_id: String,
    pub consent_id: String,
    pub link_id: String,
    pub external_track_id: Option<String>,
    pub institution_code: String,
    /// Unix milliseconds.
    pub expire_at_ms: i64,
    /// Unix milliseconds; the expiry before a renewal.
    pub previous_expire_at_ms: Option<i64>,
    /// Unix milliseconds.
    pub occurred_at_ms: i64,
}

/// A refresh of a consent's transactions recorded changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncUpdates {
    pub client_id: String,
    pub consent_id: String,
    pub link_id: String,
    pub external_track_id: Option<String>,
    pub institution_code: String,
    /// The recent window has been read at least once.
    pub initial_update_complete: bool,
    /// The whole history has been read (the first pull reads it).
    pub historical_update_complete: bool,
    /// Unix milliseconds.
    pub occurred_at_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    Success,
    Failed,
}

impl ReportOutcome {
    pub const ALL: [ReportOutcome; 2] = [ReportOutcome::Success, ReportOutcome::Failed];

    /// The name stored with the report and printed on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportOutcome::Success => "SUCCESS",
            ReportOutcome::Failed => "FAILED",
        }
    }

    pub fn parse(raw: &str) -> Option<ReportOutcome> {
        ReportOutcome::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

/// A report of one product of one consent was stored (or failed for good).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportReady {
    pub client_id: String,
    pub request_id: String,
    pub report_id: String,
    pub link_id: String,
    pub consent_id: String,
    pub product: Product,
    pub outcome: ReportOutcome,
    /// A stable code and a plain message, for a failed report.
    pub reason: Option<String>,
    /// Ponte's summary of the data (counts, totals), a JSON object.
    pub summary: serde_json::Value,
    /// The URL the integrator named for this product, if any; otherwise the
    /// subscription's own report URL applies.
    pub callback_url: Option<String>,
}

/// A documents retrieval (one portal connection) ended: `success` when at
/// least one file arrived, `failed` otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentsReady {
    pub client_id: String,
    pub retrieval_id: i64,
    pub success: bool,
    /// The client's name for the person (the Documents API's `taiki_user_id`).
    pub end_user_id: String,
    /// What the client attached when it opened the session, a JSON object.
    pub metadata: serde_json::Value,
    /// Unix milliseconds.
    pub created_at_ms: i64,
    pub files: Vec<ReadyFile>,
    /// A refresh found the portal refusing the connection's stored sign-in
    /// (expired or revoked): the end user must connect again.
    pub reconnect_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyFile {
    pub file_id: String,
    pub success: bool,
    pub file_name: String,
    /// The exact bytes stored (0 for a file that did not arrive).
    pub size_bytes: u64,
}
