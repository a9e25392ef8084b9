//! An independent Standard Webhooks verifier, written from the specification
//! rather than from Ponte's signer: any of the space-separated `v1,`
//! signatures may match (a secret rotation sends two).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Whether the delivery whose headers `header` reads signs `body` with `secret`.
pub fn verify(secret: &str, header: impl Fn(&str) -> Option<String>, body: &str) -> bool {
    let Ok(key) = STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret)) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&key) else {
        return false;
    };
    let field = |name: &str| header(name).unwrap_or_default();
    mac.update(
        format!(
            "{}.{}.{}",
            field("webhook-id"),
            field("webhook-timestamp"),
            body
        )
        .as_bytes(),
    );
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    field("webhook-signature")
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}
