//! What integrators and operators see of webhook delivery: messages, their
//! attempts, and replays. Shared by the Data API and `ponte webhooks`.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::App;
use ponte_core::{ClientId, FieldError};
use ponte_store::{WebhookAttemptRow, WebhookMessageRow};
use serde_json::{json, Value};

pub const MAX_PAGE: i64 = 100;

fn message_json(m: &WebhookMessageRow) -> Value {
    json!({
        "id": m.id,
        "eventType": m.event_type,
        "status": m.status,
        "attempts": m.attempts,
        "nextAttemptAt": (m.status == ponte_store::PENDING).then(|| rfc3339(m.next_attempt_at)),
        "lastError": m.last_error,
        "createdAt": rfc3339(m.created_at),
        "finishedAt": m.finished_at.map(rfc3339),
        "payload": serde_json::from_str::<Value>(&m.payload).unwrap_or(Value::Null),
    })
}

fn attempt_json(a: &WebhookAttemptRow) -> Value {
    json!({"attempt": a.attempt, "at": rfc3339(a.at), "url": a.target_url, "statusCode": a.status_code, "latencyMs": a.latency_ms, "error": a.error})
}

/// A page of messages, newest first; `cursor` is the previous page's `nextCursor`.
pub async fn list(
    app: &App,
    client: &ClientId,
    status: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<Value> {
    if let Some(s) = status {
        if ![
            ponte_store::PENDING,
            ponte_store::DELIVERED,
            ponte_store::DEAD,
        ]
        .contains(&s)
        {
            return Err(FieldError::new("status", "must be pending, delivered or dead").into());
        }
    }
    let before = cursor
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| FieldError::new("cursor", "is not a cursor from a previous page"))
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
        .then(|| rows.last().map(|m| m.created_at.to_string()))
        .flatten();
    Ok(json!({"data": rows.iter().map(message_json).collect::<Vec<_>>(), "nextCursor": next}))
}

pub async fn show(app: &App, client: &ClientId, id: &str) -> Result<Value> {
    let mut conn = app.store.read().await?;
    let m = ponte_store::message_for_client(&mut conn, client.as_str(), id)
        .await?
        .ok_or(Error::NotFound("webhook message"))?;
    let attempts = ponte_store::attempts_of(&mut conn, id).await?;
    let mut out = message_json(&m);
    out["attemptHistory"] = Value::Array(attempts.iter().map(attempt_json).collect());
    Ok(out)
}

/// Sends a finished (delivered or dead) message again.
pub async fn replay(app: &App, client: &ClientId, id: &str) -> Result<Value> {
    let mut tx = app.store.begin().await?;
    let exists = ponte_store::message_for_client(&mut tx, client.as_str(), id)
        .await?
        .is_some();
    if !exists {
        return Err(Error::NotFound("webhook message"));
    }
    if !ponte_store::replay_message(&mut tx, client.as_str(), id, app.clock.now_ms()).await? {
        return Err(Error::Conflict("the message is still pending".into()));
    }
    tx.commit().await?;
    tracing::info!(message_id = id, "webhook replay requested");
    Ok(json!({"id": id, "status": ponte_store::PENDING}))
}

/// Sends again every message that died since `since` (RFC 3339).
pub async fn replay_dead_since(app: &App, client: &ClientId, since: &str) -> Result<Value> {
    let t = time::OffsetDateTime::parse(since, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            FieldError::new(
                "since",
                "must be an RFC 3339 time such as 2026-11-25T00:00:00Z",
            )
        })?;
    let since_ms = (t.unix_timestamp_nanos() / 1_000_000) as i64;
    let mut tx = app.store.begin().await?;
    let n = ponte_store::replay_dead_since(&mut tx, client.as_str(), since_ms, app.clock.now_ms())
        .await?;
    tx.commit().await?;
    tracing::info!(client_id = %client, replayed = n, "dead webhooks replayed");
    Ok(json!({"replayed": n}))
}
