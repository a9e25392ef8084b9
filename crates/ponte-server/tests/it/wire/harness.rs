//! The journey's tools: one request recorded as the snapshots hold it, and
//! polling bounded in time.

use super::shape::Bases;
use crate::support::TestServer;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::time::Duration;

pub struct Wire<'a> {
    pub ts: &'a TestServer,
    pub bases: Bases,
}

impl Wire<'_> {
    /// One request; `target` is a path on the server or an absolute URL.
    /// Returns the raw body and the normalised record the snapshots hold.
    pub async fn exchange(
        &self,
        method: Method,
        target: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (Value, Value) {
        let url = if target.starts_with("http") {
            target.to_string()
        } else {
            self.ts.url(target)
        };
        let mut req = self.ts.http.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| Value::String(self.bases.text(v)))
        };
        let mut record = Map::new();
        record.insert("status".into(), json!(status));
        for (name, key) in [
            ("content-type", "contentType"),
            ("cache-control", "cacheControl"),
            ("content-disposition", "contentDisposition"),
            ("retry-after", "retryAfter"),
        ] {
            // The blanket `no-store` of every JSON answer is the security
            // layer's (checked in hardening_edge.rs); a handler's own cache
            // policy, as on downloads, is part of the wire.
            if name == "cache-control" && v_is_blanket(&resp) {
                continue;
            }
            if let Some(v) = header(name) {
                record.insert(key.into(), v);
            }
        }
        let bytes = resp.bytes().await.expect("body");
        let raw = if bytes.starts_with(b"%PDF-") {
            // The PDF itself is checked in reports.rs; here only that it is one.
            Value::String("<pdf document>".into())
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        record.insert("body".into(), self.bases.value(&raw));
        (raw, Value::Object(record))
    }

    /// `exchange`, then compares its record with snapshot `name`.
    pub async fn snap(
        &self,
        name: &str,
        method: Method,
        target: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let (raw, record) = self.exchange(method, target, token, body).await;
        super::assert_wire(name, &record);
        raw
    }

    /// `GET /data/v1/requests/{id}` compared with snapshot `name`. Reports
    /// are listed in the order they were generated, which for jobs running
    /// side by side is a race; the snapshot lists them by product.
    pub async fn snap_request(&self, name: &str, path: &str, token: &str) -> Value {
        let (raw, mut record) = self.exchange(Method::GET, path, Some(token), None).await;
        if let Some(reports) = record["body"]["reports"].as_array_mut() {
            reports.sort_by_key(|r| r["product"].to_string());
        }
        super::assert_wire(name, &record);
        raw
    }

    pub async fn get(&self, target: &str, token: &str) -> Value {
        self.exchange(Method::GET, target, Some(token), None)
            .await
            .0
    }

    pub async fn post(&self, target: &str, token: &str, body: Value) -> Value {
        self.exchange(Method::POST, target, Some(token), Some(body))
            .await
            .0
    }

    /// Polls `target` until `pred` holds (bounded: 30 s), or fails the test.
    pub async fn until(
        &self,
        what: &str,
        target: &str,
        token: &str,
        pred: impl Fn(&Value) -> bool,
    ) {
        let mut last = Value::Null;
        for _ in 0..600 {
            last = self.get(target, token).await;
            if pred(&last) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting for {what}: {last}");
    }
}

pub fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// The events of one consent in the order they happened: each one's
/// `previousStatus` is the status before it.
pub fn in_transition_order(mut events: Vec<Value>) -> Vec<Value> {
    let mut ordered = Vec::new();
    let mut previous = Value::Null;
    while let Some(at) = events.iter().position(|e| e["previousStatus"] == previous) {
        let event = events.remove(at);
        previous = event["status"].clone();
        ordered.push(event);
    }
    assert!(events.is_empty(), "events outside the chain: {events:?}");
    ordered
}

fn v_is_blanket(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get("cache-control")
        .is_some_and(|v| v == "no-store")
}
