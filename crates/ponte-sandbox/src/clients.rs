//! OAuth clients: the configured ones (legacy secret or FAPI) and the ones registered
//! dynamically (stored), their keys (inline or fetched from `jwks_uri`), and the rule
//! their TLS certificate must satisfy.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::AppState;

/// A registered OAuth client. Configured clients are valid at every bank; dynamically
/// registered ones only at the bank they registered with.
///
/// Legacy mode (today's Ponte server): `client_secret` set, `fapi` None; the client
/// authenticates with `client_secret_basic`/`post` and gets plain OAuth answers.
/// FAPI mode: `fapi` set and `client_secret` empty; every OFB FAPI rule applies.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct SandboxClient {
    pub client_id: String,
    #[serde(skip)]
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
    pub fapi: Option<FapiClient>,
}

impl std::fmt::Debug for SandboxClient {
    // The secret must never end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxClient")
            .field("client_id", &self.client_id)
            .field("redirect_uris", &self.redirect_uris)
            .field("fapi", &self.fapi)
            .finish_non_exhaustive()
    }
}

/// How a FAPI client is registered (RFC 7591 metadata the sandbox acts on).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FapiClient {
    pub keys: ClientJwks,
    /// `RSA-OAEP` to receive encrypted ID tokens (with `enc` `A256GCM`), else None.
    pub id_token_encrypted_response_alg: Option<String>,
    pub id_token_encrypted_response_enc: Option<String>,
    pub certificate: CertificateRule,
}

/// Where a FAPI client's public keys are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ClientJwks {
    /// An inline JWK Set (`{"keys": [...]}`).
    Jwks(Value),
    /// Fetched over HTTP(S), cached briefly, refetched once on an unknown `kid`.
    JwksUri(String),
}

/// What the client's TLS certificate must say (besides chaining to the client CA).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum CertificateRule {
    /// Any certificate the mTLS listener accepted.
    AnyFromCa,
    /// An OFB transport certificate of that organisation and software:
    /// `organizationIdentifier` = `OFBBR-<org_id>` and `UID` = `software_id`.
    Ofb { org_id: String, software_id: String },
}

impl SandboxClient {
    pub fn is_fapi(&self) -> bool {
        self.fapi.is_some()
    }
}

const JWKS_TTL: Duration = Duration::from_secs(60);

/// `jwks_uri` documents recently fetched.
#[derive(Clone, Default)]
pub struct JwksCache(Arc<Mutex<HashMap<String, (Instant, Value)>>>);

impl AppState {
    /// A client by id: configured ones first, then those registered at `bank`.
    pub async fn find_client(
        &self,
        bank: &str,
        client_id: &str,
    ) -> Result<Option<SandboxClient>, sqlx::Error> {
        if let Some(c) = self.clients.iter().find(|c| c.client_id == client_id) {
            return Ok(Some(c.clone()));
        }
        let Some(stored) = self.store.stored_client(client_id).await? else {
            return Ok(None);
        };
        if stored.bank != bank {
            return Ok(None);
        }
        Ok(serde_json::from_value(stored.client).ok())
    }

    /// The client's JWK Set, holding `kid` if it can (refetching a cached `jwks_uri`
    /// document once when `kid` is not in it).
    pub async fn client_jwks(&self, fapi: &FapiClient, kid: Option<&str>) -> Result<Value, String> {
        let uri = match &fapi.keys {
            ClientJwks::Jwks(v) => return Ok(v.clone()),
            ClientJwks::JwksUri(u) => u,
        };
        let has_kid = |v: &Value| {
            kid.is_none_or(|kid| {
                v["keys"]
                    .as_array()
                    .is_some_and(|ks| ks.iter().any(|k| k["kid"] == kid))
            })
        };
        let cached = self
            .jwks_cache
            .0
            .lock()
            .ok()
            .and_then(|m| m.get(uri).cloned());
        if let Some((at, v)) = cached {
            if at.elapsed() < JWKS_TTL && has_kid(&v) {
                return Ok(v);
            }
        }
        let v = self.fetch_jwks(uri).await?;
        if let Ok(mut m) = self.jwks_cache.0.lock() {
            m.insert(uri.clone(), (Instant::now(), v.clone()));
        }
        Ok(v)
    }

    async fn fetch_jwks(&self, uri: &str) -> Result<Value, String> {
        let resp = self
            .http
            .get(uri)
            .send()
            .await
            .map_err(|e| format!("jwks_uri {uri} could not be fetched: {e}"))?;
        if !resp.status().is_success() {
            return Err(format!("jwks_uri {uri} answered {}", resp.status()));
        }
        let v: Value = resp
            .json()
            .await
            .map_err(|_| format!("jwks_uri {uri} is not a JSON JWK Set"))?;
        if !v["keys"].is_array() {
            return Err(format!("jwks_uri {uri} is not a JWK Set (no keys array)"));
        }
        Ok(v)
    }
}

/// The subject fields of an OFB transport certificate: (organizationIdentifier, UID).
pub fn certificate_subject(der: &[u8]) -> Result<(Option<String>, Option<String>), String> {
    use x509_parser::prelude::*;
    let (_, cert) = X509Certificate::from_der(der)
        .map_err(|_| "the client certificate cannot be parsed".to_string())?;
    let field = |oid: &[u64]| -> Option<String> {
        let oid = x509_parser::der_parser::oid::Oid::from(oid).ok()?;
        cert.subject()
            .iter_by_oid(&oid)
            .next()
            .and_then(|a| a.as_str().ok())
            .map(str::to_string)
    };
    Ok((
        field(&[2, 5, 4, 97]),
        field(&[0, 9, 2342, 19200300, 100, 1, 1]),
    ))
}

/// Checks the request's certificate against the client's rule; the error says why.
pub fn check_certificate(rule: &CertificateRule, der: &[u8]) -> Result<(), String> {
    match rule {
        CertificateRule::AnyFromCa => Ok(()),
        CertificateRule::Ofb {
            org_id,
            software_id,
        } => {
            let (org, uid) = certificate_subject(der)?;
            let want_org = format!("OFBBR-{org_id}");
            if org.as_deref() != Some(want_org.as_str()) {
                return Err(format!(
                    "the client certificate's organizationIdentifier is {:?}, expected {want_org:?}",
                    org.unwrap_or_default()
                ));
            }
            if uid.as_deref() != Some(software_id.as_str()) {
                return Err(format!(
                    "the client certificate's UID is {:?}, expected the software id {software_id:?}",
                    uid.unwrap_or_default()
                ));
            }
            Ok(())
        }
    }
}
