//! Credit cards and their bills, loans (PRICE and SAC schedules to the cent), fixed-income
//! investments at a percentage of the CDI.

use super::people::{mean_shop, SHOPS};
use super::*;

impl Profile {
    // ---- credit card ----

    pub fn card_id(&self) -> String {
        format!("cc-{:016x}", self.seed)
    }

    pub fn card_limit_cents(&self) -> i64 {
        (self.salary_cents * 2 / 100_000).max(3) * 100_000
    }

    /// Purchases a day has: 0–2 (0–3 for the high earner).
    fn card_count(&self, day: Day) -> u64 {
        mix(self.seed, day, 3) % if self.big { 4 } else { 3 }
    }

    /// Multiplier on the shops' raw amounts so a month's purchases and subscriptions come
    /// to the person's card budget on average.
    fn card_scale(&self) -> f64 {
        let per_day = if self.big { 1.5 } else { 1.0 };
        let purchases = (self.card_budget_cents - SUBSCRIPTIONS_CENTS).max(10_000);
        purchases as f64 / (per_day * 30.44 * mean_shop())
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
        let scale = self.card_scale();
        for k in 0..self.card_count(day) as i64 {
            let r = mix(s, day, 40 + k);
            let (shop, mcc, lo, hi) = SHOPS[(r % SHOPS.len() as u64) as usize];
            let cents = lo + ((r >> 12) % (hi - lo) as u64) as i64;
            push(shop.to_string(), mcc, (cents as f64 * scale).round() as i64);
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

    pub(super) fn loan(&self, slot: i64, m: i64) -> Loan {
        let s = self.seed;
        let (period, sub_type, name, system) = if slot == 0 {
            (
                24,
                "CREDITO_PESSOAL_SEM_CONSIGNACAO",
                "EMPRESTIMO PESSOAL",
                Amortisation::Price,
            )
        } else {
            (
                36,
                "CREDITO_PESSOAL_COM_CONSIGNACAO",
                "CREDITO CONSIGNADO",
                Amortisation::Sac,
            )
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
        Loan {
            slot,
            cycle,
            id: format!("loan-{:012x}-{slot}-{cycle}", s >> 16),
            sub_type,
            name,
            system,
            start_month,
            start_day,
            instalments: period,
            principal_cents: principal,
            rate,
        }
    }

    /// The loan's instalments in cents: interest on the outstanding balance each month,
    /// the principal parts summing exactly to the contracted amount (the last instalment
    /// takes the rounding).
    pub fn schedule(loan: &Loan) -> Vec<Instalment> {
        let n = loan.instalments;
        let r = loan.rate;
        let pmt =
            (loan.principal_cents as f64 * r / (1.0 - (1.0 + r).powi(-(n as i32)))).round() as i64;
        let sac = loan.principal_cents / n;
        let mut balance = loan.principal_cents;
        (1..=n)
            .map(|k| {
                let interest = (balance as f64 * r).round() as i64;
                let principal = if k == n {
                    balance
                } else {
                    match loan.system {
                        Amortisation::Price => pmt - interest,
                        Amortisation::Sac => sac,
                    }
                };
                balance -= principal;
                Instalment {
                    principal,
                    interest,
                }
            })
            .collect()
    }

    /// Outstanding principal after `paid` instalments.
    pub fn loan_outstanding(loan: &Loan, paid: i64) -> i64 {
        loan.principal_cents
            - Profile::schedule(loan)
                .iter()
                .take(paid.max(0) as usize)
                .map(|i| i.principal)
                .sum::<i64>()
    }

    // ---- investments ----

    pub fn investments_at(&self, day: Day) -> Vec<Investment> {
        let n = 1 + (self.seed >> 8) % 3;
        (0..n as i64)
            .map(|slot| self.investment(slot, day))
            .collect()
    }

    pub(super) fn investment(&self, slot: i64, day: Day) -> Investment {
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
        // CDBs pay 100–120 % of the CDI; tax-free LCI/LCA 85–97 %.
        let cdi_pct = match kind {
            "CDB" => range(s, 405, cycle, 100, 121),
            _ => range(s, 406 + slot, cycle, 85, 98),
        } as f64
            / 100.0;
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
            cdi_pct,
            redemption,
        }
    }
}

/// Netflix, Spotify and Amazon Prime, every month.
const SUBSCRIPTIONS_CENTS: i64 = 5_590 + 2_190 + 1_990;
