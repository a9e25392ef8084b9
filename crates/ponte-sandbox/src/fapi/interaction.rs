//! The `x-fapi-interaction-id` echo, and the checks of a FAPI caller's
//! headers on the consents and data APIs.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::OfbError;

static INTERACTION_ID: HeaderName = HeaderName::from_static("x-fapi-interaction-id");

/// Echoes `x-fapi-interaction-id`, minting one when the caller sent none, as OFB requires.
/// FAPI callers (over mTLS with a certificate) of the consents and data APIs must send
/// one, a UUID (OFB security profile; the APIs' `x-fapi-interaction-id` is a required
/// UUID header), and the end user's headers, when sent, must follow the spec
/// (`fapi::end_user_headers`): the others keep the lenient legacy behaviour.
/// Under the `interaction_id_mismatch` misbehaviour the consents and data APIs echo
/// another id instead.
pub async fn interaction_id(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let sent = req.headers().get(&INTERACTION_ID).cloned();
    let minted = || HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).ok();
    let path = req.uri().path().to_string();
    let api_bank = path
        .strip_prefix('/')
        .and_then(|p| p.split_once("/open-banking/"))
        .map(|(bank, _)| bank.to_string());
    if api_bank.is_some() && crate::tls::current().is_some() {
        let checked = check_interaction_id(sent.as_ref())
            .and_then(|()| super::end_user_headers::check(req.headers()));
        if let Err(e) = checked {
            let mut resp = e.into_response();
            if let Some(id) = minted() {
                resp.headers_mut().insert(INTERACTION_ID.clone(), id);
            }
            return resp;
        }
    }
    let id = sent.or_else(minted);
    let mut resp = next.run(req).await;
    let id = match api_bank {
        Some(bank) if !bank.contains('/') => {
            let mode = super::misbehaviour::mode(&st, &bank).await;
            if mode.as_deref() == Some("interaction_id_mismatch") {
                HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).ok()
            } else {
                id
            }
        }
        _ => id,
    };
    if let Some(id) = id {
        resp.headers_mut().insert(INTERACTION_ID.clone(), id);
    }
    resp
}

/// A FAPI caller's `x-fapi-interaction-id`: present and a hyphenated UUID.
fn check_interaction_id(sent: Option<&HeaderValue>) -> Result<(), OfbError> {
    let Some(v) = sent else {
        return Err(OfbError::bad_request(
            "PARAMETRO_NAO_INFORMADO",
            "x-fapi-interaction-id is required on FAPI calls (a UUID the bank echoes).",
        ));
    };
    let ok = v
        .to_str()
        .ok()
        .filter(|s| s.len() == 36)
        .is_some_and(|s| uuid::Uuid::try_parse(s).is_ok());
    if !ok {
        return Err(OfbError::bad_request(
            "PARAMETRO_INVALIDO",
            "x-fapi-interaction-id must be a UUID (RFC 4122, hyphenated).",
        ));
    }
    Ok(())
}
