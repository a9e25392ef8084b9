//! Ponte's one PDF writer, shared by the Data API's reports (ponte-services)
//! and the sandbox portals' documents (ponte-sandbox), over `pdf-writer`'s
//! content streams:
//!
//! - [`fonts`]: Helvetica's own advance widths, WinAnsi text, and wrapping
//!   at those widths, so text breaks onto a new line instead of being cut;
//! - [`Sink`]: objects written out as they are made (deflated streams, the
//!   cross-reference table at the end), so memory stays bounded;
//! - [`Document`]: flowing A4 pages with a running header, "page n of N",
//!   headings, label/value facts, tables that break across pages with their
//!   header repeated, and bar charts ([`Series`]);
//! - [`Canvas`]: a US Letter surface for forms and statements laid out by
//!   hand, with a footer stamped once the page count is known.

pub mod canvas;
mod chart;
mod flow;
pub mod fonts;
mod sink;

pub use canvas::Canvas;
pub use chart::Series;
pub use flow::{Align, Chrome, Column, Document, TEXT_WIDTH};
pub use sink::{text_string, Sink};

/// A colour: red, green and blue from 0 to 1.
pub type Rgb = (f32, f32, f32);
