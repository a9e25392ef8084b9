//! IRS information returns laid out like Copy B of the official forms: the
//! payer and recipient blocks on the left (recipient's TIN masked), the
//! numbered boxes in the middle, the form's name and the Copy B notice on the
//! right, the tax year in the OMB box. Only the boxes' values vary.

use rust_decimal::Decimal;

use super::ledger::{amount, DividendTotals};
use super::pdf::{text_width, Canvas, BLACK, GREY, HEIGHT, MARGIN, WIDTH};
use super::Ctx;

/// One numbered box: number, label lines, value.
pub struct Cell {
    pub num: &'static str,
    pub label: &'static str,
    pub value: Value,
}

pub enum Value {
    Money(Decimal),
    Text(String),
    Checkbox(bool),
}

fn money(num: &'static str, label: &'static str, d: Decimal) -> Cell {
    Cell {
        num,
        label,
        value: Value::Money(d),
    }
}

fn text(num: &'static str, label: &'static str, t: &str) -> Cell {
    Cell {
        num,
        label,
        value: Value::Text(t.to_string()),
    }
}

pub struct FormSpec {
    /// "1099-INT"
    pub form: &'static str,
    pub omb: &'static str,
    pub revision: &'static str,
    pub title: &'static [&'static str],
    /// Stacked in the top of the middle-left column, beside the OMB box.
    pub top: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub url: &'static str,
}

const ZERO: Decimal = Decimal::ZERO;

pub fn form_1099_int(ctx: &Ctx, interest: Decimal) -> Vec<u8> {
    let spec = FormSpec {
        form: "1099-INT",
        omb: "1545-0112",
        revision: "(Rev. January 2024)",
        title: &["Interest", "Income"],
        top: vec![
            text("", "Payer's RTN (optional)", ""),
            money("1", "Interest income", interest),
            money("2", "Early withdrawal penalty", ZERO),
        ],
        rows: vec![
            vec![money(
                "3",
                "Interest on U.S. Savings Bonds and Treasury obligations",
                ZERO,
            )],
            vec![
                money("4", "Federal income tax withheld", ZERO),
                money("5", "Investment expenses", ZERO),
            ],
            vec![
                money("6", "Foreign tax paid", ZERO),
                text("7", "Foreign country or U.S. possession", ""),
            ],
            vec![
                money("8", "Tax-exempt interest", ZERO),
                money("9", "Specified private activity bond interest", ZERO),
            ],
            vec![
                money("10", "Market discount", ZERO),
                money("11", "Bond premium", ZERO),
            ],
            vec![
                money("12", "Bond premium on Treasury obligations", ZERO),
                money("13", "Bond premium on tax-exempt bond", ZERO),
            ],
            vec![text("14", "Tax-exempt and tax credit bond CUSIP no.", "")],
            vec![
                text("15", "State", ""),
                text("16", "State identification no.", ""),
                money("17", "State tax withheld", ZERO),
            ],
        ],
        url: "www.irs.gov/Form1099INT",
    };
    render(ctx, &spec)
}

pub fn form_1099_div(ctx: &Ctx, t: &DividendTotals) -> Vec<u8> {
    let foreign = if t.foreign_tax > ZERO { "VARIOUS" } else { "" };
    let spec = FormSpec {
        form: "1099-DIV",
        omb: "1545-0110",
        revision: "(Rev. January 2024)",
        title: &["Dividends and", "Distributions"],
        top: vec![
            money("1a", "Total ordinary dividends", t.ordinary),
            money("1b", "Qualified dividends", t.qualified),
        ],
        rows: vec![
            vec![
                money("2a", "Total capital gain distr.", t.capital_gain),
                money("2b", "Unrecap. Sec. 1250 gain", ZERO),
            ],
            vec![
                money("2c", "Section 1202 gain", ZERO),
                money("2d", "Collectibles (28%) gain", ZERO),
            ],
            vec![
                money("2e", "Section 897 ordinary dividends", ZERO),
                money("2f", "Section 897 capital gain", ZERO),
            ],
            vec![
                money("3", "Nondividend distributions", ZERO),
                money("4", "Federal income tax withheld", ZERO),
            ],
            vec![
                money("5", "Section 199A dividends", ZERO),
                money("6", "Investment expenses", ZERO),
            ],
            vec![
                money("7", "Foreign tax paid", t.foreign_tax),
                text("8", "Foreign country or U.S. possession", foreign),
            ],
            vec![
                money("9", "Cash liquidation distributions", ZERO),
                money("10", "Noncash liquidation distributions", ZERO),
            ],
            vec![
                Cell {
                    num: "11",
                    label: "FATCA filing requirement",
                    value: Value::Checkbox(false),
                },
                money("12", "Exempt-interest dividends", ZERO),
            ],
            vec![money(
                "13",
                "Specified private activity bond interest dividends",
                ZERO,
            )],
            vec![
                text("14", "State", ""),
                text("15", "State identification no.", ""),
                money("16", "State tax withheld", ZERO),
            ],
        ],
        url: "www.irs.gov/Form1099DIV",
    };
    render(ctx, &spec)
}

