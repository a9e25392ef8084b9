//! The hosted documents app (Taiki's "Taiki App"): `GET /app?access_token=…`
//! serves the widget in documents mode, and two calls only that page makes
//! with the same token: who receives the documents (`/app/session`) and how
//! the latest retrieval is going, file by file (`/app/progress`). The
//! Documents API's own calls (`/api/institutions`, `/api/connections`) do
//! the rest.

use crate::dialects::documents_api::errors::ApiError;
use crate::error::Error;
use crate::services::documents_failure::FailureReason;
use crate::services::documents_progress;
use crate::services::{client_locale, documents};
use crate::tokens::TokenError;
use crate::web;
use crate::web::catalogue;
use crate::web::pages::{self, Brand};
use crate::App;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ponte_store::{FileStatus, RetrievalStatus};
use serde::{Deserialize, Serialize};

/// Where the app lives; portals send the end user back here through
/// `/callback/documents`.
pub const APP_PATH: &str = "/app";

pub fn routes() -> Router<App> {
    Router::new()
        .route(APP_PATH, get(app_page))
        .route("/app/session", get(session))
        .route("/app/progress", get(progress))
}

#[derive(Deserialize)]
struct AppQuery {
    access_token: Option<String>,
    /// Set by `/callback/documents`: the token is in the page's storage.
    returned: Option<String>,
    /// Set by `ponte-link.js`: the page is in its modal.
    embed: Option<String>,
    /// The language switch of the pages in words (see `web::lang`).
    lang: Option<String>,
}

/// The widget in documents mode. A token that cannot open the app gets a
/// page in words, never an API message.
async fn app_page(
    State(app): State<App>,
    Query(q): Query<AppQuery>,
    headers: HeaderMap,
) -> Response {
    let page = Refused {
        lang: web::lang::resolve(q.lang.as_deref(), &headers, None),
        secure: app.public_url.starts_with("https://"),
        token: q.access_token.as_deref(),
    };
    let token = q
        .access_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        if q.returned.is_some() {
            return web::page_in_mode(&web::FrameAncestors::default(), "documents");
        }
        return refused(page, Refusal::Missing);
    };
    match documents::session(&app, token).await {
        Ok(s) => {
            let frame = web::FrameAncestors::for_client(&app, s.bearer.client_id.as_str()).await;
            web::page_in_mode(&frame, "documents")
        }
        // In the SDK's modal a refused token gets the app itself, framable
        // anywhere, which says so in words and tells the SDK why (a page of
        // words here would be a silent refused frame).
        Err(Error::Token(_)) if q.embed.is_some() => {
            web::page_in_mode(&web::FrameAncestors::anyone(), "documents")
        }
        Err(Error::Token(TokenError::Expired)) => refused(page, Refusal::Expired),
        Err(Error::RateLimited(_)) => refused(page, Refusal::Busy),
        Err(Error::Token(_)) => refused(page, Refusal::Invalid),
        Err(e) => {
            tracing::error!(error = %e, "the documents app could not open a session");
            refused(page, Refusal::Ours)
        }
    }
}

/// What a page in words needs: its language, whether cookies are
/// `Secure`, and the token to keep in the switch's link.
#[derive(Clone, Copy)]
struct Refused<'a> {
    lang: web::lang::Lang,
    secure: bool,
    token: Option<&'a str>,
}

#[derive(Clone, Copy)]
enum Refusal {
    Missing,
    Invalid,
    Expired,
    Busy,
    Ours,
}

fn refused(page: Refused, why: Refusal) -> Response {
    let locale = page.lang.locale;
    let (status, key) = match why {
        Refusal::Missing | Refusal::Invalid => (StatusCode::UNAUTHORIZED, "docs-invalid"),
        Refusal::Expired => (StatusCode::UNAUTHORIZED, "docs-expired"),
        Refusal::Busy => (StatusCode::TOO_MANY_REQUESTS, "docs-busy"),
        Refusal::Ours => (StatusCode::SERVICE_UNAVAILABLE, "docs-ours"),
    };
    let title = catalogue::text(locale, &format!("{key}-title"), &[]);
    let text = catalogue::text(locale, &format!("{key}-text"), &[]);
    // The switch keeps the token: "wait a minute and reload" must still work.
    let here = match page.token {
        Some(t) => format!(
            "{APP_PATH}?access_token={}",
            url::form_urlencoded::byte_serialize(t.as_bytes()).collect::<String>()
        ),
        None => APP_PATH.to_string(),
    };
    let brand = Brand::unknown();
    pages::message(locale, &brand, &title, &text, &here).respond(status, page.lang, page.secure)
}

