//! The Server API's OpenAPI description, from the handlers' `utoipa::path`
//! attributes and the wire types (whose field docs carry the seed's
//! parameter numbers).

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

#[derive(OpenApi)]
#[openapi(
    paths(
        super::request_ticket,
        super::access_token,
        super::refresh_token,
        super::logout,
        super::list_connections,
        super::open_link,
        super::revoke_connection,
        super::me::page,
        super::me::confirm,
        super::me::revoke,
        super::me_renew::renew,
        super::me_add::add,
    ),
    modifiers(&Credentials)
)]
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

/// The Server API part of the document (paths, schemas, security schemes).
pub fn document() -> Document {
    ServerApiDoc::openapi()
}
