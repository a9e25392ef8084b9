//! A long document (a report's data) sealed a chunk at a time: its deflated
//! bytes are cut into chunks of `CHUNK` bytes as they are written, each chunk
//! is sealed on its own (XChaCha20-Poly1305, fresh nonce) and stored on its
//! own row, and read back, opened and inflated one chunk at a time. Nothing
//! holds the whole document to check one tag at its end.
//!
//! Each chunk's associated data is its slot, its place in the sequence and
//! whether it is the last one (`Slot::chunk_associated_data`): a chunk moved
//! to another report or place does not open, and a sequence cut short ends
//! on a chunk that was not sealed as the last, which does not open either.

use super::{Crypto, DecryptError, Slot, NONCE, TAG};
use std::io::{self, Read, Write};

/// Deflated bytes per chunk.
pub const CHUNK: usize = 64 * 1024;

/// A document's deflated bytes as they are written, in chunks of `CHUNK`
/// bytes, each with room for its nonce and tag.
#[derive(Debug, Default)]
pub struct DocumentChunks {
    chunks: Vec<Vec<u8>>,
}

impl DocumentChunks {
    pub fn new() -> DocumentChunks {
        DocumentChunks::default()
    }

    /// How many bytes were written.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes written, read from the start.
    pub fn reader(&self) -> ChunksReader<'_> {
        ChunksReader {
            chunks: &self.chunks,
            at: &[],
        }
    }
}

/// `DocumentChunks::reader`.
pub struct ChunksReader<'a> {
    chunks: &'a [Vec<u8>],
    at: &'a [u8],
}

impl Read for ChunksReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at.is_empty() {
            let Some((first, rest)) = self.chunks.split_first() else {
                return Ok(0);
            };
            self.at = first;
            self.chunks = rest;
        }
        self.at.read(buf)
    }
}

impl Write for DocumentChunks {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = match self.chunks.last() {
            Some(last) if last.len() < CHUNK => CHUNK - last.len(),
            _ => {
                self.chunks.push(Vec::with_capacity(NONCE + CHUNK + TAG));
                CHUNK
            }
        };
        let n = buf.len().min(room);
        if let Some(last) = self.chunks.last_mut() {
            last.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A document's chunks, sealed (nonce, ciphertext and tag each), in order.
#[derive(Debug)]
pub struct SealedChunks(pub Vec<Vec<u8>>);

/// Where a sealed document's chunks are read from, one at a time.
pub trait ChunkSource: Send {
    /// The sealed bytes of chunk `index` (from 0); an error when it is not there.
    fn chunk(&mut self, index: u64) -> io::Result<Vec<u8>>;
}

/// The slot a document was sealed to, owned: a reader outlives the request
/// that opened it.
#[derive(Debug, Clone)]
struct OwnedSlot {
    table: &'static str,
    column: &'static str,
    row: String,
}

impl OwnedSlot {
    fn slot(&self) -> Slot<'_> {
        Slot::new(self.table, self.column, &self.row)
    }
}

/// A sealed document's deflated bytes, each chunk fetched from `source` and
/// opened as the reader reaches it.
pub struct OpenChunks {
    crypto: Crypto,
    slot: OwnedSlot,
    count: u64,
    next: u64,
    current: io::Cursor<Vec<u8>>,
    source: Box<dyn ChunkSource>,
}

impl OpenChunks {
    /// Starts with chunk 0 already read (sealed), so that the first bytes
    /// (a gzip header, read as its decoder is made) need no fetch: made on
    /// an async worker, the reader fetches only once it is read elsewhere.
    pub fn with_first(mut self, sealed: Vec<u8>) -> Result<OpenChunks, DecryptError> {
        if self.next != 0 || self.count == 0 {
            return Err(DecryptError);
        }
        let plain = self
            .crypto
            .open_chunk(self.slot.slot(), 0, self.count == 1, sealed)?;
        self.current = io::Cursor::new(plain);
        self.next = 1;
        Ok(self)
    }

    /// Back to the first chunk: the document is read again from its start.
    pub fn rewind(&mut self) {
        self.next = 0;
        self.current = io::Cursor::new(Vec::new());
    }
}

impl Read for OpenChunks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 || buf.is_empty() || self.next == self.count {
                return Ok(n);
            }
            let index = self.next;
            let sealed = self.source.chunk(index)?;
            let plain = self
                .crypto
                .open_chunk(self.slot.slot(), index, index + 1 == self.count, sealed)
                .map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("chunk {index} of the document does not open"),
                    )
                })?;
            self.current = io::Cursor::new(plain);
            self.next += 1;
        }
    }
}

impl Crypto {
    /// Seals each chunk where it lies, bound to its slot, place and whether
    /// it is the last. A document with no bytes is one empty chunk.
    pub fn seal_chunks(&self, slot: Slot<'_>, document: DocumentChunks) -> SealedChunks {
        let mut chunks = document.chunks;
        if chunks.is_empty() {
            chunks.push(Vec::new());
        }
        let count = chunks.len();
        SealedChunks(
            chunks
                .into_iter()
                .enumerate()
                .map(|(i, plain)| {
                    let aad = slot.chunk_associated_data(i as u64, i + 1 == count);
                    self.seal_bytes(&aad, plain)
                })
                .collect(),
        )
    }

