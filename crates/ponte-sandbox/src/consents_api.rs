//! OFB Consents API v3 (consents-3.3.1.yml): create, read, revoke. Renewal (`extends`,
//! `extensions`) lives in `consent_extensions`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::catalogue::{self, BankInfo};
use crate::errors::{OfbError, JSON_UTF8};
use crate::permissions;
use crate::store::{Consent, Token};
use crate::util::{now_ms, ofb_time, parse_ofb_time};
use crate::AppState;

/// OFB caps a consent's validity at 12 months.
pub(crate) const MAX_VALIDITY_MS: i64 = 366 * 24 * 3600 * 1000;

pub(crate) fn api_bank(code: &str) -> Result<&'static BankInfo, OfbError> {
    let bank = catalogue::find(code)?;
    if bank.is_outage {
        return Err(OfbError::outage());
    }
    Ok(bank)
}

/// The call's bearer access token at `bank`, found and bound to the client
/// certificate (RFC 8705); what the token may do is the caller's to check.
pub(crate) async fn access_token(
    st: &AppState,
    bank: &BankInfo,
    headers: &HeaderMap,
) -> Result<Token, OfbError> {
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OfbError::unauthorized("Authorization: Bearer <token> header is missing"))?;
    let token = st
        .store
        .token(bank.code, "access", raw)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(|| OfbError::unauthorized("access token is invalid, expired or revoked"))?;
    crate::fapi::check_binding(&token)?;
    Ok(token)
}

/// Authenticates the caller with a client-credentials token carrying scope `consents`.
pub(crate) async fn bearer(
    st: &AppState,
    bank: &BankInfo,
    headers: &HeaderMap,
) -> Result<Token, OfbError> {
    let token = access_token(st, bank, headers).await?;
    if token.consent_id.is_some() || !token.scope.split_whitespace().any(|s| s == "consents") {
        return Err(OfbError::forbidden(
            "the consents API needs a client_credentials token with scope consents",
        ));
    }
    Ok(token)
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, JSON_UTF8)],
        body.to_string(),
    )
        .into_response()
}

fn self_link(st: &AppState, bank: &BankInfo, id: &str) -> String {
    format!(
        "{}/open-banking/consents/v3/consents/{id}",
        st.mtls_base(bank)
    )
}

/// ResponseConsent / ResponseConsentRead.
pub(crate) fn consent_body(st: &AppState, bank: &BankInfo, c: &Consent) -> Value {
    let mut data = json!({
        "consentId": c.id,
        "creationDateTime": ofb_time(c.created_at),
        "status": c.status,
        "statusUpdateDateTime": ofb_time(c.status_updated_at),
        "permissions": c.permissions,
    });
    if let Some(e) = c.expiration {
        data["expirationDateTime"] = json!(ofb_time(e));
    }
    if let (Some(r), "REJECTED") = (&c.rejection, c.status.as_str()) {
        data["rejection"] = r.clone();
    }
    json!({
        "data": data,
        "links": {"self": self_link(st, bank, &c.id)},
        "meta": {"requestDateTime": ofb_time(now_ms())},
    })
}

pub(crate) fn missing(field: &str) -> OfbError {
    OfbError::bad_request("PARAMETRO_NAO_INFORMADO", &format!("{field} is required"))
}

pub(crate) fn invalid(field: &str, why: &str) -> OfbError {
    OfbError::bad_request("PARAMETRO_INVALIDO", &format!("{field} {why}"))
}

/// Checks `obj.document.{identification,rel}` of loggedUser / businessEntity.
pub(crate) fn check_document(
    v: &Value,
    field: &str,
    id_ok: fn(&str) -> bool,
    rel_len: usize,
) -> Result<(), OfbError> {
    if !v.is_object() {
        return Err(invalid(field, "must be an object"));
    }
    let id_field = format!("{field}.document.identification");
    let rel_field = format!("{field}.document.rel");
    let id = v["document"]["identification"]
        .as_str()
        .ok_or_else(|| missing(&id_field))?;
    if !id_ok(id) {
        return Err(invalid(&id_field, "has the wrong format"));
    }
    let rel = v["document"]["rel"]
        .as_str()
        .ok_or_else(|| missing(&rel_field))?;
    if rel.len() != rel_len || !rel.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid(
            &rel_field,
            &format!("must be {rel_len} uppercase letters"),
        ));
    }
    Ok(())
}

