//! The portal's documents API: the signed-in user's documents, listed and served.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::catalogue::{self, PortalInfo};
use super::PortalState;
use crate::documents::{self, DocumentRef, Kind, ScannedArchive};

/// An OAuth-style JSON error: `{"error","error_description"}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", description)
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "sandbox portal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "internal error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}

pub fn portal(code: &str) -> Result<&'static PortalInfo, ApiError> {
    catalogue::find(code).ok_or_else(|| ApiError::not_found(format!("no portal {code:?}")))
}

/// The user behind the request's bearer token, and the token.
pub(super) async fn session(
    st: &PortalState,
    portal: &PortalInfo,
    headers: &HeaderMap,
) -> Result<(String, String), ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "Authorization: Bearer <access_token> header is missing",
            )
        })?;
    let grant = st
        .store
        .get("session", portal.code, token)
        .await
        .map_err(ApiError::internal)?
        .and_then(|g| g.username)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "the access token is unknown or expired",
            )
        })?;
    Ok((grant, token.to_string()))
}

/// The scanned archive's listing size comes from its layout; every other
/// document is rendered to know it.
fn size(portal: &PortalInfo, username: &str, doc: DocumentRef) -> Option<u64> {
    if doc.kind == Kind::ScannedArchive {
        return ScannedArchive::new(portal.code, username, doc.year).map(|a| a.len());
    }
    documents::render(portal, username, doc).map(|pdf| pdf.len() as u64)
}

pub async fn list(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    let portal = portal(&code)?;
    let (username, token) = session(&st, portal, &headers).await?;
    let now = st.store.now_of(&token).await.map_err(ApiError::internal)?;
    // Sizes come from rendering every PDF: CPU work, kept off the threads
    // that serve requests (those of Ponte too when the sandbox is mounted in it).
    let out = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for doc in documents::held_at(portal, &username, now) {
            let Some(size) = size(portal, &username, doc) else {
                continue;
            };
            out.push(json!({
                "id": doc.id(),
                "kind": doc.kind.as_str(),
                "title": doc.title(),
                "year": doc.year,
                "period": doc.period(),
                "file_name": doc.file_name(),
                "content_type": "application/pdf",
                "size": size,
            }));
        }
        out
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(json!({ "documents": out })))
}

pub async fn download(
    State(st): State<PortalState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let portal = portal(&code)?;
    let (username, token) = session(&st, portal, &headers).await?;
    let now = st.store.now_of(&token).await.map_err(ApiError::internal)?;
    let held = documents::held_at(portal, &username, now);
    let doc = DocumentRef::parse(&id)
        .filter(|d| held.contains(d))
        .ok_or_else(|| ApiError::not_found(format!("no document {id:?} for this user")))?;
    if username == "user_flaky" {
        let calls = st
            .store
            .count_call(&token, &id)
            .await
            .map_err(ApiError::internal)?;
        let latest_summary = held
            .iter()
            .rev()
            .find(|d| d.kind == Kind::YearEndSummary)
            .is_some_and(|d| *d == doc);
        if calls <= 2 || latest_summary {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "temporarily_unavailable",
                "the document store did not answer",
            ));
        }
    }
    let not_found = || ApiError::not_found(format!("no document {id:?} for this user"));
    let disposition = format!("attachment; filename=\"{}\"", doc.file_name());
    if doc.kind == Kind::ScannedArchive {
        // ~50 MB: streamed chunk by chunk with its exact length, never held whole.
        let archive =
            ScannedArchive::new(portal.code, &username, doc.year).ok_or_else(not_found)?;
        let length = archive.len();
        let chunks = archive.chunks().map(Ok::<_, std::convert::Infallible>);
        return Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_string()),
                (header::CONTENT_LENGTH, length.to_string()),
            ],
            Body::from_stream(futures_util::stream::iter(chunks)),
        )
            .into_response());
    }
    let pdf = tokio::task::spawn_blocking(move || documents::render(portal, &username, doc))
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}

/// `PUT {portal}/_test/clock {"offsetMs"}` with the session's bearer token:
/// the test hook Ponte's sandbox test clocks use, as the banks'
/// `/_test/consents/{id}/clock`. The session then lists what the portal
/// holds at that time (a new statement once a month has closed).
pub async fn set_clock(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<StatusCode, ApiError> {
    let portal = portal(&code)?;
    let (_, token) = session(&st, portal, &headers).await?;
    let offset = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("offsetMs").and_then(serde_json::Value::as_i64))
        .filter(|ms| *ms >= 0)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "offsetMs must be a whole number of milliseconds, 0 or more",
            )
        })?;
    st.store
        .set_clock(&token, offset)
        .await
        .map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
