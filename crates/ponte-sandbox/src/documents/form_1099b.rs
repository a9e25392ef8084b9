//! Form 1099-B as brokers issue it: the form's identification block (payer,
//! recipient with masked TIN, OMB number, tax year), a summary by term, then
//! every sale under its Form 8949 category with the box numbers as column
//! heads (1a description, 1b acquired, 1c sold, 1d proceeds, 1e cost, 1g wash
//! sale) and a totals row per section.

use super::forms::wrap;
use super::ledger::{amount, totals, us_date, Sale, SaleTotals};
use super::pdf::{Canvas, BLACK, GREY, HEIGHT, LIGHT, MARGIN, WIDTH};
use super::Ctx;

const RIGHT: f32 = WIDTH - MARGIN;
/// (heading, width, right-aligned)
const COLUMNS: [(&str, &str, f32, bool); 8] = [
    (
        "1a Description of property",
        "Quantity, name (symbol) / CUSIP",
        152.0,
        false,
    ),
    ("1b Date", "acquired", 50.0, false),
    ("1c Date", "sold", 50.0, false),
    ("1d Proceeds", "", 60.0, true),
    ("1e Cost or", "other basis", 60.0, true),
    ("1g Wash sale", "loss disallowed", 58.0, true),
    ("Gain or", "(loss)", 56.0, true),
    ("4 Fed. tax", "withheld", 46.0, true),
];

pub fn render(ctx: &Ctx, sales: &[Sale], property: &str) -> Vec<u8> {
    let mut c = Canvas::new(&format!("Form 1099-B {} - {}", ctx.year, ctx.portal.name));
    let mut y = ctx.letterhead(&mut c);
    c.right(
        RIGHT,
        HEIGHT - 52.0,
        &format!("{} Tax Information Statement", ctx.year),
        11.0,
        true,
    );
    c.right(
        RIGHT,
        HEIGHT - 65.0,
        &format!("Account Number: {}", ctx.masked_account()),
        8.5,
        false,
    );
    y -= 6.0;

    // Identification block.
    let h = 92.0;
    let w = (RIGHT - MARGIN) / 3.0;
    let top = y;
    c.frame(MARGIN, top - h, RIGHT - MARGIN, h, 1.0);
    c.frame(MARGIN, top - h, w, h, 0.5);
    c.frame(MARGIN + w, top - h, w, h, 0.5);
    c.t(
        MARGIN + 3.0,
        top - 8.0,
        "PAYER'S name, address and telephone no.",
        6.0,
    );
    let p = ctx.portal;
    for (i, line) in [p.legal_name, p.address, p.city, p.phone]
        .iter()
        .enumerate()
    {
        c.b(MARGIN + 6.0, top - 20.0 - 10.5 * i as f32, line, 8.0);
    }
    c.line(MARGIN, top - 68.0, MARGIN + w, top - 68.0, 0.5, BLACK);
    c.t(MARGIN + 3.0, top - 76.0, "PAYER'S TIN", 6.0);
    c.b(MARGIN + 6.0, top - 87.0, p.ein, 8.5);

    let rx = MARGIN + w;
    c.t(
        rx + 3.0,
        top - 8.0,
        "RECIPIENT'S name, street address, city, state and ZIP code",
        6.0,
    );
    c.b(rx + 6.0, top - 20.0, &ctx.person.name, 8.0);
    c.t(rx + 6.0, top - 30.5, &ctx.person.street, 8.0);
    c.t(rx + 6.0, top - 41.0, &ctx.person.city, 8.0);
    c.line(rx, top - 68.0, rx + w, top - 68.0, 0.5, BLACK);
    c.line(rx + w / 2.0, top - 68.0, rx + w / 2.0, top - h, 0.5, BLACK);
    c.t(rx + 3.0, top - 76.0, "RECIPIENT'S TIN", 6.0);
    c.b(rx + 6.0, top - 87.0, &ctx.masked_tin(), 8.5);
    c.t(rx + w / 2.0 + 3.0, top - 76.0, "Account number", 6.0);
    c.b(rx + w / 2.0 + 6.0, top - 87.0, &ctx.masked_account(), 8.5);

    let fx = MARGIN + 2.0 * w;
    c.t(fx + 5.0, top - 10.0, "OMB No. 1545-0715", 6.5);
    c.t(fx + 5.0, top - 28.0, "Form", 7.0);
    c.b(fx + 24.0, top - 28.0, "1099-B", 12.0);
    c.t(
        fx + 5.0,
        top - 39.0,
        "(Rev. January 2024)   For calendar year",
        6.0,
    );
    c.b(fx + 5.0, top - 60.0, &ctx.year.to_string(), 18.0);
    c.b(fx + 70.0, top - 52.0, "Proceeds From Broker and", 7.0);
    c.b(fx + 70.0, top - 60.5, "Barter Exchange Transactions", 7.0);
    c.b(fx + 5.0, top - 76.0, "Copy B For Recipient", 7.5);
    c.t(
        fx + 5.0,
        top - 86.0,
        &format!("Department of the Treasury - IRS · {property}"),
        6.0,
    );
    y = top - h - 22.0;

    // Summary by term, as the first thing a tax preparer reads.
    let short: Vec<&Sale> = sales.iter().filter(|s| !s.long_term).collect();
    let long: Vec<&Sale> = sales.iter().filter(|s| s.long_term).collect();
    let st = totals(short.iter().copied());
    let lt = totals(long.iter().copied());
    let all = totals(sales);
    ctx.band(&mut c, y, "SUMMARY OF PROCEEDS, GAINS & LOSSES");
    y -= 16.0;
    c.fill(MARGIN, y - 4.0, RIGHT - MARGIN, 14.0, LIGHT);
    let sx = [
        RIGHT - 300.0,
        RIGHT - 225.0,
        RIGHT - 150.0,
        RIGHT - 75.0,
        RIGHT - 4.0,
    ];
    c.b(MARGIN + 4.0, y, "Term / Form 8949 check box", 7.0);
    for (i, head) in [
        "1d Proceeds",
        "1e Cost basis",
        "1g Wash sale",
        "Gain or (loss)",
    ]
    .iter()
    .enumerate()
    {
        c.right(sx[i + 1], y, head, 7.0, true);
    }
    y -= 14.0;
    for (label, t, bold) in [
        ("Short-term, basis reported to the IRS (Box A)", st, false),
        ("Long-term, basis reported to the IRS (Box D)", lt, false),
        ("Total", all, true),
    ] {
        c.text(MARGIN + 4.0, y, label, 8.0, bold, BLACK);
        for (i, v) in [t.proceeds, t.cost, t.wash_sale, t.gain].iter().enumerate() {
            c.right(sx[i + 1], y, &amount(*v), 8.0, bold);
        }
        y -= 12.0;
    }
    y -= 10.0;

    for (long_term, group, t) in [(false, &short, st), (true, &long, lt)] {
        y = section(&mut c, ctx, y, long_term, group, t);
    }
    c.finish(ctx.footer(&format!("Form 1099-B {}", ctx.year)))
}

