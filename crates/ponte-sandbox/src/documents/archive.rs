//! `user_big`'s scanned archive at a bank portal: a one-page PDF of about
//! 50 MB whose page carries an uncompressed scan (an RGB image XObject) of
//! the year's paper records, under the usual letterhead and a text summary.
//!
//! It exists so Ponte can be measured ingesting and serving a large file with
//! bounded memory, so the portal itself must never hold it whole either: the
//! byte layout (objects, the image's `/Length`, the xref offsets) is computed
//! up front from the image's known size, and the pixels are generated row by
//! row from a seeded PRNG while the body is sent. Same bytes on every run.

use sha2::{Digest, Sha256};

use super::ledger::{self, dollars};
use super::pdf::{Canvas, HEIGHT, MARGIN, WIDTH};
use super::{Ctx, DocumentRef, Kind};
use crate::portals::catalogue::{self, PortalKind};

/// The scan's size in pixels: 4000 × 4200 × 3 bytes = 50,400,000 bytes.
pub const SCAN_WIDTH: usize = 4000;
pub const SCAN_HEIGHT: usize = 4200;
const ROW_BYTES: usize = SCAN_WIDTH * 3;
/// Rows generated per chunk of the body (96,000 bytes).
const ROWS_PER_CHUNK: usize = 8;
/// Where the "text lines" of the scanned page start, and their pitch.
const SCAN_TOP: usize = 320;
const SCAN_LEFT: usize = 260;
const LINE_PITCH: usize = 90;

/// The document id's kind and the portal/user pairs that hold one.
pub fn held_by(
    portal: &catalogue::PortalInfo,
    username: &str,
    years: &[i64],
) -> Option<DocumentRef> {
    (username == "user_big" && portal.kind == PortalKind::Bank).then_some(DocumentRef {
        kind: Kind::ScannedArchive,
        // The oldest year on file is the one only kept on paper.
        year: *years.first()?,
    })
}

/// The archive PDF of one (portal, user, year), as a layout: everything but
/// the pixels is a few kilobytes held here; the pixels are generated on demand.
pub struct ScannedArchive {
    head: Vec<u8>,
    tail: Vec<u8>,
    seed: u64,
}

impl ScannedArchive {
    /// `None` for a portal code the sandbox does not know.
    pub fn new(portal_code: &str, username: &str, year: i64) -> Option<ScannedArchive> {
        let portal = catalogue::find(portal_code)?;
        let person = ledger::person(username);
        let account = ledger::account_last4(portal.code, username);
        let ctx = Ctx {
            portal,
            person: &person,
            account: &account,
            year,
        };
        let content = page_content(&ctx, username);
        let digest = Sha256::digest(format!("archive|{}|{username}|{year}", portal.code));
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&digest[..8]);
        let (head, tail) = layout(&content, &format!("Scanned archive {year}"));
        Some(ScannedArchive {
            head,
            tail,
            seed: u64::from_le_bytes(seed),
        })
    }

    /// The exact byte length of the PDF.
    pub fn len(&self) -> u64 {
        (self.head.len() + ROW_BYTES * SCAN_HEIGHT + self.tail.len()) as u64
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The PDF's bytes in order, in chunks of at most ~96 KB.
    pub fn chunks(self) -> impl Iterator<Item = Vec<u8>> + Send + 'static {
        let ScannedArchive { head, tail, seed } = self;
        let rows = (0..SCAN_HEIGHT).step_by(ROWS_PER_CHUNK).map(move |first| {
            let last = (first + ROWS_PER_CHUNK).min(SCAN_HEIGHT);
            let mut out = Vec::with_capacity((last - first) * ROW_BYTES);
            for y in first..last {
                scan_row(seed, y, &mut out);
            }
            out
        });
        std::iter::once(head)
            .chain(rows)
            .chain(std::iter::once(tail))
    }
}

