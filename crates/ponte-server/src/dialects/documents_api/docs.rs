//! The Documents API's OpenAPI description, from the handlers' `utoipa::path`
//! attributes and the wire types; the webhook is in `http::openapi`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

pub const TAGS: &[(&str, &str)] = &[(
    "Documents API: Retrieval",
    "Taiki's quickstart: your backend opens a session for its end user (`POST /api/token`), the app connects a document portal, \
     and Ponte posts the documents to your webhook with download URLs valid 15 minutes. snake_case JSON; every failure is \
     `{\"error\":{\"code\",\"message\",\"field\"}}` with a snake_case `code` and the request member at fault in `field` (or `null`).",
)];

#[derive(OpenApi)]
#[openapi(
    paths(
        super::token,
        super::institutions,
        super::connect,
        super::current,
        super::retrieval,
        super::refresh::set_retrieval_refresh,
        super::refresh::retrieval_refresh,
        super::erase_user,
        super::files::download,
        super::callback,
        super::sandbox_connect,
    ),
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

/// The Documents API part of the document (paths, schemas, security schemes).
pub fn document() -> Document {
    DocumentsApiDoc::openapi()
}
