//! Writing webhook messages into the outbox, inside the caller's transaction.

use ponte_core::ClientId;
use ponte_store::{Conn, WebhookMessageRow};

/// Which of the client's URLs receives a message.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Events,
    Reports,
}

pub async fn enqueue(
    conn: &mut Conn,
    client: &ClientId,
    event_type: &str,
    target: Target,
    target_url: Option<&str>,
    payload: &serde_json::Value,
    now: i64,
) -> crate::error::Result<String> {
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    let row = WebhookMessageRow {
        id: id.clone(),
        client_id: client.to_string(),
        event_type: event_type.to_string(),
        target: match target {
            Target::Events => "event",
            Target::Reports => "report",
        }
        .to_string(),
        target_url: target_url.map(str::to_string),
        payload: payload.to_string(),
        status: ponte_store::PENDING.to_string(),
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
    };
    ponte_store::insert_message(conn, &row).await?;
    metrics::counter!("ponte_webhook_messages_enqueued_total", "event" => event_type.to_string())
        .increment(1);
    Ok(id)
}
