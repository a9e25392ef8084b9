//! `/me`: the end user's own page of connected banks, with revocation. The
//! app opens `/me?ticket=…` (a ticket from its backend); the ticket is spent
//! at once into a session kept in an HttpOnly, SameSite=Strict cookie, and
//! the browser is sent on to `/me` so the ticket leaves the address bar.
//! A revocation is a confirmation page and a form post carrying a token tied
//! to the session. Server-rendered from templates in the client's brand, no
//! script (see `web::me_pages`); the language follows `web::lang`'s rule.

use super::envelope::ApiError;
use super::wire::Connection;
use super::{auth, connections};
use crate::error::Error;
use crate::http::extract::{Path, Query};
use crate::services::{client_locale, console_data, documents_progress, end_users, sessions};
use crate::tokens::{Bearer, END_USER_SESSION_TTL_SECS};
use crate::web::lang::{self, Lang};
use crate::web::me_pages::{self, MeConnection, Notice, Problem};
use crate::web::pages::{Brand, Page};
use crate::App;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub const COOKIE: &str = "ponte_me";

#[derive(Deserialize)]
pub struct PageQuery {
    ticket: Option<String>,
    lang: Option<String>,
    revoked: Option<String>,
    /// Set by the widget when the end user comes back from adding a bank.
    status: Option<String>,
    /// Set by a renewal: `renewed` without a redirect, `renewal` by the widget.
    renewed: Option<String>,
    renewal: Option<String>,
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct RevokeForm {
    csrf: Option<String>,
}

/// A form's fields; a body that is no form (wrong type, broken encoding)
/// reads as an empty one, which then fails the CSRF check with a page that
/// says so rather than axum's plain-text refusal.
pub(super) fn fields<T: Default>(form: Result<Form<T>, FormRejection>) -> T {
    match form {
        Ok(Form(fields)) => fields,
        Err(e) => {
            tracing::info!(error = %e, "a /me form that is no form");
            T::default()
        }
    }
}

/// The page's language: `?lang=` (the switch), the remembered choice, then
/// the client's locale (`ponte clients update --locale`; `/me` belongs to
/// no link) once the signed-in end user tells whose page it is, the
/// browser's, pt-BR.
pub(super) async fn page_lang(
    app: &App,
    asked: Option<&str>,
    headers: &HeaderMap,
    who: Option<&Bearer>,
) -> Lang {
    let client = match who {
        Some(who) => client_locale::of(app, who.client_id.as_str())
            .await
            .unwrap_or_else(|e| {
                // The page still works in the browser's language.
                tracing::warn!(error = %e, "the /me page could not read the client's locale");
                None
            }),
        None => None,
    };
    lang::resolve(asked, headers, client)
}

/// A page, with the headers every answer of `/me` carries.
pub(super) fn shaped(app: &App, status: StatusCode, lang: Lang, page: Page) -> Response {
    page.respond(status, lang, app.public_url.starts_with("https://"))
}

/// The client's brand, as the widget shows it; Ponte's own look when it
/// cannot be read (the page still works).
pub(super) async fn brand(app: &App, who: &Bearer) -> Brand {
    match documents_progress::recipient(app, who.client_id.as_str()).await {
        Ok(r) => Brand::new(r.name, r.logo_url, r.primary_color, r.privacy_policy_url),
        Err(e) => {
            tracing::warn!(error = %e, "the /me page could not read the client's brand");
            Brand::unknown()
        }
    }
}

pub(super) fn problem(app: &App, lang: Lang, status: StatusCode, why: Problem) -> Response {
    let brand = Brand::unknown();
    shaped(
        app,
        status,
        lang,
        me_pages::problem(lang.locale, &brand, why),
    )
}

/// What a refusal means on this page.
pub(super) fn refused(app: &App, lang: Lang, e: ApiError) -> Response {
    match e {
        ApiError::Header(_) | ApiError::Token(..) | ApiError::Core(Error::Token(_)) => {
            problem(app, lang, StatusCode::UNAUTHORIZED, Problem::SessionEnded)
        }
        ApiError::Core(Error::NotFound(_)) => {
            problem(app, lang, StatusCode::NOT_FOUND, Problem::NotFound)
        }
        ApiError::Core(Error::Internal(err)) => {
            tracing::error!(error = ?err, "the /me page failed");
            problem(
                app,
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                Problem::Refused,
            )
        }
        _ => problem(app, lang, StatusCode::BAD_REQUEST, Problem::Refused),
    }
}

fn shown(c: &Connection, renew_days: Option<i64>) -> MeConnection<'_> {
    MeConnection {
        consent_id: &c.consent_id,
        bank: &c.institution.name,
        bank_logo: &c.institution.avatar,
        status: c.status,
        products: &c.products,
        expiry: c.expiry,
        renew_days,
    }
}

