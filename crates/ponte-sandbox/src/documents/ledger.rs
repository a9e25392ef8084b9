//! The figures behind the documents: a checking account's months, a brokerage
//! account's dividends and sales, a crypto account's disposals. Pure functions
//! of (portal, user, year) through the same seeded draws as the banks' data, in
//! decimal money rounded to cents, so every document that shows a figure shows
//! the same one (a 1099-INT's box 1 is the sum of the statements' interest
//! lines, a year-end summary's totals are the 1099s' boxes).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::data::generator::{civil, days_from_civil, mix, pick, range, seed_of, Day};

/// The first year an account exists: balances run forward from here, so
/// December's closing balance is the next January's opening balance.
const FIRST_YEAR: i64 = 2016;

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

fn to_cents(d: Decimal) -> Decimal {
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

// ---------------------------------------------------------------- bank

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

// ---------------------------------------------------------------- securities

#[derive(Clone, Copy, Debug)]
pub struct Security {
    pub name: &'static str,
    pub symbol: &'static str,
    pub cusip: &'static str,
    /// Share of the dividends that is qualified, in percent.
    pub qualified_pct: i64,
    /// Foreign tax withheld on dividends, in percent.
    pub foreign_pct: i64,
    /// Price range in cents.
    pub price: (i64, i64),
}

const SECURITIES: &[Security] = &[
    Security {
        name: "VANGUARD TOTAL STOCK MARKET ETF",
        symbol: "VTI",
        cusip: "922908769",
        qualified_pct: 96,
        foreign_pct: 0,
        price: (18_000, 29_000),
    },
    Security {
        name: "VANGUARD TOTAL INTL STOCK ETF",
        symbol: "VXUS",
        cusip: "921909768",
        qualified_pct: 71,
        foreign_pct: 7,
        price: (5_000, 6_800),
    },
    Security {
        name: "ISHARES CORE US AGGREGATE BOND ETF",
        symbol: "AGG",
        cusip: "464287226",
        qualified_pct: 0,
        foreign_pct: 0,
        price: (9_400, 11_000),
    },
    Security {
        name: "APPLE INC",
        symbol: "AAPL",
        cusip: "037833100",
        qualified_pct: 100,
        foreign_pct: 0,
        price: (14_000, 23_000),
    },
    Security {
        name: "JOHNSON & JOHNSON",
        symbol: "JNJ",
        cusip: "478160104",
        qualified_pct: 100,
        foreign_pct: 0,
        price: (14_500, 17_500),
    },
    Security {
        name: "SCHWAB US DIVIDEND EQUITY ETF",
        symbol: "SCHD",
        cusip: "808524797",
        qualified_pct: 98,
        foreign_pct: 0,
        price: (2_500, 2_900),
    },
    Security {
        name: "REALTY INCOME CORP",
        symbol: "O",
        cusip: "756109104",
        qualified_pct: 12,
        foreign_pct: 0,
        price: (5_000, 6_400),
    },
];

#[derive(Clone, Debug)]
pub struct Dividend {
    pub day: Day,
    pub security: Security,
    /// Total ordinary dividends (qualified included).
    pub ordinary: Decimal,
    pub qualified: Decimal,
    pub capital_gain: Decimal,
    pub foreign_tax: Decimal,
}

#[derive(Clone, Debug)]
pub struct Sale {
    pub description: String,
    pub cusip: String,
    pub acquired: Day,
    pub sold: Day,
    pub proceeds: Decimal,
    pub cost: Decimal,
    pub wash_sale: Decimal,
    pub long_term: bool,
}

impl Sale {
    /// Gain or loss as reported: proceeds − cost + disallowed wash-sale loss.
    pub fn gain(&self) -> Decimal {
        self.proceeds - self.cost + self.wash_sale
    }
}

/// Sums of a set of sales, as a 1099-B's totals rows show them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SaleTotals {
    pub proceeds: Decimal,
    pub cost: Decimal,
    pub wash_sale: Decimal,
    pub gain: Decimal,
}

pub fn totals<'a>(sales: impl IntoIterator<Item = &'a Sale>) -> SaleTotals {
    sales
        .into_iter()
        .fold(SaleTotals::default(), |t, s| SaleTotals {
            proceeds: t.proceeds + s.proceeds,
            cost: t.cost + s.cost,
            wash_sale: t.wash_sale + s.wash_sale,
            gain: t.gain + s.gain(),
        })
}

#[derive(Clone, Debug)]
pub struct DividendTotals {
    pub ordinary: Decimal,
    pub qualified: Decimal,
    pub capital_gain: Decimal,
    pub foreign_tax: Decimal,
}

pub fn dividend_totals(dividends: &[Dividend]) -> DividendTotals {
    DividendTotals {
        ordinary: dividends.iter().map(|d| d.ordinary).sum(),
        qualified: dividends.iter().map(|d| d.qualified).sum(),
        capital_gain: dividends.iter().map(|d| d.capital_gain).sum(),
        foreign_tax: dividends.iter().map(|d| d.foreign_tax).sum(),
    }
}

