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

    // ---- accounts ----

    pub fn accounts(&self) -> [AccountKind; 2] {
        [AccountKind::Checking, AccountKind::Savings]
    }

    pub fn account_id(&self, kind: AccountKind) -> String {
        match kind {
            AccountKind::Checking => format!("acc-{:016x}-cc", self.seed),
            AccountKind::Savings => format!("acc-{:016x}-pp", self.seed),
        }
    }

    pub fn account_by_id(&self, id: &str) -> Option<AccountKind> {
        self.accounts()
            .into_iter()
            .find(|k| self.account_id(*k) == id)
    }

    /// Savings deposit of the month (10% of the salary, the day after payday).
    fn savings_deposit(&self) -> i64 {
        self.salary_cents / 10
    }

    /// How many transactions an account has on `day`, without building them.
    pub fn count(&self, kind: AccountKind, day: Day) -> u64 {
        match kind {
            AccountKind::Checking => self.fixed(day).len() as u64 + self.extras(day),
            AccountKind::Savings => self.savings_day(day).len() as u64,
        }
    }

    /// The transactions of one account on one day, in time order.
    pub fn day(&self, kind: AccountKind, day: Day) -> Vec<Transaction> {
        match kind {
            AccountKind::Checking => self.checking_day(day),
            AccountKind::Savings => self.savings_day(day),
        }
    }

    fn extras(&self, day: Day) -> u64 {
        if self.big {
            9 + mix(self.seed, day, 2) % 5
        } else {
            mix(self.seed, day, 2) % 4
        }
    }

    /// Calendar events of the checking account: (kind, credit, name, cents, party).
    #[allow(clippy::type_complexity)]
    fn fixed(&self, day: Day) -> Vec<(&'static str, bool, String, i64, Option<String>)> {
        let s = self.seed;
        let (_, _, dom) = civil(day);
        let mut out = Vec::new();
        match dom {
            SALARY_DOM => out.push((
                "FOLHA_PAGAMENTO",
                true,
                format!("SALARIO {}", self.employer),
                self.salary_cents,
                Some(format!("{}|{}", self.employer, self.employer_cnpj())),
            )),
            6 => out.push((
                "TRANSFERENCIA_MESMA_INSTITUICAO",
                false,
                "APLICACAO POUPANCA".to_string(),
                self.savings_deposit(),
                None,
            )),
            7 => out.push((
                "PIX",
                false,
                "PIX ENVIADO ALUGUEL IMOBILIARIA LAR".to_string(),
                self.rent_cents,
                Some(format!("IMOBILIARIA LAR LTDA|{}", cnpj(s, 78))),
            )),
            12 => out.push((
                "BOLETO",
                false,
                "ENERGIA ENEL SP".to_string(),
                range(s, day, 7, 9_000, 26_000),
                None,
            )),
            16 => out.push((
                "CONVENIO_ARRECADACAO",
                false,
                "AGUA SABESP".to_string(),
                range(s, day, 8, 4_000, 11_000),
                None,
            )),
            20 => out.push((
                "BOLETO",
                false,
                "INTERNET VIVO FIBRA".to_string(),
                11_990,
                None,
            )),
            25 => out.push((
                "TED",
                false,
                "TED ENVIADA CONDOMINIO RESIDENCIAL".to_string(),
                range(s, day / 31, 9, 35_000, 70_000),
                Some(format!("CONDOMINIO RESIDENCIAL|{}", cnpj(s, 79))),
            )),
            28 => out.push((
                "PACOTE_TARIFA_SERVICOS",
                false,
                "TARIFA PACOTE SERVICOS".to_string(),
                3_490,
                None,
            )),
            _ => {}
        }
        if self.has_card && dom == CARD_DUE_DOM {
            let (y, m, _) = civil(day);
            let bill = self.bill_total(month_index(y, m));
            if bill > 0 {
                out.push((
                    "BOLETO",
                    false,
                    "PAGAMENTO FATURA CARTAO".to_string(),
                    bill,
                    None,
                ));
            }
        }
        if self.has_loans && dom == LOAN_DOM {
            let (y, m, _) = civil(day);
            for loan in self.loans_at(month_index(y, m)) {
                let n = month_index(y, m) - loan.start_month;
                if (1..=loan.instalments).contains(&n) {
                    out.push((
                        "OPERACAO_CREDITO",
                        false,
                        format!("PARCELA {n}/{} EMPRESTIMO", loan.instalments),
                        loan.pmt_cents,
                        None,
                    ));
                }
            }
        }
        if self.has_loans {
            for loan in self.loans_at(month_of(day)) {
                if loan.start_day == day {
                    out.push((
                        "OPERACAO_CREDITO",
                        true,
                        format!("LIBERACAO {}", loan.name),
                        loan.principal_cents,
                        None,
                    ));
                }
            }
        }
        out
    }

    fn checking_day(&self, day: Day) -> Vec<Transaction> {
        let s = self.seed;
        let mut out: Vec<Transaction> = Vec::new();
        let mut push =
            |kind: &'static str, credit: bool, name: String, cents: i64, party: Option<String>| {
                let n = out.len() as i64;
                let seconds = 7 * 3600 + (mix(s, day, 1000 + n) % (15 * 3600)) as u32;
                out.push(Transaction {
                    id: format!("tx{:08x}-{day}-{n}", s as u32),
                    day,
                    seconds,
                    credit,
                    kind,
                    name,
                    cents: cents.max(1),
                    party,
                });
            };
        for (kind, credit, name, cents, party) in self.fixed(day) {
            push(kind, credit, name, cents, party);
        }
        for k in 0..self.extras(day) as i64 {
            let r = mix(s, day, 10 + k);
            let small = |lo: i64, hi: i64| {
                let c = lo + ((r >> 8) % (hi - lo) as u64) as i64;
                if self.big {
                    c / 6
                } else {
                    c * self.scale / 100
                }
            };
            let person = pick(s, day, 20 + k, &PEOPLE);
            let doc = cpf(s, 500 + (r % 10) as i64);
            match r % 12 {
                0..=2 => push(
                    "PIX",
                    true,
                    format!("PIX RECEBIDO {person}"),
                    small(2_000, 30_000),
                    Some(format!("{person}|{doc}")),
                ),
                3 => push(
                    "PIX",
                    false,
                    format!("PIX ENVIADO {person}"),
                    small(1_500, 12_000),
                    Some(format!("{person}|{doc}")),
                ),
                4 => push(
                    "SAQUE",
                    false,
                    "SAQUE BANCO24HORAS".to_string(),
                    (small(2_000, 30_000) / 1_000).max(1) * 1_000,
                    None,
                ),
                5 => push(
                    "BOLETO",
                    false,
                    "PAGAMENTO BOLETO LOJA VIRTUAL".to_string(),
                    small(3_000, 15_000),
                    None,
                ),
                _ => {
                    let (shop, _, lo, hi) = SHOPS[((r >> 4) % SHOPS.len() as u64) as usize];
                    push(
                        "CARTAO",
                        false,
                        format!("COMPRA DEBITO {shop}"),
                        small(lo, hi) / 3,
                        None,
                    );
                }
            }
        }
        out.sort_by_key(|t| t.seconds);
        out
    }

    fn savings_day(&self, day: Day) -> Vec<Transaction> {
        let (_, _, dom) = civil(day);
        let id = |n: i64| format!("sv{:08x}-{day}-{n}", self.seed as u32);
        let mut out = Vec::new();
        if dom == 6 {
            out.push(Transaction {
                id: id(0),
                day,
                seconds: 9 * 3600,
                credit: true,
                kind: "TRANSFERENCIA_MESMA_INSTITUICAO",
                name: "APLICACAO POUPANCA".into(),
                cents: self.savings_deposit(),
                party: None,
            });
        }
        if dom == 1 {
            // A plausible monthly yield (~0.6%) on a savings balance of a few deposits.
            out.push(Transaction {
                id: id(1),
                day,
                seconds: 6 * 3600,
                credit: true,
                kind: "RENDIMENTO_APLIC_FINANCEIRA",
                name: "RENDIMENTO POUPANCA".into(),
                cents: (self.savings_deposit() * 4 * 6 / 1000 + range(self.seed, day, 5, 0, 300))
                    .max(1),
                party: None,
            });
        }
        out
    }

    /// Balance (cents) at the end of `through`, from the opening balance at the start of
    /// the history.
    pub fn balance_cents(&self, kind: AccountKind, today: Day, through: Day) -> i64 {
        let mut b = match kind {
            AccountKind::Checking => self.opening_cents,
            AccountKind::Savings => self.opening_cents / 3,
        };
        for d in self.first_day(today)..=through {
            for t in self.day(kind, d) {
                b += if t.credit { t.cents } else { -t.cents };
            }
        }
        b
    }

    // ---- credit card ----

    pub fn card_id(&self) -> String {
        format!("cc-{:016x}", self.seed)
    }

    pub fn card_limit_cents(&self) -> i64 {
        (self.salary_cents * 2 / 100_000).max(3) * 100_000
    }

    /// Everything on the card on one day: purchases, and on the due day the payment of
    /// the bill (debited from the checking account the same day).
    pub fn card_day(&self, day: Day) -> Vec<CardTx> {
        let mut out = self.card_purchases(day);
        if civil(day).2 == CARD_DUE_DOM {
            let bill = self.bill_total(month_of(day));
            if bill > 0 {
                out.push(CardTx {
                    id: format!("ct{:08x}-{day}-p", self.seed as u32),
                    day,
                    seconds: 23 * 3600,
                    name: "PAGAMENTO RECEBIDO FATURA".into(),
                    mcc: 0,
                    cents: bill,
                    payment: true,
                });
            }
        }
        out
    }

    /// Credit-card purchases of one day.
    pub fn card_purchases(&self, day: Day) -> Vec<CardTx> {
        let s = self.seed;
        let (_, _, dom) = civil(day);
        let mut out = Vec::new();
        let mut push = |name: String, mcc: u32, cents: i64| {
            let n = out.len() as i64;
            out.push(CardTx {
                id: format!("ct{:08x}-{day}-{n}", s as u32),
                day,
                seconds: 8 * 3600 + (mix(s, day, 3000 + n) % (14 * 3600)) as u32,
                name,
                mcc,
                cents: cents.max(100),
                payment: false,
            });
        };
        match dom {
            8 => push("NETFLIX.COM".into(), 4899, 5_590),
            14 => push("SPOTIFY".into(), 4899, 2_190),
            22 => push("AMAZON PRIME".into(), 5968, 1_990),
            _ => {}
        }
        for k in 0..(mix(s, day, 3) % 3) as i64 {
            let r = mix(s, day, 40 + k);
            let (shop, mcc, lo, hi) = SHOPS[(r % SHOPS.len() as u64) as usize];
            let cents = lo + ((r >> 12) % (hi - lo) as u64) as i64;
            let cents = if self.big {
                cents / 4
            } else {
                cents * self.scale / 100 / 2
            };
            push(shop.to_string(), mcc, cents);
        }
        out.sort_by_key(|t| t.seconds);
        out
    }

    /// The bill due in month `m` covers purchases after the previous closing day up to
    /// this month's closing day: (first day, last day).
    pub fn bill_period(&self, m: i64) -> (Day, Day) {
        let close = day_of_month(m, CARD_CLOSING_DOM);
        let prev = day_of_month(m - 1, CARD_CLOSING_DOM);
        (prev + 1, close)
    }

    pub fn bill_total(&self, m: i64) -> i64 {
        let (a, b) = self.bill_period(m);
        (a..=b)
            .flat_map(|d| self.card_purchases(d))
            .map(|t| t.cents)
            .sum()
    }

    /// The month whose bill a purchase of `day` belongs to.
    pub fn bill_month_of(&self, day: Day) -> i64 {
        let m = month_of(day);
        if civil(day).2 <= CARD_CLOSING_DOM {
            m
        } else {
            m + 1
        }
    }

    pub fn bill_id(&self, m: i64) -> String {
        format!("bill-{:08x}-{m}", self.seed as u32)
    }

    /// Months (index) whose bills are closed by `today` and within the history, newest first.
    pub fn bill_months(&self, today: Day) -> Vec<i64> {
        let first = month_of(self.first_day(today)) + 1;
        let mut last = month_of(today);
        if today < day_of_month(last, CARD_CLOSING_DOM) {
            last -= 1;
        }
        (first..=last).rev().collect()
    }

    // ---- loans ----

    /// The loan contracts running (or signed) in month `m`.
    pub fn loans_at(&self, m: i64) -> Vec<Loan> {
        let mut out = vec![self.loan(0, m)];
        if self.seed.is_multiple_of(3) {
            out.push(self.loan(1, m));
        }
        out
    }

    fn loan(&self, slot: i64, m: i64) -> Loan {
        let s = self.seed;
        let (period, sub_type, name) = if slot == 0 {
            (24, "CREDITO_PESSOAL_SEM_CONSIGNACAO", "EMPRESTIMO PESSOAL")
        } else {
            (36, "CREDITO_PESSOAL_COM_CONSIGNACAO", "CREDITO CONSIGNADO")
        };
        // A new contract every `period + 2` months; the phase comes from the seed.
        let len = period + 2;
        let phase = (mix(s, 300, slot) % len as u64) as i64;
        let cycle = (m + phase).div_euclid(len);
        let start_month = cycle * len - phase;
        let start_day = day_of_month(start_month, range(s, 301 + slot, cycle, 1, 28) as u32);
        let (lo, hi) = if slot == 0 { (3, 20) } else { (2, 10) };
        let principal =
            range(s, 302 + slot, cycle, lo, hi) * self.salary_cents / 10 / 10_000 * 10_000;
        let rate = if slot == 0 {
            range(s, 303, cycle, 180, 420) as f64 / 10_000.0
        } else {
            range(s, 304, cycle, 140, 190) as f64 / 10_000.0
        };
        let pmt = principal as f64 * rate / (1.0 - (1.0 + rate).powi(-(period as i32)));
        Loan {
            slot,
            cycle,
            id: format!("loan-{:012x}-{slot}-{cycle}", s >> 16),
            sub_type,
            name,
            start_month,
            start_day,
            instalments: period,
            principal_cents: principal,
            rate,
            pmt_cents: pmt.round() as i64,
        }
    }

    /// Outstanding principal after `paid` instalments (PRICE table).
    pub fn loan_outstanding(loan: &Loan, paid: i64) -> i64 {
        if paid >= loan.instalments {
            return 0;
        }
        let g = (1.0 + loan.rate).powi(paid as i32);
        let v = loan.principal_cents as f64 * g - loan.pmt_cents as f64 * (g - 1.0) / loan.rate;
        v.round().max(0.0) as i64
    }

    // ---- investments ----

    pub fn investments_at(&self, day: Day) -> Vec<Investment> {
        let n = 1 + (self.seed >> 8) % 3;
        (0..n as i64)
            .map(|slot| self.investment(slot, day))
            .collect()
    }

    fn investment(&self, slot: i64, day: Day) -> Investment {
        let s = self.seed;
        let (kind, len) = match slot {
            0 => ("CDB", 730),
            1 => ("LCI", 540),
            _ => ("LCA", 900),
        };
        let phase = (mix(s, 400, slot) % len as u64) as i64;
        let cycle = (day + phase).div_euclid(len);
        let purchase_day = cycle * len - phase;
        let principal = range(s, 401 + slot, cycle, 10, 200) * 10_000;
        let principal = if self.big { principal * 5 } else { principal };
        let yearly_rate = match kind {
            "CDB" => range(s, 405, cycle, 1_050, 1_350),
            _ => range(s, 406 + slot, cycle, 850, 1_050),
        } as f64
            / 10_000.0;
        let redemption = mix(s, 410 + slot, cycle).is_multiple_of(2).then(|| {
            (
                purchase_day + 200 + range(s, 411, cycle, 0, 100),
                principal / 10 / 100 * 100,
            )
        });
        Investment {
            id: format!("inv-{:012x}-{slot}-{cycle}", s >> 16),
            kind,
            purchase_day,
            due_day: purchase_day + len + 10,
            principal_cents: principal,
            yearly_rate,
            redemption,
        }
    }
}

