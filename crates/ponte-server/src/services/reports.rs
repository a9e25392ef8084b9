//! Reports as integrators receive them: views, and signed download URLs that
//! expire after 15 minutes.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::App;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use ponte_store::ReportRow;
use serde_json::{json, Value};
use sha2::Sha256;

pub const DOWNLOAD_TTL_MS: i64 = 15 * 60 * 1000;

/// What a signed URL serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Pdf,
}

impl Format {
    fn path(self) -> &'static str {
        match self {
            Format::Json => "download",
            Format::Pdf => "pdf",
        }
    }
}

fn signature(app: &App, report_id: &str, format: Format, expires: i64) -> String {
    let key = app.crypto.derive("ponte/report-download/v1");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{report_id}.{}.{expires}", format.path()).as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn signed_url(app: &App, report_id: &str, format: Format, expires: i64) -> String {
    let sig = signature(app, report_id, format, expires);
    format!(
        "{}/data/v1/reports/{report_id}/{}?expires={expires}&signature={sig}",
        app.public_url,
        format.path()
    )
}

/// Fresh `downloadUrl` (JSON), `pdfUrl` and their `expireAt` for a report.
pub fn urls(app: &App, report_id: &str) -> Value {
    let expires = (app.clock.now_ms() + DOWNLOAD_TTL_MS) / 1000;
    json!({
        "downloadUrl": signed_url(app, report_id, Format::Json, expires),
        "pdfUrl": signed_url(app, report_id, Format::Pdf, expires),
        "expireAt": rfc3339(expires * 1000),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("the link is invalid or has expired; ask GET /data/v1/reports/{{id}} for a fresh one")]
    Forbidden,
    #[error("the report was deleted when its consent was revoked")]
    Gone,
    #[error("report not found")]
    NotFound,
}

/// The report behind a signed URL.
pub async fn download(
    app: &App,
    report_id: &str,
    format: Format,
    expires: &str,
    sig: &str,
) -> Result<Value, DownloadError> {
    let expires: i64 = expires.parse().map_err(|_| DownloadError::Forbidden)?;
    let expected = signature(app, report_id, format, expires);
    let valid = expected.len() == sig.len()
        && subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), sig.as_bytes()).into();
    if !valid || expires * 1000 <= app.clock.now_ms() {
        return Err(DownloadError::Forbidden);
    }
    let mut conn = app
        .store
        .read()
        .await
        .map_err(|_| DownloadError::NotFound)?;
    let row = ponte_store::report_by_id(&mut conn, report_id)
        .await
        .ok()
        .flatten()
        .ok_or(DownloadError::NotFound)?;
    body(app, &mut conn, &row).await.map_err(|e| match e {
        Error::Conflict(_) => DownloadError::Gone,
        _ => DownloadError::NotFound,
    })
}

/// The report document: the same for the API and behind `downloadUrl`.
/// Reports are versioned: each retrieval of a consent's product stores a new
/// one (`version` counts from 1) and keeps the earlier ones.
pub async fn body(app: &App, conn: &mut ponte_store::Conn, row: &ReportRow) -> Result<Value> {
    if row.deleted_at.is_some() {
        return Err(Error::Conflict(
            "the report was deleted when its consent was revoked".into(),
        ));
    }
    let versions = ponte_store::report_versions(conn, &row.consent_id, &row.product).await?;
    let at = versions.iter().position(|id| *id == row.id).unwrap_or(0);
    let data: Value = match &row.data_enc {
        Some(sealed) => app.crypto.decrypt_json(sealed)?,
        None => Value::Null,
    };
    Ok(json!({
        "reportId": row.id,
        "requestId": row.request_id,
        "linkId": row.link_id,
        "consentId": row.consent_id,
        "institutionCode": row.institution_code,
        "product": row.product,
        "status": row.status,
        "reason": row.reason,
        "generatedAt": rfc3339(row.generated_at),
        "version": at + 1,
        "previousReportId": at.checked_sub(1).map(|i| versions[i].clone()),
        "latestReportId": versions.last(),
        "summary": serde_json::from_str::<Value>(&row.summary).unwrap_or(Value::Null),
        "data": data,
    }))
}

/// `GET /data/v1/reports/{id}` for the client that owns it.
pub async fn view(app: &App, client_id: &ponte_core::ClientId, report_id: &str) -> Result<Value> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::report_by_id(&mut conn, report_id)
        .await?
        .filter(|r| r.client_id == client_id.as_str())
        .ok_or(Error::NotFound("report"))?;
    let mut doc = body(app, &mut conn, &row).await?;
    drop(conn);
    if let (Some(d), Value::Object(u)) = (doc.as_object_mut(), urls(app, &row.id)) {
        d.extend(u);
    }
    Ok(doc)
}
