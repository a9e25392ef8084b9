//! The bounds the connectors keep with an institution, against real loopback
//! servers: a redirect is reported, never followed (the request's client
//! secret, code or token must not travel to where a 3xx points), and an
//! institution that stops answering ends the call with a timeout error
//! instead of hanging a worker.

use axum::extract::Path;
use axum::http::{header, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Json;
use ponte_connect::{
    BankTokens, ConnectError, DataSession, DocumentPortalClient, OpenFinanceClient,
    OpenFinanceEndpoint, PortalDocument, PortalSession, Timeouts,
};
use serde_json::json;
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Short enough that a silent institution fails a test quickly.
const SHORT: Timeouts = Timeouts {
    connect: Duration::from_secs(2),
    answer: Duration::from_millis(300),
};

/// A safety net so a regression fails instead of hanging; not a timed assertion.
async fn bounded<T>(what: &str, f: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(60), f).await {
        Ok(v) => v,
        Err(_) => panic!("{what} hung instead of failing with a timeout"),
    }
}

/// A loopback port that must never be contacted. Nothing accepts on it, so a
/// client that followed a redirect here would have its connection waiting in
/// the kernel's queue by the time the call returned.
struct Trap {
    listener: std::net::TcpListener,
    origin: String,
}

impl Trap {
    fn new() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        Trap { listener, origin }
    }

    fn assert_untouched(&self) {
        match self.listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Ok((_, peer)) => panic!("a redirect was followed: {peer} connected to the trap"),
            Err(e) => panic!("checking the trap: {e}"),
        }
    }
}

/// An institution whose every answer is a redirect to the trap, with the
/// status the first path segment names (`/302/…`, `/307/…`), except the
/// banks' discovery documents at `/{status}/bank/`, so the token endpoint
/// and data APIs are reached and redirect in turn.
async fn redirecting_institution(trap: &Trap) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let steal = format!("{}/steal?code=stolen", trap.origin);
    let here = origin.clone();
    let app = axum::Router::new()
        .route(
            "/{status}/bank/.well-known/openid-configuration",
            axum::routing::get(move |Path(status): Path<String>| {
                let base = format!("{here}/{status}");
                async move {
                    Json(json!({
                        "issuer": format!("{base}/bank"),
                        "authorization_endpoint": format!("{base}/authorize"),
                        "token_endpoint": format!("{base}/token"),
                    }))
                }
            }),
        )
        .fallback(move |uri: Uri| {
            let steal = steal.clone();
            async move {
                let status = uri
                    .path()
                    .split('/')
                    .nth(1)
                    .and_then(|s| s.parse::<u16>().ok())
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::FOUND);
                (status, [(header::LOCATION, steal)]).into_response()
            }
        });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

fn endpoint(issuer: String) -> OpenFinanceEndpoint {
    OpenFinanceEndpoint::legacy(
        issuer.clone(),
        issuer,
        "ponte",
        "s3cret",
        "http://127.0.0.1:9/callback",
    )
}

fn far_future_tokens() -> BankTokens {
    BankTokens {
        access_token: "at".into(),
        refresh_token: Some("rt".into()),
        expires_at: i64::MAX / 2,
    }
}

fn document(size: u64) -> PortalDocument {
    PortalDocument {
        id: "doc-1".into(),
        kind: "bank_statement".into(),
        title: "Statement".into(),
        year: 2025,
        period: "2025-03".into(),
        file_name: "statement.pdf".into(),
        content_type: "application/pdf".into(),
        size,
    }
}

fn portal_session() -> PortalSession {
    PortalSession {
        access_token: "pt".into(),
        expires_in: 3600,
    }
}

