//! `pdfUrl`: the report as a PDF, streamed as it is laid out. Pages leave
//! through a small channel while the next ones are drawn, so a five-year
//! statement is never held whole in memory.

use super::errors::{download_error, envelope};
use crate::pdf::report::{self, Locale};
use crate::services::report_pdf;
use crate::App;
use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::{self, Write};
use tokio::sync::mpsc;

/// What one chunk of the response holds before it is sent.
const CHUNK: usize = 64 * 1024;

/// Hands the PDF's bytes to the response body in chunks; a client that went
/// away stops the rendering at its next chunk.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

pub(super) async fn signed_pdf(
    app: &App,
    report_id: &str,
    expires: Option<String>,
    signature: Option<String>,
    locale: Option<String>,
) -> Response {
    let locale = match locale.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(raw) => match Locale::parse(raw) {
            Some(l) => Some(l),
            None => {
                return envelope(
                    StatusCode::BAD_REQUEST,
                    "INVALID_FIELD",
                    "locale must be pt-BR or en",
                    Some("locale"),
                )
            }
        },
    };
    let (expires, signature) = (expires.unwrap_or_default(), signature.unwrap_or_default());
    let pdf = match report_pdf::pdf(app, report_id, &expires, &signature, locale).await {
        Ok(pdf) => pdf,
        Err(e) => return download_error(e),
    };
    let language = pdf.context.locale.tag();
    let name = format!(
        "attachment; filename=\"ponte-{}-{report_id}.pdf\"",
        pdf.doc.product
    );
    let (tx, mut rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let id = report_id.to_string();
    // Laying out a long history takes a while: off the async workers.
    tokio::task::spawn_blocking(move || {
        let mut pdf = pdf;
        let out = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let written =
            report::render(out, &pdf.doc, &pdf.context, &mut pdf.text).and_then(|mut w| w.flush());
        if let Err(e) = written {
            tracing::warn!(error = %e, report_id = %id, "the PDF stream stopped");
            // An error item aborts the response: the client never takes a
            // cut file for a whole one.
            let _ = tx.blocking_send(Err(e));
        }
    });
    let stream = futures::stream::poll_fn(move |cx| rx.poll_recv(cx));
    (
        [
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_LANGUAGE, language.to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
