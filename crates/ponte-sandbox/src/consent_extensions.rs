//! OFB Consents API v3 renewal without redirect: `POST /consents/{id}/extends` and
//! `GET /consents/{id}/extensions` (consents-3.3.1.yml), with the rules a real transmitter
//! applies: only an AUTHORISED consent, only with the consent's own authorization-code
//! token, only with the end user's IP address and user agent, only by the person who
//! created a personal consent, and only to a later expiry (or none: indefinite). A
//! business consent (with `businessEntity`) is refused `DEPENDE_MULTIPLA_ALCADA`: the
//! sandbox's companies all require several approvers, so it is renewed with a redirect.
//!
//! Also the sandbox-only test clock hook, `PUT /{code}/_test/consents/{id}/clock`, with
//! which Ponte's test clock moves the bank's time for one consent.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::catalogue::BankInfo;
use crate::consents_api::{
    api_bank, bearer, check_document, consent_body, invalid, is_cnpj, is_cpf, json_response,
    missing, owned_consent, MAX_VALIDITY_MS,
};
use crate::data::Query;
use crate::errors::OfbError;
use crate::oauth::REFRESH_MAX_MS;
use crate::store::{Consent, Extension, NewExtension, Token};
use crate::util::{now_ms, ofb_time, parse_ofb_time};
use crate::AppState;

fn refused(code: &str, title: &str, detail: &str) -> OfbError {
    OfbError::unprocessable(code, title, detail)
}

fn invalid_state(detail: &str) -> OfbError {
    refused(
        "ESTADO_CONSENTIMENTO_INVALIDO",
        "Estado inválido do consentimento.",
        detail,
    )
}

fn invalid_expiry(detail: &str) -> OfbError {
    refused(
        "DATA_EXPIRACAO_INVALIDA",
        "Nova data para expiração do consentimento é inválida.",
        detail,
    )
}

/// The consent's own access token (authorization-code grant, `consent:{id}` scope).
async fn consent_token(
    st: &AppState,
    bank: &BankInfo,
    headers: &HeaderMap,
    id: &str,
) -> Result<Token, OfbError> {
    let token = crate::consents_api::access_token(st, bank, headers).await?;
    match token.consent_id.as_deref() {
        Some(c) if c == id => Ok(token),
        Some(_) => Err(OfbError::forbidden(
            "this access token was issued for another consent",
        )),
        None => Err(OfbError::forbidden(
            "extends needs the consent's authorization-code token, not a client_credentials one",
        )),
    }
}

/// A required end-user header, within the spec's length.
fn user_header<'h>(headers: &'h HeaderMap, name: &str, max: usize) -> Result<&'h str, OfbError> {
    let v = headers
        .get(name)
        .map(|v| v.to_str().map(str::trim))
        .transpose()
        .map_err(|_| invalid(name, "must be visible ASCII"))?
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(name))?;
    if v.chars().count() > max {
        return Err(invalid(name, &format!("must be at most {max} characters")));
    }
    Ok(v)
}

/// The new expiry asked for: None is indefinite. Must be later than the current one,
/// in the future and within OFB's 12 months, all judged on the consent's clock.
fn new_expiry(data: &Value, current: &Consent, now: i64) -> Result<Option<i64>, OfbError> {
    let field = "data.expirationDateTime";
    let t = match &data["expirationDateTime"] {
        Value::Null => return Ok(None),
        Value::String(s) => parse_ofb_time(s)
            .ok_or_else(|| invalid(field, "must be formatted YYYY-MM-DDTHH:MM:SSZ"))?,
        _ => return Err(invalid(field, "must be a string")),
    };
    let Some(old) = current.expiration else {
        return Err(invalid_expiry(
            "the consent has no expiry (indefinite); a fixed date would shorten it",
        ));
    };
    if t <= old {
        return Err(invalid_expiry(&format!(
            "{field} must be later than the current expiry {}",
            ofb_time(old)
        )));
    }
    if t > now + MAX_VALIDITY_MS {
        return Err(invalid_expiry(&format!(
            "{field} must be at most 12 months from now"
        )));
    }
    Ok(Some(t))
}