    /// Opens chunk `index` of a document sealed by `seal_chunks`.
    pub fn open_chunk(
        &self,
        slot: Slot<'_>,
        index: u64,
        last: bool,
        sealed: Vec<u8>,
    ) -> Result<Vec<u8>, DecryptError> {
        self.open_bytes(&slot.chunk_associated_data(index, last), sealed)
    }

    /// A reader of the deflated bytes of a document sealed in `count`
    /// chunks, which `source` gives one at a time. It fails (an I/O error)
    /// at the first chunk that is missing or does not open where it is read.
    pub fn open_chunks(
        &self,
        slot: Slot<'_>,
        count: u64,
        source: Box<dyn ChunkSource>,
    ) -> OpenChunks {
        OpenChunks {
            crypto: self.clone(),
            slot: OwnedSlot {
                table: slot.table,
                column: slot.column,
                row: slot.row.to_string(),
            },
            count,
            next: 0,
            current: io::Cursor::new(Vec::new()),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of a sealed document in memory, as the store would give them.
    impl ChunkSource for Vec<Vec<u8>> {
        fn chunk(&mut self, index: u64) -> io::Result<Vec<u8>> {
            usize::try_from(index)
                .ok()
                .and_then(|i| self.get(i))
                .cloned()
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such chunk"))
        }
    }

    fn document(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    fn sealed(c: &Crypto, slot: Slot<'_>, plain: &[u8]) -> Vec<Vec<u8>> {
        let mut chunks = DocumentChunks::new();
        // In uneven pieces, as a compressor writes.
        for piece in plain.chunks(10_007) {
            chunks.write_all(piece).unwrap();
        }
        assert_eq!(chunks.len(), plain.len());
        let mut read = Vec::new();
        chunks.reader().read_to_end(&mut read).unwrap();
        assert_eq!(read, plain);
        c.seal_chunks(slot, chunks).0
    }

    fn open(c: &Crypto, slot: Slot<'_>, count: u64, chunks: Vec<Vec<u8>>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        c.open_chunks(slot, count, Box::new(chunks))
            .read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn a_document_sealed_in_chunks_opens_a_chunk_at_a_time_and_again_after_a_rewind() {
        let c = Crypto::new([7; 32]);
        let slot = Slot::new("reports", "data_enc", "rpt_1");
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 123] {
            let plain = document(len);
            let chunks = sealed(&c, slot, &plain);
            assert_eq!(chunks.len(), len.div_ceil(CHUNK).max(1), "{len} bytes");
            assert!(chunks.iter().all(|s| s.len() <= NONCE + CHUNK + TAG));
            let count = chunks.len() as u64;
            let mut reader = c.open_chunks(slot, count, Box::new(chunks));
            let mut out = Vec::new();
            reader.read_to_end(&mut out).unwrap();
            assert_eq!(out, plain, "{len} bytes");
            reader.rewind();
            out.clear();
            reader.read_to_end(&mut out).unwrap();
            assert_eq!(out, plain, "{len} bytes, read again");

            // The first chunk given, the source asked only for the others.
            let mut first_given = sealed(&c, slot, &plain);
            let first = std::mem::take(&mut first_given[0]);
            let mut reader = c
                .open_chunks(slot, count, Box::new(first_given))
                .with_first(first)
                .unwrap();
            out.clear();
            reader.read_to_end(&mut out).unwrap();
            assert_eq!(out, plain, "{len} bytes, the first chunk given");
        }
    }

    #[test]
    fn chunks_cut_off_dropped_reordered_moved_or_tampered_with_do_not_open() {
        let c = Crypto::new([7; 32]);
        let slot = Slot::new("reports", "data_enc", "rpt_1");
        let plain = document(4 * CHUNK);
        let chunks = sealed(&c, slot, &plain);
        assert_eq!(open(&c, slot, 4, chunks.clone()).unwrap(), plain);

        // Cut off after the third chunk: it was not sealed as the last one.
        let cut = chunks[..3].to_vec();
        assert!(open(&c, slot, 3, cut).is_err());
        // A chunk missing in the middle, the count told to match.
        let dropped = vec![chunks[0].clone(), chunks[2].clone(), chunks[3].clone()];
        assert!(open(&c, slot, 3, dropped).is_err());
        // A chunk missing and the count left: the fourth is not there.
        assert!(open(&c, slot, 4, chunks[..3].to_vec()).is_err());
        // Two chunks swapped.
        let mut swapped = chunks.clone();
        swapped.swap(1, 2);
        assert!(open(&c, slot, 4, swapped).is_err());
        // One more chunk claimed than was sealed: the real last one is not
        // opened as a middle one.
        let mut longer = chunks.clone();
        longer.push(chunks[0].clone());
        assert!(open(&c, slot, 5, longer).is_err());
        // One bit changed.
        let mut tampered = chunks.clone();
        tampered[2][NONCE + 5] ^= 1;
        assert!(open(&c, slot, 4, tampered).is_err());
        // Copied to another report, or opened with another key.
        let elsewhere = Slot::new("reports", "data_enc", "rpt_2");
        assert!(open(&c, elsewhere, 4, chunks.clone()).is_err());
        assert!(open(&Crypto::new([8; 32]), slot, 4, chunks.clone()).is_err());
        // A chunk is no value sealed whole to the same slot, and back.
        assert!(c
            .open_bytes(&slot.associated_data(), chunks[3].clone())
            .is_err());
        let whole = c.seal_bytes(&slot.associated_data(), plain[..100].to_vec());
        assert!(open(&c, slot, 1, vec![whole]).is_err());
    }
}
