//! Year-end summaries: the year on one page, its totals the very figures of
//! the year's statements and 1099s.

use rust_decimal::Decimal;

use super::ledger::{
    amount, dividend_totals, dollars, month_name, totals, us_date, Brokerage, Sale, Statement, APY,
};
use super::pdf::{Canvas, BLACK, GREY, HEIGHT, LIGHT, MARGIN, WIDTH};
use super::Ctx;

const RIGHT: f32 = WIDTH - MARGIN;

fn heading(c: &mut Canvas, ctx: &Ctx, title: &str) -> f32 {
    let y = ctx.letterhead(c);
    c.right(RIGHT, HEIGHT - 52.0, title, 11.0, true);
    c.right(
        RIGHT,
        HEIGHT - 65.0,
        &format!("January 1 - December 31, {}", ctx.year),
        8.5,
        false,
    );
    c.right(
        RIGHT,
        HEIGHT - 77.0,
        &format!("Account Number: {}", ctx.masked_account()),
        8.5,
        false,
    );
    ctx.address_block(c, MARGIN + 40.0, y - 14.0);
    y - 74.0
}

/// Label/value lines, values right-aligned at `right`.
fn facts(c: &mut Canvas, mut y: f32, right: f32, rows: &[(&str, String, bool)]) -> f32 {
    for (label, value, bold) in rows {
        c.text(MARGIN + 6.0, y, label, 9.0, *bold, BLACK);
        c.right(right, y, value, 9.0, *bold);
        y -= 13.0;
    }
    y
}

/// A table with a shaded header; the first column left-aligned, the others right.
fn table(
    c: &mut Canvas,
    mut y: f32,
    widths: &[f32],
    head: &[&str],
    rows: &[Vec<String>],
    bold_last: bool,
) -> f32 {
    c.fill(MARGIN, y - 4.0, RIGHT - MARGIN, 14.0, LIGHT);
    let cell = |c: &mut Canvas, y: f32, i: usize, x: f32, v: &str, bold: bool| {
        if i == 0 {
            c.text(x + 6.0, y, v, 8.0, bold, BLACK);
        } else {
            c.right(x + widths[i] - 6.0, y, v, 8.0, bold);
        }
    };
    let mut x = MARGIN;
    for (i, h) in head.iter().enumerate() {
        cell(c, y, i, x, h, true);
        x += widths[i];
    }
    y -= 15.0;
    for (r, row) in rows.iter().enumerate() {
        let bold = bold_last && r + 1 == rows.len();
        if bold {
            c.line(MARGIN, y + 10.0, RIGHT, y + 10.0, 0.6, GREY);
        }
        let mut x = MARGIN;
        for (i, v) in row.iter().enumerate() {
            cell(c, y, i, x, v, bold);
            x += widths[i];
        }
        y -= 12.5;
    }
    y
}

pub fn bank(ctx: &Ctx, months: &[Statement]) -> Vec<u8> {
    let mut c = Canvas::new(&format!(
        "{} Year-End Summary {}",
        ctx.portal.name, ctx.year
    ));
    let mut y = heading(
        &mut c,
        ctx,
        &format!("{} Year-End Account Summary", ctx.year),
    );
    let opening = months.first().map_or(Decimal::ZERO, |s| s.opening);
    let closing = months.last().map_or(Decimal::ZERO, |s| s.closing);
    let credits: Decimal = months.iter().map(|s| s.credits().1).sum();
    let debits: Decimal = months.iter().map(|s| s.debits().1).sum();
    let interest: Decimal = months.iter().map(|s| s.interest()).sum();

    ctx.band(&mut c, y, "INTEREST CHECKING - ANNUAL SUMMARY");
    y -= 18.0;
    y = facts(
        &mut c,
        y,
        MARGIN + 300.0,
        &[
            (
                &format!("Balance on January 1, {}", ctx.year),
                dollars(opening),
                true,
            ),
            ("Total deposits and additions", amount(credits), false),
            ("Total withdrawals and debits", amount(-debits), false),
            (
                &format!("Balance on December 31, {}", ctx.year),
                dollars(closing),
                true,
            ),
            (
                &format!(
                    "Interest paid in {} (reported on Form 1099-INT, box 1)",
                    ctx.year
                ),
                dollars(interest),
                true,
            ),
            ("Annual Percentage Yield", format!("{APY}%"), false),
        ],
    );
    y -= 12.0;
    ctx.band(&mut c, y, "MONTH BY MONTH");
    y -= 18.0;
    let mut rows: Vec<Vec<String>> = months
        .iter()
        .map(|s| {
            vec![
                month_name(s.month).to_string(),
                amount(s.opening),
                amount(s.credits().1),
                amount(-s.debits().1),
                amount(s.interest()),
                amount(s.closing),
            ]
        })
        .collect();
    rows.push(vec![
        "Year total".into(),
        amount(opening),
        amount(credits),
        amount(-debits),
        amount(interest),
        amount(closing),
    ]);
    table(
        &mut c,
        y,
        &[112.0, 84.0, 84.0, 84.0, 84.0, 84.0],
        &[
            "Month", "Opening", "Credits", "Debits", "Interest", "Closing",
        ],
        &rows,
        true,
    );
    c.finish(ctx.footer(&format!("Year-end summary {}", ctx.year)))
}

