//! RSA keys: generation, PEM persistence and the public JWK (kid = RFC 7638 thumbprint).
//!
//! RSA 2048 everywhere, as in the OFB directory: its V10 chain and transport
//! certificates are RSA 2048 / SHA-256 and it signs SSAs PS256.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::files::{corrupt, create_private, read_optional};
use super::DirectoryError;

pub(crate) const RSA_BITS: usize = 2048;

pub(crate) fn generate_rsa() -> Result<RsaPrivateKey, DirectoryError> {
    RsaPrivateKey::new(&mut rand::rngs::OsRng, RSA_BITS)
        .map_err(|e| DirectoryError::Key(format!("RSA key generation failed: {e}")))
}

/// PKCS#8 PEM: the form rcgen (ring) and jsonwebtoken both read.
pub(crate) fn to_pkcs8_pem(key: &RsaPrivateKey) -> Result<String, DirectoryError> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| DirectoryError::Key(format!("encoding the RSA key as PKCS#8: {e}")))
}

/// Loads the PKCS#8 RSA key at `path`, generating and saving one (0600) on first use.
pub(crate) fn load_or_create_rsa(path: &Path) -> Result<RsaPrivateKey, DirectoryError> {
    if let Some(pem) = read_optional(path)? {
        return RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| corrupt(path, e));
    }
    let pem = create_private(path, &to_pkcs8_pem(&generate_rsa()?)?)?;
    RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| corrupt(path, e))
}

/// The public JWK thumbprint (`kid`) of an RSA private key.
pub(crate) fn kid_of(key: &RsaPrivateKey) -> String {
    let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
    let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
    rsa_thumbprint(&n, &e)
}

/// The directory's SSA signing key with its public JWK.
pub(crate) struct SigningKey {
    pub kid: String,
    pub encoding: jsonwebtoken::EncodingKey,
    pub public_jwk: Value,
}

impl SigningKey {
    pub fn new(key: &RsaPrivateKey) -> Result<Self, DirectoryError> {
        let der = key
            .to_pkcs1_der()
            .map_err(|e| DirectoryError::Key(format!("encoding the RSA key as PKCS#1: {e}")))?;
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let kid = kid_of(key);
        Ok(SigningKey {
            public_jwk: json!({
                "kty": "RSA", "use": "sig", "alg": "PS256", "kid": kid, "n": n, "e": e,
            }),
            kid,
            encoding: jsonwebtoken::EncodingKey::from_rsa_der(der.as_bytes()),
        })
    }
}

/// RFC 7638 JWK thumbprint of an RSA key (base64url SHA-256 of the canonical members).
pub fn rsa_thumbprint(n_b64: &str, e_b64: &str) -> String {
    let canonical = format!(r#"{{"e":"{e_b64}","kty":"RSA","n":"{n_b64}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}
