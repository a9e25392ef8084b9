//! The JOSE the sandbox banks need, in one place: PS256 signing and verification
//! (jsonwebtoken), RSA JWKs and their RFC 7638 thumbprints, compact JWE encryption
//! (RSA-OAEP or, for misbehaviour tests, RSA1_5; A256GCM) with rsa + aes-gcm, the OIDC
//! half hashes (`c_hash`, `s_hash`) and the RFC 8705 certificate thumbprint.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// A bank's ID-token signing key (RSA, PS256), with its public JWK.
pub struct BankKey {
    pub kid: String,
    encoding: EncodingKey,
    pkcs8_pem: String,
    public: RsaPublicKey,
}

impl BankKey {
    /// A fresh 2048-bit key (slow: call it off the async executor).
    pub fn generate() -> anyhow::Result<BankKey> {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)?;
        Self::from_private(key)
    }

    pub fn from_pkcs8_pem(pem: &str) -> anyhow::Result<BankKey> {
        Self::from_private(RsaPrivateKey::from_pkcs8_pem(pem)?)
    }

    fn from_private(key: RsaPrivateKey) -> anyhow::Result<BankKey> {
        let der = key.to_pkcs1_der()?;
        let pkcs8_pem = key.to_pkcs8_pem(LineEnding::LF)?.to_string();
        let public = key.to_public_key();
        let kid = thumbprint(&public);
        Ok(BankKey {
            kid,
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            pkcs8_pem,
            public,
        })
    }

    /// The private key, for the store (which is the sandbox's own database).
    pub fn pkcs8_pem(&self) -> &str {
        &self.pkcs8_pem
    }

    pub fn public_jwk(&self) -> Value {
        json!({
            "kty": "RSA", "use": "sig", "alg": "PS256", "kid": self.kid,
            "n": B64.encode(self.public.n().to_bytes_be()),
            "e": B64.encode(self.public.e().to_bytes_be()),
        })
    }

    /// Signs `claims` with `alg` (PS256 normally; RS256 only for misbehaviour tests).
    pub fn sign(&self, alg: Algorithm, claims: &Value) -> anyhow::Result<String> {
        let mut header = Header::new(alg);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".into());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }
}

/// RFC 7638 thumbprint of an RSA public key.
fn thumbprint(key: &RsaPublicKey) -> String {
    let n = B64.encode(key.n().to_bytes_be());
    let e = B64.encode(key.e().to_bytes_be());
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    B64.encode(Sha256::digest(canonical.as_bytes()))
}

/// OIDC `c_hash` / `s_hash` / `at_hash` for PS256: left half of SHA-256, base64url.
pub fn half_hash(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    B64.encode(&d[..16])
}

/// RFC 8705 `x5t#S256`: base64url SHA-256 of the certificate's DER.
pub fn x5t_s256(der: &[u8]) -> String {
    B64.encode(Sha256::digest(der))
}

/// The RSA keys of a client's JWK Set.
pub struct ClientKeys<'a>(pub &'a Value);

impl ClientKeys<'_> {
    fn rsa_keys(&self) -> impl Iterator<Item = &Value> {
        self.0["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|k| k["kty"] == "RSA")
    }

    /// The signature JWK named `kid` (or the only signature key when `kid` is absent).
    pub fn sig_jwk(&self, kid: Option<&str>) -> Option<&Value> {
        let usable = |k: &&Value| k["use"].as_str().is_none_or(|u| u == "sig");
        let candidates: Vec<&Value> = self.rsa_keys().filter(usable).collect();
        match kid {
            Some(kid) => candidates.into_iter().find(|k| k["kid"] == kid),
            None if candidates.len() == 1 => Some(candidates[0]),
            None => None,
        }
    }

    /// The key to encrypt to: `use: enc` first, then an RSA key without `use`
    /// (the conformance suite's selection rule).
    pub fn enc_key(&self) -> Option<&Value> {
        self.rsa_keys()
            .find(|k| k["use"] == "enc")
            .or_else(|| self.rsa_keys().find(|k| k.get("use").is_none()))
    }
}

/// Smallest RSA modulus FAPI 1.0 Advanced accepts (Part 1 §5.2.2-5).
const MIN_RSA_BITS: usize = 2048;