/// The error a redirect must come back as: refused, naming the status, the
/// institution's URL that answered and where it pointed (query left out);
/// and the trap it pointed to never contacted.
async fn assert_redirect_refused(
    call: impl Future<Output = Result<impl std::fmt::Debug, ConnectError>>,
    status: u16,
    url: &str,
    trap: &Trap,
) {
    let result = bounded(url, call).await;
    trap.assert_untouched();
    let e = result.expect_err("a redirect is not a success");
    let text = e.to_string();
    assert!(matches!(e, ConnectError::Refused(_)), "{e:?}");
    assert!(text.contains(&status.to_string()), "{text}");
    assert!(text.contains(&format!("from {url}:")), "{text}");
    assert!(
        text.contains(&format!("to {}/steal", trap.origin)),
        "{text}"
    );
    assert!(text.contains("not followed"), "{text}");
    assert!(!text.contains("stolen"), "the query stays out: {text}");
}

#[tokio::test]
async fn open_finance_calls_do_not_follow_redirects() {
    let trap = Trap::new();
    let origin = redirecting_institution(&trap).await;
    let client = OpenFinanceClient::with_timeouts(SHORT).unwrap();
    for status in [302, 307] {
        // Discovery.
        let moved = endpoint(format!("{origin}/{status}/moved"));
        assert_redirect_refused(
            client.iss_required(&moved),
            status,
            &format!("{origin}/{status}/moved/.well-known/openid-configuration"),
            &trap,
        )
        .await;

        // The token endpoint: a 307 would resend the client secret and code.
        let bank = endpoint(format!("{origin}/{status}/bank"));
        let token_url = format!("{origin}/{status}/token");
        assert_redirect_refused(
            client.exchange_code(&bank, "code", "verifier", 0),
            status,
            &token_url,
            &trap,
        )
        .await;
        assert_redirect_refused(client.refresh(&bank, "rt", 0), status, &token_url, &trap).await;

        // A data call, with the consent's access token.
        let accounts = format!("{origin}/{status}/open-banking/accounts/v2/accounts");
        let mut session = DataSession::new(&client, &bank, "consent-1", far_future_tokens());
        assert_redirect_refused(session.get(&accounts), status, &accounts, &trap).await;
    }
    trap.assert_untouched();
}

#[tokio::test]
async fn document_portal_calls_do_not_follow_redirects() {
    let trap = Trap::new();
    let origin = redirecting_institution(&trap).await;
    let client = DocumentPortalClient::with_timeouts(SHORT).unwrap();
    for status in [302, 307] {
        let base = format!("{origin}/{status}/portal");
        let ep = endpoint(base.clone());
        assert_redirect_refused(
            client.exchange_code(&ep, "code"),
            status,
            &format!("{base}/token"),
            &trap,
        )
        .await;
        assert_redirect_refused(
            client.list(&ep, &portal_session()),
            status,
            &format!("{base}/api/documents"),
            &trap,
        )
        .await;
        let mut file = Vec::new();
        assert_redirect_refused(
            client.download(&ep, &portal_session(), &document(100), &mut file),
            status,
            &format!("{base}/api/documents/doc-1"),
            &trap,
        )
        .await;
        assert!(file.is_empty(), "nothing written from a redirect");
    }
    trap.assert_untouched();
}

/// An institution that accepts connections, reads the request's head and
/// then sends `answer` (maybe nothing) and stays silent, connection open.
/// With `hang_up`, it closes the connection after `answer` instead.
async fn stalling_institution(answer: &'static [u8], hang_up: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                if socket.write_all(answer).await.is_err() || hang_up {
                    return;
                }
                // Hold the connection open without a word until the client leaves.
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                }
            });
        }
    });
    origin
}

fn assert_timed_out(e: &ConnectError) {
    assert!(
        matches!(e, ConnectError::Transport(t) if t.is_timeout()),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("timed out"), "the message says so: {text}");
}

#[tokio::test]
async fn a_silent_bank_ends_each_call_with_a_timeout() {
    let origin = stalling_institution(b"", false).await;
    let client = OpenFinanceClient::with_timeouts(SHORT).unwrap();
    let ep = endpoint(format!("{origin}/bank"));

    let e = bounded("discovery", client.iss_required(&ep))
        .await
        .unwrap_err();
    assert_timed_out(&e);
    assert!(
        e.to_string().contains(&origin),
        "names the institution: {e}"
    );

    // The data calls retry transport errors, a bounded number of times.
    let mut session = DataSession::new(&client, &ep, "consent-1", far_future_tokens());
    let accounts = format!("{origin}/open-banking/accounts/v2/accounts");
    let e = bounded("a data call", session.get(&accounts))
        .await
        .unwrap_err();
    assert_timed_out(&e);
}

