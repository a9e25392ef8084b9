//! The Data API's OpenAPI description, assembled from the handlers'
//! `utoipa::path` attributes and the wire types, in the order an integrator
//! meets them.

use super::wire::*;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

/// Tags in reading order, each with what it is for.
pub const TAGS: &[(&str, &str)] = &[
    (
        "Data API: Auth",
        "Your backend trades its API key and secret for a 30-minute access token.",
    ),
    (
        "Data API: Links",
        "A link is one end user's session: open it, send them to its URL.",
    ),
    (
        "Data API: Institutions",
        "What the widget offers the end user.",
    ),
    (
        "Data API: Consents",
        "The end user's consent at one institution, and its status.",
    ),
    (
        "Data API: Data requests",
        "Ask for products of authorised consents; reports follow.",
    ),
    (
        "Data API: Reports",
        "The retrieved data, as JSON or PDF, behind short-lived signed URLs.",
    ),
    (
        "Data API: Webhooks",
        "The delivery log, replays, endpoints and the signing secret.",
    ),
    (
        "Data API: Sandbox",
        "Drive the sandbox institutions without a browser (sandbox mode only).",
    ),
];

#[derive(OpenApi)]
#[openapi(
    paths(
        super::links::auth,
        super::links::refresh,
        super::links::create_link,
        super::links::get_link,
        super::links::institutions,
        super::renewal::show_renewal,
        super::renewal::start_renewal,
        super::links::create_consent,
        super::links::get_consent,
        super::links::revoke_consent,
        super::lifecycle::renew_consent,
        super::lifecycle::list_extensions,
        super::quota::consent_quota,
        super::sync::transactions_sync,
        super::sync::refresh_consent,
        super::data::personal_data,
        super::data::business_data,
        super::data::get_request,
        super::data::get_report,
        super::data::download_report,
        super::data::download_pdf,
        super::webhooks::list_webhooks,
        super::webhooks::show_webhook,
        super::webhooks::replay_webhook,
        super::webhooks::replay_dead_webhooks,
        super::webhooks::rotate_webhook_secret,
        super::webhooks::enable_webhook_endpoint,
        super::links::sandbox_authorise,
        super::links::sandbox_revoke_at_institution,
        super::lifecycle::show_clock,
        super::lifecycle::advance_clock,
    ),
    components(schemas(
        ConsentStatusChanged,
        ReportReady,
        super::lifecycle::ConsentExpiring,
        super::lifecycle::ConsentRenewed,
        super::sync::TransactionsSyncUpdatesAvailable
    )),
    modifiers(&Tokens)
)]
struct DataApiDoc;

struct Tokens;

impl Modify for Tokens {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        for (name, description) in [
            (
                "accessToken",
                "From `POST /data/v1/auth`: for your backend.",
            ),
            (
                "linkToken",
                "From `POST /data/v1/links`: for one link's widget.",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .description(Some(description))
                        .build(),
                ),
            );
        }
    }
}

/// The Data API part of the document (paths, schemas, security schemes).
pub fn document() -> Document {
    DataApiDoc::openapi()
}
