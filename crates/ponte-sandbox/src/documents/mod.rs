//! The documents the sandbox portals hold: monthly bank statements, IRS forms
//! 1099-INT, 1099-DIV and 1099-B, and year-end summaries, rendered as PDFs
//! that are a pure function of (portal, user, document id): the same bytes on
//! every node and after every restart.
//!
//! Document ids name what they are: `statement-2025-03`, `1099-int-2025`,
//! `1099-div-2025`, `1099-b-2025`, `year-end-summary-2025`.

mod archive;
mod form_1099b;
mod forms;
pub mod ledger;
mod statement;
mod summary;

use crate::portals::catalogue::{initials, rgb, PortalInfo, PortalKind};
pub use archive::ScannedArchive;
use ledger::Person;
// Drawn with Ponte's one PDF writer, the reports' too; the documents below
// say `super::pdf::…` for its hand-laid US Letter canvas.
use pdf::{Canvas, GREY, MARGIN, WIDTH};
use ponte_pdf::canvas as pdf;

/// What a document is, as its listing says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BankStatement {
        month: u32,
    },
    Form1099Int,
    Form1099Div,
    Form1099B,
    YearEndSummary,
    /// `user_big`'s ~50 MB scan of paper records: streamed, never rendered whole.
    ScannedArchive,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BankStatement { .. } => "bank_statement",
            Kind::Form1099Int => "1099_int",
            Kind::Form1099Div => "1099_div",
            Kind::Form1099B => "1099_b",
            Kind::YearEndSummary => "year_end_summary",
            Kind::ScannedArchive => "scanned_archive",
        }
    }
}

/// One document of a user at a portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentRef {
    pub kind: Kind,
    pub year: i64,
}

impl DocumentRef {
    pub fn id(&self) -> String {
        match self.kind {
            Kind::BankStatement { month } => format!("statement-{}-{month:02}", self.year),
            Kind::Form1099Int => format!("1099-int-{}", self.year),
            Kind::Form1099Div => format!("1099-div-{}", self.year),
            Kind::Form1099B => format!("1099-b-{}", self.year),
            Kind::YearEndSummary => format!("year-end-summary-{}", self.year),
            Kind::ScannedArchive => format!("scanned-archive-{}", self.year),
        }
    }

    /// `2025-03` for a statement, `2025` for the yearly documents.
    pub fn period(&self) -> String {
        match self.kind {
            Kind::BankStatement { month } => format!("{}-{month:02}", self.year),
            _ => self.year.to_string(),
        }
    }

    /// The name a person would save it under.
    pub fn file_name(&self) -> String {
        match self.kind {
            Kind::BankStatement { month } => format!("statement_{}-{month:02}.pdf", self.year),
            Kind::Form1099Int => format!("1099_INT_{}.pdf", self.year),
            Kind::Form1099Div => format!("1099_DIV_{}.pdf", self.year),
            Kind::Form1099B => format!("1099_B_{}.pdf", self.year),
            Kind::YearEndSummary => format!("year_end_summary_{}.pdf", self.year),
            Kind::ScannedArchive => format!("scanned_archive_{}.pdf", self.year),
        }
    }

    pub fn title(&self) -> String {
        match self.kind {
            Kind::BankStatement { month } => {
                format!("Statement, {} {}", ledger::month_name(month), self.year)
            }
            Kind::Form1099Int => format!("Form 1099-INT, tax year {}", self.year),
            Kind::Form1099Div => format!("Form 1099-DIV, tax year {}", self.year),
            Kind::Form1099B => format!("Form 1099-B, tax year {}", self.year),
            Kind::YearEndSummary => format!("Year-end summary {}", self.year),
            Kind::ScannedArchive => format!("Scanned records archive {}", self.year),
        }
    }

