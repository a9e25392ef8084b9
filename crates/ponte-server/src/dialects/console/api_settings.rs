//! The console's settings: credentials rotation and the white-label the
//! widget uses, through `services::clients` (the same functions as
//! `ponte clients rotate-secret|rotate-webhook-secret|update`).

use super::session::Console;
use super::{ConsoleError, API_PREFIX};
use crate::http::extract::json_body;
use crate::services::clients::{self, BrandingChange};
use crate::services::webhook_settings::{self, WebhookSettingsChange};
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<App> {
    Router::new()
        .route(&format!("{API_PREFIX}/settings"), get(show))
        .route(
            &format!("{API_PREFIX}/settings/rotate-secret"),
            post(rotate_secret),
        )
        .route(
            &format!("{API_PREFIX}/settings/rotate-webhook-secret"),
            post(rotate_webhook_secret),
        )
        .route(&format!("{API_PREFIX}/settings/branding"), put(branding))
        .route(
            &format!("{API_PREFIX}/settings/webhooks"),
            put(webhook_settings),
        )
}

async fn show(State(app): State<App>, c: Console) -> Result<Json<Value>, ConsoleError> {
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
async fn rotate_secret(State(app): State<App>, c: Console) -> Result<Json<Value>, ConsoleError> {
    let creds = clients::rotate_secret(&app, c.client()?.as_str()).await?;
    tracing::info!(console_user_id = %c.session.user.id, client_id = %creds.client_id, "api secret rotated from the console");
    Ok(Json(json!({
        "clientId": creds.client_id,
        "apiKey": creds.api_key,
        "apiSecret": creds.api_secret,
        "previousSecretExpiresIn": clients::ROTATION_GRACE_MS / 1000,
    })))
}

async fn rotate_webhook_secret(
    State(app): State<App>,
    c: Console,
) -> Result<Json<Value>, ConsoleError> {
    let rotated = clients::rotate_webhook_secret(&app, c.client()?.as_str()).await?;
    Ok(Json(serde_json::to_value(rotated).unwrap_or(Value::Null)))
}

/// `None` keeps a value, an empty string clears it (as `ponte clients update`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BrandingBody {
    display_name: Option<String>,
    logo_url: Option<String>,
    primary_color: Option<String>,
    privacy_policy_url: Option<String>,
    frame_origins: Option<String>,
}

async fn branding(
    State(app): State<App>,
    c: Console,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    let b: BrandingBody = json_body(&body)?;
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
struct WebhooksBody {
    webhook_url: Option<String>,
    report_webhook_url: Option<String>,
    auto_delivery: Option<bool>,
}

async fn webhook_settings(
    State(app): State<App>,
    c: Console,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    let b: WebhooksBody = json_body(&body)?;
    let change = WebhookSettingsChange {
        webhook_url: b.webhook_url.as_deref(),
        report_webhook_url: b.report_webhook_url.as_deref(),
        auto_delivery: b.auto_delivery,
    };
    let next = webhook_settings::update(&app, c.client()?.as_str(), &change).await?;
    tracing::info!(console_user_id = %c.session.user.id, client_id = %c.client()?, "webhook settings changed from the console");
    Ok(Json(serde_json::to_value(next).unwrap_or(Value::Null)))
}
