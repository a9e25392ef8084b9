//! Keys derived from the master key: encryption at rest (AEAD), keyed hashes
//! of API secrets, and random secrets.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

mod chunks;
mod sealed_text;
pub use chunks::{ChunkSource, DocumentChunks, OpenChunks, SealedChunks};
pub use sealed_text::SealedText;

type HmacSha256 = Hmac<Sha256>;

/// XChaCha20-Poly1305's nonce and tag, around the ciphertext.
const NONCE: usize = 24;
const TAG: usize = 16;

#[derive(Clone)]
pub struct Crypto {
    master: [u8; 32],
    cipher: XChaCha20Poly1305,
    hash_key: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
#[error("stored secret cannot be decrypted (wrong PONTE_MASTER_KEY?)")]
pub struct DecryptError;

/// Where a sealed value is stored: table, column and the row's id. It is the
/// AEAD's associated data, so a value copied into another row, column or
/// table does not open there.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    pub table: &'static str,
    pub column: &'static str,
    pub row: &'a str,
}

impl<'a> Slot<'a> {
    pub const fn new(table: &'static str, column: &'static str, row: &'a str) -> Slot<'a> {
        Slot { table, column, row }
    }

    fn associated_data(&self) -> Vec<u8> {
        // NUL-separated: table and column are identifiers, ids hold no NUL,
        // so two different slots never make the same bytes.
        format!(
            "ponte/aead/v2\0{}\0{}\0{}",
            self.table, self.column, self.row
        )
        .into_bytes()
    }

    /// Chunk `index` of a document sealed in chunks (`chunks.rs`), and
    /// whether it is the last. A fourth NUL, which no value sealed whole has,
    /// keeps the two apart.
    fn chunk_associated_data(&self, index: u64, last: bool) -> Vec<u8> {
        let mut aad = self.associated_data();
        aad.extend_from_slice(b"\0chunk\0");
        aad.extend_from_slice(&index.to_be_bytes());
        aad.push(u8::from(last));
        aad
    }
}

/// The prefix of a value sealed to its slot. Base64 never holds a `.`, so a
/// value sealed before (unbound, plain base64) is told apart and still opens.
const BOUND: &str = "v2.";

impl Crypto {
    pub fn new(master: [u8; 32]) -> Crypto {
        let enc_key = derive(&master, "ponte/encryption/v1");
        Crypto {
            master,
            cipher: XChaCha20Poly1305::new(&enc_key.into()),
            hash_key: derive(&master, "ponte/secret-hash/v1"),
        }
    }

