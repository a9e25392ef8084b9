//! `/me`: the end user's own page of connected banks, with revocation. The
//! app opens `/me?ticket=…` (a ticket from its backend); the ticket is spent
//! at once into a session kept in an HttpOnly, SameSite=Strict cookie, and
//! the browser is sent on to `/me` so the ticket leaves the address bar.
//! A revocation is a confirmation page and a form post carrying a token tied
//! to the session. Server-rendered, no script (see `me_html`).

use super::envelope::ApiError;
use super::me_html::{self, Lang, Notice, Phrase};
use super::{auth, connections};
use crate::error::Error;
use crate::http::extract::{Path, Query};
use crate::services::sessions;
use crate::tokens::{Bearer, END_USER_SESSION_TTL_SECS};
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

pub const COOKIE: &str = "ponte_me";

#[derive(Deserialize)]
pub struct PageQuery {
    ticket: Option<String>,
    lang: Option<String>,
    revoked: Option<String>,
    /// Set by the widget when the end user comes back from adding a bank.
    status: Option<String>,
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Default, Deserialize)]
struct RevokeForm {
    csrf: Option<String>,
    lang: Option<String>,
}

/// Headers every answer of this page carries.
pub(super) fn shaped(status: StatusCode, html: String) -> Response {
    let mut resp = (status, Html(html)).into_response();
    let h = resp.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&me_html::CSP) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

pub(super) fn problem(lang: Lang, status: StatusCode, phrase: Phrase) -> Response {
    shaped(status, me_html::problem(lang, phrase))
}

/// What a refusal means on this page.
pub(super) fn refused(lang: Lang, e: ApiError) -> Response {
    match e {
        ApiError::Header(_) | ApiError::Token(..) | ApiError::Core(Error::Token(_)) => {
            problem(lang, StatusCode::UNAUTHORIZED, Phrase::SessionEnded)
        }
        ApiError::Core(Error::NotFound(_)) => {
            problem(lang, StatusCode::NOT_FOUND, Phrase::NotFound)
        }
        ApiError::Core(Error::Internal(err)) => {
            tracing::error!(error = ?err, "the /me page failed");
            problem(lang, StatusCode::INTERNAL_SERVER_ERROR, Phrase::Refused)
        }
        _ => problem(lang, StatusCode::BAD_REQUEST, Phrase::Refused),
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The signed-in end user: the page's cookie, or an `Authorization: Bearer`
/// access token (an app's web view may send that instead).
pub(super) async fn who(app: &App, headers: &HeaderMap) -> Result<Bearer, ApiError> {
    match cookie_token(headers) {
        Some(token) => auth::end_user_token(app, &token).await,
        None => auth::end_user(app, headers).await,
    }
}

pub(super) fn csrf_text(who: &Bearer) -> String {
    format!("me-csrf/{}", who.session_id.as_deref().unwrap_or_default())
}

#[utoipa::path(get, path = "/me", tag = "Server API: Connections",
    summary = "The user's own page of connected banks (pt-BR, `?lang=en` for English)",
    description = "Open it as `/me?ticket=<auth ticket>`: the ticket is spent into a session cookie and the browser sent on to `/me`. Lists each bank with what it shares and until when, with a revoke button and a confirmation step. No script; a strict Content-Security-Policy.",
    params(("ticket" = Option<String>, Query, description = "An auth ticket from `POST /v1/server/auth_ticket/request`"), ("lang" = Option<String>, Query, description = "`en` for English; Portuguese otherwise")),
    security(()),
    responses((status = 200, description = "The page", content_type = "text/html", body = String), (status = 303, description = "The ticket was spent: on to `/me` with the session cookie"), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let lang = Lang::from_query(q.lang.as_deref());
    if let Some(ticket) = q.ticket.as_deref() {
        return match sessions::open_with_ticket(&app, ticket).await {
            Ok(session) => {
                let secure = if app.public_url.starts_with("https://") {
                    "; Secure"
                } else {
                    ""
                };
                let cookie = format!(
                    "{COOKIE}={}; Path=/me; Max-Age={END_USER_SESSION_TTL_SECS}; HttpOnly; SameSite=Strict{secure}",
                    session.access_token
                );
                let mut resp = Redirect::to(&format!("/me{}", lang.query())).into_response();
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    resp.headers_mut().insert(header::SET_COOKIE, v);
                }
                resp.headers_mut().insert(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                );
                resp
            }
            Err(e) => refused(lang, ApiError::Core(e)),
        };
    }
    let notice = if q.revoked.is_some() {
        Notice::Revoked
    } else if q.status.as_deref() == Some("AUTHORISED") {
        Notice::Added
    } else {
        Notice::None
    };
    list_page(&app, &headers, lang, notice, StatusCode::OK).await
}

/// The list page for the signed-in end user, with `notice` above the list.
pub(super) async fn list_page(
    app: &App,
    headers: &HeaderMap,
    lang: Lang,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let result = async {
        let who = who(app, headers).await?;
        let list = connections::list(app, &who).await?;
        Ok::<_, ApiError>((list, app.crypto.hash_secret(&csrf_text(&who))))
    }
    .await;
    match result {
        Ok((list, csrf)) => shaped(status, me_html::list(lang, &list, notice, &csrf)),
        Err(e) => refused(lang, e),
    }
}

#[utoipa::path(get, path = "/me/connections/{consentId}/revoke", tag = "Server API: Connections",
    summary = "The confirmation step before revoking a connection",
    params(("consentId" = String, Path, description = "The connection"), ("lang" = Option<String>, Query, description = "`en` for English")),
    security(()),
    responses((status = 200, description = "The page", content_type = "text/html", body = String), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn confirm(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = Lang::from_query(q.lang.as_deref());
    let result = async {
        let who = who(&app, &headers).await?;
        let list = connections::list(&app, &who).await?;
        let connection = list
            .into_iter()
            .find(|c| c.consent_id == consent_id)
            .ok_or(ApiError::Core(Error::NotFound("connection")))?;
        let csrf = app.crypto.hash_secret(&csrf_text(&who));
        Ok::<_, ApiError>(me_html::confirm(lang, &connection, &csrf))
    }
    .await;
    match result {
        Ok(html) => shaped(StatusCode::OK, html),
        Err(e) => refused(lang, e),
    }
}

#[utoipa::path(post, path = "/me/connections/{consentId}/revoke", tag = "Server API: Connections",
    summary = "Revoke a connection (the confirmation page's form)",
    params(("consentId" = String, Path, description = "The connection")),
    security(()),
    responses((status = 303, description = "Revoked: back to `/me`"), (status = 403, description = "The form did not come from the confirmation page", content_type = "text/html", body = String), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn revoke(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    body: Bytes,
) -> Response {
    let form: RevokeForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let lang = Lang::from_query(form.lang.as_deref());
    let who = match who(&app, &headers).await {
        Ok(who) => who,
        Err(e) => return refused(lang, e),
    };
    // The cookie is SameSite=Strict already; the token also stops a post
    // from any page that is not our confirmation.
    let csrf = form.csrf.unwrap_or_default();
    if !app.crypto.secret_matches(&csrf_text(&who), &csrf) {
        return problem(lang, StatusCode::FORBIDDEN, Phrase::Refused);
    }
    match connections::revoke(&app, &who, &consent_id).await {
        Ok(_) => {
            let sep = if lang == Lang::En { "&" } else { "?" };
            Redirect::to(&format!("/me{}{sep}revoked=1", lang.query())).into_response()
        }
        Err(e) => refused(lang, e.into()),
    }
}
