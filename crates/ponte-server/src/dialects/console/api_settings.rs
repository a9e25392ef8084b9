//! The console's settings: credentials rotation and the white-label the
//! widget uses, through `services::clients` (the same functions as
//! `ponte clients rotate-secret|rotate-webhook-secret|update`).

use super::extract::JsonBody;
use super::session::Console;
use super::ConsoleError;
use crate::http::extract::Body;
use crate::services::clients::{self, BrandingChange};
use crate::services::webhook_settings::{self, WebhookSettingsChange};
use crate::App;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) async fn show(State(app): State<App>, c: Console) -> Result<Json<Value>, ConsoleError> {
    let client = c.client()?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::client_by_id(&mut conn, client.as_str())
        .await?
        .ok_or(crate::Error::NotFound("client"))?;
    drop(conn);
    let branding = clients::branding(&app, client.as_str()).await?;
    Ok(Json(json!({
        "clientId": row.id,
        "name": row.name,
        "apiKey": row.api_key,
        "webhookUrl": row.webhook_url,
        "reportWebhookUrl": row.report_webhook_url,
        "autoDelivery": row.auto_delivery,
        "branding": branding,
        "widgetColor": branding.readable_color(),
    })))
}

/// A new API secret, shown only in this answer; the old one works 24 h more.
pub(super) async fn rotate_secret(
    State(app): State<App>,
    c: Console,
) -> Result<Json<Value>, ConsoleError> {
    let creds = clients::rotate_secret(&app, c.client()?.as_str()).await?;
    tracing::info!(console_user_id = %c.session.user.id, client_id = %creds.client_id, "api secret rotated from the console");
    Ok(Json(json!({
        "clientId": creds.client_id,
        "apiKey": creds.api_key,
        "apiSecret": creds.api_secret,
        "previousSecretExpiresIn": clients::ROTATION_GRACE_MS / 1000,
    })))
}

pub(super) async fn rotate_webhook_secret(
    State(app): State<App>,
    c: Console,
) -> Result<Json<Value>, ConsoleError> {
    let rotated = clients::rotate_webhook_secret(&app, c.client()?.as_str()).await?;
    Ok(Json(serde_json::to_value(rotated).unwrap_or(Value::Null)))
}

/// `None` keeps a value, an empty string clears it (as `ponte clients update`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct BrandingBody {
    display_name: Option<String>,
    logo_url: Option<String>,
    primary_color: Option<String>,
    privacy_policy_url: Option<String>,
    frame_origins: Option<String>,
}

pub(super) async fn branding(
    State(app): State<App>,
    c: Console,
    Body(b, _): JsonBody<BrandingBody>,
) -> Result<Json<Value>, ConsoleError> {
    let change = BrandingChange {
        display_name: b.display_name.as_deref(),
        logo_url: b.logo_url.as_deref(),
        primary_color: b.primary_color.as_deref(),
        privacy_policy_url: b.privacy_policy_url.as_deref(),
        frame_origins: b.frame_origins.as_deref(),
    };
    let next = clients::update_branding(&app, c.client()?.as_str(), &change).await?;
    Ok(Json(
        json!({"branding": next, "widgetColor": next.readable_color()}),
    ))
}

/// As `branding`: `None` keeps a value, an empty URL clears it.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct WebhooksBody {
    webhook_url: Option<String>,
    report_webhook_url: Option<String>,
    auto_delivery: Option<bool>,
}

pub(super) async fn webhook_settings(
    State(app): State<App>,
    c: Console,
    Body(b, _): JsonBody<WebhooksBody>,
) -> Result<Json<Value>, ConsoleError> {
    let change = WebhookSettingsChange {
        webhook_url: b.webhook_url.as_deref(),
        report_webhook_url: b.report_webhook_url.as_deref(),
        auto_delivery: b.auto_delivery,
    };
    let next = webhook_settings::update(&app, c.client()?.as_str(), &change).await?;
    tracing::info!(console_user_id = %c.session.user.id, client_id = %c.client()?, "webhook settings changed from the console");
    Ok(Json(serde_json::to_value(next).unwrap_or(Value::Null)))
}
