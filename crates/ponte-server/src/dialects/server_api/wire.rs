//! The Server API's wire types (TapTalk's names: `userID`, `xcUserID`,
//! times as unix milliseconds), which the handlers serialise and the OpenAPI
//! document describes.

use ponte_core::ConsentStatus;
use serde::Serialize;
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

/// `POST /v1/server/auth_ticket/request`: the seed's parameters, numbered.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "userIPAddress": "182.253.177.234", "userAgent": "AdvancedRestClient/12.1.14", "userPlatform": "android",
    "userDeviceID": "aaaa-bbbb-cccc-dddd", "xcUserID": "6", "fullName": "Jony", "email": "jony@email.com",
    "phone": "08991234567", "username": "jony", "photoThumbnailURL": "http://www.example.com/photo/thumb/6.jpg",
    "photoFullsizeURL": "http://www.example.com/photo/full/6.jpg", "userRoleCode": "user"}))]
pub struct TicketRequestDoc {
    /// (101) The user's IP address, IPv4 or IPv6.
    #[serde(rename = "userIPAddress")]
    pub user_ip_address: String,
    /// (102) The user agent, at most 512 characters.
    #[serde(rename = "userAgent")]
    #[schema(min_length = 1, max_length = 512, pattern = "\\S")]
    pub user_agent: String,
    /// (103) The user's platform: `android`, `ios` or `web`.
    #[serde(rename = "userPlatform")]
    #[schema(pattern = "^(android|ios|web)$")]
    pub user_platform: String,
    /// (104) The user's device ID, at most 255 characters.
    #[serde(rename = "userDeviceID")]
    #[schema(min_length = 1, max_length = 255, pattern = "\\S")]
    pub user_device_id: String,
    /// (105) Your own ID for the user, at most 50 characters. The same xcUserID is always the same
    /// user (`userID`); a new one makes a new user.
    #[serde(rename = "xcUserID")]
    #[schema(min_length = 1, max_length = 50, pattern = "\\S")]
    pub xc_user_id: String,
    /// (106) The user's full name, at most 200 characters.
    #[serde(rename = "fullName")]
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub full_name: String,
    /// (107) Optional. The user's e-mail address.
    pub email: Option<String>,
    /// (108) Optional. The user's phone, starting with the country code: 8 to 15 digits, optionally
    /// after a `+`.
    pub phone: Option<String>,
    /// (109) Optional. The user's username, at most 100 characters.
    pub username: Option<String>,
    /// (110) Optional. An http(s) URL of the user's thumbnail picture.
    #[serde(rename = "photoThumbnailURL")]
    pub photo_thumbnail_url: Option<String>,
    /// (111) Optional. An http(s) URL of the user's full-size picture.
    #[serde(rename = "photoFullsizeURL")]
    pub photo_fullsize_url: Option<String>,
    /// (112) Optional. The user's role code, at most 50 characters.
    #[serde(rename = "userRoleCode")]
    pub user_role_code: Option<String>,
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

/// `POST /v1/client/connections/link`: the Data API link's members.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"personalTaxId": "529.982.247-25", "redirectUrl": "https://app.example.com/done"}))]
pub struct OpenLinkDoc {
    /// The CPF of the person who logs in at the bank (or `businessTaxId`, a CNPJ).
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Where the widget sends the user when they are done.
    pub redirect_url: Option<String>,
}

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
