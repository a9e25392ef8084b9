//! The console API's envelope, `{"error":{"code","message","field"}}`, for
//! its handlers' errors and for the failures met before a handler.

use crate::error::Error;
use crate::http::failure::{Failure, FailureKind};
use crate::tokens::TokenError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// The console API's error: `{"error":{"code","message","field"}}`, the
/// shape the console's pages read (and the Data API's, familiar to users).
#[derive(Debug)]
pub enum ConsoleError {
    Service(Error),
    /// No session, or it ended.
    SignedOut,
    /// A change without the session's `X-CSRF-Token`, or a sign-in from
    /// another site.
    Csrf,
}

impl<E: Into<Error>> From<E> for ConsoleError {
    fn from(e: E) -> Self {
        ConsoleError::Service(e.into())
    }
}

fn envelope(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut resp = (
        status,
        Json(json!({"error": {"code": code, "message": message, "field": field}})),
    )
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let e = match self {
            ConsoleError::SignedOut => {
                return envelope(
                    StatusCode::UNAUTHORIZED,
                    "SIGNED_OUT",
                    "sign in to the console first",
                    None,
                )
            }
            ConsoleError::Csrf => {
                return envelope(
                    StatusCode::FORBIDDEN,
                    "CSRF",
                    "this change needs the page's X-CSRF-Token header; reload the console and try again",
                    Some("X-CSRF-Token"),
                )
            }
            ConsoleError::Service(e) => e,
        };
        let (status, code, field) = match &e {
            Error::Field(f) => (
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                Some(f.field.to_string()),
            ),
            Error::Malformed { field, .. } => {
                (StatusCode::BAD_REQUEST, "INVALID_FIELD", field.clone())
            }
            Error::InvalidCredentials => (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS", None),
            Error::Token(TokenError::Expired) | Error::Token(_) => {
                (StatusCode::UNAUTHORIZED, "INVALID_TOKEN", None)
            }
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "NOT_FOUND", None),
            Error::Outage(_) => (StatusCode::SERVICE_UNAVAILABLE, "INSTITUTION_OUTAGE", None),
            Error::ConsentNotAuthorised(_) => {
                (StatusCode::CONFLICT, "CONSENT_NOT_AUTHORISED", None)
            }
            Error::Conflict(_)
            | Error::LinkConsentLimit(_)
            | Error::DuplicateConnection { .. }
            | Error::EndpointDisabled { .. } => (StatusCode::CONFLICT, "CONFLICT", None),
            Error::UnknownInstitution(_) => (
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                Some("institutionCode".to_string()),
            ),
            Error::Declined(_) => (StatusCode::FORBIDDEN, "DECLINED", None),
            Error::Institution(_) => (StatusCode::BAD_GATEWAY, "INSTITUTION_ERROR", None),
            Error::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", None),
            Error::QuotaExhausted { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "QUOTA_EXHAUSTED", None)
            }
            Error::Internal(err) => {
                tracing::error!(error = ?err, "console: internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", None)
            }
        };
        let message = match &e {
            Error::Field(f) => format!("{}: {}", f.field, f.message),
            Error::Token(_) => "this sign-in link was used already or has expired; ask for a new one (ponte console-users link)".into(),
            other => other.to_string(),
        };
        let mut resp = envelope(status, code, &message, field.as_deref());
        if let Error::RateLimited(secs) = e {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

/// Failures met outside a handler (no route, a bad path parameter, a body
/// too large), for `http::failure_spaces`.
pub fn failure_response(f: &Failure) -> Response {
    let code = match f.kind {
        FailureKind::NotFound => "NOT_FOUND",
        FailureKind::InvalidField => "INVALID_FIELD",
        FailureKind::Internal => "INTERNAL_ERROR",
        FailureKind::Other(StatusCode::TOO_MANY_REQUESTS) => "RATE_LIMITED",
        _ => "INVALID_REQUEST",
    };
    envelope(f.kind.status(), code, &f.message, f.field.as_deref())
}
