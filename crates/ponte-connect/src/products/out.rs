//! The report's JSON text, written as its parts arrive.

use crate::ConnectError;
use serde::Serialize;
use serde_json::value::RawValue;
use std::io::Write;

/// A report's JSON written as its parts arrive: lists are copied item by
/// item from the institution's pages, so a five-year history passes through
/// as the text it came as, never as a tree of values, and goes wherever
/// `w` takes it (into a compressor, so the whole text is never held).
pub(super) struct Out<'w, W: Write> {
    w: &'w mut W,
    /// Per open object or list: nothing written in it yet.
    empty: Vec<bool>,
    /// The first write that failed; the rest are skipped.
    failed: Option<std::io::Error>,
}

impl<'w, W: Write> Out<'w, W> {
    pub(super) fn new(w: &'w mut W) -> Self {
        Out {
            w,
            empty: Vec::new(),
            failed: None,
        }
    }

    pub(super) fn put(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.w.write_all(bytes) {
                self.failed = Some(e);
            }
        }
    }

    pub(super) fn comma(&mut self) {
        if let Some(empty) = self.empty.last_mut() {
            let first = std::mem::replace(empty, false);
            if !first {
                self.put(b",");
            }
        }
    }

    pub(super) fn open(&mut self, bracket: u8) {
        self.put(&[bracket]);
        self.empty.push(true);
    }

    pub(super) fn close(&mut self, bracket: u8) {
        self.put(&[bracket]);
        self.empty.pop();
    }

    /// Starts an object as the next item of the open list (or the document).
    pub(super) fn object(&mut self) {
        self.comma();
        self.open(b'{');
    }

    pub(super) fn key(&mut self, key: &str) {
        self.comma();
        self.put(b"\"");
        self.put(key.as_bytes());
        self.put(b"\":");
    }

    pub(super) fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), ConnectError> {
        self.key(key);
        let text = serde_json::to_vec(value).map_err(|e| ConnectError::Protocol(e.to_string()))?;
        self.put(&text);
        Ok(())
    }

    pub(super) fn item(&mut self, item: &RawValue) {
        self.comma();
        self.put(item.get().as_bytes());
    }

    pub(super) fn finish(self) -> Result<(), ConnectError> {
        match self.failed {
            None => Ok(()),
            Some(e) => Err(ConnectError::Protocol(format!(
                "the report could not be written: {e}"
            ))),
        }
    }
}