    /// Parses an id made by [`DocumentRef::id`].
    pub fn parse(id: &str) -> Option<DocumentRef> {
        let year = |s: &str| {
            (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
        };
        let (kind, y) = if let Some(rest) = id.strip_prefix("statement-") {
            let (y, m) = rest.split_once('-')?;
            if m.len() != 2 {
                return None;
            }
            let month: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            (Kind::BankStatement { month }, y)
        } else if let Some(y) = id.strip_prefix("1099-int-") {
            (Kind::Form1099Int, y)
        } else if let Some(y) = id.strip_prefix("1099-div-") {
            (Kind::Form1099Div, y)
        } else if let Some(y) = id.strip_prefix("1099-b-") {
            (Kind::Form1099B, y)
        } else if let Some(y) = id.strip_prefix("year-end-summary-") {
            (Kind::YearEndSummary, y)
        } else if let Some(y) = id.strip_prefix("scanned-archive-") {
            (Kind::ScannedArchive, y)
        } else {
            return None;
        };
        Some(DocumentRef {
            kind,
            year: year(y)?,
        })
    }
}

/// Every document a portal holds for `username` in the given tax years,
/// oldest first; `user_big`'s bank also holds a scanned archive, last.
#[cfg(test)]
pub fn held(portal: &PortalInfo, username: &str, years: &[i64]) -> Vec<DocumentRef> {
    let mut out = catalogue(portal, years);
    out.extend(archive::held_by(portal, username, years));
    out
}

/// The tax years a user's documents cover at `now_ms`: the last two complete
/// years (five for `user_big`).
pub fn tax_years(username: &str, now_ms: i64) -> Vec<i64> {
    let (this_year, _, _) = crate::data::generator::civil(now_ms.div_euclid(86_400_000));
    let n = if username == "user_big" { 5 } else { 2 };
    (1..=n).rev().map(|k| this_year - k).collect()
}

/// Everything a portal lists for `username` at `now_ms` (the session's
/// clock), oldest first: the complete tax years' documents, then, at a bank,
/// the current year's statement of every month that has ended (a new one
/// appears as each month closes), then `user_big`'s scanned archive.
pub fn held_at(portal: &PortalInfo, username: &str, now_ms: i64) -> Vec<DocumentRef> {
    let years = tax_years(username, now_ms);
    let mut out = catalogue(portal, &years);
    if portal.kind == PortalKind::Bank {
        let (year, month, _) = crate::data::generator::civil(now_ms.div_euclid(86_400_000));
        out.extend((1..month).map(|month| DocumentRef {
            kind: Kind::BankStatement { month },
            year,
        }));
    }
    out.extend(archive::held_by(portal, username, &years));
    out
}

/// Every document a portal issues for the given tax years, oldest first.
pub fn catalogue(portal: &PortalInfo, years: &[i64]) -> Vec<DocumentRef> {
    let mut out = Vec::new();
    for &year in years {
        let kinds: Vec<Kind> = match portal.kind {
            PortalKind::Bank => (1..=12)
                .map(|month| Kind::BankStatement { month })
                .chain([Kind::Form1099Int, Kind::YearEndSummary])
                .collect(),
            PortalKind::Brokerage => vec![Kind::Form1099Div, Kind::Form1099B, Kind::YearEndSummary],
            PortalKind::Crypto => vec![Kind::Form1099B, Kind::YearEndSummary],
        };
        out.extend(kinds.into_iter().map(|kind| DocumentRef { kind, year }));
    }
    out
}

/// The PDF of `doc`, for `username` at `portal`. `None` when the portal does
/// not issue that kind of document, and for the scanned archive, which is
/// only ever streamed ([`ScannedArchive`]).
pub fn render(portal: &PortalInfo, username: &str, doc: DocumentRef) -> Option<Vec<u8>> {
    let person = ledger::person(username);
    let account = ledger::account_last4(portal.code, username);
    let ctx = Ctx {
        portal,
        person: &person,
        account: &account,
        year: doc.year,
    };
    let bytes = match (portal.kind, doc.kind) {
        (PortalKind::Bank, Kind::BankStatement { month }) => {
            let year = ledger::bank_year(portal.code, username, doc.year);
            let ytd: Vec<_> = year.iter().take(month as usize).collect();
            let statement = ytd.last()?;
            let interest_ytd = ytd.iter().map(|s| s.interest()).sum();
            statement::render(&ctx, statement, interest_ytd)
        }
        (PortalKind::Bank, Kind::Form1099Int) => {
            let year = ledger::bank_year(portal.code, username, doc.year);
            forms::form_1099_int(&ctx, year.iter().map(|s| s.interest()).sum())
        }
        (PortalKind::Bank, Kind::YearEndSummary) => {
            summary::bank(&ctx, &ledger::bank_year(portal.code, username, doc.year))
        }
        (PortalKind::Brokerage, Kind::Form1099Div) => {
            let b = ledger::brokerage_year(portal.code, username, doc.year);
            forms::form_1099_div(&ctx, &ledger::dividend_totals(&b.dividends))
        }
        (PortalKind::Brokerage, Kind::Form1099B) => {
            let b = ledger::brokerage_year(portal.code, username, doc.year);
            form_1099b::render(&ctx, &b.sales, "Stocks, bonds, ETFs")
        }
        (PortalKind::Brokerage, Kind::YearEndSummary) => summary::brokerage(
            &ctx,
            &ledger::brokerage_year(portal.code, username, doc.year),
        ),
        (PortalKind::Crypto, Kind::Form1099B) => {
            let sales = ledger::crypto_year(portal.code, username, doc.year);
            form_1099b::render(&ctx, &sales, "Digital assets")
        }
        (PortalKind::Crypto, Kind::YearEndSummary) => {
            summary::crypto(&ctx, &ledger::crypto_year(portal.code, username, doc.year))
        }
        _ => return None,
    };
    Some(bytes)
}

/// Who issues a document to whom.
pub(crate) struct Ctx<'a> {
    pub portal: &'a PortalInfo,
    pub person: &'a Person,
    pub account: &'a str,
    pub year: i64,
}

