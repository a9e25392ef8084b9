//! The Documents API's OpenAPI description: its tag and credentials here;
//! the operations come from the route list (`super::api`) and the types the
//! handlers read and write; the webhook is in `http::openapi`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

pub const TAGS: &[(&str, &str)] = &[(
    "Documents API: Retrieval",
    "Taiki's quickstart: your backend opens a session for its end user (`POST /api/token`), the app connects a document portal, \
     and Ponte posts the documents to your webhook with download URLs valid 15 minutes. snake_case JSON; every failure is \
     `{\"error\":{\"code\",\"message\",\"field\"}}` with a snake_case `code` and the request member at fault in `field` (or `null`).",
)];

/// What the routes' operations do not bring: the webhook's schema (the
/// retrieval's body is also `GET /api/retrievals/{id}`'s) and the two
/// credentials' schemes.
#[derive(OpenApi)]
#[openapi(
    components(schemas(super::wire::RetrievalBody, super::wire::RetrievalWebhook, super::wire::WebhookError)),
    modifiers(&Credentials)
)]
struct DocumentsApiDoc;

struct Credentials;

impl Modify for Credentials {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "documentsToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The `access_token` of `POST /api/token`: one hour, one end user.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "basicAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "`api_key:api_secret`, the same pair as every dialect.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The components the document starts from; [`super::api`] adds every
/// route's operation and the schemas it refers to.
pub fn components() -> Document {
    DocumentsApiDoc::openapi()
}