    /// The configured key, or the one generated into the data dir on first use (mode 0600).
    pub fn load_or_create(configured: Option<[u8; 32]>, data_dir: &Path) -> anyhow::Result<Crypto> {
        if let Some(k) = configured {
            return Ok(Crypto::new(k));
        }
        let path = data_dir.join("master.key");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let bytes = STANDARD.decode(text.trim())?;
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("{} is not 32 bytes of base64", path.display()))?;
            return Ok(Crypto::new(key));
        }
        create_private_dir(data_dir)?;
        let key = random_bytes::<32>();
        write_private(&path, STANDARD.encode(key).as_bytes())?;
        Ok(Crypto::new(key))
    }

    /// Encrypts `plain` unbound to any slot (the format values had before
    /// `seal`; kept for the values still written so).
    pub fn encrypt(&self, plain: &[u8]) -> String {
        sealed_text::encode_in_place(self.seal_bytes(b"", plain.to_vec()), "")
    }

    pub fn decrypt(&self, sealed: &str) -> Result<Vec<u8>, DecryptError> {
        match SealedText::whole(sealed)?.finish()? {
            (_, true) => Err(DecryptError),
            (bytes, false) => self.open_bytes(b"", bytes),
        }
    }

    /// Seals `plain` to `slot`: it opens only there (see `Slot`).
    pub fn seal(&self, slot: Slot<'_>, plain: &[u8]) -> String {
        self.seal_owned(slot, plain.to_vec())
    }

    /// `seal`, in `plain`'s own buffer: it is encrypted where it lies and
    /// its text written over it, so a long report is held once, not three
    /// times (plain, encrypted, text).
    pub fn seal_owned(&self, slot: Slot<'_>, plain: Vec<u8>) -> String {
        let sealed = self.seal_bytes(&slot.associated_data(), plain);
        sealed_text::encode_in_place(sealed, BOUND)
    }

    /// Opens what `seal` sealed to this same slot, or a value stored before
    /// values were bound to their slot (no prefix).
    pub fn open(&self, slot: Slot<'_>, sealed: &str) -> Result<Vec<u8>, DecryptError> {
        self.open_text(slot, SealedText::whole(sealed)?)
    }

    /// `open` of a text read in pieces: decrypted in the buffer it was
    /// decoded into.
    pub fn open_text(&self, slot: Slot<'_>, text: SealedText) -> Result<Vec<u8>, DecryptError> {
        match text.finish()? {
            (bytes, true) => self.open_bytes(&slot.associated_data(), bytes),
            (bytes, false) => self.open_bytes(b"", bytes),
        }
    }

    /// Encrypts `plain` where it lies: nonce in front, tag behind.
    fn seal_bytes(&self, aad: &[u8], mut plain: Vec<u8>) -> Vec<u8> {
        let nonce = random_bytes::<NONCE>();
        // Encryption with a fresh 24-byte nonce cannot fail for inputs of this size.
        let tag = self
            .cipher
            .encrypt_in_place_detached(XNonce::from_slice(&nonce), aad, &mut plain)
            .unwrap_or_default();
        plain.reserve_exact(NONCE + TAG);
        plain.splice(0..0, nonce);
        plain.extend_from_slice(&tag);
        plain
    }

    /// Decrypts nonce, ciphertext and tag where they lie; the plain bytes
    /// are moved to the buffer's front.
    fn open_bytes(&self, aad: &[u8], mut bytes: Vec<u8>) -> Result<Vec<u8>, DecryptError> {
        if bytes.len() < NONCE + TAG {
            return Err(DecryptError);
        }
        let end = bytes.len() - TAG;
        let nonce = *XNonce::from_slice(&bytes[..NONCE]);
        let tag = *Tag::from_slice(&bytes[end..]);
        self.cipher
            .decrypt_in_place_detached(&nonce, aad, &mut bytes[NONCE..end], &tag)
            .map_err(|_| DecryptError)?;
        bytes.copy_within(NONCE..end, 0);
        bytes.truncate(end - NONCE);
        Ok(bytes)
    }

    pub fn seal_json<T: serde::Serialize>(&self, slot: Slot<'_>, value: &T) -> String {
        self.seal_owned(slot, serde_json::to_vec(value).unwrap_or_default())
    }

    pub fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        slot: Slot<'_>,
        sealed: &str,
    ) -> Result<T, DecryptError> {
        serde_json::from_slice(&self.open(slot, sealed)?).map_err(|_| DecryptError)
    }

    /// Seals a large document (a report): deflated, then encrypted. JSON
    /// shrinks several times, and so do the database and every copy made
    /// while writing it.
    pub fn seal_document(&self, slot: Slot<'_>, plain: &[u8]) -> String {
        use std::io::Write;
        let mut z = flate2::write::GzEncoder::new(
            Vec::with_capacity(plain.len() / 6),
            flate2::Compression::fast(),
        );
        // Writing to a Vec cannot fail.
        let packed = z
            .write_all(plain)
            .and_then(|_| z.finish())
            .unwrap_or_default();
        self.seal_owned(slot, packed)
    }

    /// Opens what `seal_document` sealed (or a document sealed before
    /// documents were deflated: plain JSON never starts with gzip's magic).
    pub fn open_document(&self, slot: Slot<'_>, sealed: &str) -> Result<Vec<u8>, DecryptError> {
        use std::io::Read;
        let bytes = self.open(slot, sealed)?;
        if !bytes.starts_with(&[0x1f, 0x8b]) {
            return Ok(bytes);
        }
        let mut plain = Vec::with_capacity(bytes.len() * 6);
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut plain)
            .map_err(|_| DecryptError)?;
        Ok(plain)
    }

    /// What `open_document` gives, as a reader of a text read in pieces: the
    /// deflated bytes are decoded as they arrive and opened in that buffer
    /// (a fraction of the text), the text is inflated as it is read, so a
    /// long report is never held as text to be sent.
    pub fn open_document_reader(
        &self,
        slot: Slot<'_>,
        sealed: SealedText,
    ) -> Result<DocumentReader, DecryptError> {
        let bytes = self.open_text(slot, sealed)?;
        Ok(if bytes.starts_with(&[0x1f, 0x8b]) {
            DocumentReader::Deflated(Box::new(flate2::read::GzDecoder::new(
                std::io::Cursor::new(bytes),
            )))
        } else {
            DocumentReader::Plain(std::io::Cursor::new(bytes))
        })
    }

    pub fn encrypt_json<T: serde::Serialize>(&self, value: &T) -> String {
        self.encrypt(&serde_json::to_vec(value).unwrap_or_default())
    }

    pub fn decrypt_json<T: serde::de::DeserializeOwned>(
        &self,
        sealed: &str,
    ) -> Result<T, DecryptError> {
        serde_json::from_slice(&self.decrypt(sealed)?).map_err(|_| DecryptError)
    }

    /// Keyed hash of a secret (fast to check, useless without the master key).
    pub fn hash_secret(&self, secret: &str) -> String {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.hash_key).expect("HMAC takes any key length");
        mac.update(secret.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Constant-time comparison of a presented secret with a stored hash.
    pub fn secret_matches(&self, secret: &str, stored_hash: &str) -> bool {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.hash_key).expect("HMAC takes any key length");
        mac.update(secret.as_bytes());
        match URL_SAFE_NO_PAD.decode(stored_hash) {
            Ok(expected) => mac.verify_slice(&expected).is_ok(),
            Err(_) => false,
        }
    }

    /// A key for one purpose, the same on every node sharing the master key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        derive(&self.master, purpose)
    }
}

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// A random secret with a readable prefix (`sk_…`), 256 bits of entropy.
pub fn random_secret(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
}

