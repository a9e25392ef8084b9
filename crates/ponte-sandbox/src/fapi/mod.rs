//! What makes a sandbox bank an OFB FAPI server for FAPI clients: `private_key_jwt`
//! client authentication over mutual TLS, certificate-bound tokens (RFC 8705), signed
//! request objects at PAR, the hybrid response's ID token, dynamic registration, and the
//! misbehaviour switch tests use to play a broken bank.

pub mod dcr;
pub mod end_user_headers;
pub mod id_token;
pub mod interaction;
pub mod misbehaviour;
pub mod request_object;

use crate::catalogue::BankInfo;
use crate::clients::{check_certificate, SandboxClient};
use crate::errors::{OAuthError, OfbError};
use crate::jose::{self, ClientKeys};
use crate::store::Token;
use crate::tls;
use crate::util::{now_ms, Params};
use crate::AppState;

/// Seconds of clock difference tolerated on `iat`/`nbf`/`exp`.
pub const SKEW_S: i64 = 10;
/// Longest life of a client assertion (docs/fapi-br.md: `exp` ≤ `iat` + 300 s).
const ASSERTION_MAX_S: i64 = 300;
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub fn now_s() -> i64 {
    now_ms() / 1000
}

/// The endpoints a client assertion may be presented at (its `aud` may name them).
#[derive(Clone, Copy)]
pub enum Endpoint {
    Token,
    Par,
    Revoke,
    Introspect,
}

impl Endpoint {
    fn path(self) -> &'static str {
        match self {
            Endpoint::Token => "auth/token",
            Endpoint::Par => "auth/par",
            Endpoint::Revoke => "auth/revoke",
            Endpoint::Introspect => "auth/introspect",
        }
    }
}

/// For a FAPI client: the request's TLS certificate, checked against the client's rule,
/// as its `x5t#S256`. Legacy clients need none (None).
pub fn client_certificate(client: &SandboxClient) -> Result<Option<String>, String> {
    let Some(fapi) = &client.fapi else {
        return Ok(None);
    };
    let cert = tls::current().ok_or_else(|| {
        format!(
            "client {} must call over mutual TLS (the mtls_endpoint_aliases) presenting its transport certificate; none was presented",
            client.client_id
        )
    })?;
    check_certificate(&fapi.certificate, &cert.0)?;
    Ok(Some(jose::x5t_s256(&cert.0)))
}

/// RFC 8705 §3: a bound token is only honoured with the certificate it is bound to.
pub fn check_binding(token: &Token) -> Result<(), OfbError> {
    let Some(want) = &token.cnf else {
        return Ok(());
    };
    let Some(cert) = tls::current() else {
        return Err(OfbError::unauthorized(
            "This access token is bound to a TLS client certificate (RFC 8705); call over mutual TLS presenting it.",
        ));
    };
    if &jose::x5t_s256(&cert.0) != want {
        return Err(OfbError::unauthorized(
            "The TLS client certificate is not the one this access token is bound to (cnf.x5t#S256).",
        ));
    }
    Ok(())
}

/// `private_key_jwt` (RFC 7523 §2.2 as FAPI and OFB profile it), over mTLS.
pub async fn authenticate_assertion(
    st: &AppState,
    bank: &BankInfo,
    p: &Params,
    endpoint: Endpoint,
) -> Result<SandboxClient, OAuthError> {
    let bad = |d: String| OAuthError::invalid_client(d);
    if p.get("client_assertion_type") != Some(JWT_BEARER) {
        return Err(bad(format!("client_assertion_type must be {JWT_BEARER}")));
    }
    let assertion = p
        .get("client_assertion")
        .ok_or_else(|| bad("client_assertion is missing".into()))?;
    let unverified = jose::unverified_claims(assertion)
        .ok_or_else(|| bad("client_assertion is not a JWT".into()))?;
    let id = unverified["iss"]
        .as_str()
        .ok_or_else(|| bad("client_assertion: iss is missing".into()))?;
    if p.get("client_id").is_some_and(|c| c != id) {
        return Err(bad(
            "client_id does not match the client_assertion's iss".into()
        ));
    }
    let client = st
        .find_client(bank.code, id)
        .await
        .map_err(OAuthError::internal)?
        .ok_or_else(|| bad(format!("client_assertion: client {id:?} is not registered")))?;
    let Some(fapi) = &client.fapi else {
        return Err(bad(format!(
            "client {id:?} is registered with a client secret, not private_key_jwt"
        )));
    };
    client_certificate(&client).map_err(bad)?;
    let kid = jsonwebtoken::decode_header(assertion)
        .ok()
        .and_then(|h| h.kid);
    let jwks = st
        .client_jwks(fapi, kid.as_deref())
        .await
        .map_err(|e| bad(format!("client keys: {e}")))?;
    let claims = jose::verify_ps256(assertion, &ClientKeys(&jwks))
        .map_err(|e| bad(format!("client_assertion {e}")))?;
    if claims["sub"].as_str() != Some(id) || claims["iss"].as_str() != Some(id) {
        return Err(bad(
            "client_assertion: iss and sub must both be the client_id".into(),
        ));
    }
    let issuer = st.issuer(bank);
    let accepted = [
        issuer.clone(),
        format!("{issuer}/{}", endpoint.path()),
        format!("{}/{}", st.mtls_base(bank), endpoint.path()),
    ];
    if !audience_contains(&claims["aud"], &accepted) {
        return Err(bad(format!(
            "client_assertion: aud must be the issuer {issuer} (or this endpoint's URL)"
        )));
    }
    let now = now_s();
    let exp = claims["exp"]
        .as_i64()
        .ok_or_else(|| bad("client_assertion: exp is missing".into()))?;
    if exp <= now - SKEW_S {
        return Err(bad("client_assertion: exp is in the past".into()));
    }
    if exp > now + ASSERTION_MAX_S + SKEW_S {
        return Err(bad(format!(
            "client_assertion: exp is more than {ASSERTION_MAX_S} s ahead"
        )));
    }
    if claims["iat"].as_i64().is_some_and(|iat| iat > now + SKEW_S) {
        return Err(bad("client_assertion: iat is in the future".into()));
    }
    let jti = claims["jti"]
        .as_str()
        .filter(|j| !j.is_empty())
        .ok_or_else(|| bad("client_assertion: jti is missing".into()))?;
    let fresh = st
        .store
        .remember_jti(id, jti, (exp + SKEW_S) * 1000)
        .await
        .map_err(OAuthError::internal)?;
    if !fresh {
        return Err(bad("client_assertion: jti was already used (replay)".into()));
    }
    Ok(client)
}

/// `aud` as a string or an array, containing one of `accepted`.
pub fn audience_contains(aud: &serde_json::Value, accepted: &[String]) -> bool {
    match aud {
        serde_json::Value::String(s) => accepted.iter().any(|a| a == s),
        serde_json::Value::Array(a) => a
            .iter()
            .any(|v| v.as_str().is_some_and(|s| accepted.iter().any(|x| x == s))),
        _ => false,
    }
}
