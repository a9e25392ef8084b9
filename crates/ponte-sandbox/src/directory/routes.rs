//! The directory's HTTP surface, mounted at `{base_url}/directory`:
//! `GET /participants`, `GET /jwks` and, over mTLS,
//! `GET /organisations/{org_id}/softwarestatements/{software_id}/assertion`.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::{read_certificate, Directory};
use crate::tls::ClientCertificate;

/// The directory's routes, state applied, to be nested at `{base_url}/directory`.
pub fn router(directory: Arc<Directory>) -> Router {
    Router::new()
        .route("/participants", get(participants))
        .route("/jwks", get(jwks))
        .route(
            "/organisations/{org_id}/softwarestatements/{software_id}/assertion",
            get(assertion),
        )
        .with_state(directory)
}

async fn participants(State(directory): State<Arc<Directory>>) -> Response {
    Json(directory.participants()).into_response()
}

async fn jwks(State(directory): State<Arc<Directory>>) -> Response {
    (
        [(header::CACHE_CONTROL, "max-age=300")],
        Json(directory.jwks()),
    )
        .into_response()
}

/// The SSA of an enrolled software, only to the holder of a certificate this directory
/// issued that names that organisation and software (the OFB directory serves it over
/// mTLS the same way).
async fn assertion(
    State(directory): State<Arc<Directory>>,
    Path((org_id, software_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Some(ClientCertificate(der)) = request.extensions().get::<ClientCertificate>() else {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "a client certificate issued by the directory is required (mTLS)",
        );
    };
    if let Err(e) = directory.ca().verify_issued(der) {
        return error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", &e.to_string());
    }
    let subject = match read_certificate(der) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", &e.to_string()),
    };
    if subject.org_id != org_id || subject.software_id != software_id {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            &format!(
                "the client certificate names organisation {:?} and software {:?}, not this one",
                subject.org_id, subject.software_id
            ),
        );
    }
    if directory.software(&org_id, &software_id).is_none() {
        return error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no such software statement in the directory",
        );
    }
    match directory.software_statement(&org_id, &software_id) {
        Ok(jwt) => ([(header::CONTENT_TYPE, "application/jwt")], jwt).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "signing a software statement failed");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "the software statement could not be signed",
            )
        }
    }
}

/// The OFB `ResponseError` shape.
fn error(status: StatusCode, code: &str, detail: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    (
        status,
        Json(json!({"errors": [{"code": code, "title": title, "detail": detail}]})),
    )
        .into_response()
}
