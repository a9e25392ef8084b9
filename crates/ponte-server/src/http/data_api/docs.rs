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
        super::auth,
        super::refresh,
        super::create_link,
        super::get_link,
        super::institutions,
        super::create_consent,
        super::get_consent,
        super::revoke_consent,
        super::personal_data,
        super::business_data,
        super::get_request,
        super::get_report,
        super::download_report,
        super::download_pdf,
        super::list_webhooks,
        super::show_webhook,
        super::replay_webhook,
        super::replay_dead_webhooks,
        super::rotate_webhook_secret,
        super::enable_webhook_endpoint,
        super::sandbox_authorise,
        super::sandbox_revoke_at_institution,
    ),
    components(schemas(ConsentStatusChanged, ReportReady)),
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
