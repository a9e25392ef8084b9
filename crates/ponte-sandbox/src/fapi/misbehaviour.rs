//! Misbehaviour on request, for tests: `POST {base_url}/_test/misbehaviour` with
//! `{"bank": "<code>" (optional: all banks), "mode": "<mode>"}` makes the bank(s) answer
//! every following authorisation like a broken or hostile bank would, until
//! `{"mode": "none"}`. The modes mirror the OpenID conformance suite's FAPI 1.0 Advanced
//! client test modules (see /work/notes/fapi-research.md §1); two are legal variations a
//! client must accept (`aud_array`, `token_response_without_scope`). Kept in the store so
//! every node of a sandbox agrees.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::catalogue;
use crate::errors::OfbError;
use crate::AppState;

/// Every mode, with what the bank then does.
pub const MODES: &[(&str, &str)] = &[
    ("none", "behave"),
    (
        "invalid_s_hash",
        "front-channel ID token: s_hash of another state",
    ),
    ("missing_s_hash", "front-channel ID token: no s_hash"),
    (
        "invalid_c_hash",
        "front-channel ID token: c_hash of another code",
    ),
    ("missing_c_hash", "front-channel ID token: no c_hash"),
    ("invalid_nonce", "front-channel ID token: another nonce"),
    ("missing_nonce", "front-channel ID token: no nonce"),
    (
        "invalid_iss",
        "front-channel ID token: iss = issuer + \"1\"",
    ),
    ("missing_iss", "front-channel ID token: no iss"),
    (
        "invalid_aud",
        "front-channel ID token: aud is another client",
    ),
    ("missing_aud", "front-channel ID token: no aud"),
    (
        "invalid_secondary_aud",
        "front-channel ID token: aud = [client, another], no azp",
    ),
    ("aud_array", "LEGAL: front-channel ID token aud = [client]"),
    ("alg_none", "front-channel ID token: unsigned, alg none"),
    (
        "invalid_signature",
        "front-channel ID token: corrupted signature",
    ),
    (
        "expired_id_token",
        "front-channel ID token: exp 6 minutes ago",
    ),
    ("missing_exp", "front-channel ID token: no exp"),
    (
        "iat_week_ago",
        "front-channel ID token: iat a week ago (exp still ahead)",
    ),
    ("missing_iat", "front-channel ID token: no iat"),
    (
        "rs256",
        "front-channel ID token: signed RS256 instead of PS256",
    ),
    (
        "encrypted_rsa1_5",
        "front-channel ID token: JWE with alg RSA1_5",
    ),
    (
        "response_iss_mismatch",
        "authorization response: iss parameter (RFC 9207) is not the issuer",
    ),
    (
        "interaction_id_mismatch",
        "consents and data APIs: x-fapi-interaction-id echo differs",
    ),
    (
        "token_response_without_scope",
        "LEGAL: token answer without scope and expires_in",
    ),
    (
        "token_id_token_invalid_signature",
        "token endpoint ID token: corrupted signature",
    ),
];

#[derive(Deserialize)]
pub struct SetMode {
    bank: Option<String>,
    mode: String,
}

pub async fn set(
    State(st): State<AppState>,
    Json(body): Json<SetMode>,
) -> Result<Response, OfbError> {
    if !MODES.iter().any(|(m, _)| *m == body.mode) {
        return Err(OfbError::bad_request(
            "PARAMETRO_INVALIDO",
            &format!("mode {:?} is unknown; GET lists the modes", body.mode),
        ));
    }
    if let Some(code) = &body.bank {
        catalogue::find(code)?;
    }
    st.store
        .set_misbehaviour(body.bank.as_deref(), &body.mode)
        .await
        .map_err(OfbError::internal)?;
    tracing::info!(bank = ?body.bank, mode = %body.mode, "sandbox misbehaviour set");
    show(State(st)).await
}

pub async fn show(State(st): State<AppState>) -> Result<Response, OfbError> {
    let set = st.store.misbehaviours().await.map_err(OfbError::internal)?;
    let current: serde_json::Map<String, serde_json::Value> =
        set.into_iter().map(|(b, m)| (b, json!(m))).collect();
    let modes: serde_json::Map<String, serde_json::Value> = MODES
        .iter()
        .map(|(m, d)| (m.to_string(), json!(d)))
        .collect();
    Ok((
        StatusCode::OK,
        Json(json!({"current": current, "modes": modes})),
    )
        .into_response())
}

/// The mode in force at `bank`, None when it behaves (or the store cannot say).
pub async fn mode(st: &AppState, bank: &str) -> Option<String> {
    match st.store.misbehaviour(bank).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "sandbox misbehaviour lookup");
            None
        }
    }
}