/// Headers and the start of a 400-byte discovery document.
const PARTIAL_DISCOVERY: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"issuer\": ";

#[tokio::test]
async fn a_bank_answer_stalled_or_cut_off_is_a_transport_failure_not_a_malformed_one() {
    let client = OpenFinanceClient::with_timeouts(SHORT).unwrap();

    let stalled = stalling_institution(PARTIAL_DISCOVERY, false).await;
    let ep = endpoint(format!("{stalled}/bank"));
    let e = bounded("discovery", client.iss_required(&ep))
        .await
        .unwrap_err();
    assert_timed_out(&e);

    // Cut off: retried like any dropped connection, not failed as the bank's fault.
    let cut = stalling_institution(PARTIAL_DISCOVERY, true).await;
    let ep = endpoint(format!("{cut}/bank"));
    let e = bounded("discovery", client.iss_required(&ep))
        .await
        .unwrap_err();
    assert!(matches!(e, ConnectError::Transport(_)), "{e:?}");

    // Whole but malformed: the bank's fault, and the message says why.
    let malformed = stalling_institution(
        b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nnot json!",
        true,
    )
    .await;
    let ep = endpoint(format!("{malformed}/bank"));
    let e = bounded("discovery", client.iss_required(&ep))
        .await
        .unwrap_err();
    assert!(matches!(e, ConnectError::Protocol(_)), "{e:?}");
    assert!(e.to_string().contains("expected"), "{e}");
}

#[tokio::test]
async fn a_silent_portal_ends_listing_and_download_with_a_timeout() {
    let origin = stalling_institution(b"", false).await;
    let client = DocumentPortalClient::with_timeouts(SHORT).unwrap();
    let ep = endpoint(format!("{origin}/portal"));

    let e = bounded("listing", client.list(&ep, &portal_session()))
        .await
        .unwrap_err();
    assert_timed_out(&e);

    let mut file = Vec::new();
    let e = bounded(
        "a download",
        client.download(&ep, &portal_session(), &document(100), &mut file),
    )
    .await
    .unwrap_err();
    assert_timed_out(&e);
    assert!(file.is_empty());
}

/// Headers and the first 10 bytes of a 100-byte PDF.
const PARTIAL_PDF: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: 100\r\n\r\n%PDF-1.7\n%";

#[tokio::test]
async fn a_download_that_stalls_mid_body_fails_instead_of_counting_as_complete() {
    let origin = stalling_institution(PARTIAL_PDF, false).await;
    let client = DocumentPortalClient::with_timeouts(SHORT).unwrap();
    let ep = endpoint(format!("{origin}/portal"));
    let doc = document(100);

    let mut file = Vec::new();
    let e = bounded(
        "a stalled download",
        client.download(&ep, &portal_session(), &doc, &mut file),
    )
    .await
    .unwrap_err();
    assert_timed_out(&e);
    // What arrived was passed on (the caller discards it on the error), never
    // reported as the whole document.
    assert!((file.len() as u64) < doc.size, "{} bytes", file.len());
}

#[tokio::test]
async fn a_download_cut_off_mid_body_fails_instead_of_counting_as_complete() {
    let origin = stalling_institution(PARTIAL_PDF, true).await;
    let client = DocumentPortalClient::with_timeouts(SHORT).unwrap();
    let ep = endpoint(format!("{origin}/portal"));
    let doc = document(100);

    let mut file = Vec::new();
    let e = bounded(
        "a cut-off download",
        client.download(&ep, &portal_session(), &doc, &mut file),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, ConnectError::Transport(_) | ConnectError::Protocol(_)),
        "{e:?}"
    );
    assert!((file.len() as u64) < doc.size, "{} bytes", file.len());
}
