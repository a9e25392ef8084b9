//! One person's accounts walked day by day from a fixed epoch: end-of-day balances, the
//! sweeps between checking and poupança, and the poupança's yields.
//!
//! Poupança at the real rule: every deposit has an anniversary (its day of the month;
//! deposits on the 29th–31st count from the 1st of the next month), and on each
//! anniversary the balance that stayed the whole month earns [`rates::poupanca_ppm`] of
//! the month that began then. Withdrawals come out of the deposits with the most recent
//! anniversary first (which costs the customer the least yield).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::events::What;
use super::*;

/// The walk starts here (2019-01-01), whatever today is.
pub const EPOCH: Day = 17_897;

/// Ledgers kept for reuse (one per person, bank and horizon); a page of transactions
/// then costs only its own days.
const CACHE_SIZE: usize = 64;

pub struct Ledger {
    first: Day,
    first_month: i64,
    /// Scale of each month's discretionary movements, from `first_month`.
    scales: Vec<f64>,
    /// End-of-day balances from `first`.
    checking: Vec<i64>,
    savings: Vec<i64>,
    /// Per day from `first`: moved to the poupança (+) or from it (−) at the day's end.
    sweeps: Vec<i64>,
    /// Per day from `first`: the poupança yield credited (0: none).
    yields: Vec<i64>,
}

/// The poupança's deposits grouped by anniversary day (1–28).
struct Poupanca {
    buckets: [i64; 29],
    /// Deposited on the 29th–31st: joins bucket 1 on the next 1st.
    waiting: i64,
}

impl Poupanca {
    fn total(&self) -> i64 {
        self.buckets.iter().sum::<i64>() + self.waiting
    }

    /// The anniversary of `dom`'s bucket: credit its yield, then let waiting deposits in.
    fn anniversary(&mut self, dom: u32, ppm: i64) -> i64 {
        if dom > 28 {
            return 0;
        }
        let b = &mut self.buckets[dom as usize];
        let y = *b * ppm / 1_000_000;
        *b += y;
        if dom == 1 {
            self.buckets[1] += self.waiting;
            self.waiting = 0;
        }
        y
    }

    fn deposit(&mut self, dom: u32, cents: i64) {
        if dom > 28 {
            self.waiting += cents;
        } else {
            self.buckets[dom as usize] += cents;
        }
    }

    /// Takes `cents` out, most recent anniversary first.
    fn withdraw(&mut self, dom: u32, mut cents: i64) {
        let take = |from: &mut i64, cents: &mut i64| {
            let t = (*from).min(*cents);
            *from -= t;
            *cents -= t;
        };
        take(&mut self.waiting, &mut cents);
        let start = dom.min(28) as usize;
        for i in (1..=start).rev().chain((start + 1..=28).rev()) {
            take(&mut self.buckets[i], &mut cents);
        }
    }
}

impl Ledger {
    /// The profile's ledger, from the shared cache when an equal one was built already.
    pub fn shared(p: &Profile) -> Arc<Ledger> {
        type Key = (u64, u64, bool, bool, bool, Day);
        static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Ledger>>>> = OnceLock::new();
        let key = (p.seed, p.person, p.big, p.has_card, p.has_loans, p.today);
        let cache = CACHE.get_or_init(Default::default);
        if let Some(l) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return l.clone();
        }
        let l = Arc::new(Ledger::build(p));
        let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CACHE_SIZE {
            map.clear();
        }
        map.insert(key, l.clone());
        l
    }

    /// Walks from the epoch (or, for a clock set before it, a month before the history)
    /// to a month past `p.today`.
    pub fn build(p: &Profile) -> Ledger {
        let first = EPOCH.min(p.first_day(p.today) - 31);
        let first = day_of_month(month_of(first), 1);
        let last = p.today + 35;
        let first_month = month_of(first);
        let i = p.salary_cents;
        let mut l = Ledger {
            first,
            first_month,
            scales: Vec::new(),
            checking: Vec::with_capacity((last - first + 1) as usize),
            savings: Vec::with_capacity((last - first + 1) as usize),
            sweeps: Vec::with_capacity((last - first + 1) as usize),
            yields: Vec::with_capacity((last - first + 1) as usize),
        };
        let mut checking = part(i, range(p.person, 9, 0, 4_000, 9_000), 100);
        let mut poupanca = Poupanca {
            buckets: [0; 29],
            waiting: 0,
        };
        // At the epoch: one to four salaries put aside, on one anniversary day.
        let months = range(p.person, 10, 0, 100, 400);
        poupanca.deposit(
            range(p.person, 11, 0, 1, 29) as u32,
            part(i, months * 100, 100),
        );
        for day in first..=last {
            let m = month_of(day);
            let (_, _, dom) = civil(day);
            if dom == 1 || l.scales.is_empty() {
                l.scales.push(p.month_scale(m));
            }
            let scale = l.scales[(m - first_month) as usize];
            l.yields
                .push(poupanca.anniversary(dom, rates::poupanca_ppm(m - 1)));
            for e in p.base_events(day, scale) {
                checking += e.signed();
                if e.what == What::SavingsDeposit {
                    poupanca.deposit(dom, e.cents);
                }
            }
            // At a month's end the account keeps 30–110 % of a salary, the surplus going
            // to the poupança; on any day a balance under 10 % is topped up from it (the
            // bank's automatic redemption), so checking never runs into overdraft.
            let month_end = day_of_month(m + 1, 1) == day + 1;
            let redeem_to = |target: i64| {
                (-((target - checking + 9_999) / 10_000 * 10_000)).max(-poupanca.total())
            };
            let sweep = if month_end && checking > i * 11 / 10 {
                (checking - i * 6 / 10) / 10_000 * 10_000
            } else if month_end && checking < i * 3 / 10 {
                redeem_to(i * 6 / 10)
            } else if checking < i / 10 {
                redeem_to(i * 4 / 10)
            } else {
                0
            };
            if sweep > 0 {
                poupanca.deposit(dom, sweep);
            } else if sweep < 0 {
                poupanca.withdraw(dom, -sweep);
            }
            checking -= sweep;
            l.sweeps.push(sweep);
            l.checking.push(checking);
            l.savings.push(poupanca.total());
        }
        l
    }

    fn at(&self, v: &[i64], day: Day) -> i64 {
        let i = (day - self.first).clamp(0, v.len() as i64 - 1);
        v[i as usize]
    }

    /// The balance at the end of `day`.
    pub fn balance(&self, kind: AccountKind, day: Day) -> i64 {
        match kind {
            AccountKind::Checking => self.at(&self.checking, day),
            AccountKind::Savings => self.at(&self.savings, day),
        }
    }

    pub fn scale(&self, m: i64) -> f64 {
        let i = (m - self.first_month).clamp(0, self.scales.len() as i64 - 1);
        self.scales[i as usize]
    }

    /// The sweep at the end of `day` (+ into the poupança, − out of it).
    pub fn sweep(&self, day: Day) -> i64 {
        if day < self.first {
            return 0;
        }
        self.sweeps
            .get((day - self.first) as usize)
            .copied()
            .unwrap_or(0)
    }

    pub fn yield_on(&self, day: Day) -> i64 {
        if day < self.first {
            return 0;
        }
        self.yields
            .get((day - self.first) as usize)
            .copied()
            .unwrap_or(0)
    }
}
