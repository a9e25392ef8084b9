//! The Documents API's error body, `{"error":{"code","message","field"}}`
//! with snake_case codes, and the one function that maps service errors
//! into it. `field` names the request member in the caller's own spelling
//! (`api_secret`, `taiki_user_id`, `metadata`), or is `null`.

use crate::error::Error;
use crate::http::failure::{Failure, FailureKind};
use crate::tokens::TokenError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

pub struct ApiError(Error, Option<&'static str>);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into(), None)
    }
}

impl ApiError {
    /// `e` in its usual code and status, with a message that says what to do instead.
    pub fn with_message(e: Error, message: &'static str) -> Self {
        ApiError(e, Some(message))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self.0 {
            Error::Field(f) => (
                StatusCode::BAD_REQUEST,
                "invalid_field",
                Some(f.field.to_string()),
            ),
            Error::Malformed { field, .. } => {
                (StatusCode::BAD_REQUEST, "invalid_field", field.clone())
            }
            Error::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                Some("api_secret".to_string()),
            ),
            Error::Token(TokenError::Expired) => (StatusCode::UNAUTHORIZED, "token_expired", None),
            Error::Token(TokenError::WrongKind) => (StatusCode::FORBIDDEN, "invalid_token", None),
            Error::Token(_) => (StatusCode::UNAUTHORIZED, "invalid_token", None),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            Error::Outage(_) => (StatusCode::SERVICE_UNAVAILABLE, "institution_outage", None),
            Error::UnknownInstitution(_) => (
                StatusCode::BAD_REQUEST,
                "invalid_field",
                Some("institutionCode".to_string()),
            ),
            Error::ConsentNotAuthorised(_)
            | Error::Conflict(_)
            | Error::LinkConsentLimit(_)
            | Error::DuplicateConnection { .. }
            | Error::EndpointDisabled { .. } => (StatusCode::CONFLICT, "conflict", None),
            Error::Declined(_) => (StatusCode::FORBIDDEN, "declined", None),
            Error::Institution(_) => (StatusCode::BAD_GATEWAY, "institution_error", None),
            Error::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", None),
            Error::QuotaExhausted { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "quota_exhausted", None)
            }
            Error::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal_error", None)
            }
        };
        let message = match self.1 {
            Some(instead) => instead.to_string(),
            None => match &self.0 {
                Error::Field(f) => format!("{}: {}", f.field, f.message),
                Error::Token(TokenError::WrongKind) => {
                    "this endpoint takes the access_token of POST /api/token".into()
                }
                other => other.to_string(),
            },
        };
        let mut resp = body(status, code, &message, field.as_deref());
        if let Error::RateLimited(secs) = &self.0 {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

/// Every failure of the dialect, as served and documented.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "invalid_field", "message": "api_secret: is required", "field": "api_secret"}}))]
pub struct DocumentsError {
    pub error: DocumentsErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentsErrorDetail {
    /// `invalid_field`, `invalid_credentials`, `invalid_token`, `token_expired`, `not_found`,
    /// `conflict`, `declined`, `forbidden`, `method_not_allowed`, `payload_too_large`,
    /// `unsupported_media_type`, `range_not_satisfiable`, `rate_limited` (`Retry-After`),
    /// `quota_exhausted`, `institution_outage`, `institution_error`, `unavailable`,
    /// `request_refused`, `internal_error`.
    #[schema(example = "invalid_field")]
    pub code: String,
    pub message: String,
    /// The request member (or header) at fault, in the caller's spelling; `null` when none.
    #[schema(example = "api_secret")]
    pub field: Option<String>,
}

/// [`DocumentsError`] with `status`.
pub fn body(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let error = DocumentsError {
        error: DocumentsErrorDetail {
            code: code.into(),
            message: message.into(),
            field: field.map(str::to_string),
        },
    };
    let value = serde_json::to_value(error).unwrap_or_else(|_| json!({}));
    (status, Json(value)).into_response()
}

/// Failures met outside a handler (no route, wrong method, body too large,
/// unreadable path), in this dialect's shape.
pub fn failure_response(f: &Failure) -> Response {
    let code = match f.kind {
        FailureKind::NotFound => "not_found",
        FailureKind::MethodNotAllowed => "method_not_allowed",
        FailureKind::PayloadTooLarge => "payload_too_large",
        FailureKind::UnsupportedMediaType => "unsupported_media_type",
        FailureKind::InvalidField => "invalid_field",
        FailureKind::Internal => "internal_error",
        FailureKind::Other(StatusCode::FORBIDDEN) => "forbidden",
        FailureKind::Other(StatusCode::RANGE_NOT_SATISFIABLE) => "range_not_satisfiable",
        FailureKind::Other(StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE) => {
            "unavailable"
        }
        FailureKind::Other(_) => "request_refused",
    };
    body(f.kind.status(), code, &f.message, f.field.as_deref())
}
