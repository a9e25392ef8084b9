//! The Documents API dialect (Taiki's quickstart): the integrator's backend
//! opens a session for its end user (`POST /api/token`), the end user's app
//! connects a document portal, and Ponte posts the documents to the client's
//! webhook with download URLs valid 15 minutes. snake_case JSON; every
//! failure is `{"error":{"code","message","field"}}` (see `errors`).

pub mod docs;
pub mod errors;
pub mod events;
pub mod files;
pub mod refresh;
pub mod wire;

use crate::http::extract::{json_body, Path};
use crate::http::listener::Peer;
use crate::services::{documents, documents_sandbox};
use crate::App;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
pub use errors::failure_response;
use errors::ApiError;
use ponte_core::{ClientId, FieldError};
use std::collections::BTreeMap;
#[allow(unused_imports)] // Some are named only in the `utoipa::path` attributes.
use wire::*;

/// The name stored on the messages this dialect renders.
pub const DIALECT: &str = "documents_api";

pub static SPEC: super::Dialect = super::Dialect {
    name: DIALECT,
    title: "Documents API",
    routes,
    sandbox_routes: Some(sandbox_routes),
    failures: &[
        ("/api", failure_response),
        ("/files", failure_response),
        ("/sandbox/v1/documents", failure_response),
        // Where a portal sends the end user back: a page they read.
        (documents::CALLBACK_PATH, crate::http::failure::html_page),
    ],
    docs: docs::document,
    tags: docs::TAGS,
    webhooks: &[("documents.ready", "RetrievalWebhook", "Documents API: a retrieval ended (`success` when at least one file arrived). Carries `event`, `event_id` (the `webhook-id` header's value), `data.taiki_user_id` and your `data.metadata`. Sent to the client's webhook; each attempt carries download URLs valid 15 minutes.")],
    renderer: Some(&events::Renderer),
};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/token", post(token))
        .route("/api/institutions", get(institutions))
        .route("/api/connections", post(connect))
        .route("/api/retrievals/current", get(current))
        .route("/api/retrievals/{id}", get(retrieval))
        .route(
            "/api/retrievals/{id}/refresh",
            get(refresh::retrieval_refresh).put(refresh::set_retrieval_refresh),
        )
        .route("/api/users/{taiki_user_id}", delete(erase_user))
        .route("/files/{fileId}", get(files::download))
        .route(documents::CALLBACK_PATH, get(callback))
}

pub fn sandbox_routes() -> Router<App> {
    Router::new().route("/sandbox/v1/documents/connect", post(sandbox_connect))
}

type ApiResult = Result<Response, ApiError>;

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::from(crate::tokens::TokenError::Missing))
}

async fn session(app: &App, headers: &HeaderMap) -> Result<documents::Session, ApiError> {
    Ok(documents::session(app, bearer(headers)?).await?)
}

/// The client of `Authorization: Basic base64(api_key:api_secret)`, checked
/// as every dialect checks the pair.
async fn basic_client(
    app: &App,
    from: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> Result<ClientId, ApiError> {
    let refused = || ApiError::from(crate::error::Error::InvalidCredentials);
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    // The app's access_token is a Bearer token; this endpoint is the backend's.
    if given.is_some_and(|v| {
        v.get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer "))
    }) {
        return Err(ApiError::with_message(
            crate::error::Error::InvalidCredentials,
            "this endpoint takes no Bearer token: use HTTP Basic with api_key:api_secret",
        ));
    }
    let raw = given
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
        .ok_or_else(refused)?;
    let text = STANDARD
        .decode(raw.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(refused)?;
    let (key, secret) = text.split_once(':').ok_or_else(refused)?;
    let row = crate::services::clients::authenticate(app, from, key, secret).await?;
    Ok(ClientId::from_trusted(row.id))
}

#[utoipa::path(post, path = "/api/token", tag = "Documents API: Retrieval",
    summary = "Open the documents app for one end user",
    description = "Checks `api_key`/`api_secret` (the same pair as every dialect) and returns a one-hour `access_token` for one end user: the one `taiki_user_id` names (refused with 400 naming `taiki_user_id` if it is not yours), or a new one. `metadata`, a JSON object of at most 4 KiB, comes back in the retrieval's webhook.",
    request_body = TokenRequest, security(()),
    responses((status = 200, description = "The session", body = TokenIssued), (status = "4XX", description = "`invalid_field` (with `field`), `invalid_credentials`, `rate_limited`")))]
