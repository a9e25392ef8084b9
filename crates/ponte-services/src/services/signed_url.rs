//! Expiring signed links: the 15-minute download URLs of reports (JSON and
//! PDF) and of the files a retrieval stored. One signer and one check for
//! both: a link names a resource and an expiry (unix seconds) and carries an
//! HMAC-SHA256 of the two, under a key derived from the master key for that
//! kind of link. A report's signature therefore never opens a file, and any
//! node sharing the master key accepts the links another node handed out.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::crypto::Crypto;

/// How long a link stays valid.
pub const TTL_MS: i64 = 15 * 60 * 1000;

/// The kinds of link; each signs under a key of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A report's JSON or PDF; the resource is `{report_id}.{download|pdf}`.
    ReportDownload,
    /// A retrieved document's file; the resource is its file id.
    DocumentDownload,
}

impl Purpose {
    /// The key-derivation label. Changing one invalidates every link of
    /// that kind in flight.
    fn label(self) -> &'static str {
        match self {
            Purpose::ReportDownload => "ponte/report-download/v1",
            Purpose::DocumentDownload => "ponte/document-download/v1",
        }
    }
}

/// What a link carries in its query: `expires` and `signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Unix seconds.
    pub expires: i64,
    /// URL-safe base64, unpadded.
    pub signature: String,
}

/// Why a link does not open. Callers answer all of them alike (403), so a
/// holder learns nothing about which check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("the link has no usable expiry or signature")]
    Malformed,
    #[error("the link's signature does not match")]
    Signature,
    #[error("the link has expired")]
    Expired,
}

/// Signs and checks the links of one purpose.
pub struct Signer {
    key: [u8; 32],
}

impl Signer {
    pub fn new(crypto: &Crypto, purpose: Purpose) -> Signer {
        Signer {
            key: crypto.derive(purpose.label()),
        }
    }

