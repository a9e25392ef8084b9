//! The checks an ID token must pass (FAPI 1.0 Advanced §5.2.2.1, OIDC
//! §3.3.2.11/§3.1.3.7) once its signature verified: each refusal names the
//! check, so the consent ends `REJECTED` with a reason an operator can read.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A refused answer: `check` is a stable machine name (`id_token.s_hash`,
/// `token.scope`, `authorization.iss`…), `description` says why in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{check}: {description}")]
pub struct CheckFailed {
    pub check: String,
    pub description: String,
}

impl CheckFailed {
    pub fn new(check: &str, description: &str) -> Self {
        Self {
            check: check.to_string(),
            description: description.to_string(),
        }
    }
}

/// Clock skew tolerated either way.
pub const SKEW_SECS: i64 = 300;
/// An ID token issued longer ago than this is refused even when its `exp`
/// is far off (the conformance suite sends one issued a week ago).
pub const MAX_AGE_SECS: i64 = 3600;

/// What the ID token must say.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// Prefix of the check names: `id_token` (front channel) or `token.id_token`.
    pub source: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// Unix seconds.
    pub now: i64,
    /// The authorisation code, when `c_hash` must bind it (front channel).
    pub code: Option<&'a str>,
    /// The state, when `s_hash` must bind it (front channel).
    pub state: Option<&'a str>,
    /// `acr` values accepted; `acr` is required when `require_acr`.
    pub acr_values: &'a [String],
    pub require_acr: bool,
    /// The front-channel ID token's `sub`, which the token endpoint's must repeat.
    pub sub: Option<&'a str>,
}

/// Left half of SHA-256 of `value`, base64url: `c_hash`, `s_hash`, `at_hash`.
pub fn half_hash(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

impl Expected<'_> {
    fn fail(&self, claim: &str, why: String) -> CheckFailed {
        CheckFailed {
            check: format!("{}.{claim}", self.source),
            description: why,
        }
    }

    /// Checks verified claims; `Ok` gives the `sub`.
    pub fn check(&self, claims: &Value) -> Result<String, CheckFailed> {
        let s = |name: &str| claims.get(name).and_then(Value::as_str);
        let n = |name: &str| claims.get(name).and_then(Value::as_i64);

        match s("iss") {
            Some(iss) if iss == self.issuer => {}
            other => {
                return Err(self.fail("iss", format!("iss {other:?}, expected {:?}", self.issuer)))
            }
        }
        // Only the client id: Ponte trusts no other audience, so any extra
        // one is refused whatever `azp` says (OIDC Core §3.1.3.7-3), and so
        // is an element that is not a string.
        let aud: Vec<&Value> = match claims.get("aud") {
            Some(a @ Value::String(_)) => vec![a],
            Some(Value::Array(list)) => list.iter().collect(),
            _ => vec![],
        };
        if !aud.iter().any(|a| a.as_str() == Some(self.client_id)) {
            return Err(self.fail("aud", format!("aud {aud:?} does not contain the client id")));
        }
        if let Some(other) = aud.iter().find(|a| a.as_str() != Some(self.client_id)) {
            return Err(self.fail("aud", format!("untrusted audience {other}")));
        }
        if let Some(azp) = claims.get("azp") {
            if azp.as_str() != Some(self.client_id) {
                return Err(self.fail("azp", format!("azp {azp} is not the client id")));
            }
        }
        match n("exp") {
            Some(exp) if exp + SKEW_SECS > self.now => {}
            Some(exp) => return Err(self.fail("exp", format!("expired {}s ago", self.now - exp))),
            None => return Err(self.fail("exp", "no exp".into())),
        }
        match n("iat") {
            Some(iat) if iat > self.now + SKEW_SECS => {
                return Err(self.fail("iat", format!("issued {}s in the future", iat - self.now)))
            }
            Some(iat) if iat < self.now - MAX_AGE_SECS - SKEW_SECS => {
                return Err(self.fail("iat", format!("issued {}s ago", self.now - iat)))
            }
            Some(_) => {}
            None => return Err(self.fail("iat", "no iat".into())),
        }
        if s("nonce") != Some(self.nonce) {
            return Err(self.fail("nonce", "nonce missing or not the one sent".into()));
        }
        for (claim, value) in [("c_hash", self.code), ("s_hash", self.state)] {
            if let Some(value) = value {
                if s(claim) != Some(half_hash(value).as_str()) {
                    return Err(self.fail(
                        claim,
                        format!("{claim} missing or not the hash of the answer's value"),
                    ));
                }
            }
        }
        match s("acr") {
            Some(acr) if !self.acr_values.iter().any(|a| a == acr) => {
                return Err(self.fail("acr", format!("acr {acr:?} is not one accepted")))
            }
            None if self.require_acr => return Err(self.fail("acr", "no acr".into())),
            _ => {}
        }
        let sub = s("sub")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.fail("sub", "no sub".into()))?;
        if let Some(expected) = self.sub {
            if sub != expected {
                return Err(self.fail(
                    "sub",
                    "sub differs from the front-channel ID token's".into(),
                ));
            }
        }
        Ok(sub.to_string())
    }
}

#[cfg(test)]
#[path = "id_token_tests.rs"]
mod tests;
