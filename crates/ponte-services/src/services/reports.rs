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

/// A stored report's data as text, inflated as it is read.
///
/// Stored in chunks (`report_chunks`): each chunk is read from the store,
/// opened and inflated when the reader reaches it, so what is held is one
/// chunk (64 KiB of deflated text), whatever the history's length. The
/// reader fetches chunks by blocking on the store: read it off the async
/// workers (`spawn_blocking`). A chunk missing or not opening where it is
/// read (erased at a revocation meanwhile, cut off, tampered with) is an I/O
/// error: the download stops rather than end a document early.
///
/// Stored before chunks, as one sealed value: read a slice at a time and
/// decoded as it arrives, its text, decoded and decrypted bytes one buffer
/// (a sixth of the JSON), never copies of each other.
pub(crate) async fn stored_text(
    app: &App,
    conn: &mut ponte_store::Conn,
    report_id: &str,
) -> Result<ReportText, DownloadError> {
    let chunks = ponte_store::report_data_chunks(conn, report_id)
        .await
        .map_err(|_| DownloadError::NotFound)?;
    if let Some(count) = chunks {
        let source = StoreChunks {
            store: app.store.clone(),
            runtime: tokio::runtime::Handle::current(),
            report_id: report_id.to_string(),
        };
        let count = u64::try_from(count).map_err(|_| DownloadError::NotFound)?;
        // The first chunk read here: the text's decoder reads its header at once.
        let first = ponte_store::report_chunk(conn, report_id, 0)
            .await
            .map_err(|_| DownloadError::NotFound)?
            .ok_or(DownloadError::Gone)?;
        let chunks = app
            .crypto
            .open_chunks(
                crate::services::slots::report_data(report_id),
                count,
                Box::new(source),
            )
            .with_first(first)
            .map_err(|_| DownloadError::NotFound)?;
        return Ok(ReportText::chunked(chunks));
    }
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

/// Where a stored report's chunks are read from: the store, a connection
/// taken from the pool for each chunk and given back, so a long PDF does not
/// hold one for its whole layout.
struct StoreChunks {
    store: ponte_store::Store,
    runtime: tokio::runtime::Handle,
    report_id: String,
}

impl crate::crypto::ChunkSource for StoreChunks {
    fn chunk(&mut self, index: u64) -> std::io::Result<Vec<u8>> {
        let seq = i64::try_from(index).map_err(std::io::Error::other)?;
        let read = self.runtime.block_on(async {
            let mut conn = self.store.read().await?;
            ponte_store::report_chunk(&mut conn, &self.report_id, seq).await
        });
        read.map_err(std::io::Error::other)?.ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("chunk {index} of the report's data is not there (erased?)"),
            )
        })
    }
}

/// A report's whole data as text (`null` when it holds none), read on the
/// async worker: for a report that is small (a registration).
pub(crate) async fn stored_whole(
    app: &App,
    conn: &mut ponte_store::Conn,
    report_id: &str,
) -> Result<String, DownloadError> {
    use std::io::Read;
    let chunks = ponte_store::report_data_chunks(conn, report_id)
        .await
        .map_err(|_| DownloadError::NotFound)?;
    let plain = match chunks {
        Some(count) => chunked_whole(app, conn, report_id, count)
            .await
            .map_err(|_| DownloadError::NotFound)?,
        // Stored whole: opened in memory, nothing left to fetch.
        None => {
            let mut plain = Vec::new();
            stored_text(app, conn, report_id)
                .await?
                .read_to_end(&mut plain)
                .map_err(|_| DownloadError::NotFound)?;
            plain
        }
    };
    String::from_utf8(plain).map_err(|_| DownloadError::NotFound)
}

/// A report's data stored in `count` chunks, opened and inflated whole.
async fn chunked_whole(
    app: &App,
    conn: &mut ponte_store::Conn,
    report_id: &str,
    count: i64,
) -> Result<Vec<u8>> {
    use std::io::Write;
    let slot = crate::services::slots::report_data(report_id);
    let mut text = flate2::write::GzDecoder::new(Vec::new());
    for seq in 0..count {
        let sealed = ponte_store::report_chunk(conn, report_id, seq)
            .await?
            .ok_or_else(|| anyhow::anyhow!("report {report_id}: chunk {seq} is not there"))?;
        let plain = app
            .crypto
            .open_chunk(slot, seq as u64, seq + 1 == count, sealed)?;
        text.write_all(&plain)
            .map_err(|e| anyhow::anyhow!("report {report_id}: {e}"))?;
    }
    Ok(text
        .finish()
        .map_err(|e| anyhow::anyhow!("report {report_id}: {e}"))?)
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
    let plain = match &row.data_enc {
        Some(sealed) => Some(
            app.crypto
                .open_document(crate::services::slots::report_data(&row.id), sealed)?,
        ),
        None => match ponte_store::report_data_chunks(conn, &row.id).await? {
            Some(count) => Some(chunked_whole(app, conn, &row.id, count).await?),
            None => None,
        },
    };
    if let Some(plain) = plain {
        let text = String::from_utf8(plain)
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
