//! Keeping a consent alive: renewal without a redirect and its history, and
//! the sandbox test clock that shows expiry and renewal in seconds.

use super::errors::ApiResult;
use super::parts::{Access, AnyToken, JsonBody};
use crate::clock::rfc3339;
use crate::http::extract::Path;
use crate::http::extract::{Body, Token};
use crate::http::listener::Peer;
use crate::services::{consent_lifecycle, sandbox_clock};
use crate::App;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RenewRequest {
    /// RFC 3339; later than the current expiry and at most 12 months away.
    /// Absent: 12 months from now.
    #[schema(example = "2027-06-30T23:59:59Z")]
    expiration_date_time: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RenewedConsent {
    consent_id: String,
    status: String,
    /// The new expiry, as the institution now holds it.
    expiration_date_time: String,
    previous_expiration_date_time: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentExtension {
    expiration_date_time: String,
    previous_expiration_date_time: String,
    requested_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentExtensions {
    consent_id: String,
    /// Newest first.
    extensions: Vec<ConsentExtension>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AdvanceClock {
    /// Whole days, 1 to 3650.
    /// (A number, so `7.0` reads as 7 as JSON Schema's integers do; `7.5` is refused.)
    #[schema(value_type = i64, example = 7, required = true, nullable = false, minimum = 1, maximum = 3650)]
    days: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestClock {
    /// Your time now.
    now: String,
    /// How far your time runs ahead of real time.
    offset_ms: i64,
}

/// The end user a renewal is made for: the OFB headers when the caller
/// passes its user's (`x-fapi-auth-date`, `x-fapi-customer-ip-address`,
/// `x-customer-user-agent`), else the caller's own address and `User-Agent`.
/// A header that is sent but malformed is refused naming it: the institution
/// would refuse the call anyway, with an error Ponte could only call a bank
/// failure.
fn end_user(
    headers: &HeaderMap,
    from: Option<std::net::IpAddr>,
) -> Result<crate::services::consents::EndUser, ponte_core::FieldError> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(255).collect::<String>())
    };
    let auth_date = match header(AUTH_DATE) {
        None => None,
        Some(v) => Some(auth_date(&v)?),
    };
    let ip_address = match header(CUSTOMER_IP) {
        None => from.map(|ip| ip.to_string()),
        Some(v) => match v.parse::<std::net::IpAddr>() {
            Ok(ip) => Some(ip.to_string()),
            Err(_) => {
                return Err(ponte_core::FieldError::new(
                    CUSTOMER_IP,
                    "must be your end user's IPv4 or IPv6 address",
                ))
            }
        },
    };
    let user_agent = header("x-customer-user-agent")
        .or_else(|| header("user-agent"))
        .or_else(|| Some(concat!("ponte/", env!("CARGO_PKG_VERSION")).to_string()))
        .map(|ua| ua.chars().take(100).collect());
    Ok(crate::services::consents::EndUser {
        auth_date,
        ip_address,
        user_agent,
    })
}

const AUTH_DATE: &str = "x-fapi-auth-date";
const CUSTOMER_IP: &str = "x-fapi-customer-ip-address";

/// When the end user last logged in with you, as OFB writes it (RFC 7231,
/// `Mon, 07 Dec 2026 09:30:00 GMT`), and not in the future (five minutes of
/// clock difference allowed).
pub(super) fn auth_date(v: &str) -> Result<time::OffsetDateTime, ponte_core::FieldError> {
    let at = crate::services::consents::parse_http_date(v).ok_or_else(|| {
        ponte_core::FieldError::new(
            AUTH_DATE,
            "must be an RFC 7231 date such as `Mon, 07 Dec 2026 09:30:00 GMT`",
        )
    })?;
    if at > time::OffsetDateTime::now_utc() + time::Duration::minutes(5) {
        return Err(ponte_core::FieldError::new(
            AUTH_DATE,
            "is in the future: send when your end user last logged in with you",
        ));
    }
    Ok(at)
}

#[utoipa::path(post, path = "/data/v1/consents/{consentId}/renew", tag = "Data API: Consents",
    summary = "Renew an authorised consent at its institution, without a redirect",
    description = "OFB consents v3 `extends`: the consent keeps its id, tokens and reports; `CONSENT_RENEWED` is sent with the new expiry. Pass your end user's address and browser in `x-fapi-customer-ip-address` and `x-customer-user-agent` (the institution requires them), and when they last logged in with you in `x-fapi-auth-date` (RFC 7231, e.g. `Mon, 07 Dec 2026 09:30:00 GMT`); a malformed one is refused with 400 `INVALID_FIELD` naming the header. A refusal says why and the next step: `CONSENT_NOT_AUTHORISED` (create a new consent), `CONFLICT` (the end user renews at the institution), `INVALID_FIELD` on `expirationDateTime`.",
    request_body = RenewRequest, params(("consentId" = String, Path, description = "An AUTHORISED consent")),
    security(("accessToken" = [])),
    responses((status = 200, description = "Renewed", body = RenewedConsent), (status = "4XX", description = "Refused; the envelope names the code and the field (409 `CONSENT_NOT_AUTHORISED` when the institution no longer accepts the consent)", body = super::wire::ErrorEnvelope), (status = "5XX", description = "`INSTITUTION_ERROR` (502) or `INSTITUTION_OUTAGE` (503): the institution failed or cannot be reached; try again later", body = super::wire::ErrorEnvelope)))]
