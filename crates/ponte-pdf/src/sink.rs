//! PDF objects written out as they are made: a page goes to the writer as
//! soon as it is full, so a document of hundreds of pages never sits in
//! memory twice (or at all). The cross-reference table at the end is one
//! offset per object.

use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::io::{self, Write};

/// Counts the bytes passed on, for the cross-reference offsets.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub struct Sink<W: Write> {
    out: Counting<W>,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<Option<u64>>,
}

impl<W: Write> Sink<W> {
    pub fn new(inner: W) -> io::Result<Sink<W>> {
        let mut out = Counting { inner, written: 0 };
        // The binary comment tells transfer tools the file is not text.
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(Sink {
            out,
            offsets: Vec::new(),
        })
    }

    /// A new object number (numbers may be written in any order).
    pub fn reserve(&mut self) -> u32 {
        self.offsets.push(None);
        self.offsets.len() as u32
    }

    fn begin(&mut self, id: u32) -> io::Result<()> {
        if let Some(slot) = self.offsets.get_mut(id as usize - 1) {
            *slot = Some(self.out.written);
        }
        writeln!(self.out, "{id} 0 obj")
    }

    /// An object whose body is `body` (a dictionary, an array…).
    pub fn object(&mut self, id: u32, body: &str) -> io::Result<()> {
        self.begin(id)?;
        self.out.write_all(body.as_bytes())?;
        self.out.write_all(b"\nendobj\n")
    }

    /// A deflated stream; `dict` holds the entries besides its length and filter.
    pub fn stream(&mut self, id: u32, dict: &str, data: &[u8]) -> io::Result<()> {
        let mut z = ZlibEncoder::new(Vec::with_capacity(data.len() / 4), Compression::fast());
        z.write_all(data)?;
        let packed = z.finish()?;
        self.begin(id)?;
        write!(
            self.out,
            "<< {dict} /Length {} /Filter /FlateDecode >>\nstream\n",
            packed.len()
        )?;
        self.out.write_all(&packed)?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    /// The cross-reference table and the trailer naming `root` (the
    /// catalog) and `info` (the document information dictionary), if any.
    pub fn finish(mut self, root: u32, info: Option<u32>) -> io::Result<W> {
        let xref = self.out.written;
        write!(
            self.out,
            "xref\n0 {}\n0000000000 65535 f \n",
            self.offsets.len() + 1
        )?;
        for offset in &self.offsets {
            match offset {
                Some(at) => writeln!(self.out, "{at:010} 00000 n ")?,
                None => self.out.write_all(b"0000000000 65535 f \n")?,
            }
        }
        let info = info
            .map(|id| format!(" /Info {id} 0 R"))
            .unwrap_or_default();
        write!(
            self.out,
            "trailer\n<< /Size {} /Root {root} 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        )?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

/// A PDF text string (a title, say) holding any characters: UTF-16BE with
/// its byte-order mark, in hex, so nothing in it needs escaping.
pub fn text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_are_utf16_hex_with_a_byte_order_mark() {
        assert_eq!(text_string("Aé("), "<FEFF004100E90028>");
    }

    #[test]
    fn the_xref_points_at_each_object_and_the_trailer_names_the_info() {
        let mut s = Sink::new(Vec::new()).expect("header");
        let a = s.reserve();
        let b = s.reserve();
        s.object(b, "<< /B true >>").expect("b");
        s.object(a, "<< /A true >>").expect("a");
        let bytes = s.finish(a, Some(b)).expect("done");
        let out = String::from_utf8_lossy(&bytes);
        let offsets: Vec<usize> = out
            .lines()
            .filter(|l| l.ends_with(" 00000 n "))
            .filter_map(|l| l.split(' ').next()?.parse().ok())
            .collect();
        assert_eq!(offsets.len(), 2);
        assert!(bytes[offsets[0]..].starts_with(b"1 0 obj\n<< /A true >>"));
        assert!(bytes[offsets[1]..].starts_with(b"2 0 obj\n<< /B true >>"));
        assert!(out.contains("<< /Size 3 /Root 1 0 R /Info 2 0 R >>"));
    }
}