pub struct Brokerage {
    pub dividends: Vec<Dividend>,
    pub sales: Vec<Sale>,
}

pub fn brokerage_year(portal: &str, username: &str, year: i64) -> Brokerage {
    let seed = seed_of(portal, username, &format!("brokerage-{year}"));
    let held: Vec<Security> = SECURITIES
        .iter()
        .enumerate()
        .filter(|(i, _)| !mix(seed, 1, *i as i64).is_multiple_of(3))
        .map(|(_, s)| *s)
        .collect();
    let mut dividends = Vec::new();
    for (i, sec) in held.iter().enumerate() {
        let i = i as i64;
        let shares = range(seed, 2, i, 20, 400);
        for q in 0..4u32 {
            let month = 3 * q + 3;
            let d = range(seed, 3, i * 4 + q as i64, 10, 28) as u32;
            let per_share = range(seed, 4, i * 4 + q as i64, 15, 95); // cents
            let ordinary = cents(shares * per_share);
            let qualified =
                to_cents(ordinary * Decimal::from(sec.qualified_pct) / Decimal::from(100));
            let foreign_tax =
                to_cents(ordinary * Decimal::from(sec.foreign_pct) / Decimal::from(100));
            // Funds distribute their capital gains once, in December.
            let capital_gain =
                if q == 3 && sec.symbol.len() > 2 && mix(seed, 5, i).is_multiple_of(2) {
                    cents(shares * range(seed, 6, i, 10, 60))
                } else {
                    Decimal::ZERO
                };
            dividends.push(Dividend {
                day: days_from_civil(year, month, d),
                security: *sec,
                ordinary,
                qualified,
                capital_gain,
                foreign_tax,
            });
        }
    }
    dividends.sort_by_key(|d| d.day);

    let n = range(seed, 7, 0, 4, 11);
    let mut sales = Vec::new();
    for k in 0..n {
        let sec = pick(seed, 8, k, SECURITIES);
        let qty = range(seed, 9, k, 5, 120);
        let sold = days_from_civil(year, 1, 1) + range(seed, 10, k, 2, 360);
        let long_term = mix(seed, 11, k).is_multiple_of(2);
        let held_days = if long_term {
            range(seed, 12, k, 380, 1500)
        } else {
            range(seed, 12, k, 20, 330)
        };
        let buy = range(seed, 13, k, sec.price.0, sec.price.1);
        let sell = range(seed, 14, k, sec.price.0, sec.price.1);
        let cost = cents(qty * buy);
        let proceeds = cents(qty * sell);
        // A short-term loss repurchased within 30 days: part of it is disallowed.
        let wash_sale = if !long_term && proceeds < cost && mix(seed, 15, k).is_multiple_of(3) {
            to_cents((cost - proceeds) / Decimal::from(2))
        } else {
            Decimal::ZERO
        };
        sales.push(Sale {
            description: format!("{qty} SH {} ({})", sec.name, sec.symbol),
            cusip: sec.cusip.to_string(),
            acquired: sold - held_days,
            sold,
            proceeds,
            cost,
            wash_sale,
            long_term,
        });
    }
    sales.sort_by_key(|s| (s.long_term, s.sold));
    Brokerage { dividends, sales }
}

/// A crypto platform's disposals of digital assets in `year`.
pub fn crypto_year(portal: &str, username: &str, year: i64) -> Vec<Sale> {
    const ASSETS: &[(&str, &str, i64, i64)] = &[
        ("BITCOIN", "BTC", 2_600_000, 9_800_000),
        ("ETHER", "ETH", 160_000, 400_000),
        ("SOLANA", "SOL", 2_000, 24_000),
        ("USD COIN", "USDC", 100, 101),
    ];
    let seed = seed_of(portal, username, &format!("crypto-{year}"));
    let n = range(seed, 1, 0, 3, 9);
    let mut sales = Vec::new();
    for k in 0..n {
        let (name, symbol, lo, hi) = pick(seed, 2, k, ASSETS);
        // Units with 8 decimals, sized to a few hundred to a few thousand dollars.
        let target = range(seed, 3, k, 30_000, 600_000); // cents
        let buy = range(seed, 4, k, lo, hi);
        let sell = range(seed, 5, k, lo, hi);
        let quantity = (Decimal::from(target) / Decimal::from(buy)).round_dp(8);
        let long_term = mix(seed, 6, k).is_multiple_of(3);
        let sold = days_from_civil(year, 1, 1) + range(seed, 7, k, 2, 360);
        let held = if long_term {
            range(seed, 8, k, 370, 1100)
        } else {
            range(seed, 8, k, 3, 300)
        };
        sales.push(Sale {
            description: format!("{} {name} ({symbol})", quantity.normalize()),
            cusip: String::new(),
            acquired: sold - held,
            sold,
            proceeds: to_cents(quantity * cents(sell)),
            cost: to_cents(quantity * cents(buy)),
            wash_sale: Decimal::ZERO,
            long_term,
        });
    }
    sales.sort_by_key(|s| (s.long_term, s.sold));
    sales
}

// ---------------------------------------------------------------- formatting

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
