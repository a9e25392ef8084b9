//! `/demo`: a tiny integrator, acting for the sandbox client, that runs the
//! quickstart through the SDK (sandbox mode only). Its backend (these
//! handlers) opens a link, its page (`web/demo/`) opens that link with
//! `PonteLink.create(…).open()`, asks for the reports once the consent is
//! authorised, and shows the webhooks that arrive for the sandbox client at
//! `/demo/webhooks`, their signatures checked here.
//!
//! The backend calls Ponte's services in process rather than its own API
//! over HTTP: the sandbox client's API secret is kept only as a keyed hash,
//! so no code here could present it.
//!
//! Like a real integrator it keeps its own session: the link token it opened
//! rides in an `HttpOnly` cookie, and the page sees only that link's
//! webhooks, so a sandbox exposed by mistake does not show anyone's consent.

use crate::error::Error;
use crate::http::demo_webhooks::{self, Signed};
use crate::services::retrieval::{self, DataRequestInput, Kind};
use crate::services::{clients, links};
use crate::tokens::{Bearer, TokenKind};
use crate::web;
use crate::App;
use axum::body::Bytes;
use axum::extract::{Path as AxumPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ponte_core::ClientId;
use serde::Deserialize;
use serde_json::json;

const COOKIE: &str = "ponte_demo_link";
/// Where the sandbox client's webhooks arrive, under the public URL.
pub const WEBHOOKS_PATH: &str = "/demo/webhooks";
/// The products the demo asks for once the consent is authorised: two are
/// enough to show a report arriving, and keep the wait short.
const DEMO_PRODUCTS: [&str; 2] = ["registration", "accounts"];

pub fn routes() -> Router<App> {
    Router::new()
        .route("/demo", get(|| async { web::demo_page() }))
        .route(
            &format!("{}/{{version}}/{{*file}}", web::DEMO_ASSETS_PATH),
            get(demo_asset),
        )
        .route("/demo/link", post(open_link))
        .route("/demo/reports", post(request_reports))
        .route("/demo/events", get(events))
        .route(WEBHOOKS_PATH, post(receive_webhook))
}

async fn demo_asset(AxumPath((version, file)): AxumPath<(String, String)>) -> Response {
    web::demo_asset(&version, &file)
}

/// An error for the demo page's script, in the Data API's shape.
fn fail(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut resp = (
        status,
        Json(json!({"error": {"code": code, "message": message, "field": field}})),
    )
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "the demo failed");
    fail(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL",
        "something went wrong on our side",
        None,
    )
}

async fn sandbox_client(app: &App) -> Result<ClientId, Response> {
    match clients::sandbox_client_id(app).await {
        Ok(Some(client)) => Ok(client),
        Ok(None) => Err(fail(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "this database has no sandbox client",
            None,
        )),
        Err(e) => Err(internal(e)),
    }
}

#[derive(Deserialize)]
struct OpenLink {
    cpf: Option<String>,
}

