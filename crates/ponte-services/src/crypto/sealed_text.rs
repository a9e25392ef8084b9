//! A sealed value's text (base64 of nonce, ciphertext and tag) made and read
//! with one buffer: a long report is encoded in the buffer that holds its
//! ciphertext, and decoded as its text arrives, never holding the text and
//! its bytes (and a decrypted copy) at once.

use super::{DecryptError, BOUND};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Base64 groups decoded or encoded at a time (3 KiB of bytes, 4 KiB of text).
const GROUPS: usize = 1024;

/// A sealed value's text arriving in pieces (a stored report read a slice at
/// a time), decoded as it arrives. The pieces may split it anywhere.
#[derive(Debug, Default)]
pub struct SealedText {
    /// Decoded so far: nonce, then ciphertext and tag.
    bytes: Vec<u8>,
    /// The first characters, until they tell a bound value (`v2.`) from an old one.
    head: String,
    /// `Some(true)` once the text started with `v2.`.
    bound: Option<bool>,
    /// Characters of a base64 group split between two pieces (at most 3).
    carry: Vec<u8>,
    /// A group with padding ended the text: nothing may follow it.
    padded: bool,
}

impl SealedText {
    /// Room for a text of `len` characters, when its length is known.
    pub fn with_capacity(len: usize) -> SealedText {
        SealedText {
            bytes: Vec::with_capacity(len / 4 * 3),
            ..SealedText::default()
        }
    }

    /// The whole text at once (a small value, or one already read whole).
    pub fn whole(text: &str) -> Result<SealedText, DecryptError> {
        let mut t = SealedText::with_capacity(text.len());
        t.push(text)?;
        Ok(t)
    }

    /// The next piece of the text.
    pub fn push(&mut self, mut piece: &str) -> Result<(), DecryptError> {
        if self.bound.is_none() {
            // Base64 never holds a `.`: three characters tell the two apart.
            let want = BOUND.len() - self.head.len();
            let cut = piece
                .char_indices()
                .nth(want)
                .map_or(piece.len(), |(i, _)| i);
            self.head.push_str(&piece[..cut]);
            piece = &piece[cut..];
            if self.head.len() < BOUND.len() {
                return Ok(());
            }
            let head = std::mem::take(&mut self.head);
            let bound = head == BOUND;
            self.bound = Some(bound);
            if !bound {
                self.feed(head.as_bytes())?;
            }
        }
        self.feed(piece.as_bytes())
    }

    fn feed(&mut self, mut input: &[u8]) -> Result<(), DecryptError> {
        if !self.carry.is_empty() {
            let take = (4 - self.carry.len()).min(input.len());
            self.carry.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.carry.len() < 4 {
                return Ok(());
            }
            let group = std::mem::take(&mut self.carry);
            self.decode(&group)?;
        }
        let whole = input.len() / 4 * 4;
        for chunk in input[..whole].chunks(4 * GROUPS) {
            self.decode(chunk)?;
        }
        self.carry.extend_from_slice(&input[whole..]);
        Ok(())
    }

    /// Decodes whole groups onto the bytes; padding only ends the text.
    fn decode(&mut self, groups: &[u8]) -> Result<(), DecryptError> {
        if self.padded {
            return Err(DecryptError);
        }
        let at = self.bytes.len();
        self.bytes.resize(at + groups.len() / 4 * 3, 0);
        let n = STANDARD
            .decode_slice(groups, &mut self.bytes[at..])
            .map_err(|_| DecryptError)?;
        self.bytes.truncate(at + n);
        self.padded = groups.last() == Some(&b'=');
        Ok(())
    }

    /// The decoded bytes, and whether the value was bound to its slot.
    pub(super) fn finish(mut self) -> Result<(Vec<u8>, bool), DecryptError> {
        if self.bound.is_none() {
            // Shorter than the prefix: an old value, far too short to open.
            let head = std::mem::take(&mut self.head);
            self.bound = Some(false);
            self.feed(head.as_bytes())?;
        }
        if !self.carry.is_empty() {
            return Err(DecryptError);
        }
        Ok((self.bytes, self.bound == Some(true)))
    }
}

/// `prefix` then the base64 of `raw`, written over `raw`'s own buffer: the
/// groups are encoded from the last to the first, each into room that only
/// it and the groups after it (already encoded) held.
pub(super) fn encode_in_place(mut raw: Vec<u8>, prefix: &str) -> String {
    let n = raw.len();
    let groups = n.div_ceil(3);
    let out_len = prefix.len() + groups * 4;
    raw.resize(out_len, 0);
    let step = 3 * GROUPS;
    let mut chunk = [0u8; 3 * GROUPS];
    let mut start = (groups.saturating_sub(1) / GROUPS) * step;
    loop {
        let end = (start + step).min(n);
        let len = end - start;
        chunk[..len].copy_from_slice(&raw[start..end]);
        // Text of bytes from `start` begins at prefix + start/3*4 >= start.
        let at = prefix.len() + start / 3 * 4;
        // `at..` has room for the whole text and encoding cannot fail then.
        let written = STANDARD
            .encode_slice(&chunk[..len], &mut raw[at..])
            .unwrap_or(0);
        debug_assert_eq!(written, len.div_ceil(3) * 4);
        if start == 0 {
            break;
        }
        start -= step;
    }
    raw[..prefix.len()].copy_from_slice(prefix.as_bytes());
    // Base64 and the prefix are ASCII.
    String::from_utf8(raw).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_in_place_is_base64_at_every_length() {
        for n in [0, 1, 2, 3, 4, 5, 3071, 3072, 3073, 6144, 6145, 10_000] {
            let raw: Vec<u8> = (0..n).map(|i| (i * 7 + i / 251) as u8).collect();
            let expected = format!("v2.{}", STANDARD.encode(&raw));
            assert_eq!(encode_in_place(raw.clone(), "v2."), expected, "{n} bytes");
            assert_eq!(encode_in_place(raw, ""), expected[3..], "{n} bytes");
        }
    }

    #[test]
    fn text_split_anywhere_decodes_as_a_whole() {
        let raw: Vec<u8> = (0..10_001u32).map(|i| (i * 31 + 5) as u8).collect();
        for prefix in ["v2.", ""] {
            let text = format!("{prefix}{}", STANDARD.encode(&raw));
            for size in [1, 2, 3, 5, 4096, 4097, text.len()] {
                let mut t = SealedText::with_capacity(text.len());
                for piece in text.as_bytes().chunks(size) {
                    t.push(std::str::from_utf8(piece).unwrap()).unwrap();
                }
                let (bytes, bound) = t.finish().unwrap();
                assert_eq!(bytes, raw, "{prefix:?} in pieces of {size}");
                assert_eq!(bound, prefix == "v2.");
            }
        }
    }

    #[test]
    fn malformed_text_is_refused() {
        let ok = STANDARD.encode(b"abcd");
        let cases = [
            format!("v2.{}", &ok[..ok.len() - 1]),
            format!("v2.{ok}{ok}"),
            "v2.ab!d".to_string(),
            "v2.QQ==QUJD".to_string(),
        ];
        for text in cases {
            let refused = SealedText::whole(&text).and_then(SealedText::finish);
            assert!(refused.is_err(), "{text}");
        }
        // `ok` twice has padding in its middle group.
        let split = ["v2.", &ok, &ok];
        let mut t = SealedText::default();
        let pushed = split.iter().try_for_each(|p| t.push(p));
        assert!(pushed.and_then(|_| t.finish()).is_err());
    }
}
