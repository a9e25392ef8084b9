//! Synthetic, deterministic banking data.
//!
//! Everything is a pure function of seeds and calendar days. The bank seed is the first 8
//! bytes of SHA-256("{bank}|{username}|{document}"), the person seed the same without the
//! bank (so one sandbox user is one person everywhere: name, income, rent), and every
//! random draw is `mix(seed, a, b)`, a splitmix64 finaliser over the seed and two
//! coordinates (usually a day number and an event index). No PRNG state is carried between
//! draws, so any single day's purchases are computed directly, the same on every node and
//! after restarts.
//!
//! One person's money has to add up, though: each month's discretionary spending is sized
//! from that month's income and fixed bills (so spending stays a steady share of income),
//! and what is left over, or missing, is swept to or from the poupança at the month's end.
//! Sweeps and poupança yields depend on balances, so a [`ledger::Ledger`] walks the days
//! once from a fixed epoch (2019-01-01, never from "today", so what happened on a date
//! never depends on when it is asked) and is shared between requests.
//!
//! Long-lived products (loans, investments) run in fixed *cycles* of calendar months/days
//! (a 24-month loan is followed by the next one).

mod accounts;
mod calendar;
mod corrections;
mod credit;
mod events;
#[cfg(test)]
mod invariants;
pub mod ledger;
mod pending;
mod people;
pub mod rates;
#[cfg(test)]
mod tests;

pub use calendar::*;
pub use people::{FIRST_NAMES, LAST_NAMES, PEOPLE};

use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};

/// Days since 1970-01-01 (UTC).
pub type Day = i64;

pub fn seed_of(bank: &str, username: &str, document: &str) -> u64 {
    let d = Sha256::digest(format!("{bank}|{username}|{document}").as_bytes());
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// A well-mixed number from a seed and two coordinates (splitmix64 finaliser).
pub fn mix(seed: u64, a: i64, b: i64) -> u64 {
    let mut z = seed
        ^ (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64)
            .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            .rotate_left(17);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A draw in `lo..hi` (hi exclusive, hi > lo).
pub fn range(seed: u64, a: i64, b: i64, lo: i64, hi: i64) -> i64 {
    lo + (mix(seed, a, b) % (hi - lo) as u64) as i64
}

pub fn pick<T: Copy>(seed: u64, a: i64, b: i64, from: &[T]) -> T {
    from[(mix(seed, a, b) % from.len() as u64) as usize]
}

/// `n` decimal digits drawn from the seed (leading zeros kept).
pub fn digits(seed: u64, a: i64, n: usize) -> String {
    (0..n)
        .map(|i| char::from(b'0' + (mix(seed, a, i as i64) % 10) as u8))
        .collect()
}

/// A CPF with valid check digits.
pub fn cpf(seed: u64, a: i64) -> String {
    let mut d: Vec<u32> = (0..9).map(|i| (mix(seed, a, i) % 10) as u32).collect();
    for len in [9usize, 10] {
        let s: u32 = (0..len).map(|i| d[i] * (len as u32 + 1 - i as u32)).sum();
        let r = s * 10 % 11;
        d.push(if r == 10 { 0 } else { r });
    }
    d.iter().map(|x| char::from(b'0' + *x as u8)).collect()
}

/// A CNPJ with valid check digits (branch 0001).
pub fn cnpj(seed: u64, a: i64) -> String {
    let mut d: Vec<u32> = (0..8).map(|i| (mix(seed, a, i) % 10) as u32).collect();
    d.extend([0, 0, 0, 1]);
    for w in [
        &[5u32, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][..],
        &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][..],
    ] {
        let s: u32 = d.iter().zip(w).map(|(x, y)| x * y).sum();
        let r = s % 11;
        d.push(if r < 2 { 0 } else { 11 - r });
    }
    d.iter().map(|x| char::from(b'0' + *x as u8)).collect()
}

/// An account-side transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    pub id: String,
    pub day: Day,
    pub seconds: u32,
    pub credit: bool,
    /// EnumTransactionTypes of accounts-2.4.2.
    pub kind: &'static str,
    pub name: String,
    /// Cents, positive.
    pub cents: i64,
    /// Counterparty (name, CPF/CNPJ) for PIX/TED.
    pub party: Option<String>,
}

/// A credit-card purchase (or fee).
#[derive(Debug, Clone, PartialEq)]
pub struct CardTx {
    pub id: String,
    pub day: Day,
    pub seconds: u32,
    pub name: String,
    pub mcc: u32,
    pub cents: i64,
    /// The payment of a bill (a credit), not a purchase.
    pub payment: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    Checking,
    Savings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amortisation {
    /// Constant instalments (French system).
    Price,
    /// Constant amortisation, falling instalments.
    Sac,
}

/// A loan contract: one cycle of a repeating personal loan.
#[derive(Clone, Debug)]
pub struct Loan {
    pub slot: i64,
    pub cycle: i64,
    pub id: String,
    pub sub_type: &'static str,
    pub name: &'static str,
    pub system: Amortisation,
    /// Month index (year*12 + month0) the contract was signed.
    pub start_month: i64,
    pub start_day: Day,
    pub instalments: i64,
    pub principal_cents: i64,
    /// Monthly rate, e.g. 0.025.
    pub rate: f64,
}

/// One instalment of a loan's schedule, in cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instalment {
    pub principal: i64,
    pub interest: i64,
}