impl Ctx<'_> {
    pub fn masked_tin(&self) -> String {
        format!("***-**-{}", self.person.tin_last4)
    }

    pub fn masked_account(&self) -> String {
        format!("XXXXXX{}", self.account)
    }

    /// The footer every page of this portal's documents carries.
    pub fn footer(&self, doc: &str) -> impl Fn(usize, usize) -> String {
        let line = format!(
            "{} · {} · {}   ·   Synthetic sandbox document, not issued by a real institution",
            self.portal.legal_name, self.portal.website, doc
        );
        move |page, pages| format!("Page {page} of {pages}   ·   {line}")
    }

    /// Logo, name and address at the top left of a first page; returns the y
    /// below it.
    pub fn letterhead(&self, c: &mut Canvas) -> f32 {
        let top = pdf::HEIGHT - 40.0;
        let brand = rgb(self.portal.brand_color);
        c.fill(MARGIN, top - 30.0, 30.0, 30.0, brand);
        c.center(
            MARGIN + 15.0,
            top - 19.0,
            &initials(self.portal.name),
            12.0,
            true,
            (1.0, 1.0, 1.0),
        );
        c.text(
            MARGIN + 40.0,
            top - 13.0,
            self.portal.name,
            15.0,
            true,
            brand,
        );
        let contact = format!(
            "{}, {} · {} · {}",
            self.portal.address, self.portal.city, self.portal.phone, self.portal.website
        );
        c.text(MARGIN + 40.0, top - 26.0, &contact, 7.0, false, GREY);
        top - 44.0
    }

    /// The recipient's mailing block at `y` (top line).
    pub fn address_block(&self, c: &mut Canvas, x: f32, y: f32) {
        c.b(x, y, &self.person.name, 9.5);
        c.t(x, y - 12.0, &self.person.street, 9.0);
        c.t(x, y - 24.0, &self.person.city, 9.0);
    }

    /// A full-width band in the portal's colour with a white title.
    pub fn band(&self, c: &mut Canvas, y: f32, title: &str) {
        let brand = rgb(self.portal.brand_color);
        c.fill(MARGIN, y - 4.0, WIDTH - 2.0 * MARGIN, 16.0, brand);
        c.text(MARGIN + 6.0, y + 0.5, title, 9.0, true, (1.0, 1.0, 1.0));
    }
}
