//! The Data API's error envelope, `{"error":{"code","message","field"}}`, and
//! the one function that maps service errors into it.

use crate::error::Error;
use crate::http::failure::{Failure, FailureKind};
use crate::services::reports;
use crate::tokens::TokenError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ponte_core::Field;
use serde_json::json;

/// An error in this dialect's shape.
pub struct ApiError(Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self.0 {
            Error::Field(f) => (
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                Some(wire_field(&f.field)),
            ),
            Error::Malformed { field, .. } => {
                (StatusCode::BAD_REQUEST, "INVALID_FIELD", field.clone())
            }
            Error::InvalidCredentials => (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS", None),
            Error::Token(TokenError::Expired) => (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED", None),
            Error::Token(TokenError::WrongKind) => (StatusCode::FORBIDDEN, "INVALID_TOKEN", None),
            Error::Token(_) => (StatusCode::UNAUTHORIZED, "INVALID_TOKEN", None),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "NOT_FOUND", None),
            Error::Outage(_) => (StatusCode::SERVICE_UNAVAILABLE, "INSTITUTION_OUTAGE", None),
            Error::ConsentNotAuthorised(_) => (
                StatusCode::CONFLICT,
                "CONSENT_NOT_AUTHORISED",
                Some("consentId".into()),
            ),
            Error::UnknownInstitution(_) => (
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                Some(wire_field(Field::Institution.name())),
            ),
            Error::LinkConsentLimit(_) => (StatusCode::CONFLICT, "LINK_CONSENT_LIMIT", None),
            Error::DuplicateConnection { .. } => (
                StatusCode::CONFLICT,
                "DUPLICATE_CONNECTION",
                Some(wire_field(Field::Institution.name())),
            ),
            Error::Conflict(_) | Error::EndpointDisabled { .. } => {
                (StatusCode::CONFLICT, "CONFLICT", None)
            }
            Error::Declined(_) => (StatusCode::FORBIDDEN, "DECLINED", None),
            Error::Institution(_) => (StatusCode::BAD_GATEWAY, "INSTITUTION_ERROR", None),
            Error::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", None),
            Error::QuotaExhausted { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "QUOTA_EXHAUSTED",
                Some("consentId".into()),
            ),
            Error::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", None)
            }
        };
        let message = match &self.0 {
            Error::Field(f) => format!("{}: {}", wire_field(&f.field), f.message),
            e @ Error::UnknownInstitution(_) => format!(
                "{}: {e}: see GET /data/v1/links/institutions",
                wire_field(Field::Institution.name())
            ),
            Error::EndpointDisabled { url, at_ms } => format!(
                "the endpoint {url} is disabled since it answered 410 Gone at {}; enable it (POST /data/v1/webhooks/endpoints/enable) and replay again",
                crate::clock::rfc3339(*at_ms)
            ),
            Error::Token(TokenError::WrongKind) => "this kind of token cannot call this endpoint (access tokens are for your backend, link tokens for one link)".into(),
            other => other.to_string(),
        };
        let mut resp = envelope(status, code, &message, field.as_deref());
        if let Error::RateLimited(secs) = &self.0 {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*secs),
            );
        }
        resp
    }
}

pub type ApiResult = Result<Response, ApiError>;

pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    envelope(status, code, message, None)
}

/// This dialect's one error shape.
pub fn envelope(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message, "field": field}})),
    )
        .into_response()
}

/// A failure met before a handler ran (see `http::failure`), in this dialect's shape.
pub fn failure_response(failure: &Failure) -> Response {
    let code = match failure.kind {
        FailureKind::NotFound => "NOT_FOUND",
        FailureKind::MethodNotAllowed => "METHOD_NOT_ALLOWED",
        FailureKind::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
        FailureKind::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
        FailureKind::InvalidField => "INVALID_FIELD",
        FailureKind::Internal => "INTERNAL_ERROR",
        FailureKind::Other(StatusCode::REQUEST_TIMEOUT) => "REQUEST_TIMEOUT",
        FailureKind::Other(StatusCode::TOO_MANY_REQUESTS) => "RATE_LIMITED",
        FailureKind::Other(_) => "REQUEST_REFUSED",
    };
    envelope(
        failure.kind.status(),
        code,
        &failure.message,
        failure.field.as_deref(),
    )
}

/// The Data API's name for a field a service names the domain's way
/// (`consent_ids[1]` is `consentId[1]`). A name that is not a domain field
/// (already the request's own, such as `username`) stays as it is.
pub fn wire_field(name: &str) -> String {
    let Some((field, rest)) = Field::split(name) else {
        return name.to_string();
    };
    let wire = match field {
        Field::PersonalTaxId => "personalTaxId",
        Field::BusinessTaxId => "businessTaxId",
        Field::TaxId => "taxId",
        Field::Email => "email",
        Field::Phone => "phone",
        Field::RedirectUrl => "redirectUrl",
        Field::Institution => "institutionCode",
        Field::ExpectedInstitution => "institutionId",
        Field::ExternalTrackId => "externalTrackId",
        Field::LinkId => "linkId",
        Field::ConsentIds => "consentId",
        Field::Products => "products",
        Field::ProductCallbacks => "productsCallbackUrl",
        Field::ExternalInfo => "externalInfo",
    };
    format!("{wire}{rest}")
}

/// A field error renamed for the Data API's members, for surfaces that take
/// the Data API's link body but answer in their own envelope (the Server
/// API's and the console's link endpoints).
pub fn wire_field_error(e: ponte_core::FieldError) -> ponte_core::FieldError {
    ponte_core::FieldError::new(wire_field(&e.field), e.message)
}

/// A refused signed download in this dialect's shape.
pub(super) fn download_error(e: reports::DownloadError) -> Response {
    match e {
        e @ reports::DownloadError::Forbidden => error_response(
            StatusCode::FORBIDDEN,
            "INVALID_SIGNATURE",
            &format!("{e}; ask GET /data/v1/reports/{{id}} for a fresh one"),
        ),
        e @ reports::DownloadError::Gone => {
            error_response(StatusCode::GONE, "REPORT_DELETED", &e.to_string())
        }
        e @ reports::DownloadError::NotFound => {
            error_response(StatusCode::NOT_FOUND, "NOT_FOUND", &e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_fields_get_the_data_api_names_and_others_pass_unchanged() {
        assert_eq!(wire_field(&Field::ConsentIds.item(1)), "consentId[1]");
        assert_eq!(
            wire_field(Field::ExpectedInstitution.name()),
            "institutionId"
        );
        assert_eq!(
            wire_field(&Field::ProductCallbacks.entry("accounts")),
            "productsCallbackUrl.accounts"
        );
        assert_eq!(wire_field("username"), "username");
        assert_eq!(wire_field("consentId[0]"), "consentId[0]");
    }
}