/// Bit length of a JWK's base64url modulus (0 when it does not decode).
fn rsa_modulus_bits(n: &str) -> usize {
    let Ok(bytes) = B64.decode(n) else { return 0 };
    let Some(first) = bytes.iter().position(|b| *b != 0) else {
        return 0;
    };
    (bytes.len() - first) * 8 - bytes[first].leading_zeros() as usize
}

/// Verifies a PS256 compact JWS against `keys` and returns its claims. Only the
/// signature and alg are checked here; every claim check is the caller's, so its error
/// can name the claim.
pub fn verify_ps256(token: &str, keys: &ClientKeys<'_>) -> Result<Value, String> {
    if token.split('.').count() == 5 {
        return Err("is a JWE; encrypted objects are not accepted here".into());
    }
    let header = jsonwebtoken::decode_header(token)
        .map_err(|_| "is not a signed JWT (alg must be PS256)".to_string())?;
    if header.alg != Algorithm::PS256 {
        return Err(format!("alg must be PS256, got {:?}", header.alg));
    }
    let jwk = keys
        .sig_jwk(header.kid.as_deref())
        .ok_or_else(|| match &header.kid {
            Some(kid) => format!("kid {kid:?} is not among the client's keys"),
            None => "has no kid and the client has several keys".to_string(),
        })?;
    // FAPI 1.0 Advanced Part 1 §5.2.2-5: RSA keys of 2048 bits or more only.
    let n = jwk["n"].as_str().unwrap_or_default();
    let bits = rsa_modulus_bits(n);
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "key {:?} is a {bits}-bit RSA key; FAPI requires at least {MIN_RSA_BITS} bits",
            jwk["kid"].as_str().unwrap_or_default()
        ));
    }
    let key = DecodingKey::from_rsa_components(n, jwk["e"].as_str().unwrap_or_default())
        .map_err(|_| "key is not a usable RSA JWK (n, e)".to_string())?;
    let mut v = Validation::new(Algorithm::PS256);
    v.validate_exp = false;
    v.validate_nbf = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token, &key, &v)
        .map(|d| d.claims)
        .map_err(|_| "signature does not verify with the client's key".to_string())
}

/// Key-management algorithm of a JWE.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum JweAlg {
    RsaOaep,
    /// Refused by FAPI; only for the misbehaviour that sends it.
    Rsa1_5,
}

/// Compact JWE (`cty: JWT`, A256GCM) of `payload` to the RSA public JWK `jwk`.
pub fn encrypt(payload: &str, jwk: &Value, alg: JweAlg) -> anyhow::Result<String> {
    let n = B64.decode(jwk["n"].as_str().unwrap_or_default())?;
    let e = B64.decode(jwk["e"].as_str().unwrap_or_default())?;
    let public = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))?;
    let mut header = json!({
        "alg": if alg == JweAlg::RsaOaep { "RSA-OAEP" } else { "RSA1_5" },
        "enc": "A256GCM",
        "cty": "JWT",
    });
    if let Some(kid) = jwk["kid"].as_str() {
        header["kid"] = json!(kid);
    }
    let protected = B64.encode(header.to_string());
    let mut rng = rand::thread_rng();
    let mut cek = [0u8; 32];
    rng.fill_bytes(&mut cek);
    let mut iv = [0u8; 12];
    rng.fill_bytes(&mut iv);
    // JWA's "RSA-OAEP" is OAEP with SHA-1 and MGF1-SHA-1 (RFC 7518 §4.3).
    let wrapped = match alg {
        JweAlg::RsaOaep => public.encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), &cek)?,
        JweAlg::Rsa1_5 => public.encrypt(&mut rng, Pkcs1v15Encrypt, &cek)?,
    };
    let cipher = Aes256Gcm::new_from_slice(&cek)?;
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: payload.as_bytes(),
                aad: protected.as_bytes(),
            },
        )
        .map_err(|_| anyhow::anyhow!("A256GCM encryption failed"))?;
    let (ciphertext, tag) = sealed.split_at(sealed.len() - 16);
    Ok(format!(
        "{protected}.{}.{}.{}.{}",
        B64.encode(wrapped),
        B64.encode(iv),
        B64.encode(ciphertext),
        B64.encode(tag)
    ))
}

/// Claims of a JWS without checking anything (to learn who claims to have signed it).
pub fn unverified_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&B64.decode(payload).ok()?).ok()
}
