//! The Data API's OpenAPI description, assembled from the handlers'
//! `utoipa::path` attributes and the wire types, in the order an integrator
//! meets them.

use super::payloads::*;
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

/// What the routes' operations do not bring: the webhooks' schemas and the
/// two token schemes.
#[derive(OpenApi)]
#[openapi(
    components(schemas(
        ConsentStatusChanged,
        ReportReady,
        ConsentExpiring,
        ConsentRenewed,
        TransactionsSyncUpdatesAvailable
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

/// The components the document starts from; [`super::api`] adds every
/// route's operation and the schemas it refers to.
pub fn components() -> Document {
    DataApiDoc::openapi()
}
