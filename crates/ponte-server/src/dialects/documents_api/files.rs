//! `GET /files/{fileId}?expires=…&signature=…`: a retrieved document, streamed
//! from storage (never whole in memory), with `Range` support. A wrong or
//! expired signature is 403.

use super::errors::{body, DocumentsError};
use crate::http::extract::{LastWinsQuery, Path};
use crate::services::documents_files::{self, DownloadError};
use crate::storage::ByteRange;
use crate::App;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ponte_store::FileId;
use serde::Deserialize;
use utoipa::IntoParams;

/// The signature a download URL carries. Read as text: one that is missing
/// or not a number is a signature that does not match (403), as the URL was
/// not one Ponte made.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Signed {
    /// Unix seconds
    #[param(value_type = i64, required = true)]
    expires: Option<String>,
    /// Ponte's signature
    #[param(value_type = String, required = true)]
    signature: Option<String>,
}

#[utoipa::path(get, path = "/files/{fileId}", tag = "Documents API: Retrieval",
    summary = "Download a retrieved document",
    description = "The `download_url` of a webhook or of `GET /api/retrievals/{id}`, valid 15 minutes. Answers the PDF with `Content-Length` and `Content-Disposition: attachment`; a `Range: bytes=…` request gets 206 with that part.",
    params(("fileId" = String, Path, description = "The file"), Signed),
    security(()),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 206, description = "Part of it"), (status = 403, description = "`forbidden`: expired or tampered", body = DocumentsError), (status = 404, description = "`not_found`", body = DocumentsError), (status = 416, description = "`range_not_satisfiable`", body = DocumentsError)))]
pub async fn download(
    State(app): State<App>,
    Path(raw_id): Path<String>,
    LastWinsQuery(signed): LastWinsQuery<Signed>,
    headers: HeaderMap,
) -> Response {
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| ByteRange::parse(v).ok_or(v));
    let range = match range {
        None => None,
        Some(Ok(r)) => Some(r),
        // A range we cannot read is ignored, as HTTP allows: the whole file.
        Some(Err(_)) => None,
    };
    // Ponte signs only the ids it made: any other carries no signature of
    // Ponte's, and is answered as one whose signature does not match.
    let got = match FileId::parse(&raw_id) {
        Some(file_id) => {
            documents_files::download(
                &app,
                &file_id,
                signed.expires.as_deref(),
                signed.signature.as_deref(),
                range,
            )
            .await
        }
        None => Err(DownloadError::Forbidden),
    };
    let d = match got {
        Ok(d) => d,
        Err(DownloadError::Forbidden) => {
            return body(
                StatusCode::FORBIDDEN,
                "forbidden",
                &DownloadError::Forbidden.to_string(),
                None,
            )
        }
        Err(DownloadError::NotFound) => {
            return body(
                StatusCode::NOT_FOUND,
                "not_found",
                "file not found",
                Some("fileId"),
            )
        }
        Err(e @ DownloadError::Range(size)) => {
            let mut resp = body(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                &e.to_string(),
                Some("Range"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                resp.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return resp;
        }
        Err(DownloadError::Internal(why)) => {
            tracing::error!(error = %why, "serving a document failed");
            return body(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "internal error",
                None,
            );
        }
    };
    let (served, size) = (d.reading.range.clone(), d.reading.size);
    let partial = range.is_some();
    let length = served.end - served.start;
    let mut resp = Body::from_stream(d.reading.stream).into_response();
    *resp.status_mut() = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        safe_name(&d.file_name)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if partial {
        let (start, end) = (served.start, served.end);
        if let Ok(v) =
            HeaderValue::from_str(&format!("bytes {start}-{}/{size}", end.saturating_sub(1)))
        {
            h.insert(header::CONTENT_RANGE, v);
        }
    }
    resp
}

/// A file name safe inside a quoted header value.
fn safe_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "document.pdf".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_stay_inside_the_header() {
        assert_eq!(super::safe_name("1099_INT 2024.pdf"), "1099_INT_2024.pdf");
        assert_eq!(super::safe_name("a\"b\r\n.pdf"), "a_b__.pdf");
        assert_eq!(super::safe_name(""), "document.pdf");
    }
}
