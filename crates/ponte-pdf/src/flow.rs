//! Flowing A4 pages for reports: headings, paragraphs, label/value blocks,
//! tables whose cells wrap and which break across pages with their header
//! (and caption) repeated, and bar charts. Every page carries a running
//! header and "page n of N"; a page is written out as soon as it is full,
//! and N, unknown until the end, is one shared form drawn by every page.

use crate::fonts::{width, winansi, wrap};
use crate::sink::{text_string, Sink};
use crate::Rgb;
use pdf_writer::{Content, Name, Str};
use std::io::{self, Write};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
pub(crate) const MARGIN: f32 = 48.0;
const BOTTOM: f32 = 56.0;
const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");
const TOTAL: Name = Name(b"Tot");
const CELL_SIZE: f32 = 8.5;
const CELL_LEADING: f32 = 10.5;
/// The text width of the page.
pub const TEXT_WIDTH: f32 = WIDTH - 2.0 * MARGIN;

const INK: Rgb = (0.07, 0.09, 0.15);
const MUTED: Rgb = (0.4, 0.4, 0.4);
const BRAND: Rgb = (0.06, 0.46, 0.43);

#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

#[derive(Clone)]
pub struct Column {
    pub title: String,
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn left(title: &str, width: f32) -> Column {
        Column {
            title: title.to_string(),
            width,
            align: Align::Left,
        }
    }

    pub fn right(title: &str, width: f32) -> Column {
        Column {
            title: title.to_string(),
            width,
            align: Align::Right,
        }
    }
}

/// What every page repeats: the title in the band, a running line under it
/// (whose report, from where), the footer, and the words of "Page 3 of 9".
pub struct Chrome {
    pub title: String,
    pub running: String,
    pub footer: String,
    pub page_word: &'static str,
    pub of_word: &'static str,
}

struct Ids {
    catalog: u32,
    pages: u32,
    regular: u32,
    bold: u32,
    total: u32,
}

pub struct Document<W: Write> {
    sink: Sink<W>,
    ids: Ids,
    page_ids: Vec<u32>,
    pub(crate) page: Content,
    pub(crate) y: f32,
    chrome: Chrome,
    /// The open table's columns: its header is drawn again on a new page.
    table: Option<Vec<Column>>,
    /// What the open table is, said again above it on each new page.
    caption: Option<String>,
    /// The first write that failed (a client that went away): later output
    /// is skipped and `finish` reports it.
    failed: Option<io::Error>,
}

impl<W: Write> Document<W> {
    pub fn new(out: W, chrome: Chrome) -> io::Result<Document<W>> {
        let mut sink = Sink::new(out)?;
        let ids = Ids {
            catalog: sink.reserve(),
            pages: sink.reserve(),
            regular: sink.reserve(),
            bold: sink.reserve(),
            total: sink.reserve(),
        };
        let mut d = Document {
            sink,
            ids,
            page_ids: Vec::new(),
            page: Content::new(),
            y: 0.0,
            chrome,
            table: None,
            caption: None,
            failed: None,
        };
        d.start_page();
        Ok(d)
    }

    fn start_page(&mut self) {
        self.page = Content::new();
        self.page.set_fill_rgb(BRAND.0, BRAND.1, BRAND.2);
        self.page.rect(0.0, HEIGHT - 36.0, WIDTH, 36.0);
        self.page.fill_nonzero();
        let title = format!("Ponte  |  {}", self.chrome.title);
        self.text_at(MARGIN, HEIGHT - 23.0, &title, 11.0, true, (1.0, 1.0, 1.0));
        let running = self.chrome.running.clone();
        self.text_at(MARGIN, HEIGHT - 50.0, &running, 7.5, false, MUTED);
        // The footer keeps clear of the page number at the right.
        let footer = wrap(&self.chrome.footer, 7.0, false, TEXT_WIDTH - 100.0);
        for (i, line) in footer.iter().take(2).enumerate() {
            self.text_at(MARGIN, 28.0 - i as f32 * 9.0, line, 7.0, false, MUTED);
        }
        let n = self.page_ids.len() + 1;
        let label = format!("{} {n} {} ", self.chrome.page_word, self.chrome.of_word);
        let x = WIDTH - MARGIN - 70.0;
        self.text_at(x, 24.0, &label, 7.5, false, MUTED);
        // The total is a form written once at the end, drawn here.
        self.page.save_state();
        self.page
            .transform([1.0, 0.0, 0.0, 1.0, x + width(&label, 7.5, false), 24.0]);
        self.page.x_object(TOTAL);
        self.page.restore_state();
        self.y = HEIGHT - 72.0;
    }

