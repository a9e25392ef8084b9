//! The integrator's webhook receiver: answers 200 to everything, counts
//! each delivery by its `webhook-id` (stable across retries, so a second
//! delivery of one id is a message sent twice) and wakes the flow waiting
//! for the event it names.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::oneshot;

/// One delivery as it arrived.
#[derive(Clone)]
pub struct Delivery {
    pub webhook_id: String,
    pub at: Instant,
    pub body: Value,
}

enum Slot {
    Arrived(Instant),
    Waiting(oneshot::Sender<Instant>),
}

#[derive(Default)]
struct Inner {
    deliveries: Vec<Delivery>,
    slots: HashMap<String, Slot>,
}

#[derive(Clone, Default)]
pub struct Receiver {
    inner: Arc<Mutex<Inner>>,
}

/// What a flow waits for in a webhook body, if anything: `report:<consent>`,
/// `authorised:<consent>` or `retrieval:<id>`.
pub fn event_key(body: &Value) -> Option<String> {
    match body["event"].as_str() {
        Some("REPORT_READY") => Some(format!("report:{}", body["consentId"].as_str()?)),
        Some("CONSENT_STATUS_CHANGED") if body["status"] == "AUTHORISED" => {
            Some(format!("authorised:{}", body["consentId"].as_str()?))
        }
        // The quickstart's shape has no `event`; Ponte adds `documents.ready`.
        Some("documents.ready") | None => {
            Some(format!("retrieval:{}", body["data"]["id"].as_i64()?))
        }
        Some(_) => None,
    }
}

impl Receiver {
    /// Serves on a free loopback port; the webhook URL.
    pub async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("receiver port");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(self.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        url
    }

    fn record(&self, webhook_id: String, body: Value) {
        let at = Instant::now();
        let key = event_key(&body);
        let mut inner = self.inner.lock().expect("receiver lock");
        inner.deliveries.push(Delivery {
            webhook_id,
            at,
            body,
        });
        if let Some(key) = key {
            match inner.slots.remove(&key) {
                Some(Slot::Waiting(tx)) => {
                    let _ = tx.send(at);
                    inner.slots.insert(key, Slot::Arrived(at));
                }
                Some(arrived) => {
                    inner.slots.insert(key, arrived);
                }
                None => {
                    inner.slots.insert(key, Slot::Arrived(at));
                }
            }
        }
    }

    /// When the event `key` first arrived, waiting for it if it has not.
    pub fn wait(&self, key: &str) -> oneshot::Receiver<Instant> {
        let (tx, rx) = oneshot::channel();
        let mut inner = self.inner.lock().expect("receiver lock");
        match inner.slots.get(key) {
            Some(Slot::Arrived(at)) => {
                let _ = tx.send(*at);
            }
            _ => {
                inner.slots.insert(key.to_string(), Slot::Waiting(tx));
            }
        }
        rx
    }

    /// Whether the event `key` has arrived.
    pub fn arrived(&self, key: &str) -> bool {
        let inner = self.inner.lock().expect("receiver lock");
        matches!(inner.slots.get(key), Some(Slot::Arrived(_)))
    }

    /// Every delivery so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.lock().expect("receiver lock").deliveries.clone()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) {
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = serde_json::from_str(&body).unwrap_or(Value::Null);
    r.record(id, body);
}