impl Instalment {
    pub fn total(&self) -> i64 {
        self.principal + self.interest
    }
}

/// A bank fixed-income investment: one cycle of a repeating CDB/LCI/LCA at a percentage
/// of the CDI.
#[derive(Clone, Debug)]
pub struct Investment {
    pub id: String,
    pub kind: &'static str,
    pub purchase_day: Day,
    pub due_day: Day,
    pub principal_cents: i64,
    /// Share of the CDI it earns, e.g. 1.10 for 110 %.
    pub cdi_pct: f64,
    /// A partial redemption: (day, cents).
    pub redemption: Option<(Day, i64)>,
}

pub const SALARY_DOM: u32 = 5;
pub const SAVINGS_DOM: u32 = 6;
pub const CARD_CLOSING_DOM: u32 = 3;
pub const CARD_DUE_DOM: u32 = 10;
pub const LOAN_DOM: u32 = 15;

/// One user's financial life at one bank.
pub struct Profile {
    /// Bank seed: ids, loans, the day-to-day draws.
    pub seed: u64,
    /// Person seed: who they are and what they earn, the same at every bank.
    pub person: u64,
    pub big: bool,
    /// Discretionary movements a day, as a multiple of `big`'s: 4 for `user_huge`
    /// (four times `user_big`'s transactions in the same five years), else 1.
    pub volume: u64,
    pub history_days: i64,
    /// The last day the profile is asked about (the bank's today).
    pub today: Day,
    /// Net monthly salary: the income the customer declares.
    pub salary_cents: i64,
    pub employer: &'static str,
    pub holder_cpf: String,
    pub rent_cents: i64,
    pub condo_cents: i64,
    /// Monthly transfer into the poupança, the day after payday.
    pub deposit_cents: i64,
    /// Monthly PIX to the holder's own account at another bank (0: none).
    pub own_pix_cents: i64,
    pub internet_cents: i64,
    pub fee_cents: i64,
    /// What the card is expected to carry in a month.
    pub card_budget_cents: i64,
    pub has_card: bool,
    pub has_loans: bool,
    ledger: OnceLock<Arc<ledger::Ledger>>,
}

/// `share` in hundredths of a percent of `cents`, rounded down to `unit` cents.
fn part(cents: i64, share: i64, unit: i64) -> i64 {
    cents * share / 10_000 / unit * unit
}

impl Profile {
    pub fn new(
        bank: &str,
        username: &str,
        document: &str,
        products: &[&str],
        today: Day,
    ) -> Profile {
        let seed = seed_of(bank, username, document);
        let person = seed_of("", username, document);
        // `user_huge` is `user_big` with four times the transactions: the memory bench's
        // check that a longer history does not hold more at once.
        let big = matches!(username, "user_big" | "user_huge");
        let volume = if username == "user_huge" { 4 } else { 1 };
        let p = person;
        let salary_cents = if big {
            3_000_000 + (mix(p, 1, 0) % 600_000) as i64 / 100 * 100
        } else {
            450_000 + (mix(p, 1, 0) % 600_000) as i64 / 100 * 100
        };
        let i = salary_cents;
        Profile {
            seed,
            person,
            big,
            volume,
            history_days: if big { 5 * 365 + 1 } else { 365 },
            today,
            salary_cents,
            employer: if big {
                pick(p, 2, 0, &people::BIG_EMPLOYERS)
            } else {
                pick(p, 2, 0, &people::EMPLOYERS)
            },
            holder_cpf: document.to_string(),
            rent_cents: part(i, range(p, 3, 0, 2_000, 2_600), 1_000),
            condo_cents: part(i, range(p, 4, 0, 400, 600), 100),
            deposit_cents: part(i, range(p, 5, 0, 700, 1_200), 1_000),
            own_pix_cents: if mix(p, 6, 0).is_multiple_of(3) {
                part(i, range(p, 7, 0, 200, 400), 1_000)
            } else {
                0
            },
            internet_cents: if big { 22_990 } else { 11_990 },
            fee_cents: if big { 7_990 } else { 3_490 },
            card_budget_cents: part(i, range(p, 8, 0, 1_200, 1_800), 100),
            has_card: products.contains(&"creditCards"),
            has_loans: products.contains(&"loans"),
            ledger: OnceLock::new(),
        }
    }

    pub fn first_day(&self, today: Day) -> Day {
        today - self.history_days + 1
    }

    pub fn employer_cnpj(&self) -> String {
        cnpj(self.person, 77)
    }

    /// The holder's civil name, the same at every bank.
    pub fn holder_name(&self) -> String {
        format!(
            "{} {} {}",
            pick(self.person, 600, 0, &FIRST_NAMES),
            pick(self.person, 601, 0, &LAST_NAMES),
            pick(self.person, 602, 0, &LAST_NAMES)
        )
    }

    /// The balances and sweeps walk, built on first use and shared between requests.
    pub fn ledger(&self) -> &ledger::Ledger {
        self.ledger.get_or_init(|| ledger::Ledger::shared(self))
    }
}