fn header(c: &mut Canvas, y: f32) -> f32 {
    c.fill(MARGIN, y - 13.0, RIGHT - MARGIN, 22.0, LIGHT);
    let mut x = MARGIN;
    for (a, b, w, right) in COLUMNS {
        if right {
            c.right(x + w - 3.0, y, a, 6.5, true);
            c.right(x + w - 3.0, y - 8.0, b, 6.5, true);
        } else {
            c.b(x + 3.0, y, a, 6.5);
            c.b(x + 3.0, y - 8.0, b, 6.5);
        }
        x += w;
    }
    y - 26.0
}

fn section(
    c: &mut Canvas,
    ctx: &Ctx,
    mut y: f32,
    long_term: bool,
    sales: &[&Sale],
    t: SaleTotals,
) -> f32 {
    let (title, note) = if long_term {
        (
            "LONG-TERM TRANSACTIONS FOR COVERED TAX LOTS",
            "Report on Form 8949, Part II, with Box D checked. Box 2: long-term gain or loss. Box 12: basis reported to the IRS.",
        )
    } else {
        (
            "SHORT-TERM TRANSACTIONS FOR COVERED TAX LOTS",
            "Report on Form 8949, Part I, with Box A checked. Box 2: short-term gain or loss. Box 12: basis reported to the IRS.",
        )
    };
    if y < 150.0 {
        c.new_page();
        y = HEIGHT - 50.0;
    }
    ctx.band(c, y, title);
    y -= 13.0;
    c.text(MARGIN, y, note, 6.5, false, GREY);
    y -= 14.0;
    y = header(c, y);
    if sales.is_empty() {
        c.text(
            MARGIN + 3.0,
            y,
            "No transactions in this category for the year.",
            8.0,
            false,
            GREY,
        );
        return y - 24.0;
    }
    for s in sales {
        if y < 70.0 {
            c.new_page();
            ctx.band(c, HEIGHT - 50.0, &format!("{title} (continued)"));
            y = header(c, HEIGHT - 70.0);
        }
        let desc = wrap(&s.description, COLUMNS[0].2 - 6.0, 7.0);
        let mut x = MARGIN;
        for (i, line) in desc.iter().take(2).enumerate() {
            c.t(x + 3.0, y - 8.0 * i as f32, line, 7.0);
        }
        if !s.cusip.is_empty() {
            c.text(
                x + 3.0,
                y - 8.0 * desc.len().min(2) as f32,
                &format!("CUSIP: {}", s.cusip),
                6.5,
                false,
                GREY,
            );
        }
        x += COLUMNS[0].2;
        let cells = [
            us_date(s.acquired),
            us_date(s.sold),
            amount(s.proceeds),
            amount(s.cost),
            if s.wash_sale.is_zero() {
                "...".into()
            } else {
                amount(s.wash_sale)
            },
            amount(s.gain()),
            "0.00".into(),
        ];
        for (i, v) in cells.iter().enumerate() {
            let (_, _, w, right) = COLUMNS[i + 1];
            if right {
                c.right(x + w - 3.0, y, v, 7.5, false);
            } else {
                c.t(x + 3.0, y, v, 7.5);
            }
            x += w;
        }
        let lines = desc.len().min(2) + usize::from(!s.cusip.is_empty());
        y -= 8.0 * lines as f32 + 10.0;
        c.line(MARGIN, y + 10.0, RIGHT, y + 10.0, 0.3, (0.8, 0.8, 0.8));
    }
    let mut x = MARGIN;
    c.b(
        x + 3.0,
        y,
        &format!("Totals ({} transactions)", sales.len()),
        7.5,
    );
    x += COLUMNS[0].2 + COLUMNS[1].2 + COLUMNS[2].2;
    for (i, v) in [t.proceeds, t.cost, t.wash_sale, t.gain].iter().enumerate() {
        let w = COLUMNS[3 + i].2;
        c.right(x + w - 3.0, y, &amount(*v), 7.5, true);
        x += w;
    }
    c.right(x + COLUMNS[7].2 - 3.0, y, "0.00", 7.5, true);
    y - 30.0
}
