//! OAuth 2.0 authorization server endpoints: discovery, token, PAR.

mod client;
mod grants;
mod introspect;

use client::authenticate;
pub use client::{public_client, validate_auth_request, validate_common};
pub use introspect::{introspect, revoke};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::catalogue::{self, BankInfo};
use crate::errors::{OAuthError, OfbError};
use crate::fapi::{self, id_token, request_object, Endpoint};
use crate::store::{AuthRequest, NewToken};
use crate::util::{random_token, Params};
use crate::AppState;

pub const ACCESS_TTL_S: i64 = 900;
const CODE_TTL_MS: i64 = 60_000;
const PAR_TTL_S: i64 = 90;
pub(crate) const REFRESH_MAX_MS: i64 = 365 * 24 * 3600 * 1000;

pub async fn discovery(
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, OfbError> {
    let bank = catalogue::find(code.as_str())?;
    let iss = st.issuer(bank);
    let mtls = st.mtls_base(bank);
    // docs/fapi-br.md's list. Legacy secret clients are still accepted because they are
    // configured, but nothing here invites them.
    let body = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/auth/authorize"),
        "token_endpoint": format!("{iss}/auth/token"),
        "pushed_authorization_request_endpoint": format!("{iss}/auth/par"),
        "registration_endpoint": format!("{iss}/register"),
        "revocation_endpoint": format!("{iss}/auth/revoke"),
        "introspection_endpoint": format!("{iss}/auth/introspect"),
        "jwks_uri": format!("{iss}/auth/jwks"),
        "mtls_endpoint_aliases": {
            "token_endpoint": format!("{mtls}/auth/token"),
            "pushed_authorization_request_endpoint": format!("{mtls}/auth/par"),
            "registration_endpoint": format!("{mtls}/register"),
            "revocation_endpoint": format!("{mtls}/auth/revoke"),
            "introspection_endpoint": format!("{mtls}/auth/introspect"),
        },
        "require_pushed_authorization_requests": true,
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["PS256"],
        "revocation_endpoint_auth_methods_supported": ["private_key_jwt"],
        "introspection_endpoint_auth_methods_supported": ["private_key_jwt"],
        "request_object_signing_alg_values_supported": ["PS256"],
        "id_token_signing_alg_values_supported": ["PS256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
        "id_token_encryption_enc_values_supported": ["A256GCM"],
        "response_types_supported": ["code id_token"],
        "response_modes_supported": ["fragment"],
        "tls_client_certificate_bound_access_tokens": true,
        "authorization_response_iss_parameter_supported": true,
        "acr_values_supported": [request_object::ACR_LOA2, request_object::ACR_LOA3],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "scopes_supported": [
            "openid", "consents", "consent", "resources", "customers", "accounts",
            "credit-cards-accounts", "loans", "financings", "invoice-financings",
            "unarranged-accounts-overdraft", "bank-fixed-incomes", "credit-fixed-incomes",
            "funds", "variable-incomes", "treasure-titles"
        ],
        "subject_types_supported": ["public"],
        "claims_parameter_supported": true,
        "claims_supported": ["sub", "acr", "auth_time", "nonce"],
    });
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(body)).into_response())
}

/// The banks' ID-token key (one key, shared by every bank of this sandbox).
pub async fn jwks(
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, OfbError> {
    catalogue::find(&code)?;
    let key = id_token::bank_key(&st).await.map_err(OfbError::internal)?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(json!({"keys": [key.public_jwk()]})),
    )
        .into_response())
}

fn bank_for_oauth(code: &str) -> Result<&'static BankInfo, OAuthError> {
    let bank = catalogue::find(code).map_err(|_| {
        OAuthError::new(
            StatusCode::NOT_FOUND,
            "invalid_request",
            format!("no institution with code {code:?}"),
        )
    })?;
    if bank.is_outage {
        return Err(OAuthError::outage());
    }
    Ok(bank)
}

pub async fn par(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bank = bank_for_oauth(&code)?;
    let p = Params::parse(&body).map_err(OAuthError::invalid_request)?;
    let client = authenticate(&st, bank, &headers, &p, Endpoint::Par).await?;
    let req = if client.is_fapi() {
        request_object::validate(&st, bank, &client, &p).await?
    } else {
        validate_auth_request(&st, bank, &client, &p).await?
    };
    // Accepted only here, where the client is authenticated: a plain
    // authorize URL anyone can craft must not rename a consent's recipient.
    // A FAPI client signs it inside its request object.
    let recipient = match &req.fapi {
        Some(fapi) => fapi.recipient_name.clone(),
        None => p
            .get("recipient_name")
            .and_then(crate::pages::recipient_name),
    };
    if let Some(name) = recipient {
        st.store
            .set_recipient(&req.consent_id, &name)
            .await
            .map_err(OAuthError::internal)?;
    }
    let request_uri = format!("urn:ietf:params:oauth:request_uri:{}", random_token());
    st.store
        .insert_auth_request("par", &request_uri, bank.code, &req, PAR_TTL_S * 1000)
        .await
        .map_err(OAuthError::internal)?;
    let body = json!({"request_uri": request_uri, "expires_in": PAR_TTL_S});
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response())
}

/// Mints an authorization code for an approved transaction.
/// `extras` (FAPI requests) is what the token endpoint's ID token will repeat.
pub async fn issue_code(
    st: &AppState,
    bank: &BankInfo,
    req: &AuthRequest,
    extras: Option<&serde_json::Value>,
) -> Result<String, sqlx::Error> {
    st.store
        .issue(NewToken {
            kind: "code",
            bank: bank.code,
            client_id: &req.client_id,
            scope: &format!("openid consent:{}", req.consent_id),
            consent_id: Some(&req.consent_id),
            code_hash: None,
            redirect_uri: Some(&req.redirect_uri),
            code_challenge: Some(&req.code_challenge),
            ttl_ms: CODE_TTL_MS,
            cnf: None,
            extras,
        })
        .await
}

pub async fn token(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bank = bank_for_oauth(&code)?;
    let p = Params::parse(&body).map_err(OAuthError::invalid_request)?;
    let client = authenticate(&st, bank, &headers, &p, Endpoint::Token).await?;
    // Tokens of FAPI clients are bound to the certificate they were requested with.
    let cnf = fapi::client_certificate(&client).map_err(OAuthError::invalid_client)?;
    let g = grants::Grant {
        st: &st,
        bank,
        client: &client,
        cnf: cnf.as_deref(),
    };
    let grant = p
        .require("grant_type")
        .map_err(OAuthError::invalid_request)?;
    let body = match grant {
        "client_credentials" => grants::client_credentials(&g, &p).await?,
        "authorization_code" => grants::authorization_code(&g, &p).await?,
        "refresh_token" => grants::refresh(&g, &p).await?,
        other => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type {other:?} is not supported"),
            ))
        }
    };
    Ok((
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response())
}
