//! The Data API dialect (Klavi's link API): camelCase JSON, errors as
//! `{"error":{"code","message","field"}}`. Handlers parse, call one service,
//! and shape the answer; nothing else.

use crate::tokens::TokenKind;
use crate::App;
use axum::routing::{get, post};
use axum::Router;
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
mod quota;
mod renewal;
mod report_json;
mod report_pdf;
mod sync;
pub mod views;
pub mod webhooks;
pub mod wire;

pub use errors::failure_response;

/// The name stored on the links this dialect opens and the messages it renders.
pub const DIALECT: &str = "data_api";

pub static SPEC: super::Dialect = super::Dialect {
    name: DIALECT,
    title: "Data API",
    routes,
    sandbox_routes: Some(sandbox_routes),
    // `/sandbox/v1` holds its test helpers (the Documents API's own lie below
    // `/sandbox/v1/documents`: the longest prefix wins).
    failures: &[("/data", failure_response), ("/sandbox/v1", failure_response)],
    docs: docs::document,
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

pub(super) const ACCESS: &[TokenKind] = &[TokenKind::Access];
pub(super) const LINK: &[TokenKind] = &[TokenKind::Link];
pub(super) const EITHER: &[TokenKind] = &[TokenKind::Access, TokenKind::Link];

pub fn routes() -> Router<App> {
    Router::new()
        .route("/data/v1/auth", post(auth))
        .route("/data/v1/auth/refresh", post(refresh))
        .route("/data/v1/links", post(create_link))
        .route("/data/v1/links/institutions", get(institutions))
        .route(
            "/data/v1/links/renewal",
            get(renewal::show_renewal).post(renewal::start_renewal),
        )
        .route("/data/v1/links/{linkId}", get(get_link))
        .route("/data/v1/consents", post(create_consent))
        .route(
            "/data/v1/consents/{consentId}",
            get(get_consent).delete(revoke_consent),
        )
        .route("/data/v1/consents/{consentId}/renew", post(renew_consent))
        .route(
            "/data/v1/consents/{consentId}/extensions",
            get(list_extensions),
        )
        .route("/data/personal/institution-data", post(personal_data))
        .route("/data/business/institution-data", post(business_data))
        .route(
            "/data/v1/consents/{consentId}/quota",
            get(quota::consent_quota),
        )
        .route(
            "/data/v1/consents/{consentId}/transactions/sync",
            get(sync::transactions_sync),
        )
        .route(
            "/data/v1/consents/{consentId}/refresh",
            post(sync::refresh_consent),
        )
        .route("/data/v1/requests/{requestId}", get(get_request))
        .route("/data/v1/reports/{reportId}", get(get_report))
        .route("/data/v1/reports/{reportId}/download", get(download_report))
        .route("/data/v1/webhooks/messages", get(list_webhooks))
        .route("/data/v1/webhooks/messages/{messageId}", get(show_webhook))
        .route(
            "/data/v1/webhooks/messages/{messageId}/replay",
            post(replay_webhook),
        )
        .route("/data/v1/webhooks/replay", post(replay_dead_webhooks))
        .route(
            "/data/v1/webhooks/secret/rotate",
            post(rotate_webhook_secret),
        )
        .route(
            "/data/v1/webhooks/endpoints/enable",
            post(enable_webhook_endpoint),
        )
        .route("/data/v1/reports/{reportId}/pdf", get(download_pdf))
}

pub fn sandbox_routes() -> Router<App> {
    Router::new()
        .route(
            "/sandbox/v1/consents/{consentId}/authorise",
            post(sandbox_authorise),
        )
        .route(
            "/sandbox/v1/consents/{consentId}/revoke-at-institution",
            post(sandbox_revoke_at_institution),
        )
        .route("/sandbox/v1/clock", get(show_clock))
        .route("/sandbox/v1/clock/advance", post(advance_clock))
}