/// How a portal's return went, as `/callback/documents` tells the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Signed in: the retrieval runs.
    Ok,
    /// The end user or the portal declined.
    Declined,
    /// Unknown, expired or already used.
    Invalid,
}

impl Returned {
    /// The word in the app's URL, for a browser that no longer holds the
    /// app's token (the app otherwise tells how it went from the retrieval).
    fn word(self) -> &'static str {
        match self {
            Returned::Ok => "ok",
            Returned::Declined => "declined",
            Returned::Invalid => "invalid",
        }
    }
}

/// `/callback/documents`'s answer, on its way straight back to the app, in
/// the end user's language by the one rule: their choice on any Ponte page,
/// else the retrieval's client's locale (the portal's `state` tells whose
/// it is), else their browser's, else pt-BR; in the client's brand.
pub async fn returning(
    app: &App,
    headers: &HeaderMap,
    state: Option<&str>,
    how: Returned,
) -> Response {
    let whose = match state {
        Some(state) => client_locale::of_documents_state(app, state)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "the documents return page could not tell whose it is");
                None
            }),
        None => None,
    };
    let lang = web::lang::resolve(None, headers, whose.as_ref().and_then(|w| w.1));
    let brand = match &whose {
        Some((client, _)) => match documents_progress::recipient(app, client).await {
            Ok(r) => Brand::new(r.name, r.logo_url, r.primary_color, r.privacy_policy_url),
            Err(e) => {
                tracing::warn!(error = %e, "the documents return page could not read the brand");
                Brand::unknown()
            }
        },
        None => Brand::unknown(),
    };
    let locale = lang.locale;
    let key = format!("docs-returned-{}", how.word());
    let back = format!("{APP_PATH}?returned={}", how.word());
    // No switch: the portal's answer is single-use, and the page moves on
    // to the app at once.
    pages::render(
        "returning.html",
        locale,
        &brand,
        &catalogue::text(locale, &format!("{key}-title"), &[]),
        "",
        minijinja::context! { text => catalogue::text(locale, &format!("{key}-text"), &[]), back => back },
    )
    .respond(
        StatusCode::OK,
        lang,
        app.public_url.starts_with("https://"),
    )
}

/// Who receives the documents, as the app's first screen tells it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppSession {
    client_name: String,
    logo_url: Option<String>,
    primary_color: Option<String>,
    privacy_policy_url: Option<String>,
    /// The client's language for its end users (`pt-BR`, `en`), when it set
    /// one: the app speaks it unless the end user chose, or the integrator
    /// asked for one with `?locale=`.
    locale: Option<&'static str>,
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::from(TokenError::Missing))
}

async fn session(State(app): State<App>, headers: HeaderMap) -> Result<Response, ApiError> {
    let s = documents::session(&app, bearer(&headers)?).await?;
    let r = documents_progress::recipient(&app, s.bearer.client_id.as_str()).await?;
    let locale = client_locale::of(&app, s.bearer.client_id.as_str()).await?;
    Ok(Json(AppSession {
        locale: locale.map(|l| l.tag()),
        client_name: r.name,
        logo_url: r.logo_url,
        primary_color: r.primary_color,
        privacy_policy_url: r.privacy_policy_url,
    })
    .into_response())
}

#[derive(Serialize)]
struct AppProgress {
    id: i64,
    institution_code: String,
    /// `awaiting_login`, `retrieving`, `success`, `failed` or `expired`.
    status: String,
    /// When `failed`: `credentials`, `locked`, `declined` or `unavailable`;
    /// when `expired`: `expired` (no sign-in at the portal within 30 minutes).
    reason: Option<&'static str>,
    files: Vec<AppFile>,
}

#[derive(Serialize)]
struct AppFile {
    file_name: String,
    /// `pending`, `success` or `failed`.
    status: String,
    total_size_bytes: Option<i64>,
}

async fn progress(State(app): State<App>, headers: HeaderMap) -> Result<Response, ApiError> {
    let s = documents::session(&app, bearer(&headers)?).await?;
    let (row, files) = documents_progress::progress(&app, &s).await?;
    Ok(Json(AppProgress {
        reason: match row.status {
            RetrievalStatus::Expired => Some("expired"),
            _ => FailureReason::of(&row).map(FailureReason::as_str),
        },
        id: row.id.get(),
        institution_code: row.institution_code,
        status: row.status.to_string(),
        files: files
            .into_iter()
            .map(|f| AppFile {
                total_size_bytes: f.size_bytes.filter(|_| f.status == FileStatus::Success),
                file_name: f.file_name,
                status: f.status.to_string(),
            })
            .collect(),
    })
    .into_response())
}
