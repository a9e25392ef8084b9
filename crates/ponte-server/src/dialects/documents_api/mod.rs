//! The Documents API dialect (Taiki's quickstart): the integrator's backend
//! opens a session for its end user (`POST /api/token`), the end user's app
//! connects a document portal, and Ponte posts the documents to the client's
//! webhook with download URLs valid 15 minutes. snake_case JSON; every
//! failure is `{"error":{"code","message","field"}}` (see `errors`).

pub mod docs;
pub mod errors;
pub mod events;
pub mod extract;
pub mod files;
pub mod refresh;
pub mod wire;

use crate::http::extract::{LastWinsQuery, Path};
use crate::http::listener::Peer;
use crate::services::{documents, documents_sandbox};
use crate::App;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
pub use errors::failure_response;
use errors::ApiError;
use errors::DocumentsError;
use extract::{AppSession, BasicClient, JsonBody};
use ponte_core::FieldError;
use serde::Deserialize;
use utoipa::IntoParams;
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
    docs: || api().merge(sandbox_api()).split_for_parts().1,
    tags: docs::TAGS,
    webhooks: &[("documents.ready", "RetrievalWebhook", "Documents API: a retrieval ended (`success` when at least one file arrived). Carries `event`, `event_id` (the `webhook-id` header's value), `data.taiki_user_id` and your `data.metadata`. Sent to the client's webhook; each attempt carries download URLs valid 15 minutes. A scheduled refresh that finds the portal refusing the stored sign-in sends one with `status` `failed`, no files and `error.code` `RECONNECT_REQUIRED`.")],
    renderer: Some(&events::Renderer),
};

api_and_router! {
    /// Every route with its operation, in the order the document presents
    /// them: the router and the document are both made from this list.
    pub fn api() = utoipa_axum::router::OpenApiRouter::with_openapi(docs::components());
    pub fn routes();
    [token]
    [institutions]
    [connect]
    [current]
    [retrieval]
    [refresh::set_retrieval_refresh, refresh::retrieval_refresh]
    [erase_user]
    [files::download]
    [callback]
}

api_and_router! {
    /// The test helper, served in sandbox mode only but always documented.
    pub fn sandbox_api() = utoipa_axum::router::OpenApiRouter::new();
    pub fn sandbox_routes();
    [sandbox_connect]
}

type ApiResult = Result<Response, ApiError>;

#[utoipa::path(post, path = "/api/token", tag = "Documents API: Retrieval",
    summary = "Open the documents app for one end user",
    description = "Checks `api_key`/`api_secret` (the same pair as every dialect) and returns a one-hour `access_token` for one end user: the one `taiki_user_id` names (refused with 400 naming `taiki_user_id` if it is not yours), or a new one. `metadata`, a JSON object of at most 4 KiB, comes back in the retrieval's webhook.",
    request_body = TokenRequest, security(()),
    responses((status = 200, description = "The session", body = TokenIssued), (status = "4XX", description = "`invalid_field` (with `field`), `invalid_credentials`, `rate_limited`", body = DocumentsError)))]
async fn token(
    State(app): State<App>,
    Peer(from): Peer,
    body: JsonBody<TokenRequest>,
) -> ApiResult {
    let req = body.0;
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
    responses((status = 200, description = "The portals", body = [Portal]), (status = 401, description = "`invalid_token` or `token_expired`", body = DocumentsError), (status = "4XX", description = "`invalid_token` (403: a token of another kind), `rate_limited`", body = DocumentsError)))]
async fn institutions(State(app): State<App>, _: AppSession) -> ApiResult {
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
    responses((status = 200, description = "The retrieval and the portal's sign-in URL", body = ConnectionStarted), (status = "4XX", description = "`invalid_field` (`institutionCode`, `ui_locales`), `invalid_token`", body = DocumentsError)))]
