//! `POST {portal}/token`: the code the browser brought back, for a session.
//! Codes are single-use (compare-and-set) and bound to the client and the
//! redirect URI they were issued for.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;
use subtle::ConstantTimeEq;

use super::api::{portal, ApiError};
use super::store::Grant;
use super::PortalState;
use crate::util::{random_token, Params};

/// 90 days: a portal connection is read again later (Ponte's scheduled
/// refresh) with the same session, as a portal's long-lived grant allows.
const SESSION_TTL_S: i64 = 90 * 86_400;

fn oauth_error(status: StatusCode, error: &'static str, msg: &str) -> ApiError {
    ApiError::new(status, error, msg)
}

/// `POST /token`: an authorization code for a session token.
pub async fn token(
    State(st): State<PortalState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let p = portal(&code)?;
    let params = Params::parse(&body)
        .map_err(|m| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &m))?;
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|c| {
            c.split_once(':')
                .map(|(u, s)| (u.to_string(), s.to_string()))
        });
    let (client_id, secret) = match basic {
        Some(pair) => pair,
        None => (
            params.get("client_id").unwrap_or("").to_string(),
            params.get("client_secret").unwrap_or("").to_string(),
        ),
    };
    let client = st
        .clients
        .iter()
        .find(|c| c.client_id == client_id)
        // FAPI clients have no secret: an empty one must not match.
        .filter(|c| c.fapi.is_none() && !c.client_secret.is_empty())
        .filter(|c| {
            c.client_secret
                .as_bytes()
                .ct_eq(secret.as_bytes())
                .unwrap_u8()
                == 1
        })
        .ok_or_else(|| {
            oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client or wrong secret",
            )
        })?;
    if params.get("grant_type") != Some("authorization_code") {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code",
        ));
    }
    let auth_code = params
        .require("code")
        .map_err(|m| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &m))?;
    let redirect_uri = params
        .require("redirect_uri")
        .map_err(|m| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &m))?;
    let invalid = || {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "the code is unknown, expired or already used",
        )
    };
    let grant = st
        .store
        .get("code", p.code, auth_code)
        .await
        .map_err(ApiError::internal)?
        .filter(|g| g.client_id == client.client_id && g.redirect_uri == redirect_uri)
        .ok_or_else(invalid)?;
    if !st
        .store
        .advance("code", p.code, auth_code, "issued", "used", None)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(invalid());
    }
    let access = random_token();
    let session = Grant {
        step: "active".into(),
        ..grant
    };
    st.store
        .insert("session", &access, p.code, &session, SESSION_TTL_S * 1000)
        .await
        .map_err(ApiError::internal)?;
    Ok((
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"access_token": access, "token_type": "Bearer", "expires_in": SESSION_TTL_S})),
    )
        .into_response())
}
