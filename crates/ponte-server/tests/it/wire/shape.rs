//! Turns a response into what the wire snapshots compare: everything that
//! differs run to run (ids, tokens, times, ports, signatures, the day's
//! sandbox data) becomes a marker, everything else (every key, every type,
//! every fixed value) stays as it was sent.

use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// The addresses that change per run: the server's and the webhook receiver's.
pub struct Bases {
    pub server: String,
    pub receiver: String,
}

static JWT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*").unwrap());
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
        .unwrap()
});
static MESSAGE_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"msg_[A-Za-z0-9]+").unwrap());
static WEBHOOK_SECRET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"whsec_[A-Za-z0-9+/=]+").unwrap());
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})").unwrap()
});
/// A URL parameter's value, unless it is already a marker.
static QUERY_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([?&][^=&#]+)=([^&#\[][^&#]*)").unwrap());
static VERSION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/\d+\.\d+\.\d+").unwrap());
static LOOPBACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"http://127\.0\.0\.1:\d+").unwrap());
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"v1,[A-Za-z0-9+/=]+").unwrap());

impl Bases {
    pub fn text(&self, s: &str) -> String {
        let mut s = s
            .replace(&self.server, "[base]")
            .replace(&self.receiver, "[receiver]");
        // Any other loopback address (a port of the run) is as variable.
        s = LOOPBACK.replace_all(&s, "[loopback]").into_owned();
        s = JWT.replace_all(&s, "[token]").into_owned();
        if s.starts_with('[') || s.starts_with("http") {
            // A URL keeps its path and its parameters' names; the values
            // (signatures, expiries, request URIs) are the run's.
            s = QUERY_VALUE.replace_all(&s, "$1=[value]").into_owned();
        }
        s = UUID.replace_all(&s, "[id]").into_owned();
        s = MESSAGE_ID.replace_all(&s, "msg_[id]").into_owned();
        s = WEBHOOK_SECRET
            .replace_all(&s, "whsec_[secret]")
            .into_owned();
        TIME.replace_all(&s, "[time]").into_owned()
    }

    /// A response body or webhook payload, normalised throughout. A report's
    /// `data` becomes its shape; a FAILED report's reason its type only (its
    /// wording is not part of the contract being frozen).
    pub fn value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.value(i)).collect()),
            Value::Object(map) => {
                let failed = map.get("status").and_then(Value::as_str) == Some("FAILED");
                let is_report = map.contains_key("reportId") && map.contains_key("product");
                let out = map
                    .iter()
                    .map(|(k, v)| {
                        let v = match (k.as_str(), v) {
                            ("latencyMs", Value::Number(_)) => Value::String("[ms]".into()),
                            ("nextCursor", Value::String(_)) => Value::String("[cursor]".into()),
                            ("reason", Value::String(_)) if failed => {
                                Value::String("[failure reason]".into())
                            }
                            ("data", v) if is_report => shape(v),
                            ("summary", v) if is_report => figures(v),
                            (_, v) => self.value(v),
                        };
                        (k.clone(), v)
                    })
                    .collect();
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// A webhook request's headers: every name, fixed values as sent, and
    /// the shape of the variable ones (how many signatures, for instance).
    pub fn headers(&self, headers: &std::collections::BTreeMap<String, String>) -> Value {
        let out: Map<String, Value> = headers
            .iter()
            .map(|(name, value)| {
                let shown = match name.as_str() {
                    "webhook-signature" => SIGNATURE.replace_all(value, "v1,[signature]").into(),
                    "webhook-timestamp" if value.chars().all(|c| c.is_ascii_digit()) => {
                        "[unix seconds]".to_string()
                    }
                    "content-length" => "[length]".to_string(),
                    "host" => "[receiver host]".to_string(),
                    // The release's version is not the wire's shape.
                    "user-agent" => VERSION.replace_all(value, "/[version]").into(),
                    _ => self.text(value),
                };
                (name.clone(), Value::String(shown))
            })
            .collect();
        Value::Object(out)
    }
}

/// The structure of a report's `data`: the sandbox generates it from the
/// current date, so values and lengths change day to day, but keys and types
/// do not. Every item of an array is merged into one shape, so a key any item
/// carries is listed.
pub fn shape(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Bool(_) => Value::String("<bool>".into()),
        Value::Number(_) => Value::String("<number>".into()),
        Value::String(_) => Value::String("<string>".into()),
        Value::Array(items) => {
            let merged = items.iter().map(shape).reduce(|a, b| merge(&a, &b));
            Value::Array(merged.into_iter().collect())
        }
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
    }
}

fn merge(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut out = x.clone();
            for (k, v) in y {
                let merged = match out.get(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(x), Value::Array(y)) => {
            let merged = x.iter().chain(y).cloned().reduce(|a, b| merge(&a, &b));
            Value::Array(merged.into_iter().collect())
        }
        (x, y) if x == y => x.clone(),
        // A key that is null in some items and set in others.
        (Value::Null, y) => y.clone(),
        (x, Value::Null) => x.clone(),
        (x, y) => {
            let kinds: std::collections::BTreeSet<String> = [label(x), label(y)]
                .iter()
                .flat_map(|k| k.split('|').map(str::to_string).collect::<Vec<_>>())
                .collect();
            Value::String(kinds.into_iter().collect::<Vec<_>>().join("|"))
        }
    }
}

fn label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(_) => "<array>".into(),
        Value::Object(_) => "<object>".into(),
        other => other.to_string(),
    }
}

/// A report's summary: its keys and strings stay, its counts and amounts
/// (which follow the day's sandbox data) become their type.
fn figures(v: &Value) -> Value {
    match v {
        Value::Number(_) => Value::String("<number>".into()),
        Value::String(s) if s.parse::<f64>().is_ok() => Value::String("<decimal string>".into()),
        Value::Array(items) => Value::Array(items.iter().map(figures).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), figures(v))).collect())
        }
        other => other.clone(),
    }
}
