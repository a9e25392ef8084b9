//! What integrators and operators see of webhook delivery: messages, their
//! attempts, replays, and endpoints disabled by 410 Gone. Shared by the Data
//! API and `ponte webhooks`.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::App;
use ponte_core::{ClientId, FieldError, HttpUrl};
use ponte_store::{ClientRow, WebhookAttemptRow, WebhookMessageRow, WebhookStatus};

pub const MAX_PAGE: i64 = 100;

/// A page of messages, newest first, and the cursor of the next page.
#[derive(Debug)]
pub struct MessagePage {
    pub messages: Vec<WebhookMessageRow>,
    pub next_cursor: Option<String>,
}

/// One message with every attempt to deliver it.
#[derive(Debug)]
pub struct MessageDetail {
    pub message: WebhookMessageRow,
    pub attempts: Vec<WebhookAttemptRow>,
}

/// A URL enabled again, and whether a 410 Gone had disabled it.
#[derive(Debug)]
pub struct EndpointEnabled {
    pub url: String,
    pub was_disabled: bool,
}

/// A message queued again; its status is now pending.
#[derive(Debug)]
pub struct ReplayQueued {
    pub id: String,
}

/// What a bulk replay queued and what it left dead.
#[derive(Debug)]
pub struct BulkReplayed {
    pub replayed: u64,
    pub skipped: i64,
    pub disabled_endpoints: Vec<String>,
}

/// Where a message goes: its own URL (a `productsCallbackUrl`), else the
/// client's URL for its kind, read when it is sent so a changed URL applies.
pub fn target_url(client: &ClientRow, m: &WebhookMessageRow) -> Option<String> {
    m.target_url.clone().or_else(|| match m.target.as_str() {
        "report" => client
            .report_webhook_url
            .clone()
            .or(client.webhook_url.clone()),
        _ => client.webhook_url.clone(),
    })
}

/// Why a message to a disabled endpoint was not sent.
pub fn disabled_error(url: &str, disabled_at: i64) -> String {
    format!(
        "endpoint disabled after 410 Gone at {}: {url} (enable it again, then replay)",
        rfc3339(disabled_at)
    )
}

/// Enables a URL that a 410 Gone disabled; messages to it are sent again
/// (dead ones once replayed). Enabling a URL that is not disabled changes nothing.
pub async fn enable_endpoint(app: &App, client: &ClientId, url: &str) -> Result<EndpointEnabled> {
    let parsed = HttpUrl::parse("url", url)?;
    let mut tx = app.store.begin().await?;
    let now = app.clock.now_ms();
    // Stored URLs are normalised; match what the integrator typed as well.
    let mut was_disabled =
        ponte_store::enable_endpoint(&mut tx, client.as_str(), parsed.as_str(), now).await?;
    if parsed.as_str() != url.trim() {
        was_disabled |=
            ponte_store::enable_endpoint(&mut tx, client.as_str(), url.trim(), now).await?;
    }
    tx.commit().await?;
    tracing::info!(client_id = %client, was_disabled, "webhook endpoint enabled");
    Ok(EndpointEnabled {
        url: parsed.as_str().to_string(),
        was_disabled,
    })
}

/// Configuring a URL again enables it. For the services that store a
/// webhook URL (a client's URLs, `productsCallbackUrl`): call inside the
/// transaction that stores it.
pub async fn url_configured(
    conn: &mut ponte_store::Conn,
    client: &ClientId,
    url: &HttpUrl,
    now: i64,
) -> Result<()> {
    if ponte_store::enable_endpoint(conn, client.as_str(), url.as_str(), now).await? {
        tracing::info!(client_id = %client, "webhook endpoint configured again: enabled");
    }
    Ok(())
}

/// The endpoint `m` would go to, if a 410 Gone disabled it: (url, disabled at).
async fn disabled_target(
    conn: &mut ponte_store::Conn,
    client: &ClientId,
    m: &WebhookMessageRow,
) -> Result<Option<(String, i64)>> {
    let Some(row) = ponte_store::client_by_id(conn, client.as_str()).await? else {
        return Ok(None);
    };
    let Some(url) = target_url(&row, m) else {
        return Ok(None);
    };
    let disabled = ponte_store::disabled_endpoints(conn, client.as_str()).await?;
    Ok(disabled
        .into_iter()
        .find(|e| e.url == url)
        .and_then(|e| e.disabled_at.map(|at| (url, at))))
}

