//! The hosted documents app (Taiki's "Taiki App"): `GET /app?access_token=…`
//! serves the widget in documents mode, and two calls only that page makes
//! with the same token: who receives the documents (`/app/session`) and how
//! the latest retrieval is going, file by file (`/app/progress`). The
//! Documents API's own calls (`/api/institutions`, `/api/connections`) do
//! the rest.

use crate::dialects::documents_api::errors::ApiError;
use crate::error::Error;
use crate::services::documents;
use crate::services::documents_progress::{self, FailureReason};
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

/// `/callback/documents`'s answer, on its way straight back to the app
/// (which tells how it went from the retrieval itself, in the end user's
/// language): the caller's line, in both languages since nothing at the
/// portal's return knows the user's.
pub fn returning_page(title: &str, text: &str, back: &str) -> String {
    pages::render(
        "returning.html",
        crate::web::lang::Locale::PtBr,
        &Brand::unknown(),
        title,
        "",
        minijinja::context! { text => text, back => back },
    )
    .html
}

/// Who receives the documents, as the app's first screen tells it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppSession {
    client_name: String,
    logo_url: Option<String>,
    primary_color: Option<String>,
    privacy_policy_url: Option<String>,
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
    Ok(Json(AppSession {
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
        reason: match row.status.as_str() {
            ponte_store::RETRIEVAL_EXPIRED => Some("expired"),
            _ => FailureReason::of(&row).map(FailureReason::as_str),
        },
        id: row.id,
        institution_code: row.institution_code,
        status: row.status,
        files: files
            .into_iter()
            .map(|f| AppFile {
                total_size_bytes: f
                    .size_bytes
                    .filter(|_| f.status == ponte_store::FILE_SUCCESS),
                file_name: f.file_name,
                status: f.status,
            })
            .collect(),
    })
    .into_response())
}
