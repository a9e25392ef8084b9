//! Token endpoint grants.

use axum::http::StatusCode;
use serde_json::json;

use super::{ACCESS_TTL_S, REFRESH_MAX_MS};
use crate::catalogue::BankInfo;
use crate::errors::OAuthError;
use crate::fapi::{id_token, misbehaviour};
use crate::store::{counter, NewToken, Redeem};
use crate::util::{now_ms, pkce_s256, sha256_hex, Params};
use crate::{AppState, SandboxClient};

/// Who asks at the token endpoint; `cnf` is the certificate thumbprint the tokens are
/// bound to (FAPI clients).
pub struct Grant<'a> {
    pub st: &'a AppState,
    pub bank: &'a BankInfo,
    pub client: &'a SandboxClient,
    pub cnf: Option<&'a str>,
}

pub async fn client_credentials(
    g: &Grant<'_>,
    p: &Params,
) -> Result<serde_json::Value, OAuthError> {
    let (st, bank, client) = (g.st, g.bank, g.client);
    let scope = p.get("scope").unwrap_or("consents");
    if scope.split_whitespace().any(|s| s != "consents") {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "scope: only \"consents\" may be requested with client_credentials",
        ));
    }
    let access = st
        .store
        .issue(NewToken {
            kind: "access",
            bank: bank.code,
            client_id: &client.client_id,
            scope: "consents",
            consent_id: None,
            code_hash: None,
            redirect_uri: None,
            code_challenge: None,
            ttl_ms: ACCESS_TTL_S * 1000,
            cnf: g.cnf,
            extras: None,
        })
        .await
        .map_err(OAuthError::internal)?;
    Ok(
        json!({"access_token": access, "token_type": "Bearer", "expires_in": ACCESS_TTL_S, "scope": "consents"}),
    )
}

pub async fn authorization_code(
    g: &Grant<'_>,
    p: &Params,
) -> Result<serde_json::Value, OAuthError> {
    let (st, bank, client) = (g.st, g.bank, g.client);
    fn bad(d: impl Into<String>) -> OAuthError {
        OAuthError::invalid_request(d)
    }
    let code = p.require("code").map_err(bad)?;
    let redirect_uri = p.require("redirect_uri").map_err(bad)?;
    let verifier = p.require("code_verifier").map_err(bad)?;
    let grant = match st
        .store
        .redeem(bank.code, "code", code)
        .await
        .map_err(OAuthError::internal)?
    {
        Redeem::Ok(t) => *t,
        Redeem::Unknown => return Err(OAuthError::invalid_grant("code is invalid or expired")),
        Redeem::Replayed => {
            st.store
                .revoke_from_code(code)
                .await
                .map_err(OAuthError::internal)?;
            return Err(OAuthError::invalid_grant(
                "code was already used; tokens issued from it are revoked",
            ));
        }
    };
    if grant.client_id != client.client_id {
        return Err(OAuthError::invalid_grant(
            "code was issued to another client",
        ));
    }
    if grant.redirect_uri.as_deref() != Some(redirect_uri) {
        return Err(OAuthError::invalid_grant(
            "redirect_uri does not match the authorization request",
        ));
    }
    if !(43..=128).contains(&verifier.len())
        || grant.code_challenge.as_deref() != Some(pkce_s256(verifier).as_str())
    {
        return Err(OAuthError::invalid_grant(
            "code_verifier does not match the code_challenge",
        ));
    }
    let mut pair = issue_pair(
        g,
        &grant.scope,
        grant.consent_id.as_deref(),
        Some(&sha256_hex(code)),
    )
    .await?;
    // FAPI requests (`code id_token`) get an ID token here too, repeating the
    // front-channel one's subject.
    if let Some(x) = &grant.extras {
        let who = id_token::Subject {
            sub: x["sub"].as_str().unwrap_or_default(),
            nonce: x["nonce"].as_str().unwrap_or_default(),
            acr: x["acr"].as_str().unwrap_or_default(),
            auth_time: x["auth_time"].as_i64().unwrap_or_default(),
        };
        let mode = misbehaviour::mode(st, bank.code).await;
        let token = id_token::token_endpoint(st, bank, client, &who, mode.as_deref())
            .await
            .map_err(OAuthError::internal)?;
        pair["id_token"] = json!(token);
        if mode.as_deref() == Some("token_response_without_scope") {
            if let Some(o) = pair.as_object_mut() {
                o.remove("scope");
                o.remove("expires_in");
            }
        }
    }
    Ok(pair)
}

pub async fn refresh(g: &Grant<'_>, p: &Params) -> Result<serde_json::Value, OAuthError> {
    let (st, bank, client) = (g.st, g.bank, g.client);
    let rt = p
        .require("refresh_token")
        .map_err(OAuthError::invalid_request)?;
    let grant = match st
        .store
        .redeem(bank.code, "refresh", rt)
        .await
        .map_err(OAuthError::internal)?
    {
        Redeem::Ok(t) => *t,
        Redeem::Unknown | Redeem::Replayed => {
            return Err(OAuthError::invalid_grant(
                "refresh_token is invalid, expired or revoked",
            ))
        }
    };
    if grant.client_id != client.client_id {
        return Err(OAuthError::invalid_grant(
            "refresh_token was issued to another client",
        ));
    }
    let pair = issue_pair(
        g,
        &grant.scope,
        grant.consent_id.as_deref(),
        grant.code_hash.as_deref(),
    )
    .await?;
    if let Some(consent_id) = grant.consent_id.as_deref() {
        st.store
            .count_call(consent_id, counter::REFRESHES)
            .await
            .map_err(OAuthError::internal)?;
    }
    Ok(pair)
}

/// Access + refresh token for an AUTHORISED consent; `code_hash` keeps the lineage so a
/// replayed code can revoke every descendant.
async fn issue_pair(
    g: &Grant<'_>,
    scope: &str,
    consent_id: Option<&str>,
    code_hash: Option<&str>,
) -> Result<serde_json::Value, OAuthError> {
    let (st, bank, client) = (g.st, g.bank, g.client);
    let consent_id =
        consent_id.ok_or_else(|| OAuthError::invalid_grant("grant is not bound to a consent"))?;
    let consent = st
        .store
        .consent(bank.code, consent_id)
        .await
        .map_err(OAuthError::internal)?
        .filter(|c| c.status == "AUTHORISED")
        .ok_or_else(|| OAuthError::invalid_grant("consent is no longer AUTHORISED"))?;
    let now = now_ms();
    let refresh_ttl = consent
        .expiration
        .map_or(REFRESH_MAX_MS, |e| (e - now).clamp(1, REFRESH_MAX_MS));
    let new = |kind, ttl_ms| NewToken {
        kind,
        bank: bank.code,
        client_id: &client.client_id,
        scope,
        consent_id: Some(consent_id),
        code_hash,
        redirect_uri: None,
        code_challenge: None,
        ttl_ms,
        cnf: g.cnf,
        extras: None,
    };
    let access = st
        .store
        .issue(new("access", ACCESS_TTL_S * 1000))
        .await
        .map_err(OAuthError::internal)?;
    let refresh = st
        .store
        .issue(new("refresh", refresh_ttl))
        .await
        .map_err(OAuthError::internal)?;
    Ok(json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_S,
        "scope": scope,
        "refresh_token": refresh,
    }))
}
