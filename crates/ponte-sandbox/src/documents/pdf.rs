//! A small drawing surface for US Letter documents on `pdf-writer`: text in
//! Helvetica (WinAnsi), rules, boxes and fills, several pages, and a footer
//! stamped on every page once the page count is known ("Page 2 of 3").
//!
//! No creation date and no random document id are written, so the same input
//! gives the same bytes: documents are a pure function of (portal, user, year).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

pub const WIDTH: f32 = 612.0;
pub const HEIGHT: f32 = 792.0;
pub const MARGIN: f32 = 40.0;

const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");

pub type Rgb = (f32, f32, f32);
pub const BLACK: Rgb = (0.0, 0.0, 0.0);
pub const GREY: Rgb = (0.38, 0.38, 0.38);
pub const LIGHT: Rgb = (0.93, 0.93, 0.93);

/// Text in WinAnsi bytes; characters outside it become `?`.
fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            '•' => 0x95,
            c if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Helvetica advance widths (per 1000 em): exact for digits, punctuation and
/// capitals, close for lowercase; enough to right-align figures in columns.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let em: f32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' | '$' => 556.0,
            '.' | ',' | ' ' | ':' | ';' | '/' | '!' => 278.0,
            'i' | 'j' | 'l' | 'I' | '|' => 240.0,
            '-' | '(' | ')' | 'r' | 't' | 'f' => 333.0,
            '*' => 389.0,
            'm' | 'w' | 'W' | 'M' => 850.0,
            'A'..='Z' => 700.0,
            '%' => 889.0,
            _ => 540.0,
        })
        .sum();
    em / 1000.0 * size * if bold { 1.05 } else { 1.0 }
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

        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let mut next = 6;
        let ids: Vec<(Ref, Ref)> = pages
            .iter()
            .map(|_| {
                next += 2;
                (Ref::new(next - 2), Ref::new(next - 1))
            })
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(ids.iter().map(|(p, _)| *p))
            .count(ids.len() as i32);
        pdf.document_info(info)
            .title(TextStr(&title))
            .producer(TextStr("Ponte sandbox document portal"));
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        for ((page_id, content_id), content) in ids.iter().zip(pages) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
            page.parent(tree);
            page.contents(*content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(REGULAR, regular);
            fonts.pair(BOLD, bold);
            fonts.finish();
            resources.finish();
            page.finish();
            pdf.stream(*content_id, &content.finish());
        }
        pdf.finish()
    }
}
