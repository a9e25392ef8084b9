//! The demo integrator's webhook receiver, `POST /demo/webhooks`: in sandbox
//! mode the sandbox client's webhook URL points here, so `/demo` can show,
//! live, what an integrator's backend receives. Like a real receiver it
//! checks the Standard Webhooks signature with the client's secret (every
//! live one, during a rotation) and refuses a bad one with 401.
//!
//! What it accepted is kept in memory, per process and bounded: a demo, not
//! a delivery log (`GET /data/v1/webhooks/messages` is that). On several
//! nodes a page sees the messages its own node received.

use crate::services::slots;
use crate::App;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;
use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex};

/// Messages kept per client; older ones are forgotten.
const KEPT_PER_CLIENT: usize = 50;
/// Clients with messages kept (each test server, or a database switched
/// under a running process, is another client).
const KEPT_CLIENTS: usize = 16;
/// Standard Webhooks' tolerance: an older (or future) timestamp is a replay.
const TOLERANCE_SECS: i64 = 5 * 60;

/// One accepted message, as the page shows it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    pub webhook_id: String,
    pub event: Option<String>,
    pub link_id: Option<String>,
    /// Always true: unverified messages are refused, never kept.
    pub verified: bool,
    pub received_at: String,
    pub payload: Value,
}

struct Inbox {
    /// Client id → its messages, oldest first.
    by_client: HashMap<String, VecDeque<Received>>,
    /// Client ids in the order they first received, to forget the oldest.
    order: VecDeque<String>,
}

static INBOX: LazyLock<Mutex<Inbox>> = LazyLock::new(|| {
    Mutex::new(Inbox {
        by_client: HashMap::new(),
        order: VecDeque::new(),
    })
});

fn keep(client_id: &str, message: Received) {
    // A poisoned lock only means another request panicked mid-push: the
    // queue itself is still a valid queue.
    let mut inbox = INBOX.lock().unwrap_or_else(|p| p.into_inner());
    if !inbox.by_client.contains_key(client_id) {
        if inbox.order.len() >= KEPT_CLIENTS {
            if let Some(oldest) = inbox.order.pop_front() {
                inbox.by_client.remove(&oldest);
            }
        }
        inbox.order.push_back(client_id.to_string());
    }
    let queue = inbox.by_client.entry(client_id.to_string()).or_default();
    // Retries carry the same id: show a message once.
    if queue.iter().any(|m| m.webhook_id == message.webhook_id) {
        return;
    }
    if queue.len() >= KEPT_PER_CLIENT {
        queue.pop_front();
    }
    queue.push_back(message);
}

/// The messages about `link_id` the client received, oldest first.
pub fn received_for_link(client_id: &str, link_id: &str) -> Vec<Received> {
    let inbox = INBOX.lock().unwrap_or_else(|p| p.into_inner());
    inbox
        .by_client
        .get(client_id)
        .map(|q| {
            q.iter()
                .filter(|m| m.link_id.as_deref() == Some(link_id))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Why a message was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("the {0} header is missing")]
    MissingHeader(&'static str),
    #[error("webhook-timestamp is not within five minutes of now")]
    Stale,
    #[error("no signature matches the client's webhook secret")]
    BadSignature,
}

/// The Standard Webhooks headers of one message.
pub struct Signed<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// Checks `body` against every `whsec_` secret in `secrets`; compares in
/// constant time (hmac's `verify_slice`).
pub fn verify(
    secrets: &[String],
    signed: &Signed<'_>,
    body: &[u8],
    now_secs: i64,
) -> Result<(), Refused> {
    let id = signed.id.ok_or(Refused::MissingHeader("webhook-id"))?;
    let timestamp = signed
        .timestamp
        .ok_or(Refused::MissingHeader("webhook-timestamp"))?;
    let signatures = signed
        .signature
        .ok_or(Refused::MissingHeader("webhook-signature"))?;
    let ts: i64 = timestamp.trim().parse().map_err(|_| Refused::Stale)?;
    if (now_secs - ts).abs() > TOLERANCE_SECS {
        return Err(Refused::Stale);
    }
    let offered: Vec<Vec<u8>> = signatures
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|b64| STANDARD.decode(b64).ok())
        .collect();
    for secret in secrets {
        let Ok(key) = STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret)) else {
            continue;
        };
        for signature in &offered {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
                continue;
            };
            mac.update(id.as_bytes());
            mac.update(b".");
            mac.update(timestamp.as_bytes());
            mac.update(b".");
            mac.update(body);
            if mac.verify_slice(signature).is_ok() {
                return Ok(());
            }
        }
    }
    Err(Refused::BadSignature)
}

