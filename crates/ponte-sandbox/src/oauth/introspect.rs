//! Token revocation (RFC 7009) and introspection (RFC 7662), for the token's own client.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::{authenticate, bank_for_oauth};
use crate::errors::OAuthError;
use crate::fapi::Endpoint;
use crate::util::Params;
use crate::AppState;

pub async fn revoke(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bank = bank_for_oauth(&code)?;
    let p = Params::parse(&body).map_err(OAuthError::invalid_request)?;
    let client = authenticate(&st, bank, &headers, &p, Endpoint::Revoke).await?;
    let token = p.require("token").map_err(OAuthError::invalid_request)?;
    // RFC 7009 §2.2: unknown or foreign tokens are answered 200 all the same.
    st.store
        .revoke_token(bank.code, &client.client_id, token)
        .await
        .map_err(OAuthError::internal)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(json!({}))).into_response())
}

pub async fn introspect(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bank = bank_for_oauth(&code)?;
    let p = Params::parse(&body).map_err(OAuthError::invalid_request)?;
    let client = authenticate(&st, bank, &headers, &p, Endpoint::Introspect).await?;
    let token = p.require("token").map_err(OAuthError::invalid_request)?;
    let kinds: &[&str] = match p.get("token_type_hint") {
        Some("refresh_token") => &["refresh", "access"],
        _ => &["access", "refresh"],
    };
    let mut body = json!({"active": false});
    for kind in kinds {
        let found = st
            .store
            .token(bank.code, kind, token)
            .await
            .map_err(OAuthError::internal)?;
        // Another client's token is "not active" for this one (RFC 7662 §4).
        let Some(t) = found.filter(|t| t.client_id == client.client_id) else {
            continue;
        };
        body = json!({
            "active": true,
            "scope": t.scope,
            "client_id": t.client_id,
            "token_type": if *kind == "access" { "Bearer" } else { "refresh_token" },
            "exp": t.expires_at / 1000,
            "iss": st.issuer(bank),
        });
        if let Some(c) = &t.consent_id {
            body["consent_id"] = json!(c);
        }
        if let Some(x5t) = &t.cnf {
            body["cnf"] = json!({"x5t#S256": x5t});
        }
        break;
    }
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}
