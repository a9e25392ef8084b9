//! A client's webhook settings: the event and report webhook URLs and
//! auto-delivery. One function for the console's settings page and
//! `ponte clients update`, so both check a URL the same way (parsed, then
//! the same target rules as deliveries).

use crate::error::{Error, Result};
use crate::App;
use ponte_core::HttpUrl;

/// `None` keeps a value; an empty URL clears it (as the branding change).
#[derive(Debug, Default, Clone, Copy)]
pub struct WebhookSettingsChange<'a> {
    pub webhook_url: Option<&'a str>,
    pub report_webhook_url: Option<&'a str>,
    pub auto_delivery: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSettings {
    pub webhook_url: Option<String>,
    pub report_webhook_url: Option<String>,
    pub auto_delivery: bool,
}

/// The next value of one URL: kept, cleared, or parsed and checked as a
/// target under `field`.
async fn next_url(
    app: &App,
    field: &'static str,
    current: Option<String>,
    given: Option<&str>,
) -> Result<Option<String>> {
    match given.map(str::trim) {
        None => Ok(current),
        Some("") => Ok(None),
        Some(raw) => {
            let url = HttpUrl::parse(field, raw)?;
            crate::services::webhook_target(app, field, &url).await?;
            Ok(Some(url.as_str().to_string()))
        }
    }
}

pub async fn update(
    app: &App,
    client_id: &str,
    change: &WebhookSettingsChange<'_>,
) -> Result<WebhookSettings> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::client_by_id(&mut conn, client_id)
        .await?
        .ok_or(Error::NotFound("client"))?;
    drop(conn);
    // URLs may resolve names: checked before the write transaction.
    let next = WebhookSettings {
        webhook_url: next_url(app, "webhookUrl", row.webhook_url, change.webhook_url).await?,
        report_webhook_url: next_url(
            app,
            "reportWebhookUrl",
            row.report_webhook_url,
            change.report_webhook_url,
        )
        .await?,
        auto_delivery: change.auto_delivery.unwrap_or(row.auto_delivery),
    };
    let mut tx = app.store.begin().await?;
    if !ponte_store::set_client_webhooks(
        &mut tx,
        client_id,
        next.webhook_url.as_deref(),
        next.report_webhook_url.as_deref(),
        next.auto_delivery,
    )
    .await?
    {
        return Err(Error::NotFound("client"));
    }
    tx.commit().await?;
    tracing::info!(
        client_id,
        auto_delivery = next.auto_delivery,
        "client webhook settings updated"
    );
    Ok(next)
}
