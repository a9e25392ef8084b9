//! Small helpers: clock, randomness, hashing, form parsing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

/// The OFB spec's date-time pattern forbids fractional seconds and offsets other than `Z`.
const OFB_DATE_TIME: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Formats unix millis as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn ofb_time(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(OFB_DATE_TIME).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// Parses the strict OFB date-time form, returning unix millis.
pub fn parse_ofb_time(s: &str) -> Option<i64> {
    let t = time::PrimitiveDateTime::parse(s, OFB_DATE_TIME).ok()?;
    Some(t.assume_utc().unix_timestamp() * 1000)
}

/// 256 bits of randomness, URL-safe.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Secrets are stored only as this hash, so a leaked database grants nothing.
pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// RFC 7636 S256: BASE64URL(SHA256(verifier)) == challenge.
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Parsed `application/x-www-form-urlencoded` (body or query) with RFC 6749's rule that a
/// parameter may not appear twice.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &[u8]) -> Result<Self, String> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(raw).map_err(|_| "malformed form encoding".to_string())?;
        for (i, (k, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(format!("parameter {k} is repeated"));
            }
        }
        Ok(Params(pairs))
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Params(pairs)
    }

    /// A present, non-empty value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn require(&self, key: &str) -> Result<&str, String> {
        self.get(key)
            .ok_or_else(|| format!("missing parameter {key}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_in_spec_format() {
        let s = ofb_time(1_621_585_800_123);
        assert_eq!(s, "2021-05-21T08:30:00Z");
        assert_eq!(parse_ofb_time(&s), Some(1_621_585_800_000));
        assert_eq!(parse_ofb_time("2021-05-21T08:30:00.000Z"), None);
        assert_eq!(parse_ofb_time("2021-05-21T08:30:00+01:00"), None);
    }

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn repeated_params_are_refused() {
        assert!(Params::parse(b"a=1&a=2").is_err());
        let p = Params::parse(b"a=1&b=").unwrap();
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), None);
        assert!(p.require("b").unwrap_err().contains('b'));
    }
}
