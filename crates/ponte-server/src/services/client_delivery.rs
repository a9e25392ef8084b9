//! Where a client's webhooks go and whether reports come without asking:
//! changed after creation by `ponte clients update`.

use crate::error::{Error, Result};
use crate::App;
use ponte_core::HttpUrl;

/// A change: `None` keeps a value; for a URL, `Some("")` clears it.
#[derive(Debug, Default)]
pub struct DeliveryChange<'a> {
    pub webhook_url: Option<&'a str>,
    pub report_webhook_url: Option<&'a str>,
    pub auto_delivery: Option<bool>,
}

/// `Some(None)` clears, `Some(Some(url))` sets a URL we may call.
async fn parse_url(
    app: &App,
    field: &'static str,
    raw: Option<&str>,
) -> Result<Option<Option<String>>> {
    let Some(raw) = raw.map(str::trim) else {
        return Ok(None);
    };
    if raw.is_empty() {
        return Ok(Some(None));
    }
    let url = HttpUrl::parse(field, raw)?;
    crate::services::webhook_target(app, field, &url).await?;
    Ok(Some(Some(url.as_str().to_string())))
}

/// Applies `change`; the URLs are checked (scheme, and the SSRF filter
/// outside sandbox mode) before anything is written.
pub async fn update(app: &App, client_id: &str, change: &DeliveryChange<'_>) -> Result<()> {
    let webhook_url = parse_url(app, "webhookUrl", change.webhook_url).await?;
    let report_webhook_url = parse_url(app, "reportWebhookUrl", change.report_webhook_url).await?;
    let mut tx = app.store.begin().await?;
    let Some(mut row) = ponte_store::client_by_id(&mut tx, client_id).await? else {
        return Err(Error::NotFound("client"));
    };
    if let Some(url) = webhook_url {
        row.webhook_url = url;
    }
    if let Some(url) = report_webhook_url {
        row.report_webhook_url = url;
    }
    if let Some(on) = change.auto_delivery {
        row.auto_delivery = i64::from(on);
    }
    ponte_store::set_client_delivery(&mut tx, &row).await?;
    tx.commit().await?;
    tracing::info!(client_id, "client delivery settings changed");
    Ok(())
}