/// The end user's CPF as they gave it before (sealed in their profile),
/// masked for the page; `None` until they have added a bank.
pub(super) async fn known_cpf(app: &App, who: &Bearer) -> Option<String> {
    let id = who.end_user_id.as_ref()?;
    let user = end_users::find(app, &who.client_id, id.as_str())
        .await
        .ok()?;
    user.profile
        .personal_tax_id
        .map(|cpf| console_data::mask_tax_id(&cpf))
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

/// The end user behind one of `/me`'s forms: signed in, and the form's CSRF
/// token is the page's (else the page that says why), with the language
/// the answer speaks (`asked`: the form's own choice, if it carries one).
pub(super) async fn form_user(
    app: &App,
    headers: &HeaderMap,
    csrf: Option<String>,
    asked: Option<&str>,
) -> Result<(Bearer, Lang), Response> {
    let who = match who(app, headers).await {
        Ok(who) => who,
        Err(e) => return Err(refused(app, page_lang(app, asked, headers, None).await, e)),
    };
    let lang = page_lang(app, asked, headers, Some(&who)).await;
    if !app
        .crypto
        .secret_matches(&csrf_text(&who), &csrf.unwrap_or_default())
    {
        return Err(problem(app, lang, StatusCode::FORBIDDEN, Problem::Refused));
    }
    Ok((who, lang))
}

pub(super) fn csrf_text(who: &Bearer) -> String {
    format!("me-csrf/{}", who.session_id.as_deref().unwrap_or_default())
}

#[utoipa::path(get, path = "/me", tag = "Server API: Connections",
    summary = "The user's own page of connected banks, in the client's brand",
    description = "Open it as `/me?ticket=<auth ticket>`: the ticket is spent into a session cookie and the browser sent on to `/me`. Lists each bank with what it shares and until when, with a revoke button and a confirmation step. No script; a strict Content-Security-Policy.",
    params(("ticket" = Option<String>, Query, description = "An auth ticket from `POST /v1/server/auth_ticket/request`"), ("lang" = Option<String>, Query, description = "`en` or `pt-BR`: the page's language switch, remembered in the `ponte_lang` cookie; otherwise the remembered choice, else the client's locale (`ponte clients update --locale`), else `Accept-Language`, else pt-BR")),
    security(()),
    responses((status = 200, description = "The page", content_type = "text/html", body = String), (status = 303, description = "The ticket was spent: on to `/me` with the session cookie"), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    if let Some(ticket) = q.ticket.as_deref() {
        // A redirect: only a choice made now matters (it is remembered).
        let lang = lang::resolve(q.lang.as_deref(), &headers, None);
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
                let mut resp = Redirect::to("/me").into_response();
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    resp.headers_mut().insert(header::SET_COOKIE, v);
                }
                lang::remember(lang, !secure.is_empty(), resp.headers_mut());
                resp.headers_mut().insert(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                );
                resp
            }
            Err(e) => refused(&app, lang, ApiError::Core(e)),
        };
    }
    let notice = if q.revoked.is_some() {
        Notice::Revoked
    } else if q.renewed.is_some()
        || (q.renewal.as_deref() == Some("true") && q.status.as_deref() == Some("AUTHORISED"))
    {
        Notice::Renewed
    } else if q.status.as_deref() == Some("AUTHORISED") {
        Notice::Added
    } else {
        Notice::None
    };
    list_page(&app, &headers, q.lang.as_deref(), notice, StatusCode::OK).await
}

/// The list page for the signed-in end user, with `notice` above the list;
/// `asked` is a language chosen on this request.
pub(super) async fn list_page(
    app: &App,
    headers: &HeaderMap,
    asked: Option<&str>,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let who = match who(app, headers).await {
        Ok(who) => who,
        Err(e) => return refused(app, page_lang(app, asked, headers, None).await, e),
    };
    let lang = page_lang(app, asked, headers, Some(&who)).await;
    let result = async {
        let list = connections::list(app, &who).await?;
        Ok::<_, ApiError>((list, app.crypto.hash_secret(&csrf_text(&who))))
    }
    .await;
    match result {
        Ok((list, csrf)) => {
            let brand = brand(app, &who).await;
            let cpf = known_cpf(app, &who).await;
            let window = super::me_renew::RenewWindow::of(app, &who).await;
            let shown: Vec<MeConnection> =
                list.iter().map(|c| shown(c, window.days_left(c))).collect();
            let page = me_pages::list(lang.locale, &brand, &shown, notice, &csrf, cpf.as_deref());
            shaped(app, status, lang, page)
        }
        Err(e) => refused(app, lang, e),
    }
}

#[utoipa::path(get, path = "/me/connections/{consentId}/revoke", tag = "Server API: Connections",
    summary = "The confirmation step before revoking a connection",
    params(("consentId" = String, Path, description = "The connection"), ("lang" = Option<String>, Query, description = "`en` or `pt-BR`: the language switch (see `/me`)")),
    security(()),
    responses((status = 200, description = "The page", content_type = "text/html", body = String), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn confirm(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let asked = q.lang.as_deref();
    let who = match who(&app, &headers).await {
        Ok(who) => who,
        Err(e) => return refused(&app, page_lang(&app, asked, &headers, None).await, e),
    };
    let lang = page_lang(&app, asked, &headers, Some(&who)).await;
    let result = async {
        let list = connections::list(&app, &who).await?;
        let connection = list
            .into_iter()
            .find(|c| c.consent_id == consent_id)
            .ok_or(ApiError::Core(Error::NotFound("connection")))?;
        let csrf = app.crypto.hash_secret(&csrf_text(&who));
        Ok::<_, ApiError>((connection, csrf))
    }
    .await;
    match result {
        Ok((connection, csrf)) => {
            let brand = brand(&app, &who).await;
            let page = me_pages::confirm(lang.locale, &brand, &shown(&connection, None), &csrf);
            shaped(&app, StatusCode::OK, lang, page)
        }
        Err(e) => refused(&app, lang, e),
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
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Response {
    let form = fields(form);
    // The cookie is SameSite=Strict already; the token also stops a post
    // from any page that is not our confirmation.
    let (who, lang) = match form_user(&app, &headers, form.csrf, None).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    match connections::revoke(&app, &who, &consent_id).await {
        Ok(_) => Redirect::to("/me?revoked=1").into_response(),
        Err(e) => refused(&app, lang, e.into()),
    }
}