/// The client's live webhook secrets: the current one and any still in
/// their rotation grace.
pub async fn secrets_of(app: &App, client_id: &str) -> anyhow::Result<Vec<String>> {
    let now = app.clock.now_ms();
    let mut conn = app.store.read().await?;
    let row = ponte_store::client_by_id(&mut conn, client_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the sandbox client is gone"))?;
    let retired = ponte_store::live_retired_webhook_secrets(&mut conn, client_id, now).await?;
    drop(conn);
    std::iter::once(row.webhook_secret_enc.as_str())
        .chain(retired.iter().map(|r| r.secret_enc.as_str()))
        .map(|sealed| {
            let plain = app
                .crypto
                .open(slots::client_webhook_secret(client_id), sealed)?;
            Ok(String::from_utf8(plain)?)
        })
        .collect()
}

/// Verifies and keeps one message for `client_id`.
pub async fn receive(
    app: &App,
    client_id: &str,
    signed: &Signed<'_>,
    body: &[u8],
) -> anyhow::Result<Result<(), Refused>> {
    let secrets = secrets_of(app, client_id).await?;
    if let Err(refused) = verify(&secrets, signed, body, app.clock.now_ms() / 1000) {
        return Ok(Err(refused));
    }
    // Signed by Ponte: a body that is not JSON is still shown, as text.
    let payload = serde_json::from_slice::<Value>(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()));
    let field = |name: &str| payload.get(name).and_then(Value::as_str).map(String::from);
    let message = Received {
        webhook_id: signed.id.unwrap_or_default().to_string(),
        event: field("event"),
        link_id: field("linkId"),
        verified: true,
        received_at: crate::clock::rfc3339(app.clock.now_ms()),
        payload,
    };
    tracing::info!(client_id, webhook_id = %message.webhook_id, event = ?message.event, "demo received a webhook");
    keep(client_id, message);
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workers::dispatcher::sign;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn signed<'a>(id: &'a str, ts: &'a str, sig: &'a str) -> Signed<'a> {
        Signed {
            id: Some(id),
            timestamp: Some(ts),
            signature: Some(sig),
        }
    }

    #[test]
    fn a_signature_made_by_the_dispatcher_verifies_and_a_forged_one_does_not() {
        let body = r#"{"event":"CONSENT_STATUS_CHANGED"}"#;
        let good = sign(SECRET, "msg_1", 1_700_000_000, body).unwrap();
        let secrets = [SECRET.to_string()];
        assert_eq!(
            verify(
                &secrets,
                &signed("msg_1", "1700000000", &good),
                body.as_bytes(),
                1_700_000_010
            ),
            Ok(())
        );
        // During a rotation the header carries two; either may match.
        let both = format!("v1,AAAA {good}");
        assert_eq!(
            verify(
                &secrets,
                &signed("msg_1", "1700000000", &both),
                body.as_bytes(),
                1_700_000_000
            ),
            Ok(())
        );
        let tampered = r#"{"event":"REPORT_READY"}"#;
        assert_eq!(
            verify(
                &secrets,
                &signed("msg_1", "1700000000", &good),
                tampered.as_bytes(),
                1_700_000_000
            ),
            Err(Refused::BadSignature)
        );
        let other = sign("whsec_b3RoZXIgc2VjcmV0", "msg_1", 1_700_000_000, body).unwrap();
        assert_eq!(
            verify(
                &secrets,
                &signed("msg_1", "1700000000", &other),
                body.as_bytes(),
                1_700_000_000
            ),
            Err(Refused::BadSignature)
        );
        assert_eq!(
            verify(
                &secrets,
                &signed("msg_1", "1700000000", &good),
                body.as_bytes(),
                1_700_000_000 + 301
            ),
            Err(Refused::Stale)
        );
        let missing = Signed {
            id: None,
            timestamp: Some("1"),
            signature: Some(&good),
        };
        assert_eq!(
            verify(&secrets, &missing, body.as_bytes(), 1),
            Err(Refused::MissingHeader("webhook-id"))
        );
    }

    #[test]
    fn the_inbox_is_bounded_and_shows_a_retried_message_once() {
        let client = format!("client-{}", uuid::Uuid::new_v4());
        let message = |i: usize| Received {
            webhook_id: format!("msg_{i}"),
            event: Some("CONSENT_STATUS_CHANGED".into()),
            link_id: Some("lnk".into()),
            verified: true,
            received_at: String::new(),
            payload: Value::Null,
        };
        keep(&client, message(0));
        keep(&client, message(0));
        assert_eq!(received_for_link(&client, "lnk").len(), 1);
        for i in 1..KEPT_PER_CLIENT + 10 {
            keep(&client, message(i));
        }
        let kept = received_for_link(&client, "lnk");
        assert_eq!(kept.len(), KEPT_PER_CLIENT);
        assert_eq!(kept[0].webhook_id, "msg_10", "the oldest went first");
        assert!(received_for_link(&client, "another link").is_empty());
    }
}
