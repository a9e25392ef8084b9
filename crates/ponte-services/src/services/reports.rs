//! Reports as integrators receive them: the stored document with its
//! versions, and signed download URLs that expire after 15 minutes
//! (`signed_url`).

use crate::error::{Error, Result};
use crate::services::signed_url::{Purpose, Signer};
use crate::App;
use ponte_core::event::ReportOutcome;
use ponte_store::ReportRow;
use serde_json::value::RawValue;
use serde_json::Value;

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

/// What a report's link signs: the report and the format it serves.
fn resource(report_id: &str, format: Format) -> String {
    format!("{report_id}.{}", format.path())
}

/// Leave to download a report (JSON and PDF) until `expires`: what a
/// signed URL carries. The dialect that hands it out builds the URLs.
#[derive(Debug, Clone)]
pub struct DownloadGrant {
    pub report_id: String,
    /// Unix seconds.
    pub expires: i64,
    pub json_signature: String,
    pub pdf_signature: String,
}

impl DownloadGrant {
    pub fn expire_at_ms(&self) -> i64 {
        self.expires * 1000
    }

    pub fn signature(&self, format: Format) -> &str {
        match format {
            Format::Json => &self.json_signature,
            Format::Pdf => &self.pdf_signature,
        }
    }
}

/// A fresh grant (15 minutes) to download a report.
pub fn grant(app: &App, report_id: &str) -> DownloadGrant {
    let signer = Signer::new(&app.crypto, Purpose::ReportDownload);
    let now = app.clock.now_ms();
    let json = signer.sign(&resource(report_id, Format::Json), now);
    let pdf = signer.sign(&resource(report_id, Format::Pdf), now);
    DownloadGrant {
        report_id: report_id.to_string(),
        expires: json.expires,
        json_signature: json.signature,
        pdf_signature: pdf.signature,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("the link is invalid or has expired")]
    Forbidden,
    #[error("the report was deleted when its consent was revoked")]
    Gone,
    #[error("report not found")]
    NotFound,
}

/// The report behind a signed URL, its data still to be read: `doc.data` is
/// `null` and `text` reads the data's JSON text as it is sent.
pub async fn download(
    app: &App,
    report_id: &str,
    format: Format,
    expires: &str,
    sig: &str,
) -> Result<(ReportDoc, ReportText), DownloadError> {
    let row = signed_row(app, report_id, format, expires, sig).await?;
    let mut conn = app
        .store
        .read()
        .await
        .map_err(|_| DownloadError::NotFound)?;
    let doc = head(&mut conn, &row).await.map_err(|e| match e {
        Error::Conflict(_) => DownloadError::Gone,
        _ => DownloadError::NotFound,
    })?;
    let text = stored_text(app, &mut conn, &row.id).await?;
    Ok((doc, text))
}

/// A report's data as JSON text, inflated as it is read (`download`).
pub type ReportText = crate::crypto::DocumentReader;

/// Characters of a stored report's sealed text read at a time.
const SLICE: i64 = 1 << 20;

/// A stored report's data, read from the store a slice at a time and
/// decoded as it arrives: its text, its decoded and its decrypted bytes are
/// one buffer (a sixth of the JSON), never copies of each other.
pub(crate) async fn stored_text(
    app: &App,
    conn: &mut ponte_store::Conn,
    report_id: &str,
) -> Result<ReportText, DownloadError> {
    let Some(len) = ponte_store::report_data_len(conn, report_id)
        .await
        .map_err(|_| DownloadError::NotFound)?
    else {
        // A failed report has no data.
        return Ok(ReportText::Plain(std::io::Cursor::new(b"null".to_vec())));
    };
    let mut sealed = crate::crypto::SealedText::with_capacity(len.try_into().unwrap_or(0));
    let mut from = 1;
    while from <= len {
        let slice = ponte_store::report_data_slice(conn, report_id, from, SLICE)
            .await
            .map_err(|_| DownloadError::NotFound)?
            // Erased by a revocation while it was read.
            .ok_or(DownloadError::Gone)?;
        sealed.push(&slice).map_err(|_| DownloadError::NotFound)?;
        from += SLICE;
    }
    app.crypto
        .open_document_reader(crate::services::slots::report_data(report_id), sealed)
        .map_err(|_| DownloadError::NotFound)
}

