//! The little JOSE the FAPI-BR profile needs, in one place: PS256 signing
//! (client assertions, request objects), PS256 verification against an
//! institution's JWKS, and compact JWE decryption (`RSA-OAEP` + `A256GCM`)
//! of ID tokens. Verification goes through jsonwebtoken; signing is ring's
//! RSA-PSS (about 0.5 ms a signature where the `rsa` crate of jsonwebtoken's
//! pure-Rust backend took 1.3-1.9 ms, and ring is built for rustls anyway)
//! under a compact JWS of three base64url parts; JWE is ~40 lines over `rsa` and
//! `aes-gcm` because no maintained pure-Rust crate decrypts compact JWE
//! without pulling OpenSSL (josekit) or an unmaintained stack (biscuit).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PSS_SHA256};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey};
use serde_json::Value;
use std::sync::Arc;

use crate::id_token::CheckFailed;

/// An RSA private key read from PEM (PKCS#8 or PKCS#1).
fn rsa_from_pem(pem: &str) -> Result<RsaPrivateKey, String> {
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| "not an RSA private key in PEM (PKCS#8 or PKCS#1)".to_string())
}

/// Ponte's PS256 signing key with its `kid` (the one its JWKS publishes).
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    key: Arc<RsaKeyPair>,
    rng: SystemRandom,
}

/// The protected header of Ponte's JWS, members in jsonwebtoken's order.
#[derive(serde::Serialize)]
struct JwsHeader<'a> {
    typ: &'a str,
    alg: &'a str,
    kid: &'a str,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey {{ kid: {:?}, key: <hidden> }}", self.kid)
    }
}

impl SigningKey {
    /// `pem`: an RSA private key of 2048 bits or more. Errors say what is wrong
    /// without quoting the key.
    pub fn from_pem(pem: &str, kid: &str) -> Result<Self, String> {
        let rsa = rsa_from_pem(pem)?;
        if rsa.size() < 256 {
            return Err("the RSA key is shorter than 2048 bits".into());
        }
        if kid.trim().is_empty() {
            return Err("the key id (kid) is empty".into());
        }
        // Parsed once here (with ring's consistency checks), not per signature.
        let der = rsa
            .to_pkcs8_der()
            .map_err(|_| "the RSA key does not encode as PKCS#8".to_string())?;
        let key = RsaKeyPair::from_pkcs8(der.as_bytes())
            .map_err(|e| format!("the RSA key is not usable for PS256 signing: {e}"))?;
        Ok(Self {
            kid: kid.to_string(),
            key: Arc::new(key),
            rng: SystemRandom::new(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A compact JWS: header `{"alg":"PS256","kid":…,"typ":typ}` over `claims`.
    pub fn sign(&self, typ: &str, claims: &Value) -> Result<String, String> {
        let header = JwsHeader {
            typ,
            alg: "PS256",
            kid: &self.kid,
        };
        let part = |v: Vec<u8>| URL_SAFE_NO_PAD.encode(v);
        let header = serde_json::to_vec(&header).map_err(|e| format!("signing: {e}"))?;
        let claims = serde_json::to_vec(claims).map_err(|e| format!("signing: {e}"))?;
        let message = format!("{}.{}", part(header), part(claims));
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PSS_SHA256,
                &self.rng,
                message.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "signing: the RSA-PSS signature failed".to_string())?;
        Ok(format!("{message}.{}", part(signature)))
    }
}

/// Ponte's ID-token decryption key (`use: "enc"` in its JWKS).
#[derive(Clone)]
pub struct DecryptionKey {
    key: Arc<RsaPrivateKey>,
}

impl std::fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DecryptionKey(<hidden>)")
    }
}

impl DecryptionKey {
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let key = rsa_from_pem(pem)?;
        if key.size() < 256 {
            return Err("the RSA key is shorter than 2048 bits".into());
        }
        Ok(Self { key: Arc::new(key) })
    }

    /// The plaintext of a compact JWE (for an ID token: the nested JWS).
    /// Only `RSA-OAEP`/`RSA-OAEP-256` with `A256GCM`: `RSA1_5` is refused
    /// (padding-oracle prone, and FAPI forbids it).
    pub fn decrypt(&self, jwe: &str) -> Result<String, CheckFailed> {
        let bad = |why: &str| CheckFailed::new("id_token.jwe", why);
        let parts: Vec<&str> = jwe.split('.').collect();
        let [protected, ek, iv, ct, tag] = parts[..] else {
            return Err(bad("not a compact JWE (five parts)"));
        };
        let header: Value = serde_json::from_slice(&b64(protected).map_err(|_| bad("header"))?)
            .map_err(|_| bad("the header is not JSON"))?;
        let padding = match header["alg"].as_str() {
            Some("RSA-OAEP") => Oaep::new::<sha1::Sha1>(),
            Some("RSA-OAEP-256") => Oaep::new::<sha2::Sha256>(),
            other => {
                return Err(CheckFailed::new(
                    "id_token.jwe.alg",
                    &format!("key management {other:?} refused; only RSA-OAEP"),
                ))
            }
        };
        if header["enc"].as_str() != Some("A256GCM") {
            return Err(CheckFailed::new(
                "id_token.jwe.enc",
                &format!("content encryption {} refused; only A256GCM", header["enc"]),
            ));
        }
        let decode = |s: &str| b64(s).map_err(|_| bad("a part is not base64url"));
        let cek = self
            .key
            .decrypt(padding, &decode(ek)?)
            .map_err(|_| bad("the content key does not decrypt with Ponte's key"))?;
        let cipher =
            aes_gcm::Aes256Gcm::new_from_slice(&cek).map_err(|_| bad("content key length"))?;
        let iv = decode(iv)?;
        if iv.len() != 12 {
            return Err(bad("the IV is not 96 bits"));
        }
        let mut msg = decode(ct)?;
        msg.extend(decode(tag)?);
        let plain = cipher
            .decrypt(
                aes_gcm::Nonce::from_slice(&iv),
                Payload {
                    msg: &msg,
                    aad: protected.as_bytes(),
                },
            )
            .map_err(|_| bad("the content does not authenticate"))?;
        String::from_utf8(plain).map_err(|_| bad("the content is not text"))
    }
}

