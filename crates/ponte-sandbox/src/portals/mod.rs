//! Synthetic document portals: a bank, a brokerage and a crypto platform, each
//! a website of its own where the end user signs in, and an HTTP documents API
//! that lists and serves the user's statements and tax forms as PDFs.
//!
//! Ponte's connector drives them like a real portal, over HTTP only:
//! 1. `GET  {portal}` describes the portal and its endpoints (JSON).
//! 2. The end user's browser goes to `GET {portal}/login?client_id=…&redirect_uri=…&state=…`
//!    and walks the pages: sign in, one-time code for `user_mfa` (`123456`),
//!    then share or decline. The pages follow the banks' conventions for
//!    headless drivers: each `<form>` has `data-step` ("login", "otp",
//!    "approve"), a root-relative `action` and a hidden `txn`; errors show in
//!    an element with `data-error`.
//! 3. The portal sends the browser to `redirect_uri?code=…&state=…`
//!    (`?error=access_denied&state=…` when declined, as `user_deny` always does;
//!    "Cancel and go back to the app", `GET {portal}/cancel?txn=…`, adds
//!    `error_description`: `account_locked`, `invalid_credentials` after a
//!    refused sign-in, else `user_cancelled`). The pages speak pt-BR unless
//!    `ui_locales` or `Accept-Language` asks for English, with a switch.
//! 4. `POST {portal}/token` (`grant_type=authorization_code`, `code`,
//!    `redirect_uri`; client credentials by HTTP Basic or in the form) answers
//!    `{"access_token","token_type":"Bearer","expires_in"}`. Codes are
//!    single-use and live 60 s.
//! 5. `GET {portal}/api/documents` with the bearer token lists
//!    `{"documents":[{"id","kind","title","year","period","file_name","content_type","size"}]}`;
//!    `GET {portal}/api/documents/{id}` serves the PDF, `size` bytes exactly.
//!    A bank lists the last two complete tax years and the current year's
//!    statement of every month that has ended, so a new statement appears
//!    as each month closes; a session stays valid for 90 days, so a
//!    connection can be read again later (Ponte's scheduled refresh).
//! 6. Test hook: `PUT {portal}/_test/clock {"offsetMs"}` with the session's
//!    token moves that session's time ahead (Ponte's sandbox test clocks).
//!
//! The OAuth clients are the sandbox's (`SandboxConfig.clients`); a redirect URI
//! is accepted when it is on the origin of one of the client's registered
//! redirect URIs, so one registration serves the banks and the portals.
//!
//! Users are the sandbox's: `user_locked` is refused at login, other unknown
//! names or a wrong password too; `user_big` holds five tax years instead of
//! two; `user_flaky` gets a 500 for the first two downloads of each document in
//! a session, and always for the latest year-end summary, so a retrieval meets
//! both a transient and a permanent failure.

mod api;
pub mod catalogue;
mod flow;
mod pages;
mod store;
mod token;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::SandboxClient;
use catalogue::PortalInfo;
pub(crate) use store::PortalStore;

#[derive(Clone)]
pub(crate) struct PortalState {
    /// `SandboxConfig.base_url`; portal `{code}` lives at `{base_url}/portals/{code}`.
    pub base_url: Arc<str>,
    /// Path part of `base_url`, for root-relative form actions.
    pub base_path: Arc<str>,
    pub clients: Arc<Vec<SandboxClient>>,
    pub store: PortalStore,
}

impl PortalState {
    pub fn url(&self, portal: &PortalInfo) -> String {
        format!("{}/portals/{}", self.base_url, portal.code)
    }

    pub fn path(&self, portal: &PortalInfo) -> String {
        format!("{}/portals/{}", self.base_path, portal.code)
    }
}

/// The portals' routes, to be nested at `/portals` of the sandbox router.
pub(crate) fn router(state: PortalState) -> Router {
    Router::new()
        .route("/", get(list))
        .route("/{code}", get(describe))
        .route("/{code}/avatar.svg", get(avatar))
        .route("/{code}/login", get(flow::start).post(flow::login))
        .route("/{code}/otp", post(flow::otp))
        .route("/{code}/cancel", get(flow::cancel))
        .route("/{code}/decision", post(flow::decision))
        .route("/{code}/token", post(token::token))
        .route("/{code}/api/documents", get(api::list))
        .route("/{code}/api/documents/{id}", get(api::download))
        .route("/{code}/_test/clock", axum::routing::put(api::set_clock))
        .fallback(|| async { api::ApiError::not_found("no such endpoint") })
        .with_state(state)
}

fn document_types(p: &PortalInfo) -> &'static [&'static str] {
    match p.kind {
        catalogue::PortalKind::Bank => &["bank_statement", "1099_int", "year_end_summary"],
        catalogue::PortalKind::Brokerage => &["1099_div", "1099_b", "year_end_summary"],
        catalogue::PortalKind::Crypto => &["1099_b", "year_end_summary"],
    }
}

fn description(st: &PortalState, p: &PortalInfo) -> serde_json::Value {
    let url = st.url(p);
    json!({
        "code": p.code,
        "name": p.name,
        "kind": p.kind,
        "document_types": document_types(p),
        "avatar": format!("{url}/avatar.svg"),
        "login_url": format!("{url}/login"),
        "token_url": format!("{url}/token"),
        "documents_url": format!("{url}/api/documents"),
    })
}

async fn list(State(st): State<PortalState>) -> Json<serde_json::Value> {
    let all: Vec<_> = catalogue::portals()
        .iter()
        .map(|p| description(&st, p))
        .collect();
    Json(json!({ "portals": all }))
}

async fn describe(
    State(st): State<PortalState>,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, api::ApiError> {
    let p = api::portal(&code)?;
    Ok(Json(description(&st, p)))
}

async fn avatar(Path(code): Path<String>) -> Result<Response, api::ApiError> {
    let p = api::portal(&code)?;
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-label="{name}"><title>{name}</title><rect width="96" height="96" rx="20" fill="{bg}"/><text x="48" y="50" dominant-baseline="middle" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="36" font-weight="700" fill="#ffffff">{ini}</text></svg>"##,
        name = html_escape::encode_double_quoted_attribute(p.name),
        bg = p.brand_color,
        ini = html_escape::encode_text(&catalogue::initials(p.name)),
    );
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

/// What a portal lists for `username` at `now_ms` (what a session on that
/// clock sees), in its order: each document's id and file name.
pub fn documents_listed_at(
    portal_code: &str,
    username: &str,
    now_ms: i64,
) -> Vec<(String, String)> {
    catalogue::find(portal_code)
        .map(|p| {
            crate::documents::held_at(p, username, now_ms)
                .iter()
                .map(|d| (d.id(), d.file_name()))
                .collect()
        })
        .unwrap_or_default()
}

/// The PDF a portal serves as `document_id` to `username`, or `None` when
/// the portal has no such document (unknown portal, id or kind).
pub fn document_pdf(portal_code: &str, username: &str, document_id: &str) -> Option<Vec<u8>> {
    let portal = catalogue::find(portal_code)?;
    let doc = crate::documents::DocumentRef::parse(document_id)?;
    crate::documents::render(portal, username, doc)
}
