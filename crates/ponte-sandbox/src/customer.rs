//! The customer's own side of the bank (sandbox only, not an Open Finance API): what a
//! bank's app offers the person who authorised a consent. Open Finance Brasil requires
//! banks to let customers revoke a consent in their own channels; the receiving
//! institution only learns of it when its tokens stop working and the consents API
//! reports the consent `REJECTED` with reason `CUSTOMER_MANUALLY_REVOKED`.
//!
//! - `GET  /{code}/customer/consents/{consentId}`: the consent (`data` as in the consents
//!   API) plus `activity`, the bank's counters for it: `tokenRefreshes` (refresh-token
//!   grants honoured, each one rotating the refresh token), `throttledCalls` (data-API
//!   calls answered 429) and `expiredTokens` (access tokens ended early, `user_expiring`).
//! - `POST /{code}/customer/consents/{consentId}/revoke`: revokes it; every token bound to
//!   it dies at once.
//!
//! Both take HTTP Basic `username:password` of the sandbox user who authorised the
//! consent; anyone else's consent is reported as absent.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use crate::catalogue::BankInfo;
use crate::consents_api::{already_rejected, api_bank, consent_body, json_response};
use crate::errors::OfbError;
use crate::flow::credentials_ok;
use crate::store::{counter, Consent};
use crate::AppState;

/// The logged-in customer's consent at this bank.
async fn customer_consent(
    st: &AppState,
    bank: &BankInfo,
    headers: &HeaderMap,
    id: &str,
) -> Result<Consent, OfbError> {
    let (username, password) = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|c| {
            c.split_once(':')
                .map(|(u, p)| (u.to_string(), p.to_string()))
        })
        .ok_or_else(|| {
            OfbError::unauthorized("Authorization: Basic <username:password> header is missing")
        })?;
    if !credentials_ok(&username, &password) {
        return Err(OfbError::unauthorized("wrong username or password"));
    }
    let absent = || OfbError::not_found(&format!("consentId {id} not found for this customer"));
    let consent = st
        .store
        .consent(bank.code, id)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(absent)?;
    let owner = st
        .store
        .consent_user(id)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(absent)?;
    if owner.username != username {
        return Err(absent());
    }
    Ok(consent)
}

pub async fn read(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let consent = customer_consent(&st, bank, &headers, &id).await?;
    let mut activity = serde_json::Map::new();
    for (name, key) in [
        ("tokenRefreshes", counter::REFRESHES),
        ("throttledCalls", counter::THROTTLED),
        ("expiredTokens", counter::EXPIRED_TOKENS),
    ] {
        let n = st
            .store
            .counter(&id, key)
            .await
            .map_err(OfbError::internal)?;
        activity.insert(name.into(), json!(n));
    }
    let mut body = consent_body(&st, bank, &consent);
    body["activity"] = activity.into();
    Ok(json_response(StatusCode::OK, &body))
}

pub async fn revoke(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let consent = customer_consent(&st, bank, &headers, &id).await?;
    match consent.status.as_str() {
        "AUTHORISED" => {}
        "REJECTED" => return Err(already_rejected()),
        other => {
            return Err(OfbError::unprocessable(
                "ESTADO_CONSENTIMENTO_INVALIDO",
                "Estado do consentimento inválido",
                &format!("the consent is {other}, not AUTHORISED"),
            ))
        }
    }
    let rejection = json!({"rejectedBy": "USER", "reason": {
        "code": "CUSTOMER_MANUALLY_REVOKED",
        "additionalInformation": "Customer revoked the consent in the institution's app",
    }});
    let changed = st
        .store
        .reject_consent(&id, &["AUTHORISED"], &rejection)
        .await
        .map_err(OfbError::internal)?;
    if !changed {
        // Lost a race with another revocation or the consent's expiry.
        return Err(already_rejected());
    }
    tracing::info!(bank = bank.code, consent_id = %id, "consent revoked by the customer");
    let consent = st
        .store
        .consent(bank.code, &id)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(|| OfbError::internal("revoked consent vanished"))?;
    Ok(json_response(
        StatusCode::OK,
        &consent_body(&st, bank, &consent),
    ))
}
