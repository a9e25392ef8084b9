//! Failures met outside a dialect's handler (no such route, a wrong method, a
//! body over the limit, an unreadable path or query) answered in the shape of
//! the dialect that owns the path (the longest prefix of `http::failure_spaces`,
//! where each dialect's `Dialect::failures` are listed).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What went wrong, without any dialect's words for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    /// The request part that failed, in the client's own naming: a JSON
    /// path, a query parameter or a path parameter.
    pub field: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    NotFound,
    /// The response keeps the `Allow` header the router set.
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// A path parameter, query parameter or body that cannot be read.
    InvalidField,
    Internal,
    /// Any other status a layer may answer with (a timeout, say).
    Other(StatusCode),
}

impl FailureKind {
    pub fn status(self) -> StatusCode {
        match self {
            FailureKind::NotFound => StatusCode::NOT_FOUND,
            FailureKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            FailureKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            FailureKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            FailureKind::InvalidField => StatusCode::BAD_REQUEST,
            FailureKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            FailureKind::Other(status) => status,
        }
    }
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid(field: Option<String>, message: impl Into<String>) -> Self {
        Failure {
            kind: FailureKind::InvalidField,
            message: message.into(),
            field,
        }
    }
}

/// The status, with the failure riding in the extensions until
/// [`in_dialect`] renders it; the plain-text body is only what a caller
/// outside that layer would see.
impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut resp = (self.kind.status(), self.message.clone()).into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

/// How one dialect (or the HTML pages) answers a failure.
pub type Render = fn(&Failure) -> Response;

/// The part of the URL space one dialect (or the platform) owns.
pub struct Space {
    /// Matches this path and everything below it; `/` matches every path.
    pub prefix: &'static str,
    /// `None` leaves the answers untouched: that space has shapes of its own.
    pub render: Option<Render>,
}

impl Space {
    fn owns(&self, path: &str) -> bool {
        self.prefix == "/"
            || path
                .strip_prefix(self.prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// Renders every failure in the shape of the dialect that owns the path:
/// a [`Failure`] a handler or extractor returned, and the plain-text or empty
/// answers of the router and the layers (404, 405, 413, extractor rejections).
/// Answers already in a shape (JSON, HTML) pass through.
pub async fn in_dialect(
    State(spaces): State<&'static [Space]>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let resp = next.run(req).await;
    if resp.status().as_u16() < 400 {
        return resp;
    }
    let Some(render) = spaces
        .iter()
        .filter(|s| s.owns(&path))
        .max_by_key(|s| s.prefix.len())
        .and_then(|s| s.render)
    else {
        return resp;
    };
    let allow = resp.headers().get(header::ALLOW).cloned();
    let retry_after = resp.headers().get(header::RETRY_AFTER).cloned();
    let failure = match resp.extensions().get::<Failure>() {
        Some(failure) => failure.clone(),
        None if already_shaped(&resp) => return resp,
        None => failure_of(&method, &path, resp).await,
    };
    let mut rendered = render(&failure);
    *rendered.status_mut() = failure.kind.status();
    for (name, value) in [(header::ALLOW, allow), (header::RETRY_AFTER, retry_after)] {
        if let Some(value) = value {
            rendered.headers_mut().insert(name, value);
        }
    }
    rendered
}

fn already_shaped(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json") || ct.starts_with("text/html"))
}

/// Reads a failure from an answer nobody shaped: axum's own 404 and 405,
/// the body limit's 413, and the plain-text rejections of its extractors.
async fn failure_of(method: &Method, path: &str, resp: Response) -> Failure {
    let status = resp.status();
    match status {
        StatusCode::NOT_FOUND => Failure::new(
            FailureKind::NotFound,
            format!("there is no {method} {path}; see /docs for the routes"),
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = resp
                .headers()
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
                .unwrap_or("another method");
            Failure::new(
                FailureKind::MethodNotAllowed,
                format!("{path} does not answer {method}; use {allowed}"),
            )
        }
        StatusCode::PAYLOAD_TOO_LARGE => Failure::new(
            FailureKind::PayloadTooLarge,
            format!(
                "the request body is larger than {} KiB",
                super::BODY_LIMIT / 1024
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Failure::new(
            FailureKind::UnsupportedMediaType,
            "this content type is not accepted here",
        ),
        s if s.is_server_error() => Failure::new(FailureKind::Internal, "internal error"),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            // axum's rejection text says what it could not read.
            let text = axum::body::to_bytes(resp.into_body(), 1024)
                .await
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            let message = if text.is_empty() {
                "the request cannot be read".to_string()
            } else {
                text
            };
            Failure::invalid(None, message)
        }
        other => Failure::new(
            FailureKind::Other(other),
            other.canonical_reason().unwrap_or("request refused"),
        ),
    }
}

/// Error pages for the HTML surfaces (link page, demo, docs): people read
/// these, so they get a page, not JSON.
pub fn html_page(failure: &Failure) -> Response {
    let title = match failure.kind {
        FailureKind::NotFound => "Page not found",
        _ => "Request refused",
    };
    let page = super::page::refusal(title, &failure.message);
    let mut resp = axum::response::Html(page.html).into_response();
    if let Ok(csp) = HeaderValue::from_str(&page.csp) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