async fn token(State(app): State<App>, Peer(from): Peer, body: Bytes) -> ApiResult {
    let req: TokenRequest = json_body(&body)?;
    let api_key = req
        .api_key
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| FieldError::new("api_key", "is required"))?;
    let api_secret = req
        .api_secret
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| FieldError::new("api_secret", "is required"))?;
    let metadata = wire::metadata(req.metadata)?;
    let user = req
        .taiki_user_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let opened = documents::open_session(&app, from, api_key, api_secret, user, metadata).await?;
    Ok(Json(TokenIssued {
        access_token: opened.access_token,
        taiki_user_id: opened.end_user_id,
        expires_in: opened.expires_in,
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/institutions", tag = "Documents API: Retrieval",
    summary = "The document portals the end user can connect",
    security(("documentsToken" = [])),
    responses((status = 200, description = "The portals", body = [Portal]), (status = 401, description = "`invalid_token` or `token_expired`")))]
async fn institutions(State(app): State<App>, headers: HeaderMap) -> ApiResult {
    session(&app, &headers).await?;
    let portals: Vec<Portal> = app
        .directory
        .document_portals()
        .iter()
        .map(|p| Portal {
            institution_code: p.institution_code.clone(),
            name: p.name.clone(),
            avatar: p.avatar.clone(),
            is_outage: p.is_outage,
            document_types: p.document_types.clone(),
        })
        .collect();
    Ok(Json(portals).into_response())
}

#[utoipa::path(post, path = "/api/connections", tag = "Documents API: Retrieval",
    summary = "Connect a portal: where to send the end user",
    description = "Starts a retrieval and returns the portal's own sign-in page. After the end user signs in and agrees, the portal sends them back to Ponte, which fetches the documents and posts the webhook.",
    request_body = ConnectionRequest, security(("documentsToken" = [])),
    responses((status = 200, description = "The retrieval and the portal's sign-in URL", body = ConnectionStarted), (status = "4XX", description = "`invalid_field` (`institutionCode`, `ui_locales`), `invalid_token`")))]
async fn connect(State(app): State<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let s = session(&app, &headers).await?;
    let req: ConnectionRequest = json_body(&body)?;
    let code = req
        .institution_code
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| FieldError::new("institutionCode", "is required"))?;
    let locale = req
        .ui_locales
        .as_deref()
        .map(documents::UiLocale::parse)
        .transpose()?;
    let started = documents::connect(&app, &s, code, locale).await?;
    Ok(Json(ConnectionStarted {
        id: started.retrieval_id,
        login_url: started.login_url,
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/retrievals/current", tag = "Documents API: Retrieval",
    summary = "The end user's latest retrieval, for a progress view",
    security(("documentsToken" = [])),
    responses((status = 200, description = "Its progress", body = Progress), (status = "4XX", description = "`not_found` before any connection, `invalid_token`")))]
async fn current(State(app): State<App>, headers: HeaderMap) -> ApiResult {
    let s = session(&app, &headers).await?;
    let (row, event) = documents::current(&app, &s).await?;
    Ok(Json(Progress {
        id: row.id,
        institution_code: row.institution_code,
        status: row.status,
        files_total: event.files.len(),
        files_retrieved: event.files.iter().filter(|f| f.success).count(),
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/retrievals/{id}", tag = "Documents API: Retrieval",
    summary = "A retrieval: the webhook's body, with fresh download URLs",
    params(("id" = i64, Path, description = "`data.id` of the webhook")),
    security(("basicAuth" = [])),
    responses((status = 200, description = "The retrieval", body = RetrievalBody), (status = "4XX", description = "`invalid_credentials`; `not_found` (also another client's)")))]
async fn retrieval(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let client = basic_client(&app, from, &headers).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| crate::error::Error::NotFound("retrieval"))?;
    let (row, event) = documents::retrieval_for(&app, &client, id).await?;
    let body = wire::retrieval_view(&event, &row.status);
    Ok(Json(wire::sign(&app, body)).into_response())
}

#[utoipa::path(delete, path = "/api/users/{taiki_user_id}", tag = "Documents API: Retrieval",
    summary = "Erase an end user and every document retrieved for them",
    params(("taiki_user_id" = String, Path, description = "The end user")),
    security(("basicAuth" = [])),
    responses((status = 204, description = "Erased: files gone from storage, rows deleted"), (status = "4XX", description = "`invalid_credentials`; `not_found`")))]
