//! Keys and token makers for the unit tests: static PEM fixtures (RSA key
//! generation is slow unoptimised), tokens signed PS256, RS256 or not at
//! all, and JWE made the way an institution makes them.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::RngCore;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPrivateKey};
use serde_json::{json, Value};

use crate::jose::{public_jwk, Jwks};

pub const CLIENT_SIG: &str = include_str!("testdata/client_sig.pem");
pub const CLIENT_ENC: &str = include_str!("testdata/client_enc.pem");
pub const BANK_SIG: &str = include_str!("testdata/bank_sig.pem");
pub const BANK_ALT: &str = include_str!("testdata/bank_alt.pem");
pub const TRANSPORT_CERT: &str = include_str!("testdata/transport_cert.pem");
pub const TRANSPORT_KEY: &str = include_str!("testdata/transport_key.pem");
pub const BANK_KID: &str = "bank-1";

/// The bank's JWKS: its signing key only.
pub fn bank_jwks() -> Jwks {
    let jwk = public_jwk(BANK_SIG, BANK_KID, "sig", "PS256").unwrap();
    Jwks::from_json(&json!({"keys": [jwk]}))
}

/// A JWS over `claims` with `alg`, signed by `pem`, naming `kid`.
pub fn sign(alg: Algorithm, kid: &str, claims: &Value, pem: &str) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_string());
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// `alg: none`: an unsecured JWS with an empty signature.
pub fn unsigned(claims: &Value) -> String {
    let b = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    format!(
        "{}.{}.",
        b(&json!({"alg": "none", "kid": BANK_KID})),
        b(claims)
    )
}

/// A compact JWE of `plain` to Ponte's encryption key, with key management
/// `alg` (`RSA-OAEP` or `RSA1_5`) and A256GCM.
pub fn encrypt(plain: &str, alg: &str) -> String {
    let public = RsaPrivateKey::from_pkcs8_pem(CLIENT_ENC)
        .unwrap()
        .to_public_key();
    let mut rng = rand::thread_rng();
    let mut cek = [0u8; 32];
    rng.fill_bytes(&mut cek);
    let mut iv = [0u8; 12];
    rng.fill_bytes(&mut iv);
    let ek = match alg {
        "RSA-OAEP" => public.encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), &cek),
        "RSA1_5" => public.encrypt(&mut rng, Pkcs1v15Encrypt, &cek),
        _ => panic!("{alg}"),
    }
    .unwrap();
    let header = json!({"alg": alg, "enc": "A256GCM", "cty": "JWT", "kid": "enc-1"});
    let protected = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap());
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&cek).unwrap();
    let sealed = cipher
        .encrypt(
            aes_gcm::Nonce::from_slice(&iv),
            Payload {
                msg: plain.as_bytes(),
                aad: protected.as_bytes(),
            },
        )
        .unwrap();
    let (ct, tag) = sealed.split_at(sealed.len() - 16);
    let e = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
    format!("{protected}.{}.{}.{}.{}", e(&ek), e(&iv), e(ct), e(tag))
}

/// The claims of a JWS, read without verifying (to inspect what Ponte signed).
pub fn claims_of(jws: &str) -> (Value, Value) {
    let part = |i: usize| -> Value {
        let text = jws.split('.').nth(i).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap()
    };
    (part(0), part(1))
}