    /// Writes the full page out and starts the next one.
    fn end_page(&mut self) {
        let content = std::mem::replace(&mut self.page, Content::new()).finish();
        let page_id = self.sink.reserve();
        let content_id = self.sink.reserve();
        self.page_ids.push(page_id);
        if self.failed.is_some() {
            return;
        }
        let Ids {
            pages,
            regular,
            bold,
            total,
            ..
        } = self.ids;
        let page = format!(
            "<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] /Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> /XObject << /Tot {total} 0 R >> >> /Contents {content_id} 0 R >>"
        );
        let written = self
            .sink
            .stream(content_id, "", &content)
            .and_then(|_| self.sink.object(page_id, &page));
        if let Err(e) = written {
            self.failed = Some(e);
        }
    }

    fn new_page(&mut self) {
        self.end_page();
        self.start_page();
        if let Some(columns) = self.table.clone() {
            self.continue_table(&columns);
        }
    }

    /// The open table's caption and header at the top of a new page.
    fn continue_table(&mut self, columns: &[Column]) {
        if let Some(caption) = self.caption.clone() {
            self.text_at(MARGIN, self.y, &caption, 9.0, true, BRAND);
            self.y -= 16.0;
        }
        self.table_header(columns);
    }

    pub(crate) fn text_at(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, rgb: Rgb) {
        let bytes = winansi(text);
        let c = &mut self.page;
        c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
        c.begin_text();
        c.set_font(if bold { BOLD } else { REGULAR }, size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    /// Makes sure `height` points fit on this page, else starts a new one.
    pub(crate) fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y -= 8.0;
        for line in wrap(text, 14.0, true, TEXT_WIDTH) {
            self.text_at(MARGIN, self.y, &line, 14.0, true, INK);
            self.y -= 18.0;
        }
        self.y -= 2.0;
    }

    pub fn subheading(&mut self, text: &str) {
        self.room(30.0);
        for line in wrap(text, 10.5, true, TEXT_WIDTH) {
            self.text_at(MARGIN, self.y, &line, 10.5, true, BRAND);
            self.y -= 14.0;
        }
        self.y -= 2.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, 9.0, false, TEXT_WIDTH) {
            self.room(12.0);
            self.text_at(MARGIN, self.y, &line, 9.0, false, (0.3, 0.3, 0.3));
            self.y -= 12.0;
        }
        self.y -= 2.0;
    }

    /// Label / value pairs in two columns; long values wrap in their column.
    pub fn facts(&mut self, pairs: &[(&str, String)]) {
        let col = TEXT_WIDTH / 2.0 - 10.0;
        for pair in pairs.chunks(2) {
            let wrapped: Vec<Vec<String>> = pair
                .iter()
                .map(|(_, value)| wrap(value, 10.0, true, col))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            let height = 13.0 + lines as f32 * 12.0;
            self.room(height);
            for (i, ((label, _), value)) in pair.iter().zip(&wrapped).enumerate() {
                let x = MARGIN + i as f32 * (col + 20.0);
                self.text_at(x, self.y, label, 7.5, false, MUTED);
                for (l, line) in value.iter().enumerate() {
                    let y = self.y - 11.0 - l as f32 * 12.0;
                    self.text_at(x, y, line, 10.0, true, INK);
                }
            }
            self.y -= height;
        }
        self.y -= 4.0;
    }

