//! Dynamic client registration (RFC 7591, OFB DCR) and management (RFC 7592)
//! as a data receiver: a software statement (SSA) fetched fresh from the
//! directory over mTLS (banks refuse one older than 5 minutes), registered
//! at the institution's mTLS registration alias with `jwks_uri` (never
//! `jwks`), then read, updated and deleted with the registration token.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::discovery::Endpoint;
use crate::headers;
use crate::open_finance::{
    error_of, json_of, ConnectError, OpenFinanceClient, OpenFinanceEndpoint,
};
use crate::security::{FapiProfile, Secret};

/// What Ponte asks to be registered with, besides what the SSA fixes.
#[derive(Debug, Clone, Default)]
pub struct ClientMetadata {
    /// Redirect URIs (a subset of the SSA's); empty means all of the SSA's.
    pub redirect_uris: Vec<String>,
}

/// A registration at one institution.
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub registration_client_uri: String,
    pub registration_access_token: Secret,
    /// The metadata the institution answered with.
    pub metadata: Value,
}

/// The SSA's claims, read without verifying: Ponte fetched it from the
/// directory over mTLS itself, and the bank verifies it.
fn ssa_claims(ssa: &str) -> Result<Value, ConnectError> {
    let bad = || ConnectError::Protocol("the software statement is not a JWT".into());
    let body = ssa.split('.').nth(1).ok_or_else(bad)?;
    let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| bad())?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

