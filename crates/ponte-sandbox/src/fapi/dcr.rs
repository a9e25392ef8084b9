//! Dynamic client registration and management (RFC 7591/7592 as the OFB DCR profile has
//! them): over mTLS only, with a fresh software statement (SSA) of the trusted directory,
//! and a certificate that belongs to the SSA's organisation and software.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use super::{now_s, SKEW_S};
use crate::catalogue::{self, BankInfo};
use crate::clients::{check_certificate, CertificateRule, ClientJwks, FapiClient, SandboxClient};
use crate::errors::OAuthError;
use crate::jose::{self, ClientKeys};
use crate::tls;
use crate::util::{random_token, sha256_hex};
use crate::AppState;

/// An SSA older than this is refused (OFB DCR: 5 minutes).
const SSA_MAX_AGE_S: i64 = 300;
const GRANT_TYPES: &[&str] = &[
    "authorization_code",
    "implicit",
    "refresh_token",
    "client_credentials",
];

fn metadata_err(d: impl Into<String>) -> OAuthError {
    OAuthError::new(StatusCode::BAD_REQUEST, "invalid_client_metadata", d)
}

fn ssa_err(d: impl Into<String>) -> OAuthError {
    OAuthError::new(StatusCode::BAD_REQUEST, "invalid_software_statement", d)
}

fn bank_for(code: &str) -> Result<&'static BankInfo, OAuthError> {
    catalogue::find(code).map_err(|_| {
        OAuthError::new(
            StatusCode::NOT_FOUND,
            "invalid_request",
            format!("no institution with code {code:?}"),
        )
    })
}

fn require_certificate() -> Result<Vec<u8>, OAuthError> {
    tls::current().map(|c| c.0).ok_or_else(|| {
        OAuthError::invalid_client(
            "registration requires mutual TLS (the registration_endpoint alias) with the software's transport certificate",
        )
    })
}

