//! Seeding the webhook outbox directly with the store's own insert, for tests
//! that need a backlog before the server starts.

use serde_json::json;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

/// Writes `n` due `CONSENT_STATUS_CHANGED` messages for `client_id` in one
/// transaction; returns their ids (the `webhook-id`s).
pub async fn seed_queue(database_url: &str, client_id: &str, n: usize) -> Vec<String> {
    let store = ponte_store::Store::open(database_url)
        .await
        .expect("open the server's database");
    let now = now_ms();
    let mut ids = Vec::with_capacity(n);
    let mut tx = store.begin().await.expect("transaction");
    for i in 0..n {
        let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
        // Distinct creation times, a millisecond apart, as a burst of real events would have.
        let created_at = now - (n - i) as i64;
        let payload = json!({
            "event": "CONSENT_STATUS_CHANGED",
            "consentId": uuid::Uuid::new_v4().to_string(),
            "linkId": uuid::Uuid::new_v4().to_string(),
            "externalTrackId": format!("seed-{i}"),
            "institutionCode": "itau",
            "status": "AWAITING_AUTHORISATION",
            "previousStatus": null,
            "reason": null,
            "occurredAt": ponte_server::clock::rfc3339(created_at),
        });
        let row = ponte_store::WebhookMessageRow {
            id: id.clone(),
            client_id: client_id.to_string(),
            event_type: "CONSENT_STATUS_CHANGED".into(),
            target: "event".into(),
            target_url: None,
            payload: payload.to_string(),
            status: ponte_store::WebhookStatus::Pending,
            attempts: 0,
            next_attempt_at: created_at,
            locked_until: None,
            last_error: None,
            created_at,
            finished_at: None,
            dialect: "data_api".into(),
        };
        ponte_store::insert_message(&mut tx, &row)
            .await
            .expect("insert message");
        ids.push(id);
    }
    tx.commit().await.expect("commit");
    store.close().await;
    ids
}
