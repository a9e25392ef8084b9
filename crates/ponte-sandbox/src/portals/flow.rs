//! The sign-in journey: login, one-time code, share or decline.
//!
//! A login transaction ("txn") is a row whose step moves login → (otp) →
//! approve → done by compare-and-set, so each page is submitted once and a
//! finished journey cannot be replayed. The code's exchange is in `token`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use super::api::{portal, ApiError};
use super::catalogue::PortalInfo;
use super::pages::{self, Ctx, Lang};
use super::store::Grant;
use super::{document_types, PortalState};
use crate::flow::credentials_ok;
use crate::messages;
use crate::util::{random_token, Params};

const TXN_TTL_MS: i64 = 15 * 60 * 1000;
const CODE_TTL_MS: i64 = 60 * 1000;
const OTP: &str = "123456";

fn page(status: StatusCode, html: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

fn fail(
    st: &PortalState,
    p: &PortalInfo,
    lang: Lang,
    status: StatusCode,
    kind: &str,
    msg: &str,
) -> Response {
    page(status, pages::error(p, &st.path(p), lang, kind, msg))
}

/// A refused step's message: the page's own language.
fn used(st: &PortalState, p: &PortalInfo, lang: Lang) -> Response {
    fail(
        st,
        p,
        lang,
        StatusCode::BAD_REQUEST,
        "expired",
        &messages::text(lang, "portal-error-used", &[]),
    )
}

/// The origin (scheme, host, port) of a URL, when it has one.
fn origin(u: &str) -> Option<String> {
    let u = url::Url::parse(u).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.origin().ascii_serialization())
}

pub async fn start(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let p = match portal(&code) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let params = match Params::parse(query.unwrap_or_default().as_bytes()) {
        Ok(params) => params,
        Err(m) => return fail(&st, p, Lang::PtBr, StatusCode::BAD_REQUEST, "request", &m),
    };
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(params.get("ui_locales"), accept);
    let bad = |msg: &str| fail(&st, p, lang, StatusCode::BAD_REQUEST, "request", msg);
    let (Some(client_id), Some(redirect_uri), Some(state)) = (
        params.get("client_id"),
        params.get("redirect_uri"),
        params.get("state"),
    ) else {
        return bad("client_id, redirect_uri and state are required");
    };
    let Some(client) = st.clients.iter().find(|c| c.client_id == client_id) else {
        return bad("unknown client_id");
    };
    // Never send the browser to an address the client did not register.
    let wanted = origin(redirect_uri);
    if wanted.is_none() || !client.redirect_uris.iter().any(|r| origin(r) == wanted) {
        return bad("redirect_uri is not registered for this client");
    }
    let txn = random_token();
    let grant = Grant {
        client_id: client_id.to_string(),
        redirect_uri: redirect_uri.to_string(),
        state: state.to_string(),
        step: "login".into(),
        username: None,
    };
    if let Err(e) = st
        .store
        .insert("txn", &txn, p.code, &grant, TXN_TTL_MS)
        .await
    {
        return ApiError::internal(e).into_response();
    }
    let path = st.path(p);
    let c = Ctx {
        portal: p,
        path: &path,
        txn: &txn,
        lang,
    };
    page(StatusCode::OK, pages::login(&c, None))
}

/// The live transaction the form names, at step `step`.
#[allow(clippy::result_large_err)] // a page answer, built once per request
async fn txn_at(
    st: &PortalState,
    p: &PortalInfo,
    params: &Params,
    step: &str,
) -> Result<(String, Grant), Response> {
    let lang = Lang::from_form(params.get("lang"));
    let expired = || {
        fail(
            st,
            p,
            lang,
            StatusCode::BAD_REQUEST,
            "expired",
            &messages::text(lang, "portal-error-expired", &[]),
        )
    };
    let txn = params.get("txn").ok_or_else(expired)?.to_string();
    let grant = st
        .store
        .get("txn", p.code, &txn)
        .await
        .map_err(|e| ApiError::internal(e).into_response())?
        .filter(|g| g.step == step)
        .ok_or_else(expired)?;
    Ok((txn, grant))
}

/// The posted form, or the error page that says why it cannot be read.
/// A posted step of the sign-in: its portal, its form and its transaction.
struct Posted {
    p: &'static PortalInfo,
    params: Params,
    txn: String,
    grant: Grant,
}

/// Reads a posted step (`login`, `otp`, `approve`) of the sign-in, or the
/// page that says why it cannot go on.
async fn posted(
    st: &PortalState,
    code: &str,
    body: &Bytes,
    step: &str,
) -> Result<Posted, Response> {
    let p = portal(code).map_err(IntoResponse::into_response)?;
    let params = Params::parse(body)
        .map_err(|m| fail(st, p, Lang::PtBr, StatusCode::BAD_REQUEST, "request", &m))?;
    let (txn, grant) = txn_at(st, p, &params, step).await?;
    Ok(Posted {
        p,
        params,
        txn,
        grant,
    })
}