pub(super) async fn renew_consent(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    Token(who, _): Access,
    Body(req, _): JsonBody<RenewRequest>,
) -> ApiResult {
    let user = end_user(&headers, from)?;
    let renewed = consent_lifecycle::renew(
        &app,
        &who,
        &consent_id,
        req.expiration_date_time.as_deref(),
        &user,
    )
    .await?;
    Ok(Json(RenewedConsent {
        consent_id: renewed.consent.id,
        status: renewed.consent.status.as_str().to_string(),
        expiration_date_time: rfc3339(renewed.consent.expire_at),
        previous_expiration_date_time: rfc3339(renewed.previous_expire_at_ms),
    })
    .into_response())
}

#[utoipa::path(get, path = "/data/v1/consents/{consentId}/extensions", tag = "Data API: Consents",
    summary = "The consent's renewals, newest first",
    params(("consentId" = String, Path, description = "From POST /data/v1/consents")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The renewals", body = ConsentExtensions), (status = "4XX", description = "Refused; the envelope names the code and the field", body = super::wire::ErrorEnvelope)))]
pub(super) async fn list_extensions(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): AnyToken,
) -> ApiResult {
    let rows = consent_lifecycle::extensions(&app, &who, &consent_id).await?;
    Ok(Json(ConsentExtensions {
        consent_id,
        extensions: rows
            .into_iter()
            .map(|e| ConsentExtension {
                expiration_date_time: rfc3339(e.expire_at),
                previous_expiration_date_time: rfc3339(e.previous_expire_at),
                requested_at: rfc3339(e.requested_at),
            })
            .collect(),
    })
    .into_response())
}

fn clock_answer(c: sandbox_clock::TestClock) -> ApiResult {
    Ok(Json(TestClock {
        now: rfc3339(c.now_ms),
        offset_ms: c.offset_ms,
    })
    .into_response())
}

#[utoipa::path(get, path = "/sandbox/v1/clock", tag = "Data API: Sandbox",
    summary = "Your test clock",
    description = "Sandbox mode only. Your time: real time plus what you advanced it by.",
    security(("accessToken" = [])),
    responses((status = 200, description = "Your clock", body = TestClock), (status = "4XX", description = "Refused; the envelope names the code and the field", body = super::wire::ErrorEnvelope)))]
pub(super) async fn show_clock(State(app): State<App>, Token(who, _): Access) -> ApiResult {
    clock_answer(sandbox_clock::show(&app, who.client_id.as_str()).await?)
}

#[utoipa::path(post, path = "/sandbox/v1/clock/advance", tag = "Data API: Sandbox",
    summary = "Move your time forward",
    description = "Sandbox mode only. Moves your time (and the sandbox banks' time for your consents) `days` forward, then sends what became due: `CONSENT_EXPIRING` warnings, expiries (`EXPIRED`, `CONSENT_STATUS_CHANGED`). Other clients' time is untouched.",
    request_body = AdvanceClock, security(("accessToken" = [])),
    responses((status = 200, description = "Your clock", body = TestClock), (status = "4XX", description = "Refused; the envelope names the code and the field", body = super::wire::ErrorEnvelope)))]
pub(super) async fn advance_clock(
    State(app): State<App>,
    Token(who, _): Access,
    Body(req, _): JsonBody<AdvanceClock>,
) -> ApiResult {
    let days = match req.days {
        None => return Err(ponte_core::FieldError::new("days", "is required").into()),
        Some(d) if d.fract() != 0.0 || !(1.0..=3650.0).contains(&d) => {
            return Err(ponte_core::FieldError::new(
                "days",
                "must be a whole number of days, 1 to 3650",
            )
            .into())
        }
        Some(d) => d as i64,
    };
    clock_answer(sandbox_clock::advance(&app, who.client_id.as_str(), days).await?)
}
