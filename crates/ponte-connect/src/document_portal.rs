//! The document-portal connector: a portal's sign-in hand-off, its code-for-
//! token exchange, its documents listing and its PDF downloads, over HTTP only.
//!
//! Everything comes from the directory entry: for a document portal the
//! endpoint's `issuer` is the portal's base URL (`{base}/login`, `{base}/token`,
//! `{base}/api/documents`), and `client_id`, `client_secret`, `redirect_uri`
//! are Ponte's registration there. Downloads are written chunk by chunk to the
//! caller's writer, so a large file never sits in memory whole, and are
//! checked against the length the portal announced.

use serde::Deserialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::bounds::{redirect_not_followed, unreadable};
use crate::open_finance::{ConnectError, OpenFinanceEndpoint};
use crate::Timeouts;

/// A signed-in session at a portal.
#[derive(Clone, PartialEq, Eq)]
pub struct PortalSession {
    pub access_token: String,
    pub expires_in: u64,
}

impl std::fmt::Debug for PortalSession {
    // The token must never end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSession")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// One document as the portal lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PortalDocument {
    pub id: String,
    /// `bank_statement`, `1099_int`, `1099_div`, `1099_b`, `year_end_summary`.
    pub kind: String,
    pub title: String,
    pub year: i64,
    /// `2025-03` for a monthly statement, `2025` for a yearly document.
    pub period: String,
    pub file_name: String,
    pub content_type: String,
    /// Exact byte length of the file.
    pub size: u64,
}

#[derive(Deserialize)]
struct Listing {
    documents: Vec<PortalDocument>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    token_type: String,
    #[serde(default)]
    expires_in: u64,
}

#[derive(Deserialize, Default)]
struct ErrorAnswer {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

#[derive(Clone)]
pub struct DocumentPortalClient {
    http: reqwest::Client,
}

fn base(ep: &OpenFinanceEndpoint) -> &str {
    ep.issuer.trim_end_matches('/')
}

impl DocumentPortalClient {
    /// Bounded waits and no redirects followed, like [`crate::OpenFinanceClient::new`].
    pub fn new() -> Result<Self, ConnectError> {
        Self::with_timeouts(Timeouts::default())
    }

    /// [`DocumentPortalClient::new`] with other bounds (tests use short ones).
    pub fn with_timeouts(timeouts: Timeouts) -> Result<Self, ConnectError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            // Per read, not per transfer: a large PDF may take longer than this in all.
            .read_timeout(timeouts.answer)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ponte/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http })
    }

    /// Where the end user's browser signs in; the portal comes back to
    /// `ep.redirect_uri` with `code` (or `error`) and this `state`.
    pub fn login_url(&self, ep: &OpenFinanceEndpoint, state: &str) -> Result<String, ConnectError> {
        let mut url = url::Url::parse(&format!("{}/login", base(ep)))
            .map_err(|e| ConnectError::Protocol(format!("the portal's base URL: {e}")))?;
        url.query_pairs_mut()
            .append_pair("client_id", &ep.client_id)
            .append_pair("redirect_uri", &ep.redirect_uri)
            .append_pair("state", state);
        Ok(url.into())
    }

    /// Exchanges the code the portal sent back for a session.
    pub async fn exchange_code(
        &self,
        ep: &OpenFinanceEndpoint,
        code: &str,
    ) -> Result<PortalSession, ConnectError> {
        let r = self
            .http
            .post(format!("{}/token", base(ep)))
            .basic_auth(&ep.client_id, ep.client_secret())
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", ep.redirect_uri.as_str()),
            ])
            .send()
            .await?;
        let r = check(r).await?;
        let t: TokenAnswer = r.json().await.map_err(|e| unreadable("token answer", e))?;
        if !t.token_type.eq_ignore_ascii_case("bearer") || t.access_token.is_empty() {
            return Err(ConnectError::Protocol(format!(
                "token answer: token_type {:?} is not Bearer",
                t.token_type
            )));
        }
        Ok(PortalSession {
            access_token: t.access_token,
            expires_in: t.expires_in,
        })
    }

    pub async fn list(
        &self,
        ep: &OpenFinanceEndpoint,
        session: &PortalSession,
    ) -> Result<Vec<PortalDocument>, ConnectError> {
        let r = self
            .http
            .get(format!("{}/api/documents", base(ep)))
            .bearer_auth(&session.access_token)
            .send()
            .await?;
        let r = check(r).await?;
        let l: Listing = r
            .json()
            .await
            .map_err(|e| unreadable("documents listing", e))?;
        Ok(l.documents)
    }

    /// Streams `doc` into `out`; returns the number of bytes written, which is
    /// the listing's `size` or the download fails.
    pub async fn download<W: AsyncWrite + Unpin>(
        &self,
        ep: &OpenFinanceEndpoint,
        session: &PortalSession,
        doc: &PortalDocument,
        out: &mut W,
    ) -> Result<u64, ConnectError> {
        let mut url = url::Url::parse(&format!("{}/api/documents/", base(ep)))
            .map_err(|e| ConnectError::Protocol(format!("the portal's base URL: {e}")))?;
        url.path_segments_mut()
            .map_err(|()| ConnectError::Protocol("the portal's base URL cannot be a base".into()))?
            .pop_if_empty()
            .push(&doc.id);
        let r = self
            .http
            .get(url)
            .bearer_auth(&session.access_token)
            .send()
            .await?;
        let mut r = check(r).await?;
        let mut written: u64 = 0;
        while let Some(chunk) = r.chunk().await? {
            written += chunk.len() as u64;
            if written > doc.size {
                return Err(ConnectError::Protocol(format!(
                    "document {} is longer than the {} bytes listed",
                    doc.id, doc.size
                )));
            }
            out.write_all(&chunk).await.map_err(|e| {
                ConnectError::Unavailable(format!("writing document {}: {e}", doc.id))
            })?;
        }
        out.flush()
            .await
            .map_err(|e| ConnectError::Unavailable(format!("writing document {}: {e}", doc.id)))?;
        if written != doc.size {
            return Err(ConnectError::Protocol(format!(
                "document {} ended after {written} of {} bytes",
                doc.id, doc.size
            )));
        }
        Ok(written)
    }
}

/// The answer if it is a success, else the error it stands for: 5xx and 429
/// are worth retrying (`Unavailable`), a redirect is `Refused` (never
/// followed: see [`crate::bounds`]), a refused code is `InvalidGrant`, a
/// refused token `TokensRefused`, any other 4xx `Refused`.
async fn check(r: reqwest::Response) -> Result<reqwest::Response, ConnectError> {
    let status = r.status();
    if status.is_success() {
        return Ok(r);
    }
    if status.is_redirection() {
        return Err(ConnectError::Refused(redirect_not_followed(&r)));
    }
    let e: ErrorAnswer = r.json().await.unwrap_or_default();
    let what = if e.error_description.is_empty() {
        format!("{status} {}", e.error)
    } else {
        format!("{status} {}: {}", e.error, e.error_description)
    };
    Err(match status.as_u16() {
        429 | 500..=599 => ConnectError::Unavailable(what),
        400 if e.error == "invalid_grant" => ConnectError::InvalidGrant(what),
        401 if e.error == "invalid_token" => ConnectError::TokensRefused(what),
        _ => ConnectError::Refused(what),
    })
}