pub async fn login(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let Posted { p, params, txn, .. } = match posted(&st, &code, &body, "login").await {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let path = st.path(p);
    let lang = Lang::from_form(params.get("lang"));
    let c = Ctx {
        portal: p,
        path: &path,
        txn: &txn,
        lang,
    };
    if params.get("switch").is_some() {
        return page(StatusCode::OK, pages::login(&c, None));
    }
    let username = params.get("username").unwrap_or("").trim().to_string();
    let password = params.get("password").unwrap_or("");
    if username == "user_locked" {
        let msg = pages::login_error(lang, "locked");
        return page(
            StatusCode::FORBIDDEN,
            pages::login(&c, Some(("locked", &msg))),
        );
    }
    if !credentials_ok(&username, password) {
        let msg = pages::login_error(lang, "credentials");
        return page(
            StatusCode::UNAUTHORIZED,
            pages::login(&c, Some(("credentials", &msg))),
        );
    }
    let next = if username == "user_mfa" {
        "otp"
    } else {
        "approve"
    };
    match st
        .store
        .advance("txn", p.code, &txn, "login", next, Some(&username))
        .await
    {
        Ok(true) => {}
        Ok(false) => return used(&st, p, lang),
        Err(e) => return ApiError::internal(e).into_response(),
    }
    let html = if next == "otp" {
        pages::otp(&c, None)
    } else {
        pages::approve(&c, document_types(p), username == "user_deny")
    };
    page(StatusCode::OK, html)
}

pub async fn otp(State(st): State<PortalState>, Path(code): Path<String>, body: Bytes) -> Response {
    let Posted {
        p,
        params,
        txn,
        grant,
    } = match posted(&st, &code, &body, "otp").await {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let path = st.path(p);
    let lang = Lang::from_form(params.get("lang"));
    let c = Ctx {
        portal: p,
        path: &path,
        txn: &txn,
        lang,
    };
    if params.get("switch").is_some() {
        return page(StatusCode::OK, pages::otp(&c, None));
    }
    let given = params.get("otp").unwrap_or("").trim();
    if given.as_bytes().ct_eq(OTP.as_bytes()).unwrap_u8() != 1 {
        let msg = pages::otp_error(lang);
        return page(
            StatusCode::UNAUTHORIZED,
            pages::otp(&c, Some(("otp", &msg))),
        );
    }
    match st
        .store
        .advance("txn", p.code, &txn, "otp", "approve", None)
        .await
    {
        Ok(true) => {}
        Ok(false) => return used(&st, p, lang),
        Err(e) => return ApiError::internal(e).into_response(),
    }
    let deny = grant.username.as_deref() == Some("user_deny");
    page(StatusCode::OK, pages::approve(&c, document_types(p), deny))
}

/// "Cancel and go back to the app": the journey ends unshared, and the app
/// learns why in a word it knows (`error_description`).
pub async fn cancel(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let p = match portal(&code) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let params = match Params::parse(query.unwrap_or_default().as_bytes()) {
        Ok(params) => params,
        Err(m) => return fail(&st, p, Lang::PtBr, StatusCode::BAD_REQUEST, "request", &m),
    };
    let lang = Lang::from_form(params.get("lang"));
    let Some(txn) = params.get("txn") else {
        return used(&st, p, lang);
    };
    let grant = match st.store.get("txn", p.code, txn).await {
        Ok(Some(g)) if g.step != "done" => g,
        Ok(_) => return used(&st, p, lang),
        Err(e) => return ApiError::internal(e).into_response(),
    };
    match st
        .store
        .advance("txn", p.code, txn, &grant.step, "done", None)
        .await
    {
        Ok(true) => {}
        Ok(false) => return used(&st, p, lang),
        Err(e) => return ApiError::internal(e).into_response(),
    }
    let why = match params.get("why") {
        Some("locked") => "account_locked",
        Some("credentials") => "invalid_credentials",
        _ => "user_cancelled",
    };
    tracing::info!(portal = p.code, why, "portal sign-in cancelled");
    back_to_client(
        &grant.redirect_uri,
        &[
            ("error", "access_denied"),
            ("error_description", why),
            ("state", &grant.state),
        ],
    )
}

fn back_to_client(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    match url::Url::parse(redirect_uri) {
        Ok(mut u) => {
            u.query_pairs_mut().extend_pairs(pairs);
            Redirect::to(u.as_str()).into_response()
        }
        Err(_) => ApiError::internal("stored redirect_uri no longer parses").into_response(),
    }
}

pub async fn decision(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let Posted {
        p,
        params,
        txn,
        grant,
    } = match posted(&st, &code, &body, "approve").await {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let lang = Lang::from_form(params.get("lang"));
    let username = grant.username.clone().unwrap_or_default();
    if params.get("switch").is_some() {
        let path = st.path(p);
        let c = Ctx {
            portal: p,
            path: &path,
            txn: &txn,
            lang,
        };
        return page(
            StatusCode::OK,
            pages::approve(&c, document_types(p), username == "user_deny"),
        );
    }
    let approve = params.get("decision") == Some("approve") && username != "user_deny";
    match st
        .store
        .advance("txn", p.code, &txn, "approve", "done", None)
        .await
    {
        Ok(true) => {}
        Ok(false) => return used(&st, p, lang),
        Err(e) => return ApiError::internal(e).into_response(),
    }
    if !approve {
        tracing::info!(portal = p.code, "portal sharing declined");
        return back_to_client(
            &grant.redirect_uri,
            &[("error", "access_denied"), ("state", &grant.state)],
        );
    }
    let auth_code = random_token();
    let code_grant = Grant {
        step: "issued".into(),
        ..grant.clone()
    };
    if let Err(e) = st
        .store
        .insert("code", &auth_code, p.code, &code_grant, CODE_TTL_MS)
        .await
    {
        return ApiError::internal(e).into_response();
    }
    back_to_client(
        &grant.redirect_uri,
        &[("code", &auth_code), ("state", &grant.state)],
    )
}