async fn connect(
    State(app): State<App>,
    AppSession(s): AppSession,
    body: JsonBody<ConnectionRequest>,
) -> ApiResult {
    let req = body.0;
    let code = req
        .institution_code
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| FieldError::new("institutionCode", "is required"))?;
    let locale = req
        .ui_locales
        .as_deref()
        .map(documents::ui_locale)
        .transpose()?;
    let started = documents::connect(&app, &s, code, locale).await?;
    Ok(Json(ConnectionStarted {
        id: started.retrieval_id.get(),
        login_url: started.login_url,
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/retrievals/current", tag = "Documents API: Retrieval",
    summary = "The end user's latest retrieval, for a progress view",
    security(("documentsToken" = [])),
    responses((status = 200, description = "Its progress", body = Progress), (status = "4XX", description = "`not_found` before any connection, `invalid_token`", body = DocumentsError)))]
async fn current(State(app): State<App>, AppSession(s): AppSession) -> ApiResult {
    let (row, event) = documents::current(&app, &s).await?;
    Ok(Json(Progress {
        id: row.id.get(),
        institution_code: row.institution_code,
        status: row.status.to_string(),
        files_total: event.files.len(),
        files_retrieved: event.files.iter().filter(|f| f.success).count(),
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/retrievals/{id}", tag = "Documents API: Retrieval",
    summary = "A retrieval: the webhook's body, with fresh download URLs",
    params(("id" = i64, Path, description = "`data.id` of the webhook")),
    security(("basicAuth" = [])),
    responses((status = 200, description = "The retrieval", body = RetrievalBody), (status = "4XX", description = "`invalid_credentials`; `not_found` (also another client's)", body = DocumentsError)))]
async fn retrieval(
    State(app): State<App>,
    BasicClient(client): BasicClient,
    Path(id): Path<String>,
) -> ApiResult {
    let id = retrieval_id(&id)?;
    let (row, event) = documents::retrieval_for(&app, &client, id).await?;
    let body = wire::retrieval_view(&event, row.status);
    Ok(Json(wire::sign(&app, body)).into_response())
}

/// A retrieval's id from its path: one that is not a number names no
/// retrieval (404, as an unknown number does), not a malformed request.
fn retrieval_id(raw: &str) -> Result<ponte_store::RetrievalId, ApiError> {
    Ok(ponte_store::RetrievalId::parse(raw).ok_or(crate::error::Error::NotFound("retrieval"))?)
}

#[utoipa::path(delete, path = "/api/users/{taiki_user_id}", tag = "Documents API: Retrieval",
    summary = "Erase an end user and every document retrieved for them",
    params(("taiki_user_id" = String, Path, description = "The end user")),
    security(("basicAuth" = [])),
    responses((status = 204, description = "Erased: files gone from storage, rows deleted"), (status = "4XX", description = "`invalid_credentials`; `not_found`", body = DocumentsError)))]
async fn erase_user(
    State(app): State<App>,
    BasicClient(client): BasicClient,
    Path(id): Path<String>,
) -> ApiResult {
    crate::services::documents_files::erase_end_user(&app, &client, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a portal sends back with the end user.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CallbackQuery {
    /// Ponte's state (without it, or with a stale one, the app is told the sign-in was not valid)
    state: Option<String>,
    /// The portal's code
    code: Option<String>,
    /// Or the portal's refusal
    error: Option<String>,
    /// The portal's words for its refusal
    error_description: Option<String>,
}

#[utoipa::path(get, path = "/callback/documents", tag = "Documents API: Retrieval",
    summary = "Where document portals send the end user back",
    description = "Not called by integrators: the portal's redirect after sign-in. Completes the connection and starts the retrieval.",
    params(CallbackQuery),
    security(()),
    responses((status = 200, description = "A page telling the end user the documents are on their way", content_type = "text/html"), (status = "4XX", description = "An error page")))]
async fn callback(
    State(app): State<App>,
    headers: HeaderMap,
    LastWinsQuery(q): LastWinsQuery<CallbackQuery>,
) -> Response {
    let completed = documents::complete(
        &app,
        q.state.as_deref(),
        q.code.as_deref(),
        q.error.as_deref(),
        q.error_description.as_deref(),
    )
    .await;
    use crate::http::documents_app::{returning, Returned};
    let how = match completed {
        Ok(_) => Returned::Ok,
        Err(crate::error::Error::Institution(_) | crate::error::Error::Declined(_)) => {
            Returned::Declined
        }
        Err(e) => {
            tracing::info!(error = %e, "documents callback refused");
            Returned::Invalid
        }
    };
    returning(&app, &headers, q.state.as_deref(), how).await
}

#[utoipa::path(post, path = "/sandbox/v1/documents/connect", tag = "Documents API: Retrieval",
    summary = "Sandbox: connect a portal without a browser",
    description = "Drives the very same portal sign-in a person would (`user_mfa` needs `otp` `123456`; `user_locked` is refused) and starts the retrieval; the webhook follows as usual.",
    request_body = SandboxConnect, security(("documentsToken" = [])),
    responses((status = 200, description = "The retrieval", body = RetrievalId), (status = "4XX", description = "`invalid_field` (`institutionCode`, `username`, `password`, `otp`), `invalid_token`", body = DocumentsError), (status = 502, description = "`institution_error`: the portal refused (a locked account)", body = DocumentsError)))]
async fn sandbox_connect(
    State(app): State<App>,
    AppSession(s): AppSession,
    body: JsonBody<SandboxConnect>,
) -> ApiResult {
    let req = body.0;
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
    Ok(Json(RetrievalId { id: id.get() }).into_response())
}