/// Creates the data folder so only its owner can enter it, and tightens one
/// an older version left wider (its parents keep the usual mode).
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(path) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            // A folder someone else owns cannot be changed; Ponte still runs.
            if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)) {
                tracing::warn!(path = %path.display(), error = %e, "cannot make the data folder private (0700)");
            }
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path)?;
    Ok(())
}

/// Writes a file only its owner can read.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// A sealed document's text being read (`Crypto::open_document_reader`).
pub enum DocumentReader {
    /// Text as it is: sealed before documents were deflated, or a failed report's `null`.
    Plain(std::io::Cursor<Vec<u8>>),
    Deflated(Box<flate2::read::GzDecoder<std::io::Cursor<Vec<u8>>>>),
    /// Sealed in chunks: each fetched, opened and inflated as it is reached.
    Chunked(Box<flate2::read::GzDecoder<OpenChunks>>),
}

impl DocumentReader {
    /// The deflated bytes of a document sealed in chunks, as text. The
    /// gzip header is read at once: from the first chunk, when given
    /// (`OpenChunks::with_first`), else from the source.
    pub fn chunked(chunks: OpenChunks) -> DocumentReader {
        DocumentReader::Chunked(Box::new(flate2::read::GzDecoder::new(chunks)))
    }
}

impl std::io::Read for DocumentReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            DocumentReader::Plain(r) => r.read(buf),
            DocumentReader::Deflated(r) => r.read(buf),
            DocumentReader::Chunked(r) => r.read(buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_detects_tampering_and_wrong_keys() {
        let c = Crypto::new([7; 32]);
        let sealed = c.encrypt(b"52998224725");
        assert!(!sealed.contains("52998224725"));
        assert_eq!(c.decrypt(&sealed).unwrap(), b"52998224725");
        let mut bytes = STANDARD.decode(&sealed).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(c.decrypt(&STANDARD.encode(bytes)).is_err());
        assert!(Crypto::new([8; 32]).decrypt(&sealed).is_err());
    }

    #[test]
    fn documents_are_deflated_sealed_and_opened_and_old_ones_still_open() {
        let c = Crypto::new([7; 32]);
        let doc = format!(
            r#"{{"transactions":[{}1]}}"#,
            r#"{"amount":"12.34"},"#.repeat(5000)
        )
        .into_bytes();
        let slot = Slot::new("reports", "data_enc", "rpt_1");
        let sealed = c.seal_document(slot, &doc);
        assert!(
            sealed.len() < doc.len() / 4,
            "{} bytes sealed",
            sealed.len()
        );
        assert_eq!(c.open_document(slot, &sealed).unwrap(), doc);
        // Reports sealed before deflating (plain JSON) open unchanged.
        assert_eq!(
            c.open_document(slot, &c.encrypt(b"{\"a\":1}")).unwrap(),
            b"{\"a\":1}"
        );
        assert!(Crypto::new([8; 32]).open_document(slot, &sealed).is_err());
    }

    #[test]
    fn a_document_read_as_a_stream_is_the_text_sealed() {
        use std::io::Read;
        let c = Crypto::new([7; 32]);
        let doc = r#"{"amount":"12.34","name":"Padaria São João"},"#
            .repeat(20_000)
            .into_bytes();
        let slot = Slot::new("reports", "data_enc", "rpt_1");
        let read = |sealed: &str| {
            let mut text = Vec::new();
            c.open_document_reader(slot, SealedText::whole(sealed).unwrap())
                .expect("opens")
                .read_to_end(&mut text)
                .expect("reads");
            text
        };
        assert_eq!(read(&c.seal_document(slot, &doc)), doc);
        // Sealed before documents were deflated.
        assert_eq!(read(&c.encrypt(b"{\"a\":1}")), b"{\"a\":1}");
        let elsewhere = Slot::new("reports", "data_enc", "rpt_2");
        let sealed = SealedText::whole(&c.seal_document(slot, &doc)).unwrap();
        assert!(c.open_document_reader(elsewhere, sealed).is_err());
    }

    /// Values sealed by the code before sealing and opening worked in place
    /// (it held plain, encrypted and text copies; the format is the same).
    #[test]
    fn values_sealed_by_the_copying_code_still_open() {
        use std::io::Read;
        let c = Crypto::new([7; 32]);
        let fixture = include_str!("crypto/fixtures/sealed-by-the-copying-code.txt");
        let line = |name: &str| {
            fixture
                .lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
                .expect(name)
        };
        let doc = r#"{"amount":"12.34","name":"Padaria São João"},"#.repeat(3000);
        let slot = Slot::new("reports", "data_enc", "rpt_old");
        assert_eq!(c.open_document(slot, line("DOC")).unwrap(), doc.as_bytes());
        // Read in pieces, as a stored report is.
        let mut text = SealedText::default();
        for piece in line("DOC").as_bytes().chunks(1000) {
            text.push(std::str::from_utf8(piece).unwrap()).unwrap();
        }
        let mut read = String::new();
        c.open_document_reader(slot, text)
            .unwrap()
            .read_to_string(&mut read)
            .unwrap();
        assert_eq!(read, doc);
        let link = Slot::new("links", "details_enc", "lnk_old");
        assert_eq!(c.open(link, line("SEAL")).unwrap(), b"52998224725");
        assert_eq!(c.decrypt(line("ENC")).unwrap(), br#"{"a":1}"#);
        assert_eq!(c.open(link, line("ENC")).unwrap(), br#"{"a":1}"#);
        // And what is sealed now is what that code made: the same length.
        let now = c.seal(link, b"52998224725");
        assert_eq!(now.len(), line("SEAL").len());
        let mut tampered = line("SEAL").to_string();
        let flipped = if tampered.as_bytes()[10] == b'A' {
            "B"
        } else {
            "A"
        };
        tampered.replace_range(10..11, flipped);
        assert!(c.open(link, &tampered).is_err());
    }

    #[test]
    fn a_long_document_sealed_in_place_opens_in_pieces() {
        let c = Crypto::new([9; 32]);
        let slot = Slot::new("reports", "data_enc", "rpt_9");
        // Not compressible: the text is longer than the encoder's window.
        let plain: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let sealed = c.seal_owned(slot, plain.clone());
        for size in [1usize, 3, 4093, 65_536] {
            let mut text = SealedText::with_capacity(sealed.len());
            for piece in sealed.as_bytes().chunks(size) {
                text.push(std::str::from_utf8(piece).unwrap()).unwrap();
            }
            assert_eq!(c.open_text(slot, text).unwrap(), plain, "pieces of {size}");
        }
        let mut tampered = sealed.into_bytes();
        let at = tampered.len() / 2;
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(c.open(slot, &tampered).is_err());
    }

    #[test]
    fn a_sealed_value_opens_only_in_its_own_row_and_column() {
        let c = Crypto::new([7; 32]);
        let here = Slot::new("links", "details_enc", "lnk_1");
        let sealed = c.seal(here, b"52998224725");
        assert!(sealed.starts_with(BOUND), "{sealed}");
        assert!(!sealed.contains("52998224725"));
        assert_eq!(c.open(here, &sealed).unwrap(), b"52998224725");
        for elsewhere in [
            Slot::new("links", "details_enc", "lnk_2"),
            Slot::new("links", "redirect_enc", "lnk_1"),
            Slot::new("consents", "details_enc", "lnk_1"),
        ] {
            assert!(c.open(elsewhere, &sealed).is_err(), "{elsewhere:?}");
        }
        // The prefix cannot be dropped to pass the value off as an old one.
        assert!(c.open(here, &sealed[BOUND.len()..]).is_err());
        assert!(Crypto::new([8; 32]).open(here, &sealed).is_err());
    }

    #[test]
    fn a_value_sealed_before_values_were_bound_still_opens() {
        let c = Crypto::new([7; 32]);
        let old = c.encrypt(br#"{"personal_tax_id":"52998224725"}"#);
        let slot = Slot::new("links", "details_enc", "lnk_1");
        assert_eq!(
            c.open(slot, &old).unwrap(),
            br#"{"personal_tax_id":"52998224725"}"#
        );
        let value: serde_json::Value = c.open_json(slot, &old).unwrap();
        assert_eq!(value["personal_tax_id"], "52998224725");
    }

    #[test]
    fn secret_hashes_verify_only_the_right_secret() {
        let c = Crypto::new([1; 32]);
        let h = c.hash_secret("sk_abc");
        assert!(c.secret_matches("sk_abc", &h));
        assert!(!c.secret_matches("sk_abd", &h));
        assert!(!Crypto::new([2; 32]).secret_matches("sk_abc", &h));
    }

    #[test]
    fn generated_master_key_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = Crypto::load_or_create(None, dir.path()).unwrap();
        let b = Crypto::load_or_create(None, dir.path()).unwrap();
        assert_eq!(a.hash_secret("x"), b.hash_secret("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("master.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
