//! An independent Standard Webhooks verifier, written from the specification
//! rather than from Ponte's signer, so the two can disagree.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;

/// Whether one of the `v1,` signatures of `headers` signs `body` with `secret`.
pub fn verify(secret: &str, headers: &BTreeMap<String, String>, body: &str) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let signed = format!(
        "{}.{}.{}",
        headers["webhook-id"], headers["webhook-timestamp"], body
    );
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(signed.as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    headers["webhook-signature"]
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}