    fn mac(&self, resource: &str, expires: i64) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("{resource}.{expires}").as_bytes());
        mac
    }

    /// A link to `resource` valid for `TTL_MS` from `now_ms`.
    pub fn sign(&self, resource: &str, now_ms: i64) -> Signed {
        let expires = (now_ms + TTL_MS) / 1000;
        let signature = URL_SAFE_NO_PAD.encode(self.mac(resource, expires).finalize().into_bytes());
        Signed { expires, signature }
    }

    /// Whether a link's `expires` and `signature`, as its query gave them,
    /// open `resource` at `now_ms`. The signature is compared in constant time.
    pub fn check(
        &self,
        resource: &str,
        expires: Option<&str>,
        signature: Option<&str>,
        now_ms: i64,
    ) -> Result<(), Invalid> {
        let expires: i64 = expires
            .and_then(|e| e.parse().ok())
            .ok_or(Invalid::Malformed)?;
        let signature = signature
            .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
            .ok_or(Invalid::Malformed)?;
        self.mac(resource, expires)
            .verify_slice(&signature)
            .map_err(|_| Invalid::Signature)?;
        if expires.saturating_mul(1000) <= now_ms {
            return Err(Invalid::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    fn crypto() -> Crypto {
        Crypto::new([7; 32])
    }

    fn check(signer: &Signer, resource: &str, link: &Signed, now: i64) -> Result<(), Invalid> {
        let expires = link.expires.to_string();
        signer.check(resource, Some(&expires), Some(&link.signature), now)
    }

    #[test]
    fn a_link_opens_its_resource_until_it_expires() {
        let signer = Signer::new(&crypto(), Purpose::DocumentDownload);
        let link = signer.sign("file_1", NOW);
        assert_eq!(link.expires, (NOW + TTL_MS) / 1000);
        assert_eq!(check(&signer, "file_1", &link, NOW), Ok(()));
        assert_eq!(check(&signer, "file_1", &link, NOW + TTL_MS - 1), Ok(()));
        assert_eq!(
            check(&signer, "file_1", &link, NOW + TTL_MS),
            Err(Invalid::Expired)
        );
    }

    #[test]
    fn a_tampered_link_does_not_open() {
        let signer = Signer::new(&crypto(), Purpose::ReportDownload);
        let link = signer.sign("rep_1.download", NOW);
        // Another resource, the same report in another format, a later expiry.
        assert_eq!(
            check(&signer, "rep_2.download", &link, NOW),
            Err(Invalid::Signature)
        );
        assert_eq!(
            check(&signer, "rep_1.pdf", &link, NOW),
            Err(Invalid::Signature)
        );
        let later = Signed {
            expires: link.expires + 3600,
            ..link.clone()
        };
        assert_eq!(
            check(&signer, "rep_1.download", &later, NOW),
            Err(Invalid::Signature)
        );
        // One character of the signature changed.
        let mut sig = link.signature.clone().into_bytes();
        sig[0] = if sig[0] == b'A' { b'B' } else { b'A' };
        let flipped = Signed {
            signature: String::from_utf8(sig).unwrap(),
            ..link.clone()
        };
        assert_eq!(
            check(&signer, "rep_1.download", &flipped, NOW),
            Err(Invalid::Signature)
        );
        // A prefix of the signature (whole base64 bytes) is not a shorter valid one.
        let short = Signed {
            signature: link.signature[..12].to_string(),
            ..link
        };
        assert_eq!(
            check(&signer, "rep_1.download", &short, NOW),
            Err(Invalid::Signature)
        );
    }

    #[test]
    fn another_key_or_purpose_does_not_open_it() {
        let link = Signer::new(&crypto(), Purpose::DocumentDownload).sign("file_1", NOW);
        let other_node = Signer::new(&Crypto::new([8; 32]), Purpose::DocumentDownload);
        assert_eq!(
            check(&other_node, "file_1", &link, NOW),
            Err(Invalid::Signature)
        );
        let reports = Signer::new(&crypto(), Purpose::ReportDownload);
        assert_eq!(
            check(&reports, "file_1", &link, NOW),
            Err(Invalid::Signature)
        );
        // A node with the same master key accepts it.
        let same_key = Signer::new(&crypto(), Purpose::DocumentDownload);
        assert_eq!(check(&same_key, "file_1", &link, NOW), Ok(()));
    }

    #[test]
    fn missing_or_unreadable_parts_are_malformed() {
        let signer = Signer::new(&crypto(), Purpose::DocumentDownload);
        let link = signer.sign("file_1", NOW);
        let expires = link.expires.to_string();
        let at = |e: Option<&str>, s: Option<&str>| signer.check("file_1", e, s, NOW);
        assert_eq!(at(None, Some(&link.signature)), Err(Invalid::Malformed));
        assert_eq!(at(Some(&expires), None), Err(Invalid::Malformed));
        assert_eq!(
            at(Some("soon"), Some(&link.signature)),
            Err(Invalid::Malformed)
        );
        assert_eq!(
            at(Some(&expires), Some("not base64!")),
            Err(Invalid::Malformed)
        );
        assert_eq!(
            at(Some(&i64::MAX.to_string()), Some(&link.signature)),
            Err(Invalid::Signature)
        );
    }

    #[test]
    fn links_handed_out_before_this_module_still_open() {
        // Earlier versions signed `{resource}.{expires}` under the same
        // derived keys: a URL issued just before an upgrade keeps working.
        let crypto = crypto();
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&crypto.derive("ponte/report-download/v1"))
                .unwrap();
        mac.update(b"rep_1.pdf.1700000900");
        let old = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        let signer = Signer::new(&crypto, Purpose::ReportDownload);
        assert_eq!(
            signer.check("rep_1.pdf", Some("1700000900"), Some(&old), NOW),
            Ok(())
        );
        assert_eq!(signer.sign("rep_1.pdf", NOW).signature, old);
    }
}
