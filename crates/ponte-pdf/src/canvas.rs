//! A drawing surface for forms and statements laid out by hand on US Letter
//! pages: text in Helvetica (WinAnsi), rules, boxes and fills, several pages,
//! and a footer stamped on every page once the page count is known
//! ("Page 2 of 3"). Such documents are a few pages, so pages are kept until
//! the end; the bytes go out through the same sink as the flowing reports.
//!
//! No creation date and no random document id are written, so the same input
//! gives the same bytes: documents are a pure function of their inputs.

use crate::fonts::{width, winansi};
use crate::sink::{text_string, Sink};
pub use crate::Rgb;
use pdf_writer::{Content, Name, Str};

pub const WIDTH: f32 = 612.0;
pub const HEIGHT: f32 = 792.0;
pub const MARGIN: f32 = 40.0;

const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");

pub const BLACK: Rgb = (0.0, 0.0, 0.0);
pub const GREY: Rgb = (0.38, 0.38, 0.38);
pub const LIGHT: Rgb = (0.93, 0.93, 0.93);

/// Width of `text` at `size` points in Helvetica (or Helvetica-Bold): the
/// fonts' own metrics, so right-aligned figures line up exactly.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    width(text, size, bold)
}

/// A multi-page document being drawn; coordinates are PDF points from the
/// bottom-left corner of a US Letter page.
pub struct Canvas {
    done: Vec<Content>,
    page: Content,
    title: String,
}

impl Canvas {
    pub fn new(title: &str) -> Canvas {
        Canvas {
            done: Vec::new(),
            page: Content::new(),
            title: title.to_string(),
        }
    }

    pub fn new_page(&mut self) {
        let page = std::mem::replace(&mut self.page, Content::new());
        self.done.push(page);
    }

    pub fn text(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, rgb: Rgb) {
        let bytes = winansi(text);
        let c = &mut self.page;
        c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
        c.begin_text();
        c.set_font(if bold { BOLD } else { REGULAR }, size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    /// Black regular text.
    pub fn t(&mut self, x: f32, y: f32, text: &str, size: f32) {
        self.text(x, y, text, size, false, BLACK);
    }

    /// Black bold text.
    pub fn b(&mut self, x: f32, y: f32, text: &str, size: f32) {
        self.text(x, y, text, size, true, BLACK);
    }

    /// Text whose right edge is at `right`.
    pub fn right(&mut self, right: f32, y: f32, text: &str, size: f32, bold: bool) {
        let x = right - text_width(text, size, bold);
        self.text(x, y, text, size, bold, BLACK);
    }

    pub fn center(&mut self, mid: f32, y: f32, text: &str, size: f32, bold: bool, rgb: Rgb) {
        let x = mid - text_width(text, size, bold) / 2.0;
        self.text(x, y, text, size, bold, rgb);
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: Rgb) {
        let c = &mut self.page;
        c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
        c.rect(x, y, w, h);
        c.fill_nonzero();
    }

    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        let c = &mut self.page;
        c.set_stroke_rgb(0.0, 0.0, 0.0);
        c.set_line_width(width);
        c.rect(x, y, w, h);
        c.stroke();
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, rgb: Rgb) {
        let c = &mut self.page;
        c.set_stroke_rgb(rgb.0, rgb.1, rgb.2);
        c.set_line_width(width);
        c.move_to(x1, y1);
        c.line_to(x2, y2);
        c.stroke();
    }

    /// Draws the image XObject named `name` (in the page's resources) into
    /// the box at (`x`, `y`), `w` by `h` points.
    pub fn image(&mut self, name: &[u8], x: f32, y: f32, w: f32, h: f32) {
        let c = &mut self.page;
        c.save_state();
        c.transform([w, 0.0, 0.0, h, x, y]);
        c.x_object(Name(name));
        c.restore_state();
    }

    /// Each page's content stream, `footer(page, pages)` drawn on every page.
    pub fn finish_pages(mut self, footer: impl Fn(usize, usize) -> String) -> Vec<Content> {
        self.new_page();
        let total = self.done.len();
        let mut pages = std::mem::take(&mut self.done);
        for (i, page) in pages.iter_mut().enumerate() {
            let text = footer(i + 1, total);
            let bytes = winansi(&text);
            page.set_fill_rgb(GREY.0, GREY.1, GREY.2);
            page.begin_text();
            page.set_font(REGULAR, 7.0);
            page.next_line(MARGIN, 22.0);
            page.show(Str(&bytes));
            page.end_text();
        }
        pages
    }

    /// Finishes the document; `footer(page, pages)` is drawn on every page.
    pub fn finish(self, footer: impl Fn(usize, usize) -> String) -> Vec<u8> {
        let title = self.title.clone();
        let pages = self.finish_pages(footer);
        // Writing into memory cannot fail.
        write(Vec::new(), &title, pages).unwrap_or_default()
    }
}

/// The document around finished page contents: catalog, page tree, the two
/// fonts, the title, then each page and its content stream.
fn write<W: std::io::Write>(out: W, title: &str, pages: Vec<Content>) -> std::io::Result<W> {
    let mut s = Sink::new(out)?;
    let catalog = s.reserve();
    let tree = s.reserve();
    let regular = s.reserve();
    let bold = s.reserve();
    let info = s.reserve();
    let ids: Vec<(u32, u32)> = pages.iter().map(|_| (s.reserve(), s.reserve())).collect();
    s.object(catalog, &format!("<< /Type /Catalog /Pages {tree} 0 R >>"))?;
    let kids: Vec<String> = ids.iter().map(|(p, _)| format!("{p} 0 R")).collect();
    s.object(
        tree,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            kids.len()
        ),
    )?;
    s.object(
        info,
        &format!(
            "<< /Title {} /Producer {} >>",
            text_string(title),
            text_string("Ponte sandbox document portal")
        ),
    )?;
    for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        s.object(
            id,
            &format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
            ),
        )?;
    }
    for ((page, content_id), content) in ids.into_iter().zip(pages) {
        s.object(
            page,
            &format!(
                "<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] /Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> >> /Contents {content_id} 0 R >>"
            ),
        )?;
        s.stream(content_id, "", &content.finish())?;
    }
    s.finish(catalog, Some(info))
}
