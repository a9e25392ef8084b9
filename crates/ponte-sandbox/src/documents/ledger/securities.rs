//! A brokerage account's dividends and sales, a crypto account's disposals.

use rust_decimal::Decimal;

use super::{cents, to_cents};
use crate::data::generator::{days_from_civil, mix, pick, range, seed_of, Day};

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
