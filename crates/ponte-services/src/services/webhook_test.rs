//! "Send a test event": one signed `TEST` webhook to a URL the integrator
//! names (by default its event webhook URL), so it can check its receiver
//! and signature code before real events flow. It goes through the same
//! target rules, HTTP client, timeout and signatures as real deliveries, but
//! is sent once, now, and never written to the outbox: it is not the
//! client's data, and a retry or a dead letter of it would only be noise.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::workers::dispatcher::{read_capture, send_error, signature_header, ATTEMPT_TIMEOUT};
use crate::App;
use ponte_core::{ClientId, FieldError, HttpUrl};
use serde_json::json;
use std::time::Instant;

/// The event type of a test delivery (documented in the console and the
/// CLI's help): receivers can recognise and ignore it.
pub const TEST_EVENT: &str = "TEST";

/// What happened to the one attempt.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestDelivery {
    pub url: String,
    /// The `webhook-id` it was sent with (`msg_test_…`).
    pub webhook_id: String,
    pub event: &'static str,
    /// The receiver's HTTP status; `None` when no answer came.
    pub status_code: Option<u16>,
    /// A 2xx answer: what a real delivery would count as delivered.
    pub delivered: bool,
    pub latency_ms: i64,
    /// The first 1 KiB of the answer.
    pub response: Option<String>,
    /// Why no answer came, in words.
    pub error: Option<String>,
}

/// The body of a test event: recognisably a test, with no end-user data.
fn body(client: &ClientId, at_ms: i64) -> String {
    json!({
        "event": TEST_EVENT,
        "clientId": client.as_str(),
        "message": "A test event sent from Ponte (console or `ponte webhooks test`). It carries no data; answer 2xx.",
        "occurredAt": rfc3339(at_ms),
    })
    .to_string()
}

/// Every live webhook secret of the client, current first (as real deliveries sign).
async fn secrets(app: &App, client_id: &str, current_enc: &str) -> Result<Vec<String>> {
    let mut conn = app.store.read().await?;
    let retired =
        ponte_store::live_retired_webhook_secrets(&mut conn, client_id, app.clock.now_ms()).await?;
    drop(conn);
    std::iter::once(current_enc)
        .chain(retired.iter().map(|r| r.secret_enc.as_str()))
        .map(|enc| {
            let plain = app.crypto.open(
                crate::services::slots::client_webhook_secret(client_id),
                enc,
            )?;
            String::from_utf8(plain)
                .map_err(|e| Error::Internal(anyhow::anyhow!("webhook secret is not text: {e}")))
        })
        .collect()
}

/// Sends one test event to `url` (field `url`), or to the client's event
/// webhook URL when none is given. A refused or malformed URL is a field
/// error; an attempt that fails (refused connection, timeout, non-2xx) is a
/// result, described in words.
pub async fn send(app: &App, client: &ClientId, url: Option<&str>) -> Result<TestDelivery> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::client_by_id(&mut conn, client.as_str())
        .await?
        .ok_or(Error::NotFound("client"))?;
    drop(conn);
    let raw = match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => u.to_string(),
        None => row.webhook_url.clone().ok_or_else(|| {
            FieldError::new(
                "url",
                "is required: the client has no webhook URL configured",
            )
        })?,
    };
    let target = HttpUrl::parse("url", &raw)?;
    crate::services::webhook_target(app, "url", &target).await?;
    let url = target.as_str().to_string();
    if !app.config.allow_private_webhooks {
        crate::ssrf::check_literal(&url).map_err(|why| FieldError::new("url", why))?;
    }
    let secrets = secrets(app, client.as_str(), &row.webhook_secret_enc).await?;
    let webhook_id = format!("msg_test_{}", uuid::Uuid::now_v7().simple());
    let now = app.clock.now_ms();
    let body = body(client, now);
    let timestamp = now / 1000;
    let signature = signature_header(&secrets, &webhook_id, timestamp, &body).ok_or_else(|| {
        Error::Internal(anyhow::anyhow!("the client's webhook secret is malformed"))
    })?;
    let started = Instant::now();
    let result = app
        .webhook_http
        .post(&url)
        .timeout(ATTEMPT_TIMEOUT)
        .header("content-type", "application/json")
        .header("webhook-id", &webhook_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    let (status_code, response, error) = match result {
        Ok(resp) => {
            let status = resp.status().as_u16();
            (Some(status), Some(read_capture(resp).await), None)
        }
        Err(e) => (None, None, Some(send_error(&e))),
    };
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let delivered = status_code.is_some_and(|s| (200..300).contains(&s));
    // The URL may carry a token of the integrator's: log ids and the outcome only.
    tracing::info!(
        client_id = %client,
        webhook_id = %webhook_id,
        status_code,
        delivered,
        latency_ms,
        "test webhook sent"
    );
    Ok(TestDelivery {
        url,
        webhook_id,
        event: TEST_EVENT,
        status_code,
        delivered,
        latency_ms,
        response,
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_body_says_what_it_is_and_carries_no_data() {
        let client = ClientId::from_trusted("c1");
        let v: serde_json::Value = serde_json::from_str(&body(&client, 0)).unwrap();
        assert_eq!(v["event"], TEST_EVENT);
        assert_eq!(v["clientId"], "c1");
        assert_eq!(v["occurredAt"], "1970-01-01T00:00:00.000Z");
        assert!(v.get("consentId").is_none());
    }
}
