//! Sandbox tools (sandbox mode only): open a link for the signed-in client,
//! and play the end user at the sandbox bank, through the same services as
//! `POST /data/v1/links` and `POST /sandbox/v1/consents/{id}/…`.

use super::session::Console;
use super::{ConsoleError, API_PREFIX};
use crate::error::Error;
use crate::http::extract::{json_body, Path};
use crate::services::{consents, links, sandbox_driver};
use crate::tokens::Bearer;
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn routes() -> Router<App> {
    Router::new()
        .route(&format!("{API_PREFIX}/sandbox/links"), post(create_link))
        .route(
            &format!("{API_PREFIX}/sandbox/consents/{{consentId}}/authorise"),
            post(authorise),
        )
        .route(
            &format!("{API_PREFIX}/sandbox/consents/{{consentId}}/revoke-at-institution"),
            post(revoke_at_institution),
        )
}

/// Outside sandbox mode these tools do not exist.
fn sandbox_only(app: &App) -> Result<(), ConsoleError> {
    if app.config.sandbox {
        Ok(())
    } else {
        Err(Error::NotFound("sandbox tool").into())
    }
}

async fn create_link(
    State(app): State<App>,
    c: Console,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    sandbox_only(&app)?;
    let req: crate::dialects::data_api::views::LinkRequest = json_body(&body)?;
    let valid = links::validate(&req.into())
        .map_err(crate::dialects::data_api::errors::wire_field_error)?;
    let made = links::create(&app, c.client()?, valid).await?;
    Ok(Json(
        json!({"linkId": made.link_id, "linkUrl": made.link_url}),
    ))
}

async fn step(
    app: App,
    c: Console,
    consent_id: String,
    body: Bytes,
    revoke: bool,
) -> Result<Json<Value>, ConsoleError> {
    sandbox_only(&app)?;
    let creds: sandbox_driver::Credentials = json_body(&body)?;
    let who = Bearer::client(c.client()?.clone(), app.clock.now_ms() + 60_000);
    if revoke {
        sandbox_driver::revoke_at_institution(&app, &who, &consent_id, creds).await?;
    } else {
        sandbox_driver::authorise(&app, &who, &consent_id, creds).await?;
    }
    let row = consents::load_for(&app, &who, &consent_id).await?;
    Ok(Json(json!({"consentId": row.id, "status": row.status})))
}

async fn authorise(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    step(app, c, consent_id, body, false).await
}

async fn revoke_at_institution(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    step(app, c, consent_id, body, true).await
}