/// The registration request's JSON (OFB DCR, docs/fapi-br.md).
pub fn registration_body(ssa: &str, meta: &ClientMetadata) -> Result<Value, ConnectError> {
    let claims = ssa_claims(ssa)?;
    let jwks_uri = claims["software_jwks_uri"].as_str().ok_or_else(|| {
        ConnectError::Protocol("the software statement has no software_jwks_uri".into())
    })?;
    let allowed: Vec<&str> = claims["software_redirect_uris"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let redirect_uris: Vec<&str> = if meta.redirect_uris.is_empty() {
        allowed.clone()
    } else {
        meta.redirect_uris.iter().map(String::as_str).collect()
    };
    if let Some(stray) = redirect_uris.iter().find(|u| !allowed.contains(u)) {
        return Err(ConnectError::Protocol(format!(
            "redirect URI {stray} is not in the software statement"
        )));
    }
    if redirect_uris.is_empty() {
        return Err(ConnectError::Protocol(
            "the software statement names no redirect URI".into(),
        ));
    }
    let body = json!({
        "software_statement": ssa,
        "jwks_uri": jwks_uri,
        "redirect_uris": redirect_uris,
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "PS256",
        // `implicit`: `code id_token` returns an ID token from the
        // authorisation endpoint (OIDC registration rules).
        "grant_types": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
        "response_types": ["code id_token"],
        "id_token_signed_response_alg": "PS256",
        "request_object_signing_alg": "PS256",
        "tls_client_certificate_bound_access_tokens": true,
        // Always: the OFB profile encrypts ID tokens to the `enc` key in the
        // SSA's `software_jwks_uri`, and the conformance suite does so
        // whatever was registered.
        "id_token_encrypted_response_alg": "RSA-OAEP",
        "id_token_encrypted_response_enc": "A256GCM",
    });
    Ok(body)
}

/// A fresh SSA from the directory, over mTLS with the transport certificate.
pub async fn fetch_ssa(
    profile: &FapiProfile,
    directory: &str,
    org_id: &str,
    software_id: &str,
) -> Result<String, ConnectError> {
    let enc = crate::open_finance::urlencode;
    let url = format!(
        "{}/organisations/{}/softwarestatements/{}/assertion",
        directory.trim_end_matches('/'),
        enc(org_id),
        enc(software_id)
    );
    let resp = headers::send_oauth(profile.http().get(url)).await?;
    if !resp.status().is_success() {
        return Err(error_of(resp).await);
    }
    let ssa = resp.text().await?.trim().to_string();
    ssa_claims(&ssa)?;
    Ok(ssa)
}

fn registration_of(
    answer: Value,
    previous: Option<&Registration>,
) -> Result<Registration, ConnectError> {
    let field = |name: &str| answer[name].as_str().map(str::to_string);
    let missing =
        |name: &str| ConnectError::Protocol(format!("the registration answer has no {name}"));
    let client_id = field("client_id")
        .or_else(|| previous.map(|p| p.client_id.clone()))
        .ok_or_else(|| missing("client_id"))?;
    let registration_client_uri = field("registration_client_uri")
        .or_else(|| previous.map(|p| p.registration_client_uri.clone()))
        .ok_or_else(|| missing("registration_client_uri"))?;
    // A bank may rotate the token on each use: always keep the newest.
    let registration_access_token = field("registration_access_token")
        .map(Secret::new)
        .or_else(|| previous.map(|p| p.registration_access_token.clone()))
        .ok_or_else(|| missing("registration_access_token"))?;
    let mut metadata = answer;
    if let Some(m) = metadata.as_object_mut() {
        m.remove("registration_access_token");
    }
    Ok(Registration {
        client_id,
        registration_client_uri,
        registration_access_token,
        metadata,
    })
}

impl OpenFinanceClient {
    /// Registers Ponte at the institution `issuer` (its mTLS registration alias).
    pub async fn register(
        &self,
        issuer: &str,
        profile: &Arc<FapiProfile>,
        ssa: &str,
        meta: &ClientMetadata,
    ) -> Result<Registration, ConnectError> {
        self.register_discovered(issuer, None, profile, ssa, meta)
            .await
    }

    /// [`Self::register`] with the discovery document read at
    /// `discovery_url` when given (`OpenFinanceEndpoint::discovery_url`).
    pub async fn register_discovered(
        &self,
        issuer: &str,
        discovery_url: Option<&str>,
        profile: &Arc<FapiProfile>,
        ssa: &str,
        meta: &ClientMetadata,
    ) -> Result<Registration, ConnectError> {
        let mut ep = OpenFinanceEndpoint::fapi(issuer, issuer, "", "", profile.clone());
        ep.discovery_url = discovery_url.map(str::to_string);
        let d = self.discover(&ep).await?;
        let url = d.endpoint(Endpoint::Registration, true).ok_or_else(|| {
            ConnectError::Protocol("discovery names no registration_endpoint".into())
        })?;
        let body = registration_body(ssa, meta)?;
        let resp = headers::send_oauth(profile.http().post(url).json(&body)).await?;
        registration_of(json_of(resp).await?, None)
    }

    /// Reads the registration back (RFC 7592 GET).
    pub async fn read_registration(
        &self,
        profile: &FapiProfile,
        reg: &Registration,
    ) -> Result<Registration, ConnectError> {
        let request = profile
            .http()
            .get(&reg.registration_client_uri)
            .bearer_auth(reg.registration_access_token.expose());
        let resp = headers::send_oauth(request).await?;
        registration_of(json_of(resp).await?, Some(reg))
    }

    /// Updates the registration with a fresh SSA (RFC 7592 PUT), e.g. after a
    /// certificate or key rotation.
    pub async fn update_registration(
        &self,
        profile: &FapiProfile,
        reg: &Registration,
        ssa: &str,
        meta: &ClientMetadata,
    ) -> Result<Registration, ConnectError> {
        let mut body = registration_body(ssa, meta)?;
        body["client_id"] = json!(reg.client_id);
        let request = profile
            .http()
            .put(&reg.registration_client_uri)
            .bearer_auth(reg.registration_access_token.expose())
            .json(&body);
        let resp = headers::send_oauth(request).await?;
        registration_of(json_of(resp).await?, Some(reg))
    }

    /// Deletes the registration (RFC 7592 DELETE); one already gone counts as deleted.
    pub async fn delete_registration(
        &self,
        profile: &FapiProfile,
        reg: &Registration,
    ) -> Result<(), ConnectError> {
        let request = profile
            .http()
            .delete(&reg.registration_client_uri)
            .bearer_auth(reg.registration_access_token.expose());
        let resp = headers::send_oauth(request).await?;
        let status = resp.status().as_u16();
        if resp.status().is_success() || status == 404 || status == 410 {
            return Ok(());
        }
        Err(error_of(resp).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ssa(claims: Value) -> String {
        let b = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
        format!("{}.{}.sig", b(&json!({"alg": "PS256"})), b(&claims))
    }

    fn statement() -> String {
        ssa(json!({
            "software_jwks_uri": "https://keystore.example/org/sw/application.jwks",
            "software_redirect_uris": ["https://ponte.example/cb", "https://ponte.example/cb2"],
        }))
    }

    #[test]
    fn registration_names_the_ssa_jwks_uri_never_a_jwks_and_the_profile_values() {
        let meta = ClientMetadata {
            redirect_uris: vec!["https://ponte.example/cb".into()],
        };
        let body = registration_body(&statement(), &meta).unwrap();
        assert_eq!(
            body["jwks_uri"],
            "https://keystore.example/org/sw/application.jwks"
        );
        assert!(body.get("jwks").is_none());
        assert_eq!(body["software_statement"], statement());
        assert_eq!(body["redirect_uris"], json!(["https://ponte.example/cb"]));
        assert_eq!(body["token_endpoint_auth_method"], "private_key_jwt");
        assert_eq!(body["token_endpoint_auth_signing_alg"], "PS256");
        assert_eq!(body["response_types"], json!(["code id_token"]));
        let grants = body["grant_types"].as_array().unwrap();
        for g in [
            "authorization_code",
            "implicit",
            "refresh_token",
            "client_credentials",
        ] {
            assert!(grants.contains(&json!(g)), "{g}");
        }
        assert_eq!(body["id_token_encrypted_response_alg"], "RSA-OAEP");
        assert_eq!(body["id_token_encrypted_response_enc"], "A256GCM");
        assert_eq!(body["tls_client_certificate_bound_access_tokens"], true);
    }

    #[test]
    fn redirect_uris_default_to_the_ssa_and_must_stay_within_it() {
        let all = registration_body(&statement(), &ClientMetadata::default()).unwrap();
        assert_eq!(all["redirect_uris"].as_array().unwrap().len(), 2);
        assert_eq!(all["id_token_encrypted_response_alg"], "RSA-OAEP");
        assert_eq!(all["id_token_encrypted_response_enc"], "A256GCM");
        let stray = ClientMetadata {
            redirect_uris: vec!["https://evil.example/cb".into()],
        };
        assert!(registration_body(&statement(), &stray).is_err());
    }

    #[test]
    fn a_registration_answer_keeps_the_newest_token_and_hides_it_from_debug() {
        let first = registration_of(
            json!({"client_id": "c1", "registration_client_uri": "https://b/register/c1",
                   "registration_access_token": "rat-1"}),
            None,
        )
        .unwrap();
        assert!(!format!("{first:?}").contains("rat-1"));
        assert!(first.metadata.get("registration_access_token").is_none());
        let rotated =
            registration_of(json!({"registration_access_token": "rat-2"}), Some(&first)).unwrap();
        assert_eq!(rotated.registration_access_token.expose(), "rat-2");
        assert_eq!(rotated.client_id, "c1");
        let kept = registration_of(json!({"client_id": "c1"}), Some(&rotated)).unwrap();
        assert_eq!(kept.registration_access_token.expose(), "rat-2");
    }
}