/// SplitMix64: tiny, fast and fixed forever, unlike `rand`'s generators
/// whose streams may change between versions (the bytes must not).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One row of the scan: off-white paper with grain, a darker scanner edge,
/// and lines of ink speckle where the page's text lines are. Each row depends
/// only on (seed, y), so any chunk can be made alone.
fn scan_row(seed: u64, y: usize, out: &mut Vec<u8>) {
    let band = y
        .checked_sub(SCAN_TOP)
        .map(|d| (d / LINE_PITCH, d % LINE_PITCH));
    let line_end = match band {
        Some((n, within)) if (22..52).contains(&within) && y < SCAN_HEIGHT - 300 => {
            SCAN_LEFT + 400 + (mix(seed ^ (n as u64).wrapping_mul(7919)) % 3000) as usize
        }
        _ => 0,
    };
    let mut state = mix(seed ^ ((y as u64) << 20));
    for x in 0..SCAN_WIDTH {
        state = mix(state);
        let grain = (state & 0x0F) as u8;
        let edge = !(36..SCAN_WIDTH - 36).contains(&x) || !(36..SCAN_HEIGHT - 36).contains(&y);
        let ink = (SCAN_LEFT..line_end).contains(&x) && (state >> 8) % 100 < 38;
        let v = if edge {
            150 + grain
        } else if ink {
            40 + grain * 3
        } else {
            232 + grain
        };
        // Slightly yellowed paper: less blue than red.
        out.extend_from_slice(&[v, v.saturating_sub(3), v.saturating_sub(9)]);
    }
}

/// The page: letterhead, what the archive is, the year's figures from the
/// same ledger as the statements, and the scan below.
fn page_content(ctx: &Ctx, username: &str) -> Vec<u8> {
    let mut c = Canvas::new("Scanned archive");
    let y = ctx.letterhead(&mut c);
    let right = WIDTH - MARGIN;
    c.right(right, HEIGHT - 52.0, "Scanned Records Archive", 11.0, true);
    c.right(
        right,
        HEIGHT - 65.0,
        &format!("Tax year {} · paper records on file", ctx.year),
        8.5,
        false,
    );
    c.right(
        right,
        HEIGHT - 77.0,
        &format!("Account Number: {}", ctx.masked_account()),
        8.5,
        false,
    );
    let year = ledger::bank_year(ctx.portal.code, username, ctx.year);
    let opening = year.first().map(|s| s.opening).unwrap_or_default();
    let closing = year.last().map(|s| s.closing).unwrap_or_default();
    let interest = year.iter().map(|s| s.interest()).sum();
    ctx.address_block(&mut c, MARGIN, y - 6.0);
    c.t(
        MARGIN + 260.0,
        y - 6.0,
        &format!("Balance on January 1, {}: {}", ctx.year, dollars(opening)),
        8.5,
    );
    c.t(
        MARGIN + 260.0,
        y - 18.0,
        &format!("Balance on December 31, {}: {}", ctx.year, dollars(closing)),
        8.5,
    );
    c.t(
        MARGIN + 260.0,
        y - 30.0,
        &format!("Interest paid in {}: {}", ctx.year, dollars(interest)),
        8.5,
    );
    let w = WIDTH - 2.0 * MARGIN;
    let h = w * SCAN_HEIGHT as f32 / SCAN_WIDTH as f32;
    let top = y - 44.0;
    c.image(b"Im1", MARGIN, top - h, w, h);
    let footer = ctx.footer(&format!("Scanned image {SCAN_WIDTH} x {SCAN_HEIGHT} px"));
    c.finish_pages(footer)
        .into_iter()
        .next()
        .map(|p| p.finish().into_vec())
        .unwrap_or_default()
}

