//! The reports' PDFs: what each report says lives in [`report`]; how it is
//! drawn (pages, fonts, tables, charts, the streaming sink) is Ponte's one
//! PDF writer, `ponte-pdf`, shared with the sandbox portals' documents.

pub mod report;

pub use ponte_pdf::{fonts, Align, Chrome, Column, Document, Series, TEXT_WIDTH};