pub async fn extend(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let token = consent_token(&st, bank, &headers, &id).await?;
    let customer_ip = user_header(&headers, "x-fapi-customer-ip-address", 100)?;
    let user_agent = user_header(&headers, "x-customer-user-agent", 255)?;
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| invalid("request body", &format!("is not valid JSON: {e}")))?;
    let data = &body["data"];
    if !data.is_object() {
        return Err(missing("data"));
    }
    let logged_user = &data["loggedUser"];
    if logged_user.is_null() {
        return Err(missing("data.loggedUser"));
    }
    check_document(logged_user, "data.loggedUser", is_cpf, 3)?;
    if !data["businessEntity"].is_null() {
        check_document(&data["businessEntity"], "data.businessEntity", is_cnpj, 4)?;
    }
    // Judged on the consent's clock: an expired consent lapses to REJECTED here.
    let consent = owned_consent(&st, bank, &token, &id).await?;
    if consent.status != "AUTHORISED" {
        return Err(invalid_state(&format!(
            "O consentimento informado não pode ser renovado sem redirecionamento porque está em {}.",
            consent.status
        )));
    }
    let user = st
        .store
        .consent_user(&id)
        .await
        .map_err(OfbError::internal)?;
    if user.as_ref().is_some_and(|u| u.cnpj.is_some()) {
        // The sandbox's companies require several approvers (OFB "múltipla
        // alçada"): their consents are renewed only with a redirect.
        return Err(refused(
            "DEPENDE_MULTIPLA_ALCADA",
            "Necessário aprovação de múltipla alçada.",
            "O consentimento informado não pode ser renovado sem redirecionamento porque depende de múltipla alçada para aprovação.",
        ));
    }
    let creator = user.map(|u| u.cpf);
    let renewing = logged_user["document"]["identification"].as_str();
    if creator.is_some() && creator.as_deref() != renewing {
        // OFB: only the loggedUser who created a personal consent renews it without redirect.
        return Err(refused(
            "ERRO_NAO_MAPEADO",
            "Usuário não pode renovar este consentimento.",
            "data.loggedUser is not the person who created this consent; renew it with a redirect",
        ));
    }
    let offset = st
        .store
        .consent_clock_offset(&id)
        .await
        .map_err(OfbError::internal)?;
    let real_now = now_ms();
    let expiration = new_expiry(data, &consent, real_now + offset)?;
    let refresh_expires_at = expiration.map_or(real_now + REFRESH_MAX_MS, |e| {
        (e - offset).clamp(real_now + 1, real_now + REFRESH_MAX_MS)
    });
    let applied = st
        .store
        .extend_consent(&NewExtension {
            consent_id: &id,
            expiration,
            previous: consent.expiration,
            logged_user,
            customer_ip,
            user_agent,
            requested_at: real_now + offset,
            refresh_expires_at,
        })
        .await
        .map_err(OfbError::internal)?;
    if !applied {
        // Revoked, lapsed or renewed by someone else since it was read.
        return Err(invalid_state(
            "the consent changed while it was being renewed; read it again",
        ));
    }
    let renewed = owned_consent(&st, bank, &token, &id).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &consent_body(&st, bank, &renewed),
    ))
}

fn extension_body(e: &Extension) -> Value {
    let mut v = json!({
        "loggedUser": e.logged_user,
        "requestDateTime": ofb_time(e.requested_at),
        "xFapiCustomerIpAddress": e.customer_ip,
        "xCustomerUserAgent": e.user_agent,
    });
    if let Some(t) = e.expiration {
        v["expirationDateTime"] = json!(ofb_time(t));
    }
    if let Some(t) = e.previous_expiration {
        v["previousExpirationDateTime"] = json!(ofb_time(t));
    }
    v
}

pub async fn extensions(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let token = bearer(&st, bank, &headers).await?;
    let paging = Query::parse(&query).paging().map_err(|_| {
        invalid(
            "page/page-size",
            "must be integers: page from 1, page-size 1 to 1000",
        )
    })?;
    owned_consent(&st, bank, &token, &id).await?;
    let all = st
        .store
        .consent_extensions(&id)
        .await
        .map_err(OfbError::internal)?;
    let total = all.len() as u64;
    let data: Vec<Value> = all
        .iter()
        .skip(paging.skip() as usize)
        .take(paging.size as usize)
        .map(extension_body)
        .collect();
    let url = format!(
        "{}/open-banking/consents/v3/consents/{id}/extensions",
        st.mtls_base(bank)
    );
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "data": data,
            "links": paging.links(&url, &[], total, true),
            "meta": paging.meta(total),
        }),
    ))
}

/// Body of the test clock hook: how far ahead of real time this consent's clock runs.
#[derive(serde::Deserialize)]
pub struct SetClock {
    #[serde(rename = "offsetMs")]
    offset_ms: i64,
}

/// `PUT /{code}/_test/consents/{id}/clock {"offsetMs"}` (sandbox only, like
/// `_test/misbehaviour`): the consent's time at the bank becomes real time + offset, so
/// expiry and renewal are judged as if that much time had passed. Never backwards.
pub async fn set_clock(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    axum::Json(body): axum::Json<SetClock>,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    if body.offset_ms < 0 {
        return Err(invalid("offsetMs", "must not be negative"));
    }
    let consent = st
        .store
        .consent(bank.code, &id)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(|| OfbError::not_found(&format!("consentId {id} not found")))?;
    let current = st
        .store
        .consent_clock_offset(&consent.id)
        .await
        .map_err(OfbError::internal)?;
    if body.offset_ms < current {
        return Err(invalid("offsetMs", "must not move the clock backwards"));
    }
    st.store
        .set_consent_clock_offset(&consent.id, body.offset_ms)
        .await
        .map_err(OfbError::internal)?;
    // Not re-read: like a real bank, the consent lapses when it is next looked at.
    Ok(json_response(
        StatusCode::OK,
        &json!({"consentId": consent.id, "offsetMs": body.offset_ms,
                "now": ofb_time(now_ms() + body.offset_ms)}),
    ))
}
