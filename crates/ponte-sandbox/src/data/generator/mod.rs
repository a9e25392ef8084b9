//! Synthetic, deterministic banking data.
//!
//! Everything is a pure function of a seed and calendar days. The seed is the first 8 bytes
//! of SHA-256("{bank}|{username}|{document}") and every random draw is
//! `mix(seed, a, b)`, a splitmix64 finaliser over the seed and two coordinates (usually a
//! day number and an event index). No PRNG state is carried between draws, so any single
//! day (or bill, or instalment) is computed directly, the same on every node and after
//! restarts, and a page of five years of history never needs the rest of it.
//!
//! Long-lived products (loans, investments) run in fixed *cycles* of calendar months/days
//! (a 24-month loan is followed by the next one), so what existed on a given date never
//! depends on when the question is asked.

mod accounts;
mod calendar;
mod credit;

pub use calendar::*;
use sha2::{Digest, Sha256};

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

/// A loan contract: one cycle of a repeating personal loan.
#[derive(Clone, Debug)]
pub struct Loan {
    pub slot: i64,
    pub cycle: i64,
    pub id: String,
    pub sub_type: &'static str,
    pub name: &'static str,
    /// Month index (year*12 + month0) the contract was signed.
    pub start_month: i64,
    pub start_day: Day,
    pub instalments: i64,
    pub principal_cents: i64,
    /// Monthly rate, e.g. 0.025.
    pub rate: f64,
    pub pmt_cents: i64,
}

/// A bank fixed-income investment: one cycle of a repeating CDB/LCI/LCA.
#[derive(Clone, Debug)]
pub struct Investment {
    pub id: String,
    pub kind: &'static str,
    pub purchase_day: Day,
    pub due_day: Day,
    pub principal_cents: i64,
    /// Yearly rate, e.g. 0.1125.
    pub yearly_rate: f64,
    /// A partial redemption: (day, cents).
    pub redemption: Option<(Day, i64)>,
}

pub const SALARY_DOM: u32 = 5;
pub const CARD_CLOSING_DOM: u32 = 3;
pub const CARD_DUE_DOM: u32 = 10;
pub const LOAN_DOM: u32 = 15;

const EMPLOYERS: [&str; 6] = [
    "ACME TECNOLOGIA LTDA",
    "PADARIA BOM PAO LTDA",
    "HOSPITAL SANTA CLARA",
    "LOGISTICA RAPIDA SA",
    "ESCOLA NOVO SABER",
    "CONSTRUTORA HORIZONTE",
];
pub const PEOPLE: [&str; 10] = [
    "MARIA SILVA",
    "JOAO SOUZA",
    "ANA OLIVEIRA",
    "PEDRO SANTOS",
    "JULIANA COSTA",
    "LUCAS PEREIRA",
    "FERNANDA LIMA",
    "RAFAEL ALVES",
    "BEATRIZ ROCHA",
    "GUSTAVO RIBEIRO",
];
/// (name, MCC, min cents, max cents)
const SHOPS: [(&str, u32, i64, i64); 10] = [
    ("SUPERMERCADO PAO DE ACUCAR", 5411, 4_000, 38_000),
    ("ASSAI ATACADISTA", 5411, 8_000, 45_000),
    ("DROGASIL", 5912, 1_500, 12_000),
    ("RESTAURANTE SABOR CASEIRO", 5812, 2_500, 14_000),
    ("POSTO SHELL", 5541, 8_000, 25_000),
    ("IFOOD", 5814, 2_500, 9_000),
    ("UBER DO BRASIL", 4121, 1_200, 6_500),
    ("PADARIA CENTRAL", 5462, 800, 4_500),
    ("LOJAS AMERICANAS", 5310, 3_000, 40_000),
    ("DROGARIA SAO PAULO", 5912, 1_500, 9_000),
];

/// One user's financial life at one bank.
pub struct Profile {
    pub seed: u64,
    pub big: bool,
    pub history_days: i64,
    pub salary_cents: i64,
    pub employer: &'static str,
    pub rent_cents: i64,
    pub opening_cents: i64,
    pub has_card: bool,
    pub has_loans: bool,
    /// Spending scale in percent of a R$ 6.000 salary.
    scale: i64,
}