/// Growth factor of a fixed-income investment after `days` days.
pub fn growth(yearly_rate: f64, days: i64) -> f64 {
    (1.0 + yearly_rate).powf(days.max(0) as f64 / 365.0)
}

/// Income tax rate on fixed-income gains (Brazil's regressive table).
pub fn income_tax_rate(days: i64) -> f64 {
    match days {
        ..=180 => 0.225,
        181..=360 => 0.20,
        361..=720 => 0.175,
        _ => 0.15,
    }
}

/// (year, month, day) of a day number (Howard Hinnant's civil-from-days).
pub fn civil(day: Day) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number of (y, m, d) (days-from-civil).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn month_index(y: i64, m: u32) -> i64 {
    y * 12 + m as i64 - 1
}

pub fn month_of(day: Day) -> i64 {
    let (y, m, _) = civil(day);
    month_index(y, m)
}

/// Day `dom` (1..=28) of month index `m`.
pub fn day_of_month(m: i64, dom: u32) -> Day {
    days_from_civil(m.div_euclid(12), (m.rem_euclid(12) + 1) as u32, dom)
}

pub fn date_string(day: Day) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SS.000Z` (the transactions' pattern requires the milliseconds).
pub fn date_time_ms(day: Day, seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    format!("{}T{h:02}:{m:02}:{s:02}.000Z", date_string(day))
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn date_time(day: Day, seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    format!("{}T{h:02}:{m:02}:{s:02}Z", date_string(day))
}

/// Parses a strict `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let day = days_from_civil(y, m, d);
    (civil(day) == (y, m, d)).then_some(day)
}

/// Cents as the specs' decimal strings: `1234.50`, `-12.00`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
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
