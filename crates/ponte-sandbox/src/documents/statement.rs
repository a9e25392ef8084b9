//! A monthly checking statement, laid out like a US retail bank's: summary
//! box, then every transaction with a running balance, beginning balance
//! first and ending balance last, so each line can be checked by hand.

use rust_decimal::Decimal;

use super::ledger::{amount, days_in_month, dollars, month_name, Statement, APY};
use super::pdf::{Canvas, GREY, LIGHT, MARGIN, WIDTH};
use super::Ctx;
use crate::data::generator::civil;

const RIGHT: f32 = WIDTH - MARGIN;
const ROW: f32 = 13.0;
const COL_AMOUNT: f32 = RIGHT - 90.0;

pub fn render(ctx: &Ctx, s: &Statement, interest_ytd: Decimal) -> Vec<u8> {
    let title = format!("Statement {} {}", month_name(s.month), s.year);
    let mut c = Canvas::new(&format!("{} - {title}", ctx.portal.name));
    let mut y = ctx.letterhead(&mut c);

    // Period and account at the top right, as on a printed statement.
    let period = format!(
        "{} 1, {} through {} {}, {}",
        month_name(s.month),
        s.year,
        month_name(s.month),
        days_in_month(s.year, s.month),
        s.year
    );
    c.right(RIGHT, pdf_top() - 12.0, &period, 9.0, true);
    c.right(
        RIGHT,
        pdf_top() - 24.0,
        &format!("Account Number: {}", ctx.masked_account()),
        8.5,
        false,
    );
    c.right(
        RIGHT,
        pdf_top() - 36.0,
        &format!("Customer Service: {}", ctx.portal.phone),
        8.0,
        false,
    );

    y -= 14.0;
    ctx.address_block(&mut c, MARGIN + 40.0, y);
    y -= 60.0;

    ctx.band(
        &mut c,
        y,
        &format!(
            "{} INTEREST CHECKING SUMMARY",
            ctx.portal.name.to_uppercase()
        ),
    );
    y -= 20.0;
    let (n_credits, credits) = s.credits();
    let (n_debits, debits) = s.debits();
    let summary: [(&str, String, String); 4] = [
        ("Beginning Balance", String::new(), dollars(s.opening)),
        (
            "Deposits and Additions",
            n_credits.to_string(),
            amount(credits),
        ),
        (
            "Withdrawals and Debits",
            n_debits.to_string(),
            amount(-debits),
        ),
        (
            "Ending Balance",
            (n_credits + n_debits).to_string(),
            dollars(s.closing),
        ),
    ];
    c.text(MARGIN + 150.0, y, "INSTANCES", 7.0, true, GREY);
    c.text(MARGIN + 215.0, y, "AMOUNT", 7.0, true, GREY);
    y -= 13.0;
    for (i, (label, count, value)) in summary.iter().enumerate() {
        let bold = i == 0 || i == 3;
        c.text(MARGIN + 6.0, y, label, 9.0, bold, super::pdf::BLACK);
        c.right(MARGIN + 180.0, y, count, 9.0, false);
        c.right(MARGIN + 260.0, y, value, 9.0, bold);
        y -= ROW;
    }
    let side_x = MARGIN + 320.0;
    let mut sy = y + 4.0 * ROW;
    for (label, value) in [
        ("Annual Percentage Yield Earned", format!("{APY}%")),
        ("Interest Paid This Period", dollars(s.interest())),
        ("Interest Paid Year-to-Date", dollars(interest_ytd)),
    ] {
        c.t(side_x, sy, label, 8.5);
        c.right(RIGHT - 6.0, sy, &value, 8.5, false);
        sy -= ROW;
    }
    y -= 14.0;

    let header = |c: &mut Canvas, y: f32, continued: bool| {
        ctx.band(
            c,
            y,
            if continued {
                "TRANSACTION DETAIL (continued)"
            } else {
                "TRANSACTION DETAIL"
            },
        );
        let y = y - 16.0;
        c.fill(MARGIN, y - 4.0, WIDTH - 2.0 * MARGIN, 14.0, LIGHT);
        c.b(MARGIN + 6.0, y, "DATE", 7.5);
        c.b(MARGIN + 50.0, y, "DESCRIPTION", 7.5);
        c.right(COL_AMOUNT, y, "AMOUNT", 7.5, true);
        c.right(RIGHT - 6.0, y, "BALANCE", 7.5, true);
        y - 16.0
    };
    y = header(&mut c, y, false);
    c.b(MARGIN + 50.0, y, "Beginning Balance", 8.5);
    c.right(RIGHT - 6.0, y, &dollars(s.opening), 8.5, true);
    y -= ROW;
    for (i, line) in s.lines.iter().enumerate() {
        if y < 60.0 {
            c.new_page();
            y = header(&mut c, super::pdf::HEIGHT - 50.0, true);
        }
        if i % 2 == 1 {
            c.fill(
                MARGIN,
                y - 3.5,
                WIDTH - 2.0 * MARGIN,
                ROW,
                (0.975, 0.975, 0.975),
            );
        }
        let (_, m, d) = civil(line.day);
        c.t(MARGIN + 6.0, y, &format!("{m:02}/{d:02}"), 8.5);
        c.t(MARGIN + 50.0, y, &line.description, 8.5);
        c.right(COL_AMOUNT, y, &amount(line.amount), 8.5, false);
        c.right(RIGHT - 6.0, y, &amount(line.balance), 8.5, false);
        y -= ROW;
    }
    c.line(MARGIN, y + ROW - 3.5, RIGHT, y + ROW - 3.5, 0.6, GREY);
    c.b(MARGIN + 50.0, y - 2.0, "Ending Balance", 8.5);
    c.right(RIGHT - 6.0, y - 2.0, &dollars(s.closing), 8.5, true);
    y -= 30.0;
    if y > 90.0 {
        c.text(
            MARGIN,
            y,
            "In case of errors or questions about your electronic transfers, call us or write to the address above",
            7.0,
            false,
            GREY,
        );
        c.text(
            MARGIN,
            y - 9.0,
            "as soon as you can. We must hear from you no later than 60 days after we sent the first statement on which the problem appeared.",
            7.0,
            false,
            GREY,
        );
    }
    c.finish(ctx.footer(&format!("Account {}", ctx.masked_account())))
}

fn pdf_top() -> f32 {
    super::pdf::HEIGHT - 40.0
}
