//! Checking and savings accounts: salary, rent, bills, PIX, card bill payments, the
//! poupança's deposits, sweeps and yields.

use super::events::{Event, What};
use super::*;

/// Month-end sweeps happen after the day's other movements.
const SWEEP_SECONDS: u32 = 23 * 3600 + 30 * 60;

impl Profile {
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

    /// The checking account's movements of `day`, sweep included, in generation order.
    pub fn checking_events(&self, day: Day) -> Vec<Event> {
        let l = self.ledger();
        let mut out = self.base_events(day, l.scale(month_of(day)));
        let sweep = l.sweep(day);
        if sweep != 0 {
            out.push(Event {
                kind: "TRANSFERENCIA_MESMA_INSTITUICAO",
                credit: sweep < 0,
                cents: sweep.abs(),
                what: if sweep > 0 {
                    What::SavingsSweep
                } else {
                    What::SavingsRedeem
                },
            });
        }
        out
    }

    /// The poupança's movements of `day`: (credit, cents, name, seconds).
    fn savings_events(&self, day: Day) -> Vec<(bool, i64, &'static str, u32)> {
        let l = self.ledger();
        let mut out = Vec::new();
        let y = l.yield_on(day);
        if y > 0 {
            out.push((true, y, "RENDIMENTO POUPANCA", 6 * 3600));
        }
        if civil(day).2 == SAVINGS_DOM {
            out.push((true, self.deposit_cents, "APLICACAO POUPANCA", 9 * 3600));
        }
        let sweep = l.sweep(day);
        if sweep > 0 {
            out.push((true, sweep, "APLICACAO AUTOMATICA POUPANCA", SWEEP_SECONDS));
        } else if sweep < 0 {
            out.push((false, -sweep, "RESGATE AUTOMATICO POUPANCA", SWEEP_SECONDS));
        }
        out
    }

    /// How many transactions an account has on `day`, without naming them.
    pub fn count(&self, kind: AccountKind, day: Day) -> u64 {
        match kind {
            AccountKind::Checking => {
                self.calendar_events(day).len() as u64
                    + self.extras(day)
                    + u64::from(self.ledger().sweep(day) != 0)
            }
            AccountKind::Savings => self.savings_events(day).len() as u64,
        }
    }

    /// The transactions of one account on one day, in time order.
    pub fn day(&self, kind: AccountKind, day: Day) -> Vec<Transaction> {
        match kind {
            AccountKind::Checking => self.checking_day(day),
            AccountKind::Savings => self.savings_day(day),
        }
    }

    fn checking_day(&self, day: Day) -> Vec<Transaction> {
        let s = self.seed;
        let mut out: Vec<Transaction> = self
            .checking_events(day)
            .iter()
            .enumerate()
            .map(|(n, e)| {
                let n = n as i64;
                let seconds = if matches!(e.what, What::SavingsSweep | What::SavingsRedeem) {
                    SWEEP_SECONDS
                } else {
                    7 * 3600 + (mix(s, day, 1000 + n) % (15 * 3600)) as u32
                };
                let (name, party) = self.label(e, day);
                Transaction {
                    id: format!("tx{:08x}-{day}-{n}", s as u32),
                    day,
                    seconds,
                    credit: e.credit,
                    kind: e.kind,
                    name,
                    cents: e.cents,
                    party,
                }
            })
            .collect();
        out.sort_by_key(|t| t.seconds);
        out
    }

    fn savings_day(&self, day: Day) -> Vec<Transaction> {
        self.savings_events(day)
            .into_iter()
            .enumerate()
            .map(|(n, (credit, cents, name, seconds))| Transaction {
                id: format!("sv{:08x}-{day}-{n}", self.seed as u32),
                day,
                seconds,
                credit,
                kind: match name {
                    "RENDIMENTO POUPANCA" => "RENDIMENTO_APLIC_FINANCEIRA",
                    _ => "TRANSFERENCIA_MESMA_INSTITUICAO",
                },
                name: name.into(),
                cents,
                party: None,
            })
            .collect()
    }

    /// Balance (cents) at the end of `through`.
    pub fn balance_cents(&self, kind: AccountKind, through: Day) -> i64 {
        self.ledger().balance(kind, through)
    }
}
