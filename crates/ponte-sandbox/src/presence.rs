//! What a receiver said about its end user when it created a consent: the OFB headers
//! `x-fapi-auth-date`, `x-fapi-customer-ip-address` and `x-customer-user-agent`
//! (checked for form by `fapi::end_user_headers`). A real bank keeps them for its fraud
//! checks; the sandbox keeps the latest per consent, in memory, and shows them to tests
//! at `GET /{code}/_test/consents/{id}/presence` (sandbox only, like the clock hook).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::errors::OfbError;
use crate::AppState;

/// Consent id → the end user's headers at its creation. Bounded: the oldest half goes
/// when it is full, which only a long-running sandbox reaches.
#[derive(Clone, Default)]
pub struct Presence(Arc<Mutex<HashMap<String, Value>>>);

const MAX: usize = 10_000;

impl Presence {
    pub fn record(&self, consent_id: &str, headers: &HeaderMap) {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map_or(Value::Null, |v| json!(v))
        };
        let seen = json!({
            "xFapiAuthDate": get("x-fapi-auth-date"),
            "xFapiCustomerIpAddress": get("x-fapi-customer-ip-address"),
            "xCustomerUserAgent": get("x-customer-user-agent"),
        });
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= MAX {
                let drop: Vec<String> = map.keys().take(MAX / 2).cloned().collect();
                for k in drop {
                    map.remove(&k);
                }
            }
            map.insert(consent_id.to_string(), seen);
        }
    }
}

/// `GET /{code}/_test/consents/{consent_id}/presence`.
pub async fn show(
    State(st): State<AppState>,
    Path((_code, consent_id)): Path<(String, String)>,
) -> Result<Json<Value>, OfbError> {
    st.presence
        .0
        .lock()
        .ok()
        .and_then(|m| m.get(&consent_id).cloned())
        .map(Json)
        .ok_or_else(|| OfbError::not_found("No consent with this id was created here."))
}