fn b64(s: &str) -> Result<Vec<u8>, base64::DecodeError> {
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('='))
}

/// An institution's signing keys (its `jwks_uri`), RSA only, by `kid`.
#[derive(Clone, Default)]
pub struct Jwks {
    keys: Vec<(Option<String>, Arc<DecodingKey>)>,
}

impl Jwks {
    /// Reads a JWKS document, keeping the RSA signing keys and skipping what
    /// it cannot use (encryption keys, EC keys) instead of failing on them.
    pub fn from_json(doc: &Value) -> Jwks {
        let keys = doc["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|k| k["kty"] == "RSA" && k["use"].as_str().is_none_or(|u| u == "sig"))
            .filter_map(|k| {
                let key = DecodingKey::from_rsa_components(k["n"].as_str()?, k["e"].as_str()?);
                Some((k["kid"].as_str().map(str::to_string), Arc::new(key.ok()?)))
            })
            .collect();
        Jwks { keys }
    }

    pub fn has_kid(&self, kid: Option<&str>) -> bool {
        self.key(kid).is_some()
    }

    fn key(&self, kid: Option<&str>) -> Option<&DecodingKey> {
        match kid {
            Some(kid) => self
                .keys
                .iter()
                .find(|(k, _)| k.as_deref() == Some(kid))
                .map(|(_, key)| &**key),
            // Without a kid only an unambiguous set will do.
            None if self.keys.len() == 1 => Some(&self.keys[0].1),
            None => None,
        }
    }
}

/// The JWS inside an ID token: itself, or the plaintext of a JWE (five
/// parts) decrypted with `key`.
pub fn open_id_token(raw: &str, key: Option<&DecryptionKey>) -> Result<String, CheckFailed> {
    if raw.split('.').count() != 5 {
        return Ok(raw.to_string());
    }
    let key = key.ok_or_else(|| {
        CheckFailed::new(
            "id_token.jwe",
            "encrypted, and no decryption key is configured",
        )
    })?;
    key.decrypt(raw)
}

/// The header of a compact JWS, read without trusting it.
pub fn jws_header(jws: &str) -> Result<Value, CheckFailed> {
    let bad = |why: &str| CheckFailed::new("id_token.format", why);
    let head = jws.split('.').next().unwrap_or_default();
    serde_json::from_slice(&b64(head).map_err(|_| bad("the header is not base64url"))?)
        .map_err(|_| bad("the header is not JSON"))
}

/// The claims of a PS256 JWS signed by a key of `jwks`. Every other `alg`
/// (`none`, `RS256`, HMAC…) is refused before any key is looked at.
pub fn verify_ps256(jws: &str, jwks: &Jwks) -> Result<Value, CheckFailed> {
    let parts: Vec<&str> = jws.split('.').collect();
    let [head, body, sig] = parts[..] else {
        return Err(CheckFailed::new(
            "id_token.format",
            "not a compact JWS (three parts)",
        ));
    };
    let header = jws_header(jws)?;
    if header["alg"] != "PS256" {
        return Err(CheckFailed::new(
            "id_token.alg",
            &format!("signature algorithm {} refused; only PS256", header["alg"]),
        ));
    }
    let kid = header["kid"].as_str();
    let key = jwks.key(kid).ok_or_else(|| {
        CheckFailed::new(
            "id_token.kid",
            &format!("no key {kid:?} in the institution's JWKS"),
        )
    })?;
    let message = format!("{head}.{body}");
    let ok = jsonwebtoken::crypto::verify(sig, message.as_bytes(), key, Algorithm::PS256)
        .unwrap_or(false);
    if !ok {
        return Err(CheckFailed::new(
            "id_token.signature",
            "the signature does not verify with the institution's key",
        ));
    }
    let claims: Value = serde_json::from_slice(
        &b64(body)
            .map_err(|_| CheckFailed::new("id_token.format", "the claims are not base64url"))?,
    )
    .map_err(|_| CheckFailed::new("id_token.format", "the claims are not JSON"))?;
    if !claims.is_object() {
        return Err(CheckFailed::new(
            "id_token.format",
            "the claims are not an object",
        ));
    }
    Ok(claims)
}

/// The RFC 7638 thumbprint of an RSA JWK (`e`, `kty`, `n` in that order):
/// the usual `kid` of a key nobody named.
pub fn rsa_jwk_thumbprint(jwk: &Value) -> Option<String> {
    let (e, n) = (jwk["e"].as_str()?, jwk["n"].as_str()?);
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    Some(URL_SAFE_NO_PAD.encode(<sha2::Sha256 as sha2::Digest>::digest(canonical.as_bytes())))
}

/// The public JWK of an RSA private key in PEM, with `kid`, `use` and `alg`:
/// what Ponte publishes, and what tests give their fake institutions.
pub fn public_jwk(pem: &str, kid: &str, use_: &str, alg: &str) -> Result<Value, String> {
    let key = rsa_from_pem(pem)?;
    let public = key.to_public_key();
    Ok(serde_json::json!({
        "kty": "RSA",
        "kid": kid,
        "use": use_,
        "alg": alg,
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
    }))
}
