//! A report as a document a lender can file: in the reader's language, the
//! institution and the holder named, what it is built from, the figures
//! that matter first and then every record, per product.

mod accounts;
mod cards;
pub mod i18n;
mod insights;
pub mod labels;
mod products;
pub(crate) mod walk;

use super::{Chrome, Document};
use crate::services::reports::ReportDoc;
use i18n::{format_cnpj, mask_tax_id};
pub use i18n::{Locale, Words};
use ponte_core::event::ReportOutcome;
use ponte_core::Product;
use serde_json::Value;
use std::io::{self, Read, Write};

/// The institution as the directory describes it.
#[derive(Debug, Clone, Default)]
pub struct InstitutionInfo {
    pub code: String,
    pub name: String,
    pub cnpj: Option<String>,
    pub compe_code: Option<String>,
}

/// Whose data it is, as far as Ponte knows.
#[derive(Debug, Clone, Default)]
pub struct Holder {
    pub name: Option<String>,
    pub tax_id: Option<String>,
}

/// What a report PDF says besides the report itself.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub locale: Locale,
    pub institution: InstitutionInfo,
    pub holder: Holder,
    /// The consent's granted Open Finance permissions.
    pub permissions: Vec<String>,
}

impl Context {
    fn holder_line(&self) -> String {
        let t = self.locale.text();
        let name = self.holder.name.as_deref().unwrap_or(t.unknown);
        match self.holder.tax_id.as_deref() {
            Some(id) => format!("{name} ({})", mask_tax_id(id)),
            None => name.to_string(),
        }
    }
}

/// Text of a JSON string; `—` for anything else.
pub(super) fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// `{"amount": "12.30", "currency": "BRL"}` as money.
pub(super) fn money(locale: Locale, v: &Value) -> String {
    v["amount"]
        .as_str()
        .map(|a| locale.money_text(a))
        .unwrap_or_else(|| "—".into())
}

pub(super) fn date(locale: Locale, v: &Value) -> String {
    v.as_str()
        .map(|d| locale.date(d))
        .unwrap_or_else(|| "—".into())
}

pub(super) fn label(locale: Locale, v: &Value) -> String {
    v.as_str()
        .map(|c| labels::label(locale, c).into_owned())
        .unwrap_or_else(|| "—".into())
}

/// A report's data as JSON text, read from its start each time `read` is
/// called: the statement reads it twice rather than hold it whole.
pub trait DataText {
    fn read(&mut self) -> io::Result<Box<dyn Read + '_>>;

    /// The whole text, for the products that are small.
    fn whole(&mut self) -> io::Result<String> {
        let mut text = String::new();
        self.read()?.read_to_string(&mut text)?;
        Ok(text)
    }
}

/// A text already in memory.
impl DataText for String {
    fn read(&mut self) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(self.as_bytes()))
    }
}

/// Writes the PDF of `doc`, whose data `text` reads, to `out` (a page at a
/// time) and gives `out` back. `doc.data` is not read.
pub fn render<W: Write>(
    out: W,
    doc: &ReportDoc,
    ctx: &Context,
    text: &mut dyn DataText,
) -> io::Result<W> {
    let locale = ctx.locale;
    let t = locale.text();
    let product = Product::parse(&doc.product);
    let title = product.map_or(t.unknown_product, |p| t.title(p));
    let chrome = Chrome {
        title: format!("{title} — {}", ctx.institution.name),
        running: format!(
            "{}: {}   ·   {}: {}",
            t.holder,
            ctx.holder_line(),
            t.institution,
            ctx.institution.name
        ),
        footer: format!(
            "{} {} · {} {} · {} {}",
            t.report,
            doc.report_id,
            t.consent,
            doc.consent_id,
            t.generated,
            locale.date_time(doc.generated_at_ms)
        ),
        page_word: t.page,
        of_word: t.of,
    };
    let mut d = Document::new(out, chrome)?;
    d.heading(title);
    built_from(&mut d, doc, ctx);
    if doc.status == ReportOutcome::Failed {
        let reason = doc.reason.as_deref().unwrap_or(t.unknown);
        d.paragraph(&format!("{}: {reason}", t.failed));
        return d.finish();
    }
    match product {
        Some(product) => layout(&mut d, ctx, product, text)?,
        None => d.paragraph(t.no_layout),
    }
    d.finish()
}

/// Each product's pages: the one place a product's layout is chosen.
fn layout<W: Write>(
    d: &mut Document<W>,
    ctx: &Context,
    product: Product,
    text: &mut dyn DataText,
) -> io::Result<()> {
    // The products other than the statements are small: read as values.
    let small = |text: &mut dyn DataText| -> io::Result<Value> {
        Ok(serde_json::from_str(&text.whole()?).unwrap_or(Value::Null))
    };
    match product {
        Product::Accounts => accounts::accounts(d, ctx, text)?,
        Product::CreditCards => cards::credit_cards(d, ctx, &text.whole()?),
        Product::Registration => products::registration(d, ctx, &small(text)?),
        Product::Loans => products::loans(d, ctx, &small(text)?),
        Product::Investments => products::investments(d, ctx, &small(text)?),
        Product::Insights => insights::insights(d, ctx, &small(text)?),
    }
    Ok(())
}

/// Which consent, institution, holder, time and permissions the report
/// comes from: what a lender files it with.
fn built_from<W: Write>(d: &mut Document<W>, doc: &ReportDoc, ctx: &Context) {
    let locale = ctx.locale;
    let t = locale.text();
    let inst = &ctx.institution;
    d.subheading(t.built_from);
    d.facts(&[
        (t.institution, inst.name.clone()),
        (
            t.institution_cnpj,
            inst.cnpj
                .as_deref()
                .map(format_cnpj)
                .unwrap_or_else(|| t.unknown.into()),
        ),
        (
            t.compe,
            inst.compe_code.clone().unwrap_or_else(|| t.unknown.into()),
        ),
        (
            t.holder,
            ctx.holder.name.clone().unwrap_or_else(|| t.unknown.into()),
        ),
        (
            t.holder_document,
            ctx.holder
                .tax_id
                .as_deref()
                .map(mask_tax_id)
                .unwrap_or_else(|| t.unknown.into()),
        ),
        (t.generated_at, locale.date_time(doc.generated_at_ms)),
        (t.consent_id, doc.consent_id.clone()),
        (t.request_id, doc.request_id.clone()),
        (t.report_id, doc.report_id.clone()),
        (
            t.status,
            if doc.status == ReportOutcome::Success {
                t.status_success
            } else {
                t.status_failed
            }
            .to_string(),
        ),
        (t.version, doc.version.to_string()),
    ]);
    if !ctx.permissions.is_empty() {
        d.paragraph(&format!(
            "{}: {}",
            t.permissions,
            ctx.permissions.join(", ")
        ));
    }
    d.paragraph(t.built_from_note);
}
#[cfg(test)]
mod accounts_tests;
