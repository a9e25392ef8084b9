//! PAR for FAPI clients: the authorization request is a PS256 request object (RFC 9101)
//! whose claims docs/fapi-br.md fixes; parameters outside it may repeat it but never
//! contradict it (RFC 9126 §3, FAPI 1.0 Advanced §5.2.2).

use axum::http::StatusCode;
use serde_json::Value;

use super::{now_s, SKEW_S};
use crate::catalogue::BankInfo;
use crate::clients::SandboxClient;
use crate::errors::OAuthError;
use crate::jose::{self, ClientKeys};
use crate::oauth::validate_common;
use crate::store::{AuthRequest, FapiAuth};
use crate::util::Params;
use crate::AppState;

/// Longest `exp - nbf` of a request object (FAPI 1.0 Advanced §5.2.2-13).
const MAX_LIFETIME_S: i64 = 3600;
pub const ACR_LOA2: &str = "urn:brasil:openbanking:loa2";
pub const ACR_LOA3: &str = "urn:brasil:openbanking:loa3";

fn bad_object(d: impl Into<String>) -> OAuthError {
    OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request_object", d)
}

/// The claims that become the authorization request (everything else is checked apart).
const AUTHZ_CLAIMS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
];

pub async fn validate(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    form: &Params,
) -> Result<AuthRequest, OAuthError> {
    let Some(fapi) = &client.fapi else {
        return Err(OAuthError::internal("request object for a legacy client"));
    };
    if form.get("request_uri").is_some() {
        return Err(OAuthError::invalid_request(
            "request_uri is not allowed at the PAR endpoint",
        ));
    }
    let request = form.get("request").ok_or_else(|| {
        bad_object("request: FAPI clients must send a signed request object (JAR, PS256)")
    })?;
    let header = jsonwebtoken::decode_header(request).ok();
    if let Some(typ) = header.as_ref().and_then(|h| h.typ.as_deref()) {
        check_typ(typ)?;
    }
    let kid = header.and_then(|h| h.kid);
    let jwks = st
        .client_jwks(fapi, kid.as_deref())
        .await
        .map_err(|e| OAuthError::invalid_client(format!("client keys: {e}")))?;
    let claims = jose::verify_ps256(request, &ClientKeys(&jwks))
        .map_err(|e| bad_object(format!("request object {e}")))?;
    check_claims(st, bank, client, &claims)?;

    let mut pairs = Vec::new();
    for name in AUTHZ_CLAIMS {
        let Some(v) = claims.get(*name) else { continue };
        let v = v
            .as_str()
            .ok_or_else(|| bad_object(format!("request object: {name} must be a string")))?;
        // Parameters outside the object are only informative; they must not disagree.
        if form.get(name).is_some_and(|f| f != v) {
            return Err(OAuthError::invalid_request(format!(
                "{name} outside the request object contradicts the request object"
            )));
        }
        pairs.push((name.to_string(), v.to_string()));
    }
    let p = Params::from_pairs(pairs);
    if p.get("nonce").is_none() {
        return Err(bad_object(
            "request object: nonce is required (response_type code id_token)",
        ));
    }
    let mut req = validate_common(st, bank, client, &p, "code id_token")
        .await
        .map_err(|e| match e.error {
            "invalid_request" => bad_object(format!("request object: {}", e.description)),
            _ => e,
        })?;
    req.fapi = Some(FapiAuth {
        acr_values: requested_acr(&claims)?,
        recipient_name: claims["recipient_name"]
            .as_str()
            .and_then(crate::pages::recipient_name),
    });
    Ok(req)
}

/// RFC 9101 §4 and §10.8: a typed request object says `oauth-authz-req+jwt`; any other
/// explicit type (an access token, a logout token, an ID token...) is another kind of JWT
/// replayed here. `JWT` stays accepted: explicit typing is a SHOULD there, most JOSE
/// libraries write `JWT` by default and production banks accept it.
fn check_typ(typ: &str) -> Result<(), OAuthError> {
    let t = typ.to_ascii_lowercase();
    let t = t.strip_prefix("application/").unwrap_or(&t);
    if t == "oauth-authz-req+jwt" || t == "jwt" {
        return Ok(());
    }
    Err(bad_object(format!(
        "request object: typ {typ:?} is not a request object's (oauth-authz-req+jwt)"
    )))
}

fn check_claims(
    st: &AppState,
    bank: &BankInfo,
    client: &SandboxClient,
    c: &Value,
) -> Result<(), OAuthError> {
    let id = client.client_id.as_str();
    if c["iss"].as_str() != Some(id) {
        return Err(bad_object("request object: iss must be the client_id"));
    }
    if c["client_id"].as_str() != Some(id) {
        return Err(bad_object("request object: client_id must be the client's"));
    }
    let issuer = st.issuer(bank);
    if !super::audience_contains(&c["aud"], std::slice::from_ref(&issuer)) {
        return Err(bad_object(format!(
            "request object: aud must be the issuer {issuer}"
        )));
    }
    if c.get("request").is_some() || c.get("request_uri").is_some() {
        return Err(bad_object(
            "request object: must not contain request or request_uri",
        ));
    }
    let now = now_s();
    let exp = c["exp"]
        .as_i64()
        .ok_or_else(|| bad_object("request object: exp is missing"))?;
    let nbf = c["nbf"]
        .as_i64()
        .ok_or_else(|| bad_object("request object: nbf is missing"))?;
    if exp <= now - SKEW_S {
        return Err(bad_object("request object: exp is in the past"));
    }
    if nbf > now + SKEW_S {
        return Err(bad_object("request object: nbf is in the future"));
    }
    if nbf < now - MAX_LIFETIME_S - SKEW_S {
        return Err(bad_object(
            "request object: nbf is more than 60 minutes in the past",
        ));
    }
    // iat is optional (RFC 9101 §4), but one from the future is a clock or a forgery.
    if let Some(iat) = c.get("iat") {
        let iat = iat
            .as_i64()
            .ok_or_else(|| bad_object("request object: iat must be a number (NumericDate)"))?;
        if iat > now + SKEW_S {
            return Err(bad_object("request object: iat is in the future"));
        }
    }
    if exp - nbf > MAX_LIFETIME_S {
        return Err(bad_object(
            "request object: exp - nbf is more than 60 minutes",
        ));
    }
    if c["code_challenge"].as_str().is_none() {
        return Err(bad_object(
            "request object: code_challenge is required (PKCE S256)",
        ));
    }
    if c["code_challenge_method"].as_str() != Some("S256") {
        return Err(bad_object(
            "request object: code_challenge_method must be S256",
        ));
    }
    Ok(())
}

/// `acr` values asked for in `claims.id_token.acr` (value or values). OFB clients ask
/// for it as essential without values; a value the bank does not support is refused.
fn requested_acr(c: &Value) -> Result<Vec<String>, OAuthError> {
    let acr = &c["claims"]["id_token"]["acr"];
    let mut values: Vec<String> = Vec::new();
    if let Some(v) = acr["value"].as_str() {
        values.push(v.to_string());
    }
    for v in acr["values"].as_array().into_iter().flatten() {
        if let Some(v) = v.as_str() {
            values.push(v.to_string());
        }
    }
    if values.iter().any(|v| v != ACR_LOA2 && v != ACR_LOA3) {
        return Err(bad_object(format!(
            "request object: claims.id_token.acr asks for values outside {ACR_LOA2}, {ACR_LOA3}"
        )));
    }
    Ok(values)
}
