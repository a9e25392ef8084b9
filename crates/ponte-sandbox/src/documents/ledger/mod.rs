//! The figures behind the documents: a checking account's months, a brokerage
//! account's dividends and sales, a crypto account's disposals. Pure functions
//! of (portal, user, year) through the same seeded draws as the banks' data, in
//! decimal money rounded to cents, so every document that shows a figure shows
//! the same one (a 1099-INT's box 1 is the sum of the statements' interest
//! lines, a year-end summary's totals are the 1099s' boxes).

use rust_decimal::{Decimal, RoundingStrategy};

mod bank;
mod securities;

pub use bank::*;
pub use securities::*;

use crate::data::generator::{civil, days_from_civil, mix, pick, range, seed_of, Day};

/// The first year an account exists: balances run forward from here, so
/// December's closing balance is the next January's opening balance.
pub(super) const FIRST_YEAR: i64 = 2016;

pub(super) fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

pub(super) fn to_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// The account holder, the same person at every portal.
#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub street: String,
    pub city: String,
    /// Last four digits of the SSN; documents show `***-**-1234`.
    pub tin_last4: String,
}

pub fn person(username: &str) -> Person {
    const FIRST: &[&str] = &[
        "JORDAN", "TAYLOR", "MORGAN", "ALEX", "CASEY", "JAMIE", "RILEY", "AVERY",
    ];
    const LAST: &[&str] = &[
        "MITCHELL",
        "RAMIREZ",
        "OKAFOR",
        "NGUYEN",
        "BERGSTROM",
        "CALLAHAN",
        "PATEL",
        "DUBOIS",
    ];
    const STREETS: &[&str] = &[
        "MAPLE AVE",
        "HARBOR VIEW DR",
        "CEDAR LN",
        "W 14TH ST",
        "PARK PL",
        "LINCOLN BLVD",
    ];
    const CITIES: &[&str] = &[
        "PORTLAND OR 97205",
        "AUSTIN TX 78704",
        "COLUMBUS OH 43215",
        "RALEIGH NC 27601",
        "DENVER CO 80203",
        "MADISON WI 53703",
    ];
    let seed = seed_of("person", username, "identity");
    Person {
        name: format!(
            "{} {} {}",
            pick(seed, 1, 0, FIRST),
            char::from(b'A' + (mix(seed, 2, 0) % 26) as u8),
            pick(seed, 3, 0, LAST)
        ),
        street: format!(
            "{} {}",
            range(seed, 4, 0, 12, 9800),
            pick(seed, 5, 0, STREETS)
        ),
        city: pick(seed, 6, 0, CITIES).to_string(),
        tin_last4: format!("{:04}", range(seed, 7, 0, 0, 10_000)),
    }
}

/// Last four digits of the user's account number at a portal.
pub fn account_last4(portal: &str, username: &str) -> String {
    format!(
        "{:04}",
        range(seed_of(portal, username, "account"), 0, 0, 0, 10_000)
    )
}

pub fn days_in_month(year: i64, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (days_from_civil(ny, nm, 1) - days_from_civil(year, month, 1)) as u32
}

/// `1,234.56`, `-45.20`.
pub fn amount(d: Decimal) -> String {
    let d = to_cents(d);
    let neg = d < Decimal::ZERO;
    let s = format!("{:.2}", d.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{frac}", if neg { "-" } else { "" })
}

/// `$1,234.56`, `-$45.20`.
pub fn dollars(d: Decimal) -> String {
    let a = amount(d);
    match a.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${a}"),
    }
}

/// `03/14/2025`.
pub fn us_date(day: Day) -> String {
    let (y, m, d) = civil(day);
    format!("{m:02}/{d:02}/{y}")
}

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_chain_and_add_up() {
        let year = bank_year("harbor", "user_good", 2024);
        assert_eq!(year.len(), 12);
        let next = bank_year("harbor", "user_good", 2025);
        assert_eq!(year[11].closing, next[0].opening);
        for s in &year {
            let mut b = s.opening;
            for l in &s.lines {
                b += l.amount;
                assert_eq!(b, l.balance);
                assert!(l.balance >= Decimal::ZERO);
            }
            assert_eq!(b, s.closing);
            assert_eq!(s.opening + s.credits().1 - s.debits().1, s.closing);
            assert!(s.interest() > Decimal::ZERO);
        }
        for w in year.windows(2) {
            assert_eq!(w[0].closing, w[1].opening);
        }
    }

    #[test]
    fn money_is_formatted_like_a_statement() {
        assert_eq!(amount(Decimal::new(123456789, 2)), "1,234,567.89");
        assert_eq!(amount(Decimal::new(-4520, 2)), "-45.20");
        assert_eq!(amount(Decimal::new(5, 2)), "0.05");
        assert_eq!(dollars(Decimal::new(-100000, 2)), "-$1,000.00");
        assert_eq!(amount(Decimal::new(100000, 2)), "1,000.00");
    }

    #[test]
    fn sales_report_their_wash_sales_and_terms() {
        let b = brokerage_year("summit", "user_good", 2024);
        assert!(!b.sales.is_empty() && !b.dividends.is_empty());
        for s in &b.sales {
            assert!(s.acquired < s.sold);
            let held = s.sold - s.acquired;
            assert_eq!(s.long_term, held > 365, "{s:?}");
            for d in &b.dividends {
                assert!(d.qualified <= d.ordinary);
            }
        }
        let c = crypto_year("lumen", "user_good", 2024);
        assert!(!c.is_empty());
    }
}