pub fn brokerage(ctx: &Ctx, b: &Brokerage) -> Vec<u8> {
    let mut c = Canvas::new(&format!(
        "{} Year-End Investment Report {}",
        ctx.portal.name, ctx.year
    ));
    let mut y = heading(
        &mut c,
        ctx,
        &format!("{} Year-End Investment Report", ctx.year),
    );
    let d = dividend_totals(&b.dividends);
    ctx.band(&mut c, y, "INCOME SUMMARY (FORM 1099-DIV)");
    y -= 18.0;
    y = facts(
        &mut c,
        y,
        MARGIN + 330.0,
        &[
            (
                "Total ordinary dividends (box 1a)",
                dollars(d.ordinary),
                true,
            ),
            ("Qualified dividends (box 1b)", dollars(d.qualified), false),
            (
                "Total capital gain distributions (box 2a)",
                dollars(d.capital_gain),
                false,
            ),
            ("Foreign tax paid (box 7)", dollars(d.foreign_tax), false),
        ],
    );
    y -= 10.0;
    y = gains(&mut c, ctx, y, &b.sales);
    y -= 10.0;
    ctx.band(&mut c, y, "DIVIDENDS AND DISTRIBUTIONS RECEIVED");
    y -= 18.0;
    let rows: Vec<Vec<String>> = b
        .dividends
        .iter()
        .map(|v| {
            vec![
                format!("{}  {}", us_date(v.day), v.security.name),
                amount(v.ordinary),
                amount(v.qualified),
                amount(v.capital_gain),
                amount(v.foreign_tax),
            ]
        })
        .collect();
    let widths = [212.0, 80.0, 80.0, 80.0, 80.0];
    let head = [
        "Date / security",
        "Ordinary",
        "Qualified",
        "Cap. gain distr.",
        "Foreign tax",
    ];
    let mut rest: &[Vec<String>] = &rows;
    while !rest.is_empty() {
        let fit = (((y - 60.0) / 12.5).floor().max(1.0) as usize).min(rest.len());
        y = table(&mut c, y, &widths, &head, &rest[..fit], false);
        rest = &rest[fit..];
        if !rest.is_empty() {
            c.new_page();
            y = HEIGHT - 50.0;
        }
    }
    c.finish(ctx.footer(&format!("Year-end report {}", ctx.year)))
}

/// Realized gains by term, the 1099-B's totals.
fn gains(c: &mut Canvas, ctx: &Ctx, y: f32, sales: &[Sale]) -> f32 {
    ctx.band(c, y, "REALIZED GAINS AND LOSSES (FORM 1099-B)");
    let short = totals(sales.iter().filter(|s| !s.long_term));
    let long = totals(sales.iter().filter(|s| s.long_term));
    let all = totals(sales);
    let rows: Vec<Vec<String>> = [("Short-term", short), ("Long-term", long), ("Total", all)]
        .iter()
        .map(|(label, t)| {
            vec![
                label.to_string(),
                amount(t.proceeds),
                amount(t.cost),
                amount(t.wash_sale),
                amount(t.gain),
            ]
        })
        .collect();
    table(
        c,
        y - 18.0,
        &[132.0, 100.0, 100.0, 100.0, 100.0],
        &[
            "Term",
            "Proceeds",
            "Cost basis",
            "Wash sale disallowed",
            "Gain or (loss)",
        ],
        &rows,
        true,
    )
}

pub fn crypto(ctx: &Ctx, sales: &[Sale]) -> Vec<u8> {
    let mut c = Canvas::new(&format!(
        "{} Gain/Loss Summary {}",
        ctx.portal.name, ctx.year
    ));
    let mut y = heading(
        &mut c,
        ctx,
        &format!("{} Annual Gain/Loss Summary", ctx.year),
    );
    y = gains(&mut c, ctx, y, sales);
    y -= 12.0;
    ctx.band(&mut c, y, "DISPOSALS OF DIGITAL ASSETS");
    y -= 18.0;
    let rows: Vec<Vec<String>> = sales
        .iter()
        .map(|s| {
            vec![
                s.description.clone(),
                us_date(s.acquired),
                us_date(s.sold),
                amount(s.proceeds),
                amount(s.cost),
                amount(s.gain()),
            ]
        })
        .collect();
    table(
        &mut c,
        y,
        &[172.0, 68.0, 68.0, 72.0, 72.0, 80.0],
        &[
            "Asset",
            "Acquired",
            "Sold",
            "Proceeds",
            "Cost basis",
            "Gain or (loss)",
        ],
        &rows,
        false,
    );
    c.text(MARGIN, 80.0, "Cost basis uses first-in, first-out lots. Amounts in U.S. dollars at the time of each transaction.", 7.0, false, GREY);
    c.finish(ctx.footer(&format!("Gain/loss summary {}", ctx.year)))
}