async fn erase_user(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let client = basic_client(&app, from, &headers).await?;
    crate::services::documents_files::erase_end_user(&app, &client, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/callback/documents", tag = "Documents API: Retrieval",
    summary = "Where document portals send the end user back",
    description = "Not called by integrators: the portal's redirect after sign-in. Completes the connection and starts the retrieval.",
    params(("state" = Option<String>, Query, description = "Ponte's state (without it, or with a stale one, the app is told the sign-in was not valid)"), ("code" = Option<String>, Query, description = "The portal's code"), ("error" = Option<String>, Query, description = "Or the portal's refusal")),
    security(()),
    responses((status = 200, description = "A page telling the end user the documents are on their way", content_type = "text/html"), (status = "4XX", description = "An error page")))]
async fn callback(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    let params: BTreeMap<String, String> =
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| params.get(k).map(String::as_str);
    let completed = documents::complete(
        &app,
        get("state"),
        get("code"),
        get("error"),
        get("error_description"),
    )
    .await;
    // The app (`/app`) shows how it went from the retrieval itself; the word
    // in its URL only serves a browser that no longer holds the app's token.
    let (returned, title, text) = match completed {
        Ok(_) => (
            "ok",
            "Documentos a caminho / Documents on their way",
            "Seus documentos estão sendo buscados. / Your documents are being retrieved.",
        ),
        Err(crate::error::Error::Institution(_) | crate::error::Error::Declined(_)) => (
            "declined",
            "Não conectado / Not connected",
            "Os documentos não foram compartilhados. / The documents were not shared.",
        ),
        Err(e) => {
            tracing::info!(error = %e, "documents callback refused");
            (
                "invalid",
                "Este acesso não pode ser usado / This sign-in cannot be used",
                "Ele expirou ou já foi usado. Comece de novo pelo aplicativo. / It has expired or was already used. Start again from the app.",
            )
        }
    };
    let back = format!(
        "{}?returned={returned}",
        crate::http::documents_app::APP_PATH
    );
    let mut resp = Html(crate::http::documents_app::returning_page(
        title, text, &back,
    ))
    .into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

#[utoipa::path(post, path = "/sandbox/v1/documents/connect", tag = "Documents API: Retrieval",
    summary = "Sandbox: connect a portal without a browser",
    description = "Drives the very same portal sign-in a person would (`user_mfa` needs `otp` `123456`; `user_locked` is refused) and starts the retrieval; the webhook follows as usual.",
    request_body = SandboxConnect, security(("documentsToken" = [])),
    responses((status = 200, description = "The retrieval", body = RetrievalId), (status = "4XX", description = "`invalid_field` (`institutionCode`, `username`, `password`, `otp`), `invalid_token`"), (status = 502, description = "`institution_error`: the portal refused (a locked account)")))]
async fn sandbox_connect(State(app): State<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let s = session(&app, &headers).await?;
    let req: SandboxConnect = json_body(&body)?;
    let code = req
        .institution_code
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| FieldError::new("institutionCode", "is required"))?;
    let login = documents_sandbox::Login {
        username: req.username.as_deref().unwrap_or(""),
        password: req
            .password
            .as_deref()
            .ok_or_else(|| FieldError::new("password", "is required"))?,
        otp: req.otp.as_deref(),
    };
    let id = documents_sandbox::connect(&app, &s, code, login).await?;
    Ok(Json(RetrievalId { id }).into_response())
}
