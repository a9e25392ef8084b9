//! A small PDF writer for reports: A4 pages, Helvetica, headings, key-value
//! blocks, tables that break across pages, and bar charts. Built on
//! `pdf-writer`; text is encoded as WinAnsi, which covers Portuguese.

pub mod report;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;
const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");

/// Text in WinAnsi bytes; characters outside it become `?`.
fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Approximate Helvetica advance width (digits and punctuation exact).
pub fn text_width(text: &str, size: f32) -> f32 {
    let em: f32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' => 0.556,
            '.' | ',' | ' ' | ':' | ';' | 'i' | 'l' | 'j' | '|' | 'I' => 0.278,
            '-' | '(' | ')' | 'r' | 't' | 'f' => 0.333,
            'm' | 'w' | 'M' | 'W' => 0.833,
            'A'..='Z' => 0.667,
            _ => 0.52,
        })
        .sum();
    em * size
}

#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

/// One set of bars: a name for the legend, a colour, a value per label.
pub struct Series<'a> {
    pub name: &'a str,
    pub rgb: (f32, f32, f32),
    pub values: Vec<f64>,
}

pub struct Column {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

pub struct Document {
    pages: Vec<Content>,
    y: f32,
    title: String,
    footer: String,
}

impl Document {
    pub fn new(title: &str, footer: &str) -> Document {
        let mut d = Document {
            pages: Vec::new(),
            y: 0.0,
            title: title.to_string(),
            footer: footer.to_string(),
        };
        d.new_page();
        d
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a document always has a page")
    }

    fn new_page(&mut self) {
        let mut c = Content::new();
        // Header band.
        c.set_fill_rgb(0.06, 0.46, 0.43);
        c.rect(0.0, HEIGHT - 36.0, WIDTH, 36.0);
        c.fill_nonzero();
        self.pages.push(c);
        let title = format!("Ponte  |  {}", self.title);
        self.text_at(MARGIN, HEIGHT - 23.0, &title, 11.0, true, (1.0, 1.0, 1.0));
        let n = self.pages.len();
        let footer = format!("{}   ·   page {n}", self.footer);
        self.text_at(MARGIN, 24.0, &footer, 7.5, false, (0.45, 0.45, 0.45));
        self.y = HEIGHT - 64.0;
    }

    fn text_at(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, rgb: (f32, f32, f32)) {
        let bytes = winansi(text);
        let c = self.page();
        c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
        c.begin_text();
        c.set_font(if bold { BOLD } else { REGULAR }, size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    /// Makes sure `height` points fit on this page, else starts a new one.
    fn room(&mut self, height: f32) {
        if self.y - height < 48.0 {
            self.new_page();
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y -= 8.0;
        self.text_at(MARGIN, self.y, text, 14.0, true, (0.07, 0.09, 0.15));
        self.y -= 20.0;
    }

    pub fn subheading(&mut self, text: &str) {
        self.room(30.0);
        self.text_at(MARGIN, self.y, text, 10.5, true, (0.06, 0.46, 0.43));
        self.y -= 16.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        self.room(14.0);
        self.text_at(MARGIN, self.y, text, 9.0, false, (0.3, 0.3, 0.3));
        self.y -= 14.0;
    }

    /// Label / value pairs in two columns.
    pub fn facts(&mut self, pairs: &[(&str, String)]) {
        for pair in pairs.chunks(2) {
            self.room(26.0);
            for (i, (label, value)) in pair.iter().enumerate() {
                let x = MARGIN + i as f32 * 250.0;
                self.text_at(x, self.y, label, 7.5, false, (0.45, 0.45, 0.45));
                self.text_at(x, self.y - 11.0, value, 10.0, true, (0.07, 0.09, 0.15));
            }
            self.y -= 26.0;
        }
        self.y -= 4.0;
    }

    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let header = |d: &mut Document| {
            d.room(34.0);
            let top = d.y + 10.0;
            {
                let c = d.page();
                c.set_fill_rgb(0.94, 0.96, 0.96);
                c.rect(MARGIN - 4.0, top - 16.0, WIDTH - 2.0 * MARGIN + 8.0, 16.0);
                c.fill_nonzero();
            }
            let mut x = MARGIN;
            for col in columns {
                let tx = match col.align {
                    Align::Left => x,
                    Align::Right => x + col.width - text_width(col.title, 8.0) - 4.0,
                };
                d.text_at(tx, d.y, col.title, 8.0, true, (0.2, 0.2, 0.2));
                x += col.width;
            }
            d.y -= 16.0;
        };
        header(self);
        for row in rows {
            if self.y < 60.0 {
                self.new_page();
                header(self);
            }
            let mut x = MARGIN;
            for (col, cell) in columns.iter().zip(row) {
                // Cut to the column, measured, with an ellipsis.
                let mut cell = cell.clone();
                if text_width(&cell, 8.5) > col.width - 6.0 {
                    while !cell.is_empty() && text_width(&cell, 8.5) > col.width - 12.0 {
                        cell.pop();
                    }
                    cell.push('…');
                }
                let tx = match col.align {
                    Align::Left => x,
                    Align::Right => x + col.width - text_width(&cell, 8.5) - 4.0,
                };
                self.text_at(tx, self.y, &cell, 8.5, false, (0.1, 0.1, 0.1));
                x += col.width;
            }
            self.y -= 13.0;
        }
        self.y -= 8.0;
    }

    /// Paired bars per label (e.g. inflow and outflow per month), scaled to the largest.
    pub fn bar_chart(&mut self, title: &str, labels: &[String], series: &[Series]) {
        let chart_h = 150.0;
        self.room(chart_h + 50.0);
        self.subheading(title);
        let max = series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0f64, f64::max)
            .max(1.0);
        let base = self.y - chart_h;
        let plot_w = WIDTH - 2.0 * MARGIN;
        let group = plot_w / labels.len().max(1) as f32;
        let bar = (group * 0.8 / series.len().max(1) as f32).min(18.0);
        {
            let c = self.page();
            c.set_stroke_rgb(0.7, 0.7, 0.7);
            c.set_line_width(0.5);
            c.move_to(MARGIN, base);
            c.line_to(MARGIN + plot_w, base);
            c.stroke();
            for (si, Series { rgb, values, .. }) in series.iter().enumerate() {
                c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
                for (i, v) in values.iter().enumerate() {
                    let h = (*v / max) as f32 * (chart_h - 10.0);
                    let x = MARGIN + i as f32 * group + group * 0.1 + si as f32 * bar;
                    c.rect(x, base, bar - 1.0, h.max(0.0));
                    c.fill_nonzero();
                }
            }
        }
        let every = (labels.len() / 12).max(1);
        for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let x = MARGIN + i as f32 * group + 1.0;
            self.text_at(x, base - 10.0, label, 6.5, false, (0.35, 0.35, 0.35));
        }
        let mut lx = MARGIN;
        for Series { name, rgb, .. } in series {
            {
                let c = self.page();
                c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
                c.rect(lx, base - 24.0, 8.0, 8.0);
                c.fill_nonzero();
            }
            self.text_at(lx + 11.0, base - 23.0, name, 8.0, false, (0.2, 0.2, 0.2));
            lx += 90.0;
        }
        self.y = base - 40.0;
    }

    pub fn finish(self) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let mut next = 5;
        let mut ids = Vec::new();
        for _ in &self.pages {
            ids.push((Ref::new(next), Ref::new(next + 1)));
            next += 2;
        }
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(ids.iter().map(|(p, _)| *p))
            .count(ids.len() as i32);
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        for ((page_id, content_id), content) in ids.iter().zip(self.pages) {
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
