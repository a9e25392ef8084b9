//! Client identification and authorization-request validation.

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use subtle::ConstantTimeEq;

use crate::catalogue::BankInfo;
use crate::errors::OAuthError;
use crate::fapi::Endpoint;
use crate::store::AuthRequest;
use crate::util::{sha256_hex, Params};
use crate::{AppState, SandboxClient};

/// Authenticates the client at `endpoint`: `private_key_jwt` over mTLS for FAPI clients,
/// client_secret_basic or client_secret_post (RFC 6749 §2.3.1, never both) for legacy ones.
pub async fn authenticate(
    st: &AppState,
    bank: &BankInfo,
    headers: &HeaderMap,
    params: &Params,
    endpoint: Endpoint,
) -> Result<SandboxClient, OAuthError> {
    if params.get("client_assertion").is_some() || params.get("client_assertion_type").is_some() {
        if headers.get(header::AUTHORIZATION).is_some() || params.get("client_secret").is_some() {
            return Err(OAuthError::invalid_request(
                "use one client authentication method, not a client assertion and a secret",
            ));
        }
        return crate::fapi::authenticate_assertion(st, bank, params, endpoint).await;
    }
    let (id, secret) = match headers.get(header::AUTHORIZATION) {
        Some(h) => {
            if params.get("client_secret").is_some() {
                return Err(OAuthError::invalid_request(
                    "use either HTTP Basic or client_secret in the body, not both",
                ));
            }
            let creds = h
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Basic "))
                .and_then(|b| STANDARD.decode(b.trim()).ok())
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| {
                    OAuthError::invalid_client("Authorization header is not valid HTTP Basic")
                })?;
            let (id, secret) = creds.split_once(':').ok_or_else(|| {
                OAuthError::invalid_client("Authorization header is not valid HTTP Basic")
            })?;
            let (id, secret) = (form_decode(id), form_decode(secret));
            if params.get("client_id").is_some_and(|c| c != id) {
                return Err(OAuthError::invalid_request(
                    "client_id does not match the HTTP Basic credentials",
                ));
            }
            (id, secret)
        }
        None => {
            let id = params.get("client_id").ok_or_else(|| {
                OAuthError::invalid_client("client authentication required (client_id missing)")
            })?;
            let secret = params.get("client_secret").ok_or_else(|| {
                OAuthError::invalid_client("client authentication required (client_secret missing)")
            })?;
            (id.to_string(), secret.to_string())
        }
    };
    let failed = || OAuthError::invalid_client("client authentication failed");
    let client = st
        .find_client(bank.code, &id)
        .await
        .map_err(OAuthError::internal)?
        .ok_or_else(failed)?;
    if client.is_fapi() {
        return Err(OAuthError::invalid_client(format!(
            "client {id:?} must authenticate with private_key_jwt (client_assertion); a client secret is not accepted"
        )));
    }
    if client.client_secret.is_empty() {
        return Err(failed());
    }
    // Hash first so the comparison is constant-time regardless of secret lengths.
    let ok = sha256_hex(&client.client_secret)
        .as_bytes()
        .ct_eq(sha256_hex(&secret).as_bytes());
    if bool::from(ok) {
        Ok(client)
    } else {
        Err(failed())
    }
}

/// Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1).
fn form_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Checks a legacy client's authorization request (PAR body or plain /authorize query).
pub async fn validate_auth_request(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    p: &Params,
) -> Result<AuthRequest, OAuthError> {
    if client.is_fapi() {
        return Err(OAuthError::invalid_request(format!(
            "client {:?} must push a signed request object to the PAR endpoint and come here with client_id and request_uri only",
            client.client_id
        )));
    }
    if p.get("request_uri").is_some() {
        return Err(OAuthError::invalid_request(
            "request_uri is not allowed here",
        ));
    }
    validate_common(st, bank, client, p, "code").await
}

/// The checks legacy and FAPI requests share; `p` holds the request's parameters (for
/// FAPI clients, the verified request object's claims).
pub async fn validate_common(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    p: &Params,
    response_type: &str,
) -> Result<AuthRequest, OAuthError> {
    fn bad(d: impl Into<String>) -> OAuthError {
        OAuthError::invalid_request(d)
    }
    let got = p.require("response_type").map_err(bad)?;
    if got != response_type {
        return Err(bad(format!(
            "response_type must be {response_type:?}, got {got:?}"
        )));
    }
    if p.get("client_id").is_some_and(|c| c != client.client_id) {
        return Err(bad("client_id does not match the authenticated client"));
    }
    let redirect_uri = p.require("redirect_uri").map_err(bad)?;
    if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Err(bad("redirect_uri is not registered for this client"));
    }
    let state = p.require("state").map_err(bad)?;
    let challenge = p.require("code_challenge").map_err(bad)?;
    match p.require("code_challenge_method").map_err(bad)? {
        "S256" => {}
        _ => return Err(bad("code_challenge_method must be S256")),
    }
    let well_formed = challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(bad("code_challenge must be a base64url SHA-256 (43 chars)"));
    }
    let scope = p.require("scope").map_err(bad)?;
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    if !scopes.contains(&"openid") {
        return Err(bad("scope must contain openid"));
    }
    let consents: Vec<&str> = scopes
        .iter()
        .filter_map(|s| s.strip_prefix("consent:"))
        .collect();
    let [consent_id] = consents[..] else {
        return Err(bad("scope must contain exactly one consent:<consentId>"));
    };
    let consent = st
        .store
        .consent(bank.code, consent_id)
        .await
        .map_err(OAuthError::internal)?
        .filter(|c| c.client_id == client.client_id)
        .ok_or_else(|| bad(format!("scope: consent {consent_id} not found")))?;
    if consent.status != "AWAITING_AUTHORISATION" {
        return Err(bad(format!(
            "scope: consent {consent_id} is {}, not AWAITING_AUTHORISATION",
            consent.status
        )));
    }
    Ok(AuthRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        state: state.to_string(),
        nonce: p.get("nonce").map(str::to_string),
        code_challenge: challenge.to_string(),
        consent_id: consent.id,
        fapi: None,
    })
}

/// Authorize requests are browser-facing, so their client is identified but not authenticated.
pub async fn public_client(
    st: &AppState,
    bank: &BankInfo,
    p: &Params,
) -> Result<SandboxClient, String> {
    let id = p.require("client_id")?;
    st.find_client(bank.code, id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sandbox client lookup");
            "internal error".to_string()
        })?
        .ok_or_else(|| format!("client_id {id:?} is not registered"))
}
