//! Sandbox tools (sandbox mode only): open a link for the signed-in client,
//! and play the end user at the sandbox bank, through the same services as
//! `POST /data/v1/links` and `POST /sandbox/v1/consents/{id}/…`.

use super::extract::{JsonBody, SandboxMode};
use super::session::Console;
use super::ConsoleError;
use crate::dialects::data_api::views::LinkRequest;
use crate::http::extract::{Body, Path};
use crate::services::{consents, links, sandbox_driver};
use crate::tokens::Bearer;
use crate::App;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

pub(super) async fn create_link(
    State(app): State<App>,
    c: Console,
    _: SandboxMode,
    Body(req, _): JsonBody<LinkRequest>,
) -> Result<Json<Value>, ConsoleError> {
    let valid = links::validate(&req.into())
        .map_err(crate::dialects::data_api::errors::wire_field_error)?;
    let made = links::create(&app, c.client()?, valid).await?;
    Ok(Json(
        json!({"linkId": made.link_id, "linkUrl": made.link_url}),
    ))
}

/// The end user at the sandbox bank: authorises the consent, or revokes it
/// there (`revoke`), then the consent as it now stands.
async fn step(
    app: App,
    c: Console,
    consent_id: String,
    creds: sandbox_driver::Credentials,
    revoke: bool,
) -> Result<Json<Value>, ConsoleError> {
    let who = Bearer::client(c.client()?.clone(), app.clock.now_ms() + 60_000);
    if revoke {
        sandbox_driver::revoke_at_institution(&app, &who, &consent_id, creds).await?;
    } else {
        sandbox_driver::authorise(&app, &who, &consent_id, creds).await?;
    }
    let row = consents::load_for(&app, &who, &consent_id).await?;
    Ok(Json(json!({"consentId": row.id, "status": row.status})))
}

pub(super) async fn authorise(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
    _: SandboxMode,
    Body(creds, _): JsonBody<sandbox_driver::Credentials>,
) -> Result<Json<Value>, ConsoleError> {
    step(app, c, consent_id, creds, false).await
}

pub(super) async fn revoke_at_institution(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
    _: SandboxMode,
    Body(creds, _): JsonBody<sandbox_driver::Credentials>,
) -> Result<Json<Value>, ConsoleError> {
    step(app, c, consent_id, creds, true).await
}
