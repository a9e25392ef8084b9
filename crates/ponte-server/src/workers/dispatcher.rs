//! Delivers the outbox: claims due messages under a lease, signs them as
//! Standard Webhooks, posts them, and records every attempt. A dispatcher
//! that dies mid-attempt leaves its lease to lapse; the message is sent again.

use crate::App;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use ponte_store::{AttemptOutcome, WebhookAttemptRow, WebhookMessageRow};
use sha2::Sha256;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};

const LEASE_MS: i64 = 60_000;
const BATCH: i64 = 64;
const CONCURRENCY: usize = 32;
const NO_ENDPOINT: &str = "the client has no webhook URL configured";
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

pub async fn run(app: App, stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    work(&app, &slots, stop).await;
    // Let attempts in flight finish and record themselves before the store closes.
    let _ = slots.acquire_many(CONCURRENCY as u32).await;
}

async fn work(app: &App, slots: &Arc<Semaphore>, mut stop: watch::Receiver<bool>) {
    loop {
        let claimed = claim(app).await;
        let idle = claimed.is_empty();
        for message in claimed {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let app = app.clone();
            tokio::spawn(async move {
                deliver(&app, message).await;
                drop(permit);
            });
        }
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = stop.changed() => return,
            }
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn claim(app: &App) -> Vec<WebhookMessageRow> {
    let now = app.clock.now_ms();
    let result = async {
        let mut tx = app.store.begin().await?;
        let rows = ponte_store::claim_due_messages(
            &mut tx,
            app.store.backend(),
            now,
            now + LEASE_MS,
            BATCH,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(rows)
    }
    .await;
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "claiming webhooks failed");
        Vec::new()
    })
}

/// `v1,<base64 HMAC-SHA256("id.timestamp.body")>` keyed by the decoded `whsec_` secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// Report webhooks carry download URLs valid for 15 minutes from the
/// attempt that sends them, so a retried webhook never brings a dead link.
fn with_fresh_urls(app: &App, m: &WebhookMessageRow) -> String {
    if m.event_type != "REPORT_READY" {
        return m.payload.clone();
    }
    let Ok(serde_json::Value::Object(mut body)) =
        serde_json::from_str::<serde_json::Value>(&m.payload)
    else {
        return m.payload.clone();
    };
    if body.get("status").and_then(|s| s.as_str()) == Some("SUCCESS") {
        if let Some(report_id) = body
            .get("reportId")
            .and_then(|s| s.as_str())
            .map(str::to_string)
        {
            if let serde_json::Value::Object(urls) = crate::services::reports::urls(app, &report_id)
            {
                body.extend(urls);
            }
        }
    }
    serde_json::Value::Object(body).to_string()
}

async fn deliver(app: &App, m: WebhookMessageRow) {
    let attempt = m.attempts + 1;
    let started = Instant::now();
    let mut url = m.target_url.clone();
    let result: Result<u16, String> = async {
        let mut conn = app.store.read().await.map_err(|e| e.to_string())?;
        let client = ponte_store::client_by_id(&mut conn, &m.client_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("client deleted")?;
        drop(conn);
        if url.is_none() {
            url = match m.target.as_str() {
                "report" => client
                    .report_webhook_url
                    .clone()
                    .or(client.webhook_url.clone()),
                _ => client.webhook_url.clone(),
            };
        }
        let target = url.clone().ok_or(NO_ENDPOINT)?;
        let secret = app
            .crypto
            .decrypt(&client.webhook_secret_enc)
            .map_err(|e| e.to_string())?;
        let secret = String::from_utf8(secret).map_err(|e| e.to_string())?;
        let body = with_fresh_urls(app, &m);
        let timestamp = app.clock.now_ms() / 1000;
        let signature =
            sign(&secret, &m.id, timestamp, &body).ok_or("the webhook secret is malformed")?;
        if !app.config.allow_private_webhooks {
            crate::ssrf::check_literal(&target)?;
        }
        let resp = app
            .webhook_http
            .post(&target)
            .timeout(ATTEMPT_TIMEOUT)
            .header("content-type", "application/json")
            .header("webhook-id", &m.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{e}"))?;
        Ok(resp.status().as_u16())
    }
    .await;
    let latency_ms = started.elapsed().as_millis() as i64;
    let now = app.clock.now_ms();
    let schedule = &app.config.webhook_retry_schedule;
    let (status_code, error) = match &result {
        Ok(code) => (Some(i64::from(*code)), None),
        Err(e) => (None, Some(e.clone())),
    };
    let failure = match &result {
        Ok(code) if (200..300).contains(code) => None,
        Ok(code) => Some(format!("HTTP {code}")),
        Err(e) => Some(e.clone()),
    };
    let outcome = match (&failure, &result) {
        (None, _) => AttemptOutcome::Delivered,
        (Some(e), Ok(410)) => AttemptOutcome::Dead { error: e },
        // Retrying cannot help until a URL is set; the message waits, dead, for a replay.
        (Some(e), Err(_)) if e == NO_ENDPOINT => AttemptOutcome::Dead { error: e },
        (Some(e), _) => match schedule.get((attempt - 1) as usize) {
            Some(delay) => AttemptOutcome::Retry {
                at: now + delay.as_millis() as i64,
                error: e,
            },
            None => AttemptOutcome::Dead { error: e },
        },
    };
    let row = WebhookAttemptRow {
        message_id: m.id.clone(),
        attempt,
        at: now,
        target_url: url,
        status_code,
        latency_ms,
        response: None,
        error,
    };
    let label = if failure.is_none() {
        "delivered"
    } else {
        "failed"
    };
    metrics::counter!("ponte_webhook_attempts_total", "result" => label).increment(1);
    metrics::histogram!("ponte_webhook_attempt_duration_seconds")
        .record(latency_ms as f64 / 1000.0);
    let recorded = async {
        let mut tx = app.store.begin().await?;
        let ok = ponte_store::record_attempt(&mut tx, &row, outcome).await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(ok)
    }
    .await;
    match recorded {
        Ok(true) => {
            tracing::info!(message_id = %m.id, attempt, result = label, error = failure.as_deref().unwrap_or(""), "webhook attempt")
        }
        Ok(false) => {
            tracing::warn!(message_id = %m.id, attempt, "webhook attempt raced with another dispatcher")
        }
        Err(e) => {
            tracing::warn!(message_id = %m.id, error = %e, "recording a webhook attempt failed; it will be retried")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_matches_the_standard_webhooks_example() {
        // The example from the Standard Webhooks specification.
        let sig = super::sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            sig.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }
}