impl Profile {
    pub fn new(seed: u64, username: &str, products: &[&str]) -> Profile {
        let big = username == "user_big";
        let salary_cents = if big {
            2_200_000
        } else {
            450_000 + (mix(seed, 1, 0) % 600_000) as i64 / 100 * 100
        };
        Profile {
            seed,
            big,
            history_days: if big { 5 * 365 + 1 } else { 365 },
            salary_cents,
            employer: pick(seed, 2, 0, &EMPLOYERS),
            rent_cents: salary_cents / 4 / 100 * 100,
            opening_cents: 800_000 + (mix(seed, 4, 0) % 1_500_000) as i64,
            has_card: products.contains(&"creditCards"),
            has_loans: products.contains(&"loans"),
            scale: (salary_cents * 100 / 600_000).clamp(60, 160),
        }
    }

    pub fn first_day(&self, today: Day) -> Day {
        today - self.history_days + 1
    }

    pub fn employer_cnpj(&self) -> String {
        cnpj(self.seed, 77)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&str] = &[
        "registration",
        "accounts",
        "creditCards",
        "loans",
        "investments",
    ];

    #[test]
    fn dates_round_trip() {
        for day in [-1000, 0, 19_000, 20_417, 20_782] {
            assert_eq!(parse_date(&date_string(day)), Some(day));
            let (y, m, d) = civil(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(date_string(20_417), "2025-11-25");
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("2025-2-3"), None);
        assert_eq!(
            day_of_month(month_index(2025, 1), 3),
            parse_date("2025-01-03").unwrap()
        );
        assert_eq!(date_time_ms(20_417, 3_723), "2025-11-25T01:02:03.000Z");
    }

    #[test]
    fn documents_have_valid_check_digits() {
        // Known-valid examples computed by the same rule.
        let c = cpf(1, 1);
        assert_eq!(c.len(), 11);
        let n = cnpj(1, 1);
        assert_eq!(n.len(), 14);
        assert_eq!(&n[8..12], "0001");
    }

    #[test]
    fn same_seed_same_data_and_big_is_big() {
        let a = Profile::new(
            seed_of("itau", "user_good", "76109277673"),
            "user_good",
            ALL,
        );
        let b = Profile::new(
            seed_of("itau", "user_good", "76109277673"),
            "user_good",
            ALL,
        );
        let k = AccountKind::Checking;
        assert_eq!(a.day(k, 20_000), b.day(k, 20_000));
        let other = Profile::new(
            seed_of("nubank", "user_good", "76109277673"),
            "user_good",
            ALL,
        );
        assert_ne!(a.salary_cents, other.salary_cents);
        let today = 20_782;
        for d in a.first_day(today)..=today {
            assert_eq!(a.count(k, d), a.day(k, d).len() as u64);
        }
        let big = Profile::new(seed_of("itau", "user_big", "76109277673"), "user_big", ALL);
        let total: u64 = big
            .accounts()
            .iter()
            .flat_map(|k| (big.first_day(today)..=today).map(|d| big.count(*k, d)))
            .sum();
        assert!(total >= 20_000, "{total}");
    }

    #[test]
    fn balances_stay_plausible() {
        let today = 20_782;
        for user in ["user_good", "user_mfa", "user_flaky", "user_big"] {
            for bank in ["itau", "nubank", "caixa", "sicoob", "bb", "btg"] {
                let p = Profile::new(seed_of(bank, user, "76109277673"), user, ALL);
                let b = p.balance_cents(AccountKind::Checking, today, today);
                assert!(b > 0 && b < 200_000_000, "{bank}/{user}: {b}");
            }
        }
    }

    #[test]
    fn loans_amortise_to_zero() {
        let p = Profile::new(
            seed_of("itau", "user_good", "76109277673"),
            "user_good",
            ALL,
        );
        for loan in p.loans_at(month_of(20_782)) {
            assert_eq!(Profile::loan_outstanding(&loan, 0), loan.principal_cents);
            assert!(Profile::loan_outstanding(&loan, loan.instalments - 1) <= loan.pmt_cents);
            assert!(loan.start_month <= month_of(20_782));
        }
    }
}