const LEFT_W: f32 = 236.0;
const RIGHT_W: f32 = 86.0;
const TOP_H: f32 = 96.0;
const ROW_H: f32 = 29.0;

/// Splits `s` into lines no wider than `width` at `size`.
pub fn wrap(s: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, size, false) > width && !cur.is_empty() {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A box with its number and label at the top and its value at the bottom.
fn cell(c: &mut Canvas, x: f32, y: f32, w: f32, h: f32, cell: &Cell) {
    c.frame(x, y, w, h, 0.5);
    let mut lx = x + 3.0;
    if !cell.num.is_empty() {
        c.b(lx, y + h - 8.0, cell.num, 6.5);
        lx += text_width(cell.num, 6.5, true) + 3.0;
    }
    for (i, line) in wrap(cell.label, x + w - lx - 3.0, 6.0)
        .iter()
        .take(2)
        .enumerate()
    {
        c.t(lx, y + h - 8.0 - 7.0 * i as f32, line, 6.0);
    }
    match &cell.value {
        Value::Money(d) => {
            c.t(x + 3.0, y + 4.0, "$", 9.0);
            c.b(x + 12.0, y + 4.0, &amount(*d), 9.5);
        }
        Value::Text(t) => c.b(x + 4.0, y + 4.0, t, 9.0),
        Value::Checkbox(checked) => {
            c.frame(x + w - 14.0, y + 4.0, 8.0, 8.0, 0.5);
            if *checked {
                c.b(x + w - 13.0, y + 5.0, "X", 8.0);
            }
        }
    }
}

pub fn render(ctx: &Ctx, spec: &FormSpec) -> Vec<u8> {
    let mut c = Canvas::new(&format!(
        "Form {} {} - {}",
        spec.form, ctx.year, ctx.portal.name
    ));
    let mut y = ctx.letterhead(&mut c);
    c.right(
        WIDTH - MARGIN,
        HEIGHT - 52.0,
        &format!("{} Tax Information Statement", ctx.year),
        11.0,
        true,
    );
    c.right(
        WIDTH - MARGIN,
        HEIGHT - 65.0,
        &format!("Account Number: {}", ctx.masked_account()),
        8.5,
        false,
    );
    y -= 8.0;

    // "CORRECTED (if checked)" sits above the form on every 1099.
    c.frame(MARGIN + 160.0, y - 2.0, 7.0, 7.0, 0.5);
    c.t(MARGIN + 171.0, y - 1.0, "CORRECTED (if checked)", 7.0);
    y -= 8.0;

    let form_w = WIDTH - 2.0 * MARGIN;
    let mid_w = form_w - LEFT_W - RIGHT_W;
    let height = TOP_H + ROW_H * spec.rows.len() as f32;
    let bottom = y - height;
    let x0 = MARGIN;
    let mid = x0 + LEFT_W;
    let right = mid + mid_w;
    c.frame(x0, bottom, form_w, height, 1.0);

    // Left: payer, TINs, recipient.
    let payer_h = TOP_H;
    let top = y;
    c.frame(x0, top - payer_h, LEFT_W, payer_h, 0.5);
    for (i, line) in wrap(
        "PAYER'S name, street address, city or town, state or province, country, ZIP or foreign postal code, and telephone no.",
        LEFT_W - 6.0,
        6.0,
    )
    .iter()
    .enumerate()
    {
        c.t(x0 + 3.0, top - 8.0 - 7.0 * i as f32, line, 6.0);
    }
    let p = ctx.portal;
    for (i, line) in [p.legal_name, p.address, p.city, p.phone]
        .iter()
        .enumerate()
    {
        c.b(x0 + 6.0, top - 34.0 - 11.5 * i as f32, line, 8.5);
    }
    let rest = height - payer_h;
    let lh = rest / 5.0;
    let mut ly = top - payer_h - lh;
    let half = LEFT_W / 2.0;
    cell(&mut c, x0, ly, half, lh, &text("", "PAYER'S TIN", p.ein));
    cell(
        &mut c,
        x0 + half,
        ly,
        half,
        lh,
        &text("", "RECIPIENT'S TIN", &ctx.masked_tin()),
    );
    for (label, value) in [
        ("RECIPIENT'S name", ctx.person.name.as_str()),
        (
            "Street address (including apt. no.)",
            ctx.person.street.as_str(),
        ),
        (
            "City or town, state or province, country, and ZIP or foreign postal code",
            ctx.person.city.as_str(),
        ),
    ] {
        ly -= lh;
        cell(&mut c, x0, ly, LEFT_W, lh, &text("", label, value));
    }
    ly -= lh;
    cell(
        &mut c,
        x0,
        ly,
        LEFT_W,
        lh,
        &text(
            "",
            "Account number (see instructions)",
            &ctx.masked_account(),
        ),
    );

    // Middle top: stacked boxes beside the OMB / form / year box.
    let col = mid_w / 2.0;
    let th = TOP_H / spec.top.len() as f32;
    for (i, b) in spec.top.iter().enumerate() {
        cell(&mut c, mid, top - th * (i as f32 + 1.0), col, th, b);
    }
    let ox = mid + col;
    c.frame(ox, top - TOP_H, col, TOP_H, 0.5);
    c.t(ox + 4.0, top - 10.0, &format!("OMB No. {}", spec.omb), 6.5);
    c.text(ox + 4.0, top - 30.0, "Form", 7.0, false, BLACK);
    c.b(ox + 22.0, top - 30.0, spec.form, 11.0);
    c.t(ox + 4.0, top - 41.0, spec.revision, 6.0);
    c.t(ox + 4.0, top - 60.0, "For calendar year", 7.0);
    c.b(ox + 4.0, top - 84.0, &ctx.year.to_string(), 20.0);

    // Middle rows.
    let mut ry = top - TOP_H;
    for row in &spec.rows {
        ry -= ROW_H;
        let w = mid_w / row.len() as f32;
        for (i, b) in row.iter().enumerate() {
            cell(&mut c, mid + w * i as f32, ry, w, ROW_H, b);
        }
    }

    // Right: the form's name, then Copy B's notice.
    c.frame(right, top - TOP_H, RIGHT_W, TOP_H, 0.5);
    for (i, line) in spec.title.iter().enumerate() {
        c.b(right + 5.0, top - 40.0 - 12.0 * i as f32, line, 9.5);
    }
    c.b(right + 5.0, top - TOP_H - 16.0, "Copy B", 10.0);
    c.b(right + 5.0, top - TOP_H - 27.0, "For Recipient", 7.5);
    let notice = "This is important tax information and is being furnished to the IRS. If you are required to file a return, a negligence penalty or other sanction may be imposed on you if this income is taxable and the IRS determines that it has not been reported.";
    for (i, line) in wrap(notice, RIGHT_W - 9.0, 6.0).iter().enumerate() {
        c.t(right + 5.0, top - TOP_H - 42.0 - 7.2 * i as f32, line, 6.0);
    }

    let fy = bottom - 12.0;
    c.t(MARGIN, fy, &format!("Form {}", spec.form), 7.5);
    c.t(MARGIN + 70.0, fy, spec.revision, 7.0);
    c.t(MARGIN + 160.0, fy, "(keep for your records)", 7.0);
    c.t(MARGIN + 260.0, fy, spec.url, 7.0);
    c.right(
        WIDTH - MARGIN,
        fy,
        "Department of the Treasury - Internal Revenue Service",
        7.0,
        false,
    );

    let mut iy = fy - 34.0;
    c.b(MARGIN, iy, "Instructions for Recipient", 9.0);
    iy -= 12.0;
    let instructions = [
        "Recipient's taxpayer identification number (TIN). For your protection, this form may show only the last four digits of your TIN. However, the issuer has reported your complete TIN to the IRS.",
        "Account number. May show an account or other unique number the payer assigned to distinguish your account.",
        "Report the amounts shown on this form on your federal income tax return as the Instructions for Form 1040 explain. Keep this statement with your tax records; the figures agree with your account statements for the year.",
    ];
    for para in instructions {
        for line in wrap(para, WIDTH - 2.0 * MARGIN, 7.5) {
            c.text(MARGIN, iy, &line, 7.5, false, GREY);
            iy -= 9.5;
        }
        iy -= 4.0;
    }
    c.finish(ctx.footer(&format!("Form {} {}", spec.form, ctx.year)))
}