/// The PDF around the pixels: (everything before them, everything after).
/// Objects: 1 catalog, 2 pages, 3 page, 4 content, 5–6 fonts, 7 info, 8 image.
fn layout(content: &[u8], title: &str) -> (Vec<u8>, Vec<u8>) {
    let pixels = ROW_BYTES * SCAN_HEIGHT;
    let mut head: Vec<u8> = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |head: &mut Vec<u8>, body: &[u8]| {
        offsets.push(head.len());
        head.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        head.extend_from_slice(body);
        head.extend_from_slice(b"\nendobj\n");
    };
    object(&mut head, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(&mut head, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /Im1 8 0 R >> >> >>"
    );
    object(&mut head, page.as_bytes());
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream");
    object(&mut head, &stream);
    for font in ["Helvetica", "Helvetica-Bold"] {
        let f = format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>"
        );
        object(&mut head, f.as_bytes());
    }
    // The title is plain ASCII without parentheses or backslashes (the caller
    // makes it), so it needs no escaping inside a literal string.
    let info = format!("<< /Title ({title}) /Producer (Ponte sandbox document portal) >>");
    object(&mut head, info.as_bytes());
    offsets.push(head.len());
    head.extend_from_slice(
        format!(
            "8 0 obj\n<< /Type /XObject /Subtype /Image /Width {SCAN_WIDTH} /Height {SCAN_HEIGHT} \
             /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length {pixels} >>\nstream\n"
        )
        .as_bytes(),
    );
    let mut tail = b"\nendstream\nendobj\n".to_vec();
    let xref_at = head.len() + pixels + tail.len();
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for at in &offsets {
        xref.push_str(&format!("{at:010} 00000 n \n"));
    }
    xref.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R /Info 7 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        offsets.len() + 1
    ));
    tail.extend_from_slice(xref.as_bytes());
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_adds_up_and_the_bytes_are_the_same_every_time() {
        let a = ScannedArchive::new("harborline", "user_big", 2021).expect("bank portal");
        let len = a.len();
        assert!(len > 50_000_000, "{len}");
        let mut total = 0u64;
        let mut first = Sha256::new();
        for chunk in a.chunks() {
            assert!(chunk.len() <= ROWS_PER_CHUNK * ROW_BYTES);
            total += chunk.len() as u64;
            first.update(&chunk);
        }
        assert_eq!(total, len);
        let b = ScannedArchive::new("harborline", "user_big", 2021).expect("bank portal");
        let mut second = Sha256::new();
        b.chunks().for_each(|c| second.update(&c));
        assert_eq!(first.finalize(), second.finalize());
    }

    #[test]
    fn only_user_big_at_a_bank_holds_an_archive() {
        let years = [2020, 2021, 2022, 2023, 2024];
        for portal in catalogue::portals() {
            for user in ["user_good", "user_mfa", "user_flaky", "user_big"] {
                let held = super::super::held(portal, user, &years);
                let archives = held
                    .iter()
                    .filter(|d| d.kind == Kind::ScannedArchive)
                    .count();
                let expected = usize::from(user == "user_big" && portal.kind == PortalKind::Bank);
                assert_eq!(archives, expected, "{} {user}", portal.code);
            }
        }
        let doc = DocumentRef::parse("scanned-archive-2020").expect("parses");
        assert_eq!(doc.id(), "scanned-archive-2020");
        assert_eq!(doc.file_name(), "scanned_archive_2020.pdf");
    }

    #[test]
    fn the_xref_points_at_each_object() {
        let a = ScannedArchive::new("harborline", "user_big", 2021).expect("bank portal");
        let pixels = ROW_BYTES * SCAN_HEIGHT;
        let tail = String::from_utf8_lossy(&a.tail).into_owned();
        let head = &a.head;
        let entries: Vec<usize> = tail
            .lines()
            .filter(|l| l.ends_with(" 00000 n "))
            .filter_map(|l| l.split(' ').next()?.parse().ok())
            .collect();
        assert_eq!(entries.len(), 8);
        for (i, at) in entries.iter().enumerate() {
            assert!(head[*at..].starts_with(format!("{} 0 obj", i + 1).as_bytes()));
        }
        let start: usize = tail
            .split("startxref\n")
            .nth(1)
            .and_then(|s| s.lines().next()?.parse().ok())
            .expect("startxref");
        let xref_in_tail = tail.find("xref\n").expect("xref");
        assert_eq!(start, head.len() + pixels + xref_in_tail);
    }
}