/// A page of messages, newest first; `cursor` is the previous page's `nextCursor`.
pub async fn list(
    app: &App,
    client: &ClientId,
    status: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<MessagePage> {
    let status = status
        .map(|s| {
            WebhookStatus::parse(s)
                .ok_or_else(|| FieldError::new("status", "must be pending, delivered or dead"))
        })
        .transpose()?;
    let before = cursor
        .map(|c| {
            c.split_once('.')
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id)))
                .filter(|(_, id)| !id.is_empty())
                .ok_or_else(|| FieldError::new("cursor", "is not a cursor from a previous page"))
        })
        .transpose()?;
    let limit = limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(FieldError::new("limit", format!("must be between 1 and {MAX_PAGE}")).into());
    }
    let mut conn = app.store.read().await?;
    let rows =
        ponte_store::list_messages(&mut conn, client.as_str(), status, before, limit).await?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|m| format!("{}.{}", m.created_at, m.id)))
        .flatten();
    Ok(MessagePage {
        messages: rows,
        next_cursor: next,
    })
}

pub async fn show(app: &App, client: &ClientId, id: &str) -> Result<MessageDetail> {
    let mut conn = app.store.read().await?;
    let m = ponte_store::message_for_client(&mut conn, client.as_str(), id)
        .await?
        .ok_or(Error::NotFound("webhook message"))?;
    let attempts = ponte_store::attempts_of(&mut conn, id).await?;
    Ok(MessageDetail {
        message: m,
        attempts,
    })
}

/// Sends a finished (delivered or dead) message again. A message whose
/// endpoint a 410 Gone disabled is refused (409 naming the URL): the
/// integrator enables the endpoint first, deliberately.
pub async fn replay(app: &App, client: &ClientId, id: &str) -> Result<ReplayQueued> {
    let mut tx = app.store.begin().await?;
    let message = ponte_store::message_for_client(&mut tx, client.as_str(), id)
        .await?
        .ok_or(Error::NotFound("webhook message"))?;
    if let Some((url, at)) = disabled_target(&mut tx, client, &message).await? {
        return Err(Error::EndpointDisabled { url, at_ms: at });
    }
    if !ponte_store::replay_message(&mut tx, client.as_str(), id, app.clock.now_ms()).await? {
        return Err(Error::Conflict("the message is still pending".into()));
    }
    tx.commit().await?;
    tracing::info!(message_id = id, "webhook replay requested");
    Ok(ReplayQueued { id: id.to_string() })
}

/// Sends again every message that died since `since` (RFC 3339), except
/// those to an endpoint a 410 Gone disabled: they stay dead and are counted
/// in `skipped`, with the disabled URLs listed.
pub async fn replay_dead_since(app: &App, client: &ClientId, since: &str) -> Result<BulkReplayed> {
    let t = time::OffsetDateTime::parse(since, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            FieldError::new(
                "since",
                "must be an RFC 3339 time such as 2026-11-25T00:00:00Z",
            )
        })?;
    let since_ms = (t.unix_timestamp_nanos() / 1_000_000) as i64;
    let mut tx = app.store.begin().await?;
    let skipped = ponte_store::dead_since_to_disabled(&mut tx, client.as_str(), since_ms).await?;
    let disabled: Vec<String> = ponte_store::disabled_endpoints(&mut tx, client.as_str())
        .await?
        .into_iter()
        .map(|e| e.url)
        .collect();
    let n = ponte_store::replay_dead_since(&mut tx, client.as_str(), since_ms, app.clock.now_ms())
        .await?;
    tx.commit().await?;
    tracing::info!(client_id = %client, replayed = n, skipped, "dead webhooks replayed");
    Ok(BulkReplayed {
        replayed: n,
        skipped,
        disabled_endpoints: disabled,
    })
}