pub(crate) fn is_cpf(s: &str) -> bool {
    s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn is_cnpj(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 14
        && b[..12]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[12..].iter().all(|c| c.is_ascii_digit())
}

pub async fn create(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let token = bearer(&st, bank, &headers).await?;
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
    let business = match &data["businessEntity"] {
        Value::Null => None,
        be => {
            check_document(be, "data.businessEntity", is_cnpj, 4)?;
            Some(be)
        }
    };
    let requested: Vec<String> = match &data["permissions"] {
        Value::Null => return Err(missing("data.permissions")),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| invalid("data.permissions", "must contain only strings"))?,
        _ => return Err(invalid("data.permissions", "must be an array")),
    };
    let now = now_ms();
    let expiration = match &data["expirationDateTime"] {
        Value::Null => None,
        Value::String(s) => {
            let t = parse_ofb_time(s).ok_or_else(|| {
                invalid(
                    "data.expirationDateTime",
                    "must be formatted YYYY-MM-DDTHH:MM:SSZ",
                )
            })?;
            if t <= now || t > now + MAX_VALIDITY_MS {
                return Err(OfbError::unprocessable(
                    "DATA_EXPIRACAO_INVALIDA",
                    "Data de expiração inválida",
                    "data.expirationDateTime must be in the future and at most 12 months away",
                ));
            }
            Some(t)
        }
        _ => return Err(invalid("data.expirationDateTime", "must be a string")),
    };
    let granted = permissions::validate(&requested, business.is_some(), bank.available_resources)
        .map_err(|r| {
        if r.malformed {
            OfbError::bad_request(r.code, &r.detail)
        } else {
            OfbError::unprocessable(r.code, "Permissões inválidas", &r.detail)
        }
    })?;
    let id = format!("urn:{}:{}", bank.code, uuid::Uuid::new_v4());
    st.store
        .insert_consent(
            &id,
            bank.code,
            &token.client_id,
            &granted,
            logged_user,
            business,
            expiration,
            now,
        )
        .await
        .map_err(OfbError::internal)?;
    st.presence.record(&id, &headers);
    let consent = owned_consent(&st, bank, &token, &id).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &consent_body(&st, bank, &consent),
    ))
}

/// A consent of this bank created by the caller; anyone else's is reported as absent.
pub(crate) async fn owned_consent(
    st: &AppState,
    bank: &BankInfo,
    token: &Token,
    id: &str,
) -> Result<Consent, OfbError> {
    st.store
        .consent(bank.code, id)
        .await
        .map_err(OfbError::internal)?
        .filter(|c| c.client_id == token.client_id)
        .ok_or_else(|| OfbError::not_found(&format!("consentId {id} not found")))
}

pub async fn read(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let token = bearer(&st, bank, &headers).await?;
    let consent = owned_consent(&st, bank, &token, &id).await?;
    Ok(json_response(
        StatusCode::OK,
        &consent_body(&st, bank, &consent),
    ))
}

pub async fn revoke(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, OfbError> {
    let bank = api_bank(&code)?;
    let token = bearer(&st, bank, &headers).await?;
    let consent = owned_consent(&st, bank, &token, &id).await?;
    let reason = match consent.status.as_str() {
        "AUTHORISED" => "CUSTOMER_MANUALLY_REVOKED",
        "AWAITING_AUTHORISATION" => "CUSTOMER_MANUALLY_REJECTED",
        _ => return Err(already_rejected()),
    };
    let rejection = json!({"rejectedBy": "USER", "reason": {"code": reason}});
    let changed = st
        .store
        .reject_consent(&id, &[consent.status.as_str()], &rejection)
        .await
        .map_err(OfbError::internal)?;
    if !changed {
        // Lost a race with the user's own decision or another DELETE.
        return Err(already_rejected());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) fn already_rejected() -> OfbError {
    OfbError::unprocessable(
        "CONSENTIMENTO_EM_STATUS_REJEITADO",
        "Consentimento em status rejeitado",
        "the consent is already REJECTED",
    )
}
