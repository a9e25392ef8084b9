//! A checking account month by month: pay, rent, bills, card purchases, a
//! sweep to savings and the month's interest, each line with its running balance.

use rust_decimal::Decimal;

use super::{cents, days_in_month, to_cents, FIRST_YEAR};
use crate::data::generator::{days_from_civil, mix, pick, range, seed_of, Day};

/// One transaction line of a statement; `amount` is signed (debits negative)
/// and `balance` is the running balance after it.
#[derive(Clone, Debug)]
pub struct Line {
    pub day: Day,
    pub description: String,
    pub amount: Decimal,
    pub balance: Decimal,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub year: i64,
    pub month: u32,
    pub opening: Decimal,
    pub lines: Vec<Line>,
    pub closing: Decimal,
}

impl Statement {
    pub fn credits(&self) -> (usize, Decimal) {
        let c: Vec<_> = self
            .lines
            .iter()
            .filter(|l| l.amount > Decimal::ZERO)
            .collect();
        (c.len(), c.iter().map(|l| l.amount).sum())
    }

    /// Count and total of the debits, as a positive amount.
    pub fn debits(&self) -> (usize, Decimal) {
        let d: Vec<_> = self
            .lines
            .iter()
            .filter(|l| l.amount < Decimal::ZERO)
            .collect();
        (d.len(), -d.iter().map(|l| l.amount).sum::<Decimal>())
    }

    pub fn interest(&self) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.description == INTEREST)
            .map(|l| l.amount)
            .sum()
    }
}

pub const INTEREST: &str = "INTEREST PAYMENT";
/// Annual percentage yield on the checking account.
pub const APY: &str = "1.50";

/// The twelve monthly statements of `year`.
pub fn bank_year(portal: &str, username: &str, year: i64) -> Vec<Statement> {
    let seed = seed_of(portal, username, "checking");
    let mut balance = cents(range(seed, 0, 0, 250_000, 900_000));
    let mut out = Vec::new();
    for y in FIRST_YEAR.min(year)..=year {
        for m in 1..=12 {
            let s = bank_month(seed, balance, y, m);
            balance = s.closing;
            if y == year {
                out.push(s);
            }
        }
    }
    out
}

fn bank_month(seed: u64, opening: Decimal, year: i64, month: u32) -> Statement {
    const EMPLOYERS: &[&str] = &["NORTHWIND LOGISTICS", "CONTOSO HEALTH", "FABRIKAM INC"];
    const SHOPS: &[(&str, i64, i64)] = &[
        ("WHOLE FOODS MKT #10234", 2_500, 18_000),
        ("TRADER JOE'S #552", 1_800, 9_500),
        ("SHELL OIL 57442188", 2_800, 7_200),
        ("AMAZON MKTPL*2K4LQ81", 1_200, 15_000),
        ("STARBUCKS STORE 08812", 450, 1_900),
        ("TARGET T-1482", 2_000, 16_000),
        ("CVS/PHARMACY #04412", 900, 6_500),
        ("CHIPOTLE 2291", 1_100, 3_800),
        ("HOME DEPOT #4710", 2_500, 24_000),
        ("NETFLIX.COM", 1_549, 1_550),
    ];
    let mi = year * 12 + month as i64;
    let dim = days_in_month(year, month);
    let day = |d: u32| days_from_civil(year, month, d.min(dim));
    let half_pay = range(seed, 1, 0, 160_000, 420_000);
    let employer = pick(seed, 2, 0, EMPLOYERS);
    let mut events: Vec<(Day, String, i64)> = vec![
        (
            day(1),
            format!("DIRECT DEP {employer} PAYROLL PPD"),
            half_pay,
        ),
        (
            day(15),
            format!("DIRECT DEP {employer} PAYROLL PPD"),
            half_pay,
        ),
        (
            day(3),
            "ONLINE PMT RIVERSTONE PROPERTY MGMT RENT".into(),
            -(half_pay * 6 / 10),
        ),
        (
            day(range(seed, mi, 1, 6, 12) as u32),
            "CITY POWER & LIGHT AUTOPAY".into(),
            -range(seed, mi, 2, 6_000, 19_000),
        ),
        (
            day(range(seed, mi, 3, 12, 20) as u32),
            "VERIZON WIRELESS PAYMENTS".into(),
            -range(seed, mi, 4, 7_000, 12_000),
        ),
    ];
    let purchases = range(seed, mi, 5, 6, 14);
    for i in 0..purchases {
        let (shop, lo, hi) = pick(seed, mi, 100 + i, SHOPS);
        let d = range(seed, mi, 200 + i, 1, dim as i64 + 1) as u32;
        events.push((
            day(d),
            format!("CARD PURCHASE {month:02}/{d:02} {shop}"),
            -range(seed, mi, 300 + i, lo, hi),
        ));
    }
    if mix(seed, mi, 6).is_multiple_of(3) {
        let d = range(seed, mi, 7, 5, 26) as u32;
        events.push((
            day(d),
            "ATM WITHDRAWAL 0412 MAIN ST".into(),
            -(range(seed, mi, 8, 2, 9) * 2_000),
        ));
    }
    if mix(seed, mi, 9).is_multiple_of(4) {
        let d = range(seed, mi, 10, 2, 28) as u32;
        events.push((
            day(d),
            "ZELLE PAYMENT FROM SAM RIVERA".into(),
            range(seed, mi, 11, 2_000, 25_000),
        ));
    }
    // What stays above a cushion goes to savings once a month, as people do;
    // the amount is worked out when its turn comes (marked 0 here).
    let sweep_day = day(range(seed, mi, 12, 22, 27) as u32);
    events.push((
        sweep_day,
        format!(
            "ONLINE TRANSFER TO SAV XXXXXX{:04}",
            range(seed, 13, 0, 0, 10_000)
        ),
        0,
    ));
    // Day order; the stable sort keeps a day's events in the order drawn.
    events.sort_by_key(|(d, _, _)| *d);
    let cushion = cents(range(seed, 14, 0, 3_000, 9_000) * 100);

    let floor = cents(10_000);
    let mut balance = opening;
    let mut lines = Vec::new();
    for (d, description, c) in events {
        let amount = if c == 0 {
            let excess = (balance - cushion) / Decimal::from(100);
            -(excess.floor() * Decimal::from(100))
        } else {
            cents(c)
        };
        if amount.is_zero() || (c == 0 && amount > Decimal::ZERO) {
            continue;
        }
        // A debit that would overdraw the account is declined, never shown.
        if amount < Decimal::ZERO && balance + amount < floor {
            continue;
        }
        balance += amount;
        lines.push(Line {
            day: d,
            description,
            amount,
            balance,
        });
    }
    let rate = Decimal::new(150, 4); // APY 1.50 %, paid monthly on the balance
    let interest = to_cents(balance * rate / Decimal::from(12)).max(cents(1));
    balance += interest;
    lines.push(Line {
        day: day(dim),
        description: INTEREST.into(),
        amount: interest,
        balance,
    });
    Statement {
        year,
        month,
        opening,
        lines,
        closing: balance,
    }
}
