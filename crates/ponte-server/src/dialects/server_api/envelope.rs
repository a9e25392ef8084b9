//! The Server API's one answer shape, for success and failure alike:
//! `{"status":<http status>,"error":{"code","message","field"},"data":{…}}`,
//! with `field` a parameter's number as a string (`"105"`) or `""`.

use super::params::{Param, ParamError};
use super::wire::{Envelope, EnvelopeError};
use crate::error::Error;
use crate::http::failure::{Failure, FailureKind};
use crate::tokens::TokenError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

/// A success: `data` in the envelope, status 200.
pub fn ok<T: Serialize>(data: T) -> Response {
    let data = serde_json::to_value(data).unwrap_or_else(|_| json!({}));
    render(StatusCode::OK, "", "", "", data)
}

/// The documented [`Envelope`], as a JSON value (its members in the order
/// the dialect has always sent them).
fn render(status: StatusCode, code: &str, message: &str, field: &str, data: Value) -> Response {
    let envelope = Envelope {
        status: status.as_u16(),
        error: EnvelopeError {
            code: code.into(),
            message: message.into(),
            field: field.into(),
        },
        data,
    };
    let body = serde_json::to_value(envelope).unwrap_or_else(|_| json!({}));
    (status, Json(body)).into_response()
}

/// Which credential a refused token was presented as: the same expiry means
/// a different thing to the caller for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Ticket,
    AccessToken,
    RefreshToken,
}

/// Everything the Server API can refuse, mapped to a code in one place.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `40001`: a required header is missing or malformed.
    #[error("{0}")]
    Header(String),
    /// `40002`: a parameter failed; `field` is its number.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The body could not be read as the endpoint's JSON.
    #[error("{message}")]
    Body {
        param: Option<Param>,
        message: String,
    },
    #[error("{1}")]
    Token(Credential, TokenError),
    #[error(transparent)]
    Core(Error),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Malformed { field, message } => ApiError::Body {
                param: field.as_deref().and_then(Param::from_name),
                message,
            },
            Error::Field(f) => match Param::from_name(&f.field) {
                Some(param) => ApiError::Param(ParamError {
                    param,
                    message: format!("Param '{}' {}", param.name(), f.message),
                }),
                None => ApiError::Body {
                    param: None,
                    message: format!("{}: {}", f.field, f.message),
                },
            },
            other => ApiError::Core(other),
        }
    }
}

impl From<ponte_store::StoreError> for ApiError {
    fn from(e: ponte_store::StoreError) -> Self {
        ApiError::Core(e.into())
    }
}

impl ApiError {
    /// (HTTP status, code, field number or "").
    fn parts(&self) -> (StatusCode, &'static str, String) {
        let bad = StatusCode::BAD_REQUEST;
        let unauthorized = StatusCode::UNAUTHORIZED;
        match self {
            ApiError::Header(_) => (bad, "40001", String::new()),
            ApiError::Param(p) => (bad, "40002", p.param.number().to_string()),
            ApiError::Body { param, .. } => (
                bad,
                "40002",
                param.map(|p| p.number().to_string()).unwrap_or_default(),
            ),
            ApiError::Token(Credential::Ticket, _) => (unauthorized, "40102", String::new()),
            ApiError::Token(Credential::AccessToken, TokenError::WrongKind) => {
                (StatusCode::FORBIDDEN, "40301", String::new())
            }
            ApiError::Token(Credential::AccessToken, _) => (unauthorized, "40103", String::new()),
            ApiError::Token(Credential::RefreshToken, _) => (unauthorized, "40104", String::new()),
            ApiError::Core(e) => match e {
                Error::InvalidCredentials => (unauthorized, "40101", String::new()),
                Error::Token(_) => (unauthorized, "40103", String::new()),
                Error::NotFound(_) => (StatusCode::NOT_FOUND, "40401", String::new()),
                Error::Conflict(_)
                | Error::EndpointDisabled { .. }
                | Error::ConsentNotAuthorised(_)
                | Error::LinkConsentLimit(_)
                | Error::DuplicateConnection { .. } => {
                    (StatusCode::CONFLICT, "40901", String::new())
                }
                Error::RateLimited(_) | Error::QuotaExhausted { .. } => {
                    (StatusCode::TOO_MANY_REQUESTS, "42901", String::new())
                }
                Error::Outage(_) => (StatusCode::SERVICE_UNAVAILABLE, "50301", String::new()),
                Error::Declined(_) => (StatusCode::FORBIDDEN, "40302", String::new()),
                Error::Institution(_) => (StatusCode::BAD_GATEWAY, "50201", String::new()),
                // Mapped to 40002 in `From<Error>`; here only if built by hand.
                Error::Field(_) | Error::Malformed { .. } | Error::UnknownInstitution(_) => {
                    (bad, "40002", String::new())
                }
                Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "50001", String::new()),
            },
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Token(Credential::Ticket, why) => match why {
                TokenError::Expired => "The auth ticket has expired: request a new one".into(),
                TokenError::Spent => "The auth ticket was already used: request a new one".into(),
                _ => "The auth ticket is not valid: request a new one".into(),
            },
            ApiError::Token(Credential::AccessToken, why) => match why {
                TokenError::Expired => "The access token has expired: refresh it".into(),
                TokenError::WrongKind => {
                    "This token cannot call the Server API's client endpoints: use the user's access token".into()
                }
                _ => "The access token is not valid or its session has ended".into(),
            },
            ApiError::Token(Credential::RefreshToken, why) => match why {
                TokenError::Expired => "The refresh token has expired: request a new auth ticket".into(),
                TokenError::Spent => {
                    "The refresh token was already used: the session has been ended".into()
                }
                _ => "The refresh token is not valid".into(),
            },
            ApiError::Core(Error::InvalidCredentials) => {
                "Unknown Server Key ID or wrong Server Key Secret".into()
            }
            ApiError::Core(Error::NotFound(what)) => format!("The {what} was not found"),
            ApiError::Core(Error::Internal(e)) => {
                tracing::error!(error = ?e, "internal error");
                "Internal error".into()
            }
            other => other.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = self.parts();
        let mut resp = render(status, code, &self.message(), &field, json!({}));
        if let ApiError::Core(Error::RateLimited(secs)) = &self {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
        }
        resp
    }
}

/// A failure met before a handler ran (no such route, a wrong method, a
/// body over the limit), in this dialect's envelope. See `http::failure`.
pub fn failure_response(failure: &Failure) -> Response {
    let status = failure.kind.status();
    let (code, field) = match failure.kind {
        FailureKind::InvalidField => (
            "40002".to_string(),
            failure
                .field
                .as_deref()
                .and_then(Param::from_name)
                .map(|p| p.number().to_string())
                .unwrap_or_default(),
        ),
        // Each status's first code, as the seed's codes are numbered.
        _ => (format!("{}01", status.as_u16()), String::new()),
    };
    render(status, &code, &failure.message, &field, json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(resp: Response) -> (u16, Value) {
        let status = resp.status().as_u16();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn failures_outside_a_handler_keep_the_envelope() {
        let (status, v) = body(failure_response(&Failure::new(
            FailureKind::MethodNotAllowed,
            "nope",
        )))
        .await;
        assert_eq!(status, 405);
        assert_eq!(
            v,
            json!({"status": 405, "error": {"code": "40501", "message": "nope", "field": ""}, "data": {}})
        );
        let (_, v) = body(failure_response(&Failure::invalid(
            Some("xcUserID".into()),
            "bad",
        )))
        .await;
        assert_eq!(v["error"]["field"], "105");
    }
}
