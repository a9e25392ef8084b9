//! The Data API dialect (Klavi's link API): camelCase JSON, errors as
//! `{"error":{"code","message","field"}}`. Handlers parse, call one service,
//! and shape the answer; nothing else.

use data::*;
use lifecycle::*;
use links::*;
use webhooks::*;

pub mod data;
pub mod docs;
pub mod errors;
pub mod events;
pub mod lifecycle;
pub mod links;
mod parts;
mod payloads;
mod quota;
mod renewal;
mod report_json;
mod report_pdf;
mod sync;
pub mod views;
pub mod webhooks;
pub mod wire;

pub use errors::failure_response;

// The dialect's name, named as `data_api::DIALECT` by the dialect registry.
pub use parts::DIALECT;

pub static SPEC: super::Dialect = super::Dialect {
    name: DIALECT,
    title: "Data API",
    routes,
    sandbox_routes: Some(sandbox_routes),
    // `/sandbox/v1` holds its test helpers (the Documents API's own lie below
    // `/sandbox/v1/documents`: the longest prefix wins).
    failures: &[("/data", failure_response), ("/sandbox/v1", failure_response)],
    docs: || api().merge(sandbox_api()).split_for_parts().1,
    tags: docs::TAGS,
    webhooks: &[
        ("CONSENT_STATUS_CHANGED", "ConsentStatusChanged", "Data API: a consent changed status. Sent to the client's event webhook."),
        ("CONSENT_EXPIRING", "ConsentExpiring", "Data API: an authorised consent expires within the client's warning window (7 days unless set). Sent once per consent and expiry date to the client's event webhook."),
        ("CONSENT_RENEWED", "ConsentRenewed", "Data API: a consent was renewed without a redirect; carries the new expiry. Sent to the client's event webhook."),
        ("TRANSACTIONS_SYNC_UPDATES_AVAILABLE", "TransactionsSyncUpdatesAvailable", "Data API: a refresh found transactions added, modified or removed; call `GET /data/v1/consents/{consentId}/transactions/sync` with your last cursor. Sent to the client's event webhook."),
        ("REPORT_READY", "ReportReady", "Data API: a report is ready (or failed). Sent to `productsCallbackUrl[product]` or the client's report webhook."),
    ],
    renderer: Some(&events::Renderer),
};

// The request parts, as `super::` names them in sync.rs (the others import
// them from `parts`, the crate's extractors from `http::extract`).
use crate::http::extract::Token;
use parts::{Access, AnyToken};

api_and_router! {
    /// Every route with its operation, in the order the document presents
    /// them: the router and the document are both made from this list.
    pub fn api() = utoipa_axum::router::OpenApiRouter::with_openapi(docs::components());
    pub fn routes();
    [auth]
    [refresh]
    [create_link]
    [get_link]
    [institutions]
    [renewal::show_renewal, renewal::start_renewal]
    [create_consent]
    [get_consent, revoke_consent]
    [renew_consent]
    [list_extensions]
    [quota::consent_quota]
    [sync::transactions_sync]
    [sync::refresh_consent]
    [personal_data]
    [business_data]
    [get_request]
    [get_report]
    [download_report]
    [download_pdf]
    [list_webhooks]
    [show_webhook]
    [replay_webhook]
    [replay_dead_webhooks]
    [rotate_webhook_secret]
    [enable_webhook_endpoint]
}

api_and_router! {
    /// The test helpers, served in sandbox mode only but always documented.
    pub fn sandbox_api() = utoipa_axum::router::OpenApiRouter::new();
    pub fn sandbox_routes();
    [sandbox_authorise]
    [sandbox_revoke_at_institution]
    [show_clock]
    [advance_clock]
}
