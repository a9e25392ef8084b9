//! The Server API's OpenAPI description: its tags and credentials here; the
//! operations come from the route list (`super::api`) and the types the
//! handlers read and write (whose field docs carry the seed's parameter
//! numbers).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

/// Tags in reading order, each with what it is for.
pub const TAGS: &[(&str, &str)] = &[
    (
        "Server API: Auth",
        "Your backend asks for a single-use auth ticket for its logged-in user (`Server-Key: base64(apiKey:apiSecret)`); \
         the user's app trades it for the user's own session. Every answer is `{\"status\",\"error\":{\"code\",\"message\",\"field\"},\"data\"}`; \
         a parameter at fault is named by its number: 101 userIPAddress, 102 userAgent, 103 userPlatform, 104 userDeviceID, \
         105 xcUserID, 106 fullName, 107 email, 108 phone, 109 username, 110 photoThumbnailURL, 111 photoFullsizeURL, 112 userRoleCode.",
    ),
    (
        "Server API: Connections",
        "With their session, the user sees and revokes their own bank connections.",
    ),
];

/// What the routes' operations do not bring: the credentials' schemes.
#[derive(OpenApi)]
#[openapi(modifiers(&Credentials))]
struct ServerApiDoc;

struct Credentials;

impl Modify for Credentials {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "serverKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                super::auth::SERVER_KEY,
                "base64 of `apiKey:apiSecret` (the colon required): the same pair as every dialect.",
            ))),
        );
        for (name, description) in [
            (
                "authTicket",
                "The ticket from `POST /v1/server/auth_ticket/request`: one hour, single use.",
            ),
            (
                "refreshToken",
                "The `refreshToken` of the user's session: single use.",
            ),
            (
                "userAccessToken",
                "The `accessToken` of the user's session: 15 minutes.",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
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
    ServerApiDoc::openapi()
}
