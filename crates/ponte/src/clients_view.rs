//! `ponte clients list` and `ponte clients show`: what a client is set to,
//! never its secrets (only a masked placeholder says one exists).

use ponte_server::services::branding;
use ponte_server::App;
use serde_json::{json, Value};

/// Secrets are stored hashed or sealed; all the CLI ever says is that one is set.
const MASKED_API_SECRET: &str = "sk_********";
const MASKED_WEBHOOK_SECRET: &str = "whsec_********";

fn time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ms.to_string())
}

fn summary(row: &ponte_store::ClientRow) -> Value {
    json!({
        "clientId": row.id,
        "name": row.name,
        "apiKey": row.api_key,
        "webhookUrl": row.webhook_url,
        "reportWebhookUrl": row.report_webhook_url,
        "autoDelivery": row.auto_delivery,
        "createdAt": time(row.created_at),
    })
}

pub async fn list(app: &App, json: bool) -> anyhow::Result<()> {
    let rows = {
        let mut conn = app.store.read().await?;
        ponte_store::list_clients(&mut conn).await?
    };
    if json {
        let all: Vec<Value> = rows.iter().map(summary).collect();
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.name.clone(),
                r.api_key.clone(),
                if r.auto_delivery { "on" } else { "off" }.to_string(),
                r.webhook_url.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    crate::table::print(
        &[
            "CLIENT ID",
            "NAME",
            "API KEY",
            "AUTO-DELIVERY",
            "WEBHOOK URL",
        ],
        &table,
        "no clients yet: ponte clients create --name NAME",
    );
    Ok(())
}

/// The client's whole settings as JSON; `None` when there is no such client.
pub async fn detail(app: &App, client_id: &str) -> anyhow::Result<Option<Value>> {
    let (row, redirects, duplicates, locale) = {
        let mut conn = app.store.read().await?;
        let Some(row) = ponte_store::client_by_id(&mut conn, client_id).await? else {
            return Ok(None);
        };
        let redirects = ponte_store::client_redirect_urls(&mut conn, client_id).await?;
        let duplicates = ponte_store::duplicate_policy(&mut conn, client_id).await?;
        let locale = ponte_store::client_locale(&mut conn, client_id).await?;
        (row, redirects, duplicates, locale)
    };
    let brand = branding::branding(app, client_id).await?;
    let mut out = summary(&row);
    if let Some(map) = out.as_object_mut() {
        map.insert("apiSecret".into(), json!(MASKED_API_SECRET));
        map.insert("webhookSecret".into(), json!(MASKED_WEBHOOK_SECRET));
        map.insert("redirectUrls".into(), json!(redirects));
        map.insert("duplicates".into(), json!(duplicates));
        map.insert("locale".into(), json!(locale));
        map.insert("branding".into(), serde_json::to_value(&brand)?);
    }
    Ok(Some(out))
}

pub async fn show(app: &App, client_id: &str, json: bool) -> anyhow::Result<()> {
    let detail = detail(app, client_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("--client-id {client_id}: no such client"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&detail)?);
        return Ok(());
    }
    let text = |k: &str| match &detail[k] {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    for (label, key) in [
        ("clientId", "clientId"),
        ("name", "name"),
        ("apiKey", "apiKey"),
        ("apiSecret", "apiSecret"),
        ("webhookSecret", "webhookSecret"),
        ("webhookUrl", "webhookUrl"),
        ("reportWebhookUrl", "reportWebhookUrl"),
        ("autoDelivery", "autoDelivery"),
        ("redirectUrls", "redirectUrls"),
        ("duplicates", "duplicates"),
        ("locale", "locale"),
        ("createdAt", "createdAt"),
    ] {
        println!("{label:17} {}", text(key));
    }
    println!("branding          {}", detail["branding"]);
    Ok(())
}
