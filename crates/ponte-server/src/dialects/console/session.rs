//! Console sign-in and sessions: an HttpOnly, SameSite=Strict cookie scoped
//! to `/console` (Secure when the public URL is https), and a CSRF token the
//! page sends back in `X-CSRF-Token` on every change. The token is the
//! session's own (compared with what the server stored, not merely with a
//! second cookie), and is also in a readable cookie so a reloaded page can
//! pick it up.

use super::extract::{JsonBody, SameSite};
use super::ConsoleError;
use crate::clock::rfc3339;
use crate::http::extract::Body;
use crate::http::listener::Peer;
use crate::services::console::{self, NewSession, Role, Session};
use crate::App;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ponte_core::{ClientId, FieldError};
use serde::Deserialize;
use serde_json::{json, Value};

pub const SESSION_COOKIE: &str = "ponte_console";
pub const CSRF_COOKIE: &str = "ponte_console_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A cookie's value from the request, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
}

/// A signed-in request. Changing methods have passed the CSRF check.
pub struct Console {
    pub session: Session,
    /// The client this request acts for: the user's own, or for an
    /// operator the `clientId` query parameter.
    client: Option<ClientId>,
}

impl Console {
    pub fn client(&self) -> Result<&ClientId, ConsoleError> {
        self.client.as_ref().ok_or_else(|| {
            FieldError::new("clientId", "an operator names the client to act for").into()
        })
    }
}

impl FromRequestParts<App> for Console {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ConsoleError> {
        let value = cookie(&parts.headers, SESSION_COOKIE).ok_or(ConsoleError::SignedOut)?;
        let session = console::session(app, value)
            .await?
            .ok_or(ConsoleError::SignedOut)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let ok = sent.len() == session.csrf_token.len()
                && bool::from(subtle::ConstantTimeEq::ct_eq(
                    sent.as_bytes(),
                    session.csrf_token.as_bytes(),
                ));
            if !ok {
                tracing::info!(console_user_id = %session.user.id, "console change refused: no CSRF token");
                return Err(ConsoleError::Csrf);
            }
        }
        let client = match &session.user.role {
            // A client's user always acts for its own client: a `clientId`
            // it sends is ignored, so another client's objects stay 404.
            Role::Client(c) => Some(c.clone()),
            Role::Operator => match operator_choice(parts) {
                Some(id) => Some(existing_client(app, id).await?),
                None => None,
            },
        };
        Ok(Console { session, client })
    }
}

/// The client an operator picked, from the `clientId` query parameter.
fn operator_choice(parts: &Parts) -> Option<String> {
    parts.uri.query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "clientId")
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

/// An operator's pick must name a client: otherwise every page would
/// show an empty client rather than say the id is wrong.
async fn existing_client(app: &App, id: String) -> Result<ClientId, ConsoleError> {
    let mut conn = app.store.read().await?;
    match ponte_store::client_by_id(&mut conn, &id).await? {
        Some(row) => Ok(ClientId::from_trusted(row.id)),
        None => Err(crate::Error::NotFound("client").into()),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct SignIn {
    email: Option<String>,
    password: Option<String>,
}

fn required<'a>(v: &'a Option<String>, field: &str) -> Result<&'a str, ConsoleError> {
    crate::services::text(v).ok_or_else(|| FieldError::new(field.to_string(), "is required").into())
}

pub(super) async fn sign_in(
    State(app): State<App>,
    Peer(from): Peer,
    _: SameSite,
    Body(req, _): JsonBody<SignIn>,
) -> Result<Response, ConsoleError> {
    let email = required(&req.email, "email")?;
    let password = req.password.as_deref().unwrap_or("");
    if password.is_empty() {
        return Err(FieldError::new("password", "is required").into());
    }
    let session = console::sign_in(&app, from, email, password).await?;
    Ok(signed_in(&app, session))
}

#[derive(Deserialize, Default)]
pub(super) struct LinkSignIn {
    token: Option<String>,
}

pub(super) async fn sign_in_with_link(
    State(app): State<App>,
    Peer(from): Peer,
    _: SameSite,
    Body(req, _): JsonBody<LinkSignIn>,
) -> Result<Response, ConsoleError> {
    let token = required(&req.token, "token")?;
    let session = console::redeem_sign_in_link(&app, from, token).await?;
    Ok(signed_in(&app, session))
}

fn secure(app: &App) -> &'static str {
    if app.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

fn set_cookie(resp: &mut Response, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn signed_in(app: &App, s: NewSession) -> Response {
    let max_age = console::SESSION_TTL_MS / 1000;
    let body = json!({
        "user": user_json(&s.user),
        "csrfToken": s.csrf_token,
        "expiresAt": rfc3339(s.expires_at),
    });
    let mut resp = no_store(Json(body).into_response());
    set_cookie(
        &mut resp,
        format!(
            "{SESSION_COOKIE}={}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
            s.cookie,
            secure(app)
        ),
    );
    set_cookie(
        &mut resp,
        format!(
            "{CSRF_COOKIE}={}; Path=/console; SameSite=Strict; Max-Age={max_age}{}",
            s.csrf_token,
            secure(app)
        ),
    );
    resp
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

pub fn user_json(u: &console::ConsoleUser) -> Value {
    let (role, client) = match &u.role {
        Role::Client(c) => ("client", Some(c.to_string())),
        Role::Operator => ("operator", None),
    };
    json!({"id": u.id, "email": u.email, "role": role, "clientId": client})
}

pub(super) async fn current(State(app): State<App>, c: Console) -> Response {
    no_store(
        Json(json!({
            "user": user_json(&c.session.user),
            "csrfToken": c.session.csrf_token,
            "expiresAt": rfc3339(c.session.expires_at),
            "sandbox": app.config.sandbox,
        }))
        .into_response(),
    )
}

pub(super) async fn sign_out(State(app): State<App>, c: Console) -> Result<Response, ConsoleError> {
    console::sign_out(&app, &c.session).await?;
    let mut resp = no_store(Json(json!({"signedOut": true})).into_response());
    for name in [SESSION_COOKIE, CSRF_COOKIE] {
        set_cookie(
            &mut resp,
            format!(
                "{name}=; Path=/console; Max-Age=0; SameSite=Strict{}",
                secure(&app)
            ),
        );
    }
    Ok(resp)
}
