//! `downloadUrl`: the report's JSON, streamed. Its data leaves as it is
//! inflated from storage, a chunk at a time, so a five-year history is never
//! held as text (nor as a serialised copy of it) while it is sent. The bytes
//! are those `Json(ReportView)` writes: the view's fields, then `data` last.

use super::views::ReportView;
use crate::services::reports::{ReportDoc, ReportText};
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::io::{self, Read};

/// What one chunk of the response holds.
const CHUNK: usize = 64 * 1024;

/// The download's response: `doc` (its `data` still `null`) with `text` as its data.
pub(super) fn response(doc: ReportDoc, text: ReportText) -> Response {
    let head = match serde_json::to_string(&ReportView::from(doc)) {
        Ok(head) => head,
        Err(e) => return io_error(e.into()),
    };
    // `data` is the view's last field (no URLs in a download): its `null` and
    // the closing brace give way to the stored text.
    let Some(head) = head.strip_suffix("null}") else {
        return io_error(io::Error::other(
            "the report view does not end with its data",
        ));
    };
    let head = Bytes::from(head.to_string());
    let chunks = futures::stream::unfold(Some(text), |text| async move {
        let text = text?;
        // Off the async workers: a report stored in chunks fetches the next
        // one from the store as the reader reaches it, blocking on it.
        let read = tokio::task::spawn_blocking(move || {
            let mut text = text;
            let mut buf = vec![0u8; CHUNK];
            let read = read_full(&mut text, &mut buf);
            (text, buf, read)
        })
        .await;
        let (text, mut buf, read) = match read {
            Ok(done) => done,
            Err(e) => return Some((Err(io::Error::other(e)), None)),
        };
        match read {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), Some(text)))
            }
            // An error item aborts the response: never a cut document taken for a whole one.
            Err(e) => {
                tracing::warn!(error = %e, "the report download stopped");
                Some((Err(e), None))
            }
        }
    });
    let body = futures::stream::iter([Ok::<_, io::Error>(head)])
        .chain(chunks)
        .chain(futures::stream::iter([Ok(Bytes::from_static(b"}"))]));
    (
        [
            (header::CACHE_CONTROL, "private, no-store"),
            (header::CONTENT_TYPE, "application/json"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// Fills `buf` as far as the text goes (a reader may return less than asked).
fn read_full(text: &mut ReportText, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match text.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn io_error(e: io::Error) -> Response {
    tracing::error!(error = %e, "the report download could not start");
    super::errors::error_response(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        "the report could not be read",
    )
}