/// Checks a registration request (POST or PUT body) and makes the client it describes.
async fn validate(
    st: &AppState,
    body: &Value,
    cert: &[u8],
    client_id: &str,
) -> Result<(SandboxClient, String), OAuthError> {
    let trust = st.directory.as_ref().ok_or_else(|| {
        OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unapproved_software_statement",
            "this sandbox trusts no directory (SandboxConfig.directory), so it accepts no registration",
        )
    })?;
    if !body.is_object() {
        return Err(metadata_err("the body must be a JSON object"));
    }
    let ssa = body["software_statement"]
        .as_str()
        .ok_or_else(|| ssa_err("software_statement is required"))?;
    let s = jose::verify_ps256(ssa, &ClientKeys(&trust.jwks))
        .map_err(|e| ssa_err(format!("software_statement {e} (the directory's keys)")))?;
    if s["iss"].as_str() != Some(trust.issuer.as_str()) {
        return Err(ssa_err(format!(
            "software_statement: iss must be the directory {}",
            trust.issuer
        )));
    }
    let now = now_s();
    let iat = s["iat"]
        .as_i64()
        .ok_or_else(|| ssa_err("software_statement: iat is missing"))?;
    if iat > now + SKEW_S || now - iat > SSA_MAX_AGE_S + SKEW_S {
        return Err(ssa_err(
            "software_statement: iat is more than 5 minutes old (or in the future); fetch a fresh one",
        ));
    }
    let org_id = s["org_id"]
        .as_str()
        .ok_or_else(|| ssa_err("software_statement: org_id is missing"))?;
    let software_id = s["software_id"]
        .as_str()
        .ok_or_else(|| ssa_err("software_statement: software_id is missing"))?;
    let rule = CertificateRule::Ofb {
        org_id: org_id.to_string(),
        software_id: software_id.to_string(),
    };
    check_certificate(&rule, cert).map_err(|e| {
        OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unapproved_software_statement",
            format!("the TLS client certificate does not belong to the SSA's software: {e}"),
        )
    })?;
    if body.get("jwks").is_some() {
        return Err(metadata_err("jwks must not be sent: register jwks_uri"));
    }
    let jwks_uri = body["jwks_uri"]
        .as_str()
        .ok_or_else(|| metadata_err("jwks_uri is required"))?;
    if s["software_jwks_uri"].as_str() != Some(jwks_uri) {
        return Err(metadata_err(
            "jwks_uri must equal the software statement's software_jwks_uri",
        ));
    }
    let allowed: Vec<&str> = s["software_redirect_uris"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let redirect_uris: Vec<String> = body["redirect_uris"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if redirect_uris.is_empty() {
        return Err(metadata_err("redirect_uris is required"));
    }
    if let Some(u) = redirect_uris
        .iter()
        .find(|u| !allowed.contains(&u.as_str()))
    {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_redirect_uri",
            format!(
                "redirect_uris: {u} is not among the software statement's software_redirect_uris"
            ),
        ));
    }
    if body["token_endpoint_auth_method"].as_str() != Some("private_key_jwt") {
        return Err(metadata_err(
            "token_endpoint_auth_method must be private_key_jwt",
        ));
    }
    for field in [
        "token_endpoint_auth_signing_alg",
        "id_token_signed_response_alg",
        "request_object_signing_alg",
    ] {
        if body.get(field).is_some_and(|v| v != "PS256") {
            return Err(metadata_err(format!("{field} must be PS256")));
        }
    }
    let alg = body["id_token_encrypted_response_alg"].as_str();
    let enc = body["id_token_encrypted_response_enc"].as_str();
    match (alg, enc) {
        (None, None) | (Some("RSA-OAEP"), Some("A256GCM")) => {}
        _ => {
            return Err(metadata_err(
                "id_token_encrypted_response_alg/enc must be RSA-OAEP/A256GCM (or both absent)",
            ))
        }
    }
    if let Some(rts) = body.get("response_types") {
        let ok = rts
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(|v| v == "code id_token"));
        if !ok {
            return Err(metadata_err("response_types must be [\"code id_token\"]"));
        }
    }
    if let Some(gts) = body.get("grant_types") {
        let ok = gts.as_array().is_some_and(|a| {
            a.iter()
                .all(|v| v.as_str().is_some_and(|g| GRANT_TYPES.contains(&g)))
        });
        if !ok {
            return Err(metadata_err(format!(
                "grant_types must be among {GRANT_TYPES:?}"
            )));
        }
    }
    if body
        .get("tls_client_certificate_bound_access_tokens")
        .is_some_and(|v| v != true)
    {
        return Err(metadata_err(
            "tls_client_certificate_bound_access_tokens must be true",
        ));
    }
    let client = SandboxClient {
        client_id: client_id.to_string(),
        client_secret: String::new(),
        redirect_uris,
        fapi: Some(FapiClient {
            keys: ClientJwks::JwksUri(jwks_uri.to_string()),
            id_token_encrypted_response_alg: alg.map(str::to_string),
            id_token_encrypted_response_enc: enc.map(str::to_string),
            certificate: rule,
        }),
    };
    Ok((client, software_id.to_string()))
}

fn registration_uri(st: &AppState, bank: &BankInfo, client_id: &str) -> String {
    format!("{}/register/{client_id}", st.mtls_base(bank))
}

fn answer(status: StatusCode, body: Value) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response()
}

fn parse(body: &[u8]) -> Result<Value, OAuthError> {
    serde_json::from_slice(body).map_err(|_| metadata_err("the body is not JSON"))
}

