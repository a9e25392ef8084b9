//! Error bodies in the three dialects the sandbox speaks: OFB API errors, RFC 6749 OAuth
//! errors and HTML pages.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::util;

pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// `ResponseError` of the OFB specs.
#[derive(Debug)]
pub struct OfbError {
    pub status: StatusCode,
    pub code: String,
    pub title: String,
    pub detail: String,
}

impl OfbError {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: &str) -> Self {
        OfbError {
            status,
            code: code.into(),
            title: title.into(),
            detail: detail.into(),
        }
    }
    pub fn not_found(detail: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Recurso não encontrado",
            detail,
        )
    }
    pub fn bad_request(code: &str, detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            code,
            "Requisição malformada",
            detail,
        )
    }
    pub fn unprocessable(code: &str, title: &str, detail: &str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, title, detail)
    }
    pub fn unauthorized(detail: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Token ausente ou inválido",
            detail,
        )
    }
    pub fn forbidden(detail: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Escopo do token incorreto",
            detail,
        )
    }
    pub fn outage() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "Instituição indisponível",
            "This institution is in (simulated) outage; try again later.",
        )
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "sandbox internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Erro interno",
            "Unexpected error in the sandbox institution.",
        )
    }
}

impl IntoResponse for OfbError {
    fn into_response(self) -> Response {
        let body = json!({
            "errors": [{"code": self.code, "title": self.title, "detail": self.detail}],
            "meta": {"requestDateTime": util::ofb_time(util::now_ms())},
        });
        (
            self.status,
            [(header::CONTENT_TYPE, JSON_UTF8)],
            body.to_string(),
        )
            .into_response()
    }
}

/// RFC 6749 §5.2 error.
#[derive(Debug)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub fn invalid_request(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", d)
    }
    pub fn invalid_grant(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", d)
    }
    pub fn invalid_client(d: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", d)
    }
    pub fn new(status: StatusCode, error: &'static str, d: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: d.into(),
        }
    }
    pub fn outage() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "this institution is in (simulated) outage",
        )
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "sandbox internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "unexpected error in the sandbox institution",
        )
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.error, "error_description": self.description});
        let mut resp = (
            self.status,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body.to_string(),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"sandbox\""),
            );
        }
        resp
    }
}

pub async fn not_found() -> OfbError {
    OfbError::not_found("No such endpoint in the sandbox.")
}
