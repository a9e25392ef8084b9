//! The Server API's wire types (TapTalk's names: `userID`, `xcUserID`,
//! times as unix milliseconds), which the handlers (de)serialise and the
//! OpenAPI document describes.

use crate::dialects::data_api::views::LinkRequest;
use ponte_core::ConsentStatus;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every Server API answer, success or failure.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": 400, "error": {"code": "40002", "message": "Param 'xcUserID' is required", "field": "105"}, "data": {}}))]
pub struct Envelope {
    /// The HTTP status, repeated.
    pub status: u16,
    pub error: EnvelopeError,
    /// The answer; `{}` on failure.
    pub data: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct EnvelopeError {
    /// `""` on success. `40001` a header missing or malformed (`Server-Key`, `Authorization`),
    /// `40002` a parameter failed (its number in `field`), `40101` unknown Server Key ID or wrong
    /// secret, `40102` auth ticket expired, already used or unknown, `40103` access token invalid,
    /// expired or its session ended, `40104` refresh token invalid, expired or reused (the session
    /// is ended), `40301` a token of another kind, `40302` the end user declined at the institution, `40401` not found (or not yours), `40501` wrong
    /// method, `40901` conflict, `41301` body too large, `42901` too many failed attempts
    /// (`Retry-After`), `50001` internal error.
    #[schema(example = "40002")]
    pub code: String,
    pub message: String,
    /// The number of the parameter at fault (`"101"` … `"112"`), `""` when none.
    #[schema(example = "105")]
    pub field: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketIssued {
    /// Ponte's ID for the user: the same for every request with the same `xcUserID`.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Single use, valid one hour: hand it to the user's app, which trades it for an access token.
    pub ticket: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImageUrl {
    pub thumbnail: String,
    pub fullsize: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserRole {
    pub code: String,
}

/// The signed-in user, as the client's backend described them.
#[derive(Serialize, ToSchema)]
pub struct User {
    #[serde(rename = "userID")]
    pub user_id: String,
    #[serde(rename = "fullName")]
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub username: String,
    #[serde(rename = "imageURL")]
    pub image_url: ImageUrl,
    #[serde(rename = "userRole")]
    pub user_role: UserRole,
    /// Unix milliseconds.
    pub created: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionTokens {
    /// For `Authorization: Bearer` on the client endpoints; lives 15 minutes.
    pub access_token: String,
    /// Unix milliseconds.
    pub access_token_expiry: i64,
    /// Single use: `POST /v1/client/auth/access_token/refresh` trades it for a new pair. Presenting a
    /// used one again ends the session.
    pub refresh_token: String,
    /// Unix milliseconds.
    pub refresh_token_expiry: i64,
    pub user: User,
}

#[derive(Serialize, ToSchema)]
pub struct LoggedOut {
    pub success: bool,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionRef {
    pub code: String,
    pub name: String,
    pub avatar: String,
}

/// One bank connection of the user: a consent at one institution.
#[derive(Serialize, ToSchema)]
pub struct Connection {
    #[serde(rename = "consentID")]
    pub consent_id: String,
    #[serde(rename = "linkID")]
    pub link_id: String,
    pub institution: InstitutionRef,
    /// `AWAITING_AUTHORISATION`, `AUTHORISED`, `REJECTED`, `REVOKED` or `EXPIRED`.
    #[schema(value_type = String)]
    pub status: ConsentStatus,
    /// Why it reached that status, when it says (`END_USER_REVOKED`, …).
    #[serde(rename = "statusReason")]
    pub status_reason: Option<String>,
    /// What it shares: `registration`, `accounts`, `creditCards`, `loans`, `investments`, `insights`.
    pub products: Vec<String>,
    /// Unix milliseconds.
    pub created: i64,
    /// Unix milliseconds: until when it shares.
    pub expiry: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Connections {
    pub connections: Vec<Connection>,
}

/// `POST /v1/client/connections/link`: the Data API link's members, read
/// exactly as `POST /data/v1/links` reads them.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(as = OpenLinkDoc)]
pub struct OpenLink(pub LinkRequest);

#[derive(Serialize, ToSchema)]
pub struct LinkOpened {
    #[serde(rename = "linkID")]
    pub link_id: String,
    /// The hosted widget for this link.
    #[serde(rename = "linkURL")]
    pub link_url: String,
    /// The widget's token, as the Data API's link token.
    #[serde(rename = "linkToken")]
    pub link_token: String,
    /// Seconds.
    #[serde(rename = "expireIn")]
    pub expire_in: i64,
}