pub async fn register(
    State(st): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bank = bank_for(&code)?;
    let cert = require_certificate()?;
    let body = parse(&body)?;
    let client_id = uuid::Uuid::new_v4().to_string();
    let (client, software_id) = validate(&st, &body, &cert, &client_id).await?;
    // One registration per software statement (OFB DCR): the same SSA presented again
    // is a replay, not a second client. Remembered until it is too old to be accepted
    // anyway, and only once everything else passed, so a refused attempt spends nothing.
    let ssa = body["software_statement"].as_str().unwrap_or_default();
    let fresh = st
        .store
        .remember_jti(
            &format!("ssa@{}", bank.code),
            &sha256_hex(ssa),
            (now_s() + SSA_MAX_AGE_S + 2 * SKEW_S) * 1000,
        )
        .await
        .map_err(OAuthError::internal)?;
    if !fresh {
        return Err(ssa_err(
            "software_statement was already used for a registration at this bank; fetch a new one",
        ));
    }
    let token = random_token();
    let mut metadata = body.clone();
    metadata["client_id"] = json!(client_id);
    metadata["client_id_issued_at"] = json!(now_s());
    metadata["registration_client_uri"] = json!(registration_uri(&st, bank, &client_id));
    if metadata.get("scope").is_none() {
        metadata["scope"] = json!("openid consents resources accounts credit-cards-accounts customers loans bank-fixed-incomes");
    }
    let stored = serde_json::to_value(&client).map_err(OAuthError::internal)?;
    st.store
        .insert_client(
            &client_id,
            bank.code,
            &software_id,
            &token,
            &stored,
            &metadata,
        )
        .await
        .map_err(OAuthError::internal)?;
    tracing::info!(bank = bank.code, %client_id, %software_id, "sandbox client registered");
    let mut out = metadata;
    out["registration_access_token"] = json!(token);
    Ok(answer(StatusCode::CREATED, out))
}

/// RFC 7592: the registration access token, over mTLS with the client's certificate.
async fn managed(
    st: &AppState,
    bank: &BankInfo,
    client_id: &str,
    headers: &HeaderMap,
) -> Result<(crate::store::StoredClient, Vec<u8>), OAuthError> {
    let denied = || {
        OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the registration access token is not valid for this client",
        )
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(denied)?;
    let cert = require_certificate()?;
    let stored = st
        .store
        .stored_client(client_id)
        .await
        .map_err(OAuthError::internal)?
        .filter(|c| c.bank == bank.code)
        .ok_or_else(denied)?;
    let ok = sha256_hex(bearer)
        .as_bytes()
        .ct_eq(stored.registration_token_hash.as_bytes());
    if !bool::from(ok) {
        return Err(denied());
    }
    let client: SandboxClient =
        serde_json::from_value(stored.client.clone()).map_err(OAuthError::internal)?;
    if let Some(f) = &client.fapi {
        check_certificate(&f.certificate, &cert).map_err(OAuthError::invalid_client)?;
    }
    Ok((stored, cert))
}

pub async fn read(
    State(st): State<AppState>,
    Path((code, client_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, OAuthError> {
    let bank = bank_for(&code)?;
    let (stored, _) = managed(&st, bank, &client_id, &headers).await?;
    Ok(answer(StatusCode::OK, stored.metadata))
}

pub async fn update(
    State(st): State<AppState>,
    Path((code, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bank = bank_for(&code)?;
    let (stored, cert) = managed(&st, bank, &client_id, &headers).await?;
    let body = parse(&body)?;
    if body["client_id"].as_str() != Some(client_id.as_str()) {
        return Err(metadata_err(
            "client_id in the body must be the one being updated",
        ));
    }
    let (client, _) = validate(&st, &body, &cert, &client_id).await?;
    let mut metadata = body;
    metadata["client_id_issued_at"] = stored.metadata["client_id_issued_at"].clone();
    metadata["registration_client_uri"] = json!(registration_uri(&st, bank, &client_id));
    if metadata.get("scope").is_none() {
        metadata["scope"] = stored.metadata["scope"].clone();
    }
    let client = serde_json::to_value(&client).map_err(OAuthError::internal)?;
    st.store
        .update_client(&client_id, &client, &metadata)
        .await
        .map_err(OAuthError::internal)?;
    Ok(answer(StatusCode::OK, metadata))
}

pub async fn delete(
    State(st): State<AppState>,
    Path((code, client_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, OAuthError> {
    let bank = bank_for(&code)?;
    managed(&st, bank, &client_id, &headers).await?;
    st.store
        .delete_client(&client_id)
        .await
        .map_err(OAuthError::internal)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