/// The stored row of a report whose signed URL checks out.
pub(crate) async fn signed_row(
    app: &App,
    report_id: &str,
    format: Format,
    expires: &str,
    sig: &str,
) -> Result<ReportRow, DownloadError> {
    Signer::new(&app.crypto, Purpose::ReportDownload)
        .check(
            &resource(report_id, format),
            Some(expires),
            Some(sig),
            app.clock.now_ms(),
        )
        .map_err(|_| DownloadError::Forbidden)?;
    let mut conn = app
        .store
        .read()
        .await
        .map_err(|_| DownloadError::NotFound)?;
    // Without its data: `stored_text` reads that a slice at a time.
    ponte_store::report_head_by_id(&mut conn, report_id)
        .await
        .ok()
        .flatten()
        .ok_or(DownloadError::NotFound)
}

/// A stored report: the same for the API and behind `downloadUrl`. `data`
/// stays the JSON text it was stored as: a long history is never rebuilt as
/// a value tree.
#[derive(Debug)]
pub struct ReportDoc {
    pub report_id: String,
    pub request_id: String,
    pub link_id: String,
    pub consent_id: String,
    pub institution_code: String,
    pub product: String,
    pub status: ReportOutcome,
    pub reason: Option<String>,
    pub generated_at_ms: i64,
    pub version: usize,
    pub previous_report_id: Option<String>,
    pub latest_report_id: Option<String>,
    pub summary: Value,
    pub data: Box<RawValue>,
}

/// Reports are versioned: each retrieval of a consent's product stores a new
/// one (`version` counts from 1) and keeps the earlier ones.
pub async fn body(app: &App, conn: &mut ponte_store::Conn, row: &ReportRow) -> Result<ReportDoc> {
    let mut doc = head(conn, row).await?;
    if let Some(sealed) = &row.data_enc {
        let text = String::from_utf8(
            app.crypto
                .open_document(crate::services::slots::report_data(&row.id), sealed)?,
        )
        .map_err(|_| anyhow::anyhow!("report {} is not UTF-8", row.id))?;
        doc.data =
            RawValue::from_string(text).map_err(|e| anyhow::anyhow!("report {}: {e}", row.id))?;
    }
    Ok(doc)
}

/// The report without its data (`null`): what is around it, and its versions.
pub(crate) async fn head(conn: &mut ponte_store::Conn, row: &ReportRow) -> Result<ReportDoc> {
    if row.deleted_at.is_some() {
        return Err(Error::Conflict(
            "the report was deleted when its consent was revoked".into(),
        ));
    }
    let versions = ponte_store::report_versions(conn, &row.consent_id, &row.product).await?;
    let at = versions.iter().position(|id| *id == row.id).unwrap_or(0);
    Ok(ReportDoc {
        report_id: row.id.clone(),
        request_id: row.request_id.clone(),
        link_id: row.link_id.clone(),
        consent_id: row.consent_id.clone(),
        institution_code: row.institution_code.clone(),
        product: row.product.clone(),
        status: row.status,
        reason: row.reason.clone(),
        generated_at_ms: row.generated_at,
        version: at + 1,
        previous_report_id: at.checked_sub(1).map(|i| versions[i].clone()),
        latest_report_id: versions.last().cloned(),
        summary: serde_json::from_str::<Value>(&row.summary).unwrap_or(Value::Null),
        data: RawValue::from_string("null".into()).expect("null is JSON"),
    })
}

/// A report for the client that owns it.
pub async fn view(
    app: &App,
    client_id: &ponte_core::ClientId,
    report_id: &str,
) -> Result<ReportDoc> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::report_by_id(&mut conn, report_id)
        .await?
        .filter(|r| r.client_id == client_id.as_str())
        .ok_or(Error::NotFound("report"))?;
    body(app, &mut conn, &row).await
}