    fn table_header(&mut self, columns: &[Column]) {
        let titles: Vec<Vec<String>> = columns
            .iter()
            .map(|c| wrap(&c.title, 8.0, true, c.width - 6.0))
            .collect();
        let lines = titles.iter().map(Vec::len).max().unwrap_or(1) as f32;
        let height = 6.0 + lines * 10.0;
        self.room(height + CELL_LEADING * 2.0);
        let top = self.y + 10.0;
        self.page.set_fill_rgb(0.94, 0.96, 0.96);
        self.page
            .rect(MARGIN - 4.0, top - height, TEXT_WIDTH + 8.0, height);
        self.page.fill_nonzero();
        let mut x = MARGIN;
        for (col, title) in columns.iter().zip(&titles) {
            for (l, line) in title.iter().enumerate() {
                let tx = match col.align {
                    Align::Left => x,
                    Align::Right => x + col.width - width(line, 8.0, true) - 4.0,
                };
                self.text_at(
                    tx,
                    self.y - l as f32 * 10.0,
                    line,
                    8.0,
                    true,
                    (0.2, 0.2, 0.2),
                );
            }
            x += col.width;
        }
        self.y -= height + 2.0;
    }

    /// Opens a table: rows follow with `row`, and `end_table` closes it.
    pub fn begin_table(&mut self, columns: &[Column]) {
        self.table_header(columns);
        self.table = Some(columns.to_vec());
    }

    /// One row; a cell wider than its column wraps onto more lines.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let Some(columns) = self.table.take() else {
            return;
        };
        let wrapped: Vec<Vec<String>> = columns
            .iter()
            .zip(cells)
            .map(|(col, cell)| wrap(cell.as_ref(), CELL_SIZE, false, col.width - 6.0))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let height = lines as f32 * CELL_LEADING + 2.5;
        if self.y - height < BOTTOM {
            self.end_page();
            self.start_page();
            self.continue_table(&columns);
        }
        let mut x = MARGIN;
        for (col, cell) in columns.iter().zip(&wrapped) {
            for (l, line) in cell.iter().enumerate() {
                let tx = match col.align {
                    Align::Left => x,
                    Align::Right => x + col.width - width(line, CELL_SIZE, false) - 4.0,
                };
                let y = self.y - l as f32 * CELL_LEADING;
                self.text_at(tx, y, line, CELL_SIZE, false, (0.1, 0.1, 0.1));
            }
            x += col.width;
        }
        self.y -= height;
        self.table = Some(columns);
    }

    /// Opens a table whose `caption` (e.g. "Account 123 — transactions,
    /// continued") heads each further page it runs onto.
    pub fn begin_table_continued(&mut self, caption: &str, columns: &[Column]) {
        self.begin_table(columns);
        self.caption = Some(caption.to_string());
    }

    pub fn end_table(&mut self) {
        self.table = None;
        self.caption = None;
        self.y -= 8.0;
    }

    /// A whole table at once.
    pub fn table<S: AsRef<str>>(&mut self, columns: &[Column], rows: &[Vec<S>]) {
        self.begin_table(columns);
        for row in rows {
            self.row(row);
        }
        self.end_table();
    }

    /// Writes the last page, the page count, the fonts and the page tree.
    pub fn finish(mut self) -> io::Result<W> {
        self.end_page();
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let Ids {
            catalog,
            pages,
            regular,
            bold,
            total,
        } = self.ids;
        let mut count = Content::new();
        count.set_fill_rgb(MUTED.0, MUTED.1, MUTED.2);
        count.begin_text();
        count.set_font(REGULAR, 7.5);
        count.show(Str(self.page_ids.len().to_string().as_bytes()));
        count.end_text();
        let s = &mut self.sink;
        s.stream(
            total,
            &format!("/Type /XObject /Subtype /Form /BBox [0 -3 60 10] /Resources << /Font << /F1 {regular} 0 R >> >>"),
            &count.finish(),
        )?;
        for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
            s.object(
                id,
                &format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"),
            )?;
        }
        let kids: Vec<String> = self.page_ids.iter().map(|id| format!("{id} 0 R")).collect();
        s.object(
            pages,
            &format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                kids.len()
            ),
        )?;
        s.object(catalog, &format!("<< /Type /Catalog /Pages {pages} 0 R >>"))?;
        // The title a reader's window and a file list show.
        let info = s.reserve();
        s.object(
            info,
            &format!(
                "<< /Title {} /Producer {} >>",
                text_string(&self.chrome.title),
                text_string("Ponte")
            ),
        )?;
        self.sink.finish(catalog, Some(info))
    }

    /// Pages so far, the current one included.
    pub fn pages(&self) -> usize {
        self.page_ids.len() + 1
    }
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