/// The integrator's backend opens a link for the CPF the page sent.
async fn open_link(State(app): State<App>, body: Bytes) -> Response {
    let client = match sandbox_client(&app).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let Ok(form) = serde_json::from_slice::<OpenLink>(&body) else {
        return fail(
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD",
            "the body must be JSON: {\"cpf\": \"…\"}",
            None,
        );
    };
    let request = links::LinkInput {
        personal_tax_id: form.cpf,
        // Where a full-page hand-off (popups blocked) comes back to.
        redirect_url: Some(format!("{}/demo", app.public_url)),
        ..Default::default()
    };
    let created = match links::validate(&request) {
        Ok(valid) => links::create(&app, &client, valid).await,
        Err(e) => Err(Error::Field(
            crate::dialects::data_api::errors::wire_field_error(e),
        )),
    };
    let link = match created {
        Ok(link) => link,
        Err(Error::Field(_)) => {
            return fail(
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                "cpf: this CPF is not valid",
                Some("cpf"),
            )
        }
        Err(e) => return internal(e),
    };
    let secure = if app.public_url.starts_with("https:") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={}; Path=/demo; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        link.link_token,
        crate::tokens::LINK_TOKEN_TTL_SECS
    );
    let mut resp = Json(json!({
        "linkId": link.link_id,
        "linkToken": link.link_token,
        "linkUrl": link.link_url,
        "expireIn": link.expire_in,
    }))
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, value);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The link token this browser's demo session opened, if any.
fn session_link_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// This browser's demo link, or the answer that there is none.
async fn session(app: &App, headers: &HeaderMap) -> Result<(Bearer, String), Response> {
    let ended = || {
        fail(
            StatusCode::FORBIDDEN,
            "INVALID_TOKEN",
            "this browser's demo session has ended: start again",
            None,
        )
    };
    let token = session_link_token(headers).ok_or_else(ended)?;
    let bearer = app
        .tokens
        .verify(token, &[TokenKind::Link])
        .await
        .map_err(|_| ended())?;
    let link_id = bearer.link_id.as_ref().ok_or_else(ended)?.to_string();
    Ok((bearer, link_id))
}

/// The webhooks about this session's link, oldest first.
async fn events(State(app): State<App>, headers: HeaderMap) -> Response {
    let (bearer, link_id) = match session(&app, &headers).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let received = demo_webhooks::received_for_link(bearer.client_id.as_str(), &link_id);
    let mut resp = Json(json!({ "webhooks": received })).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReportsBody {
    consent_id: Option<String>,
}

/// Step 3 of the quickstart: the backend asks for the data of an authorised
/// consent of its link; the reports arrive as `REPORT_READY` webhooks.
async fn request_reports(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let (bearer, link_id) = match session(&app, &headers).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let consent_id = serde_json::from_slice::<ReportsBody>(&body)
        .ok()
        .and_then(|b| b.consent_id);
    let Some(consent_id) = consent_id else {
        return fail(
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD",
            "consentId is required",
            Some("consentId"),
        );
    };
    let details = match links::load(&app, &bearer.client_id, &link_id).await {
        Ok((_, details)) => details,
        Err(e) => return internal(e),
    };
    let input = DataRequestInput {
        tax_id: details.personal_tax_id,
        link_id: Some(link_id),
        consent_ids: Some(vec![consent_id]),
        products: Some(DEMO_PRODUCTS.iter().map(|p| p.to_string()).collect()),
        ..Default::default()
    };
    match retrieval::request(&app, &bearer.client_id, Kind::Personal, input).await {
        Ok(request_id) => Json(json!({ "requestId": request_id.to_string() })).into_response(),
        Err(Error::Field(e)) => fail(
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD",
            &e.to_string(),
            Some("consentId"),
        ),
        Err(Error::ConsentNotAuthorised(_)) => fail(
            StatusCode::BAD_REQUEST,
            "CONSENT_NOT_AUTHORISED",
            "the consent is not authorised",
            Some("consentId"),
        ),
        Err(e) => internal(e),
    }
}

/// The sandbox client's webhook receiver: 401 unless signed with its secret.
async fn receive_webhook(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let client = match sandbox_client(&app).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let signed = Signed {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
    };
    match demo_webhooks::receive(&app, client.as_str(), &signed, &body).await {
        Ok(Ok(())) => Json(json!({ "received": true })).into_response(),
        Ok(Err(refused)) => {
            tracing::warn!(reason = %refused, "demo refused a webhook");
            fail(
                StatusCode::UNAUTHORIZED,
                "INVALID_SIGNATURE",
                &refused.to_string(),
                Some("webhook-signature"),
            )
        }
        Err(e) => internal(e),
    }
}

/// The demo's webhook URL for a server reached at `public_url`.
pub fn webhook_url(public_url: &str) -> String {
    format!("{public_url}{WEBHOOKS_PATH}")
}
