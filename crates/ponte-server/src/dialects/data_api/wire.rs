//! The Data API's request and answer types (camelCase, Klavi's names):
//! the handlers read and write these very types, and the OpenAPI document
//! is derived from them. Webhook payloads are in `payloads.rs`; the views
//! built from services' domain values in `views.rs`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every Data API failure: a stable code, a message for the developer, and
/// the request field at fault.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "INVALID_FIELD", "message": "personalTaxId: is not a valid CPF", "field": "personalTaxId"}}))]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// `INVALID_CREDENTIALS`, `INVALID_TOKEN`, `TOKEN_EXPIRED`, `INVALID_FIELD`, `NOT_FOUND`,
    /// `METHOD_NOT_ALLOWED`, `PAYLOAD_TOO_LARGE`, `INSTITUTION_OUTAGE`, `CONSENT_NOT_AUTHORISED`,
    /// `RATE_LIMITED`, `INSTITUTION_ERROR`, `CONFLICT`, `REPORT_DELETED`, `INVALID_SIGNATURE`,
    /// `INTERNAL_ERROR`.
    #[schema(example = "INVALID_FIELD")]
    pub code: String,
    pub message: String,
    /// The field at fault in the request's own naming: a JSON path (`consentId[1]`), a query
    /// parameter or a path parameter; `null` when no single field is.
    pub field: Option<String>,
}

#[derive(Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequest {
    /// The API key (`pk_…`) from `ponte clients create`.
    #[schema(
        example = "pk_3f9c2a",
        required = true,
        nullable = false,
        min_length = 1
    )]
    pub access_key: Option<String>,
    /// The API secret (`sk_…`); shown once when the client is created or rotated.
    #[schema(
        example = "sk_0b1e…",
        required = true,
        nullable = false,
        min_length = 1
    )]
    pub secret_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    /// Bearer token for your backend's calls.
    pub access_token: String,
    /// Seconds until it expires.
    #[schema(example = 1800)]
    pub expire_in: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedLink {
    #[schema(example = "lnk_01HZX…")]
    pub link_id: String,
    /// `<PUBLIC_URL>/link?v=<linkToken>`: open it in the end user's browser.
    pub link_url: String,
    /// The bearer token of the widget for this link.
    pub link_token: String,
    #[schema(example = 1800)]
    pub expire_in: i64,
}

// A link's status as this dialect sends it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LinkStatus {
    Pending,
    InProgress,
    Completed,
    Expired,
}

// A product as this dialect names it (the domain's `ponte_core::Product`
// at the edge).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum Product {
    Registration,
    /// Accounts, balances, overdraft limits and transactions.
    Accounts,
    CreditCards,
    Loans,
    Investments,
    /// Derived by Ponte: cash flow, income, recurring payments, categories.
    Insights,
}

// A consent's status as this dialect sends it (the domain's
// `ponte_core::ConsentStatus` at the edge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentStatus {
    AwaitingAuthorisation,
    Authorised,
    Rejected,
    Revoked,
    Expired,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestAccepted {
    pub request_id: String,
    #[schema(example = "ok")]
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RequestStatus {
    Processing,
    Completed,
}

// Members in alphabetical order: the order this answer has had since it
// was built as a `json!` map (the wire snapshots hold it).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestReport {
    pub consent_id: String,
    /// Its consent was revoked and the report erased.
    pub deleted: bool,
    pub generated_at: String,
    #[schema(value_type = Product)]
    pub product: String,
    pub reason: Option<String>,
    pub report_id: String,
    pub status: ReportStatus,
}

// Alphabetical, as `RequestReport`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DataRequest {
    pub consent_id: Vec<String>,
    pub created_at: String,
    pub link_id: String,
    pub products: Vec<Product>,
    pub reports: Vec<RequestReport>,
    pub request_id: String,
    /// `COMPLETED` once every consent × product has a report.
    pub status: RequestStatus,
    /// `personal` or `business`.
    pub r#type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStatus {
    Success,
    Failed,
}

#[derive(Default, Deserialize, ToSchema)]
pub struct ReplaySince {
    /// RFC 3339: every message that died since then is sent again.
    #[schema(example = "2026-11-25T00:00:00Z", required = true, nullable = false, format = DateTime)]
    pub since: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RotatedWebhookSecret {
    /// `whsec_…`, shown once.
    pub webhook_secret: String,
    /// For 24 hours webhooks carry both signatures.
    pub previous_secret_expires_at: String,
}

#[derive(Default, Deserialize, ToSchema)]
pub struct EnableEndpoint {
    #[schema(
        example = "https://app.example.com/hooks",
        required = true,
        nullable = false,
        pattern = "^https?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?(/[!-~]*)?$"
    )]
    pub url: Option<String>,
}

// The sandbox user's login at the sandbox institution, converted into the
// sandbox driver's own type at the edge.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SandboxCredentials {
    #[schema(
        example = "user_good",
        required = true,
        nullable = false,
        min_length = 1
    )]
    pub username: Option<String>,
    #[schema(
        example = "pass_good",
        required = true,
        nullable = false,
        min_length = 1
    )]
    pub password: Option<String>,
    /// `123456` for `user_mfa`.
    pub otp: Option<String>,
}

impl From<SandboxCredentials> for crate::services::sandbox_driver::Credentials {
    fn from(c: SandboxCredentials) -> Self {
        Self {
            username: c.username,
            password: c.password,
            otp: c.otp,
        }
    }
}

impl From<ponte_core::ConsentStatus> for ConsentStatus {
    fn from(s: ponte_core::ConsentStatus) -> Self {
        use ponte_core::ConsentStatus as Domain;
        match s {
            Domain::AwaitingAuthorisation => Self::AwaitingAuthorisation,
            Domain::Authorised => Self::Authorised,
            Domain::Rejected => Self::Rejected,
            Domain::Revoked => Self::Revoked,
            Domain::Expired => Self::Expired,
        }
    }
}

impl From<ponte_core::event::ReportOutcome> for ReportStatus {
    fn from(o: ponte_core::event::ReportOutcome) -> Self {
        use ponte_core::event::ReportOutcome as Domain;
        match o {
            Domain::Success => Self::Success,
            Domain::Failed => Self::Failed,
        }
    }
}

impl From<ponte_core::Product> for Product {
    fn from(p: ponte_core::Product) -> Self {
        use ponte_core::Product as Domain;
        match p {
            Domain::Registration => Self::Registration,
            Domain::Accounts => Self::Accounts,
            Domain::CreditCards => Self::CreditCards,
            Domain::Loans => Self::Loans,
            Domain::Investments => Self::Investments,
            Domain::Insights => Self::Insights,
        }
    }
}

impl From<crate::services::links::LinkStatus> for LinkStatus {
    fn from(s: crate::services::links::LinkStatus) -> Self {
        use crate::services::links::LinkStatus as Domain;
        match s {
            Domain::Pending => Self::Pending,
            Domain::InProgress => Self::InProgress,
            Domain::Completed => Self::Completed,
            Domain::Expired => Self::Expired,
        }
    }
}
