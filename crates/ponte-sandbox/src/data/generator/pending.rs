//! How the checking account's recent days look before they settle, as a real bank serves
//! them: a debit-card purchase is first listed `TRANSACAO_PROCESSANDO` under the card
//! network's descriptor and settles one or two days later under the bank's own name, and
//! now and then a pre-authorisation (a fuel pump, a hotel) is held for a day and voided.
//!
//! The purchase keeps its `transactionId` when it settles: OFB lets a processing
//! transaction's id change, but only asks it to be fixed from D+1 for `CARTAO`, and a
//! stable id is what lets a client see "the same purchase, now settled" rather than a
//! second one. A voided hold is never booked, so it is outside the ledger: it lowers the
//! available balance (and shows as blocked) only while it is listed.

use super::*;

/// Where a voided pre-authorisation is made.
const HOLD_SHOPS: [&str; 3] = ["POSTO SHELL", "HOTEL IBIS", "LOCALIZA ALUGUEL CARROS"];

/// How long a pre-authorisation stays listed before it is voided (days after it is made).
const HOLD_DAYS: Day = 1;

impl Profile {
    /// The day a checking movement settles: a debit-card purchase one or two days after
    /// it is made, everything else the same day.
    pub fn settles_on(&self, t: &Transaction) -> Day {
        if t.kind != "CARTAO" {
            return t.day;
        }
        t.day + 1 + (mix(self.seed, t.day, 7_000 + i64::from(t.seconds)) % 2) as i64
    }

    /// Still processing on `today` (served `TRANSACAO_PROCESSANDO`).
    pub fn pending_on(&self, t: &Transaction, today: Day) -> bool {
        if t.id.ends_with("-d") {
            // A duplicate posting (see `corrections`) is posted from the start.
            return false;
        }
        t.id.ends_with("-h") || self.settles_on(t) > today
    }

    /// The name a processing purchase is listed under: the card network's descriptor.
    pub fn pending_name(t: &Transaction) -> String {
        match t.name.strip_prefix("COMPRA DEBITO ") {
            Some(shop) => format!("PAG*{shop}"),
            None => t.name.clone(),
        }
    }

    /// The pre-authorisation made on `day` that is voided instead of settling, if any
    /// (about one day in five), as listed while it is held.
    pub fn voided_hold(&self, day: Day) -> Option<Transaction> {
        let s = self.seed;
        if !mix(s, day, 7_500).is_multiple_of(5) {
            return None;
        }
        let shop = pick(s, day, 7_501, &HOLD_SHOPS);
        Some(Transaction {
            id: format!("tx{:08x}-{day}-h", s as u32),
            day,
            seconds: 9 * 3600 + (mix(s, day, 7_502) % (12 * 3600)) as u32,
            credit: false,
            kind: "CARTAO",
            name: format!("PAG*{shop} PRE AUTORIZACAO"),
            cents: range(s, day, 7_503, 5, 31) * 1_000,
            party: None,
        })
    }

    /// The hold of `day` if it is still listed on `today`.
    pub fn hold_listed(&self, day: Day, today: Day) -> Option<Transaction> {
        if day > today || today - day > HOLD_DAYS {
            return None;
        }
        self.voided_hold(day)
    }

    /// What the holds listed on `today` keep blocked in the checking account (cents).
    pub fn held_cents(&self, today: Day) -> i64 {
        (today - HOLD_DAYS..=today)
            .filter_map(|d| self.hold_listed(d, today))
            .map(|t| t.cents)
            .sum()
    }

    /// The transactions an account lists for `day` as seen on `today`: the booked ones
    /// and, in checking, a hold and a duplicate posting still listed, and purchases not
    /// yet corrected at their provisional amount (`corrections`), in time order.
    pub fn listed(&self, kind: AccountKind, day: Day, today: Day) -> Vec<Transaction> {
        let mut out = self.day(kind, day);
        if kind == AccountKind::Checking {
            for t in &mut out {
                if let Some(cents) = self.provisional_cents(t, today) {
                    t.cents = cents;
                }
            }
            out.extend(self.hold_listed(day, today));
            out.extend(self.duplicate_listed(day, today));
            out.sort_by_key(|t| t.seconds);
        }
        out
    }

    /// How many transactions `listed` returns, without naming them.
    pub fn listed_count(&self, kind: AccountKind, day: Day, today: Day) -> u64 {
        let checking = kind == AccountKind::Checking;
        let hold = checking && self.hold_listed(day, today).is_some();
        let duplicate = checking && self.duplicate_listed(day, today).is_some();
        self.count(kind, day) + u64::from(hold) + u64::from(duplicate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Day = 20_782;
    const CPF: &str = "76109277673";

    fn profile(today: Day) -> Profile {
        Profile::new("itau", "user_good", CPF, &["accounts"], today)
    }

    fn checking(p: &Profile, from: Day, to: Day, today: Day) -> Vec<Transaction> {
        (from..=to)
            .flat_map(|d| p.listed(AccountKind::Checking, d, today))
            .collect()
    }

    #[test]
    fn debit_purchases_process_then_settle_under_the_same_id() {
        let p = profile(TODAY);
        let purchases: Vec<Transaction> = checking(&p, TODAY - 60, TODAY, TODAY)
            .into_iter()
            .filter(|t| t.kind == "CARTAO" && !t.id.ends_with("-h"))
            .collect();
        assert!(purchases.len() > 10, "too few debit purchases to test");
        let mut lags = [0; 3];
        for t in &purchases {
            let lag = p.settles_on(t) - t.day;
            assert!((1..=2).contains(&lag), "{} settles after {lag} days", t.id);
            lags[lag as usize] += 1;
            // Processing from the day it is made until the day before it settles.
            assert!(p.pending_on(t, t.day));
            assert!(!p.pending_on(t, t.day + lag));
            // Tomorrow's bank lists the same id (settled or not), never a second one.
            let later = Profile::new("itau", "user_good", CPF, &["accounts"], t.day + lag);
            let same: Vec<_> = later
                .listed(AccountKind::Checking, t.day, t.day + lag)
                .into_iter()
                .filter(|u| u.id == t.id)
                .collect();
            assert_eq!(same.len(), 1, "{}", t.id);
            // At its amount (a corrected one at its provisional amount until the day after).
            let booked = p
                .day(AccountKind::Checking, t.day)
                .into_iter()
                .find(|u| u.id == t.id)
                .expect("booked");
            let shown = later
                .provisional_cents(&booked, t.day + lag)
                .unwrap_or(booked.cents);
            assert_eq!(same[0].cents, shown);
            assert_ne!(Profile::pending_name(t), t.name);
        }
        assert!(lags[1] > 0 && lags[2] > 0, "both lags occur: {lags:?}");
        // Transfers, bills and salary never process.
        let other = checking(&p, TODAY - 60, TODAY, TODAY)
            .into_iter()
            .filter(|t| t.kind != "CARTAO");
        for t in other {
            assert!(!p.pending_on(&t, t.day), "{} {}", t.id, t.kind);
        }
    }

    #[test]
    fn holds_are_listed_for_a_day_and_then_voided() {
        let p = profile(TODAY);
        let days: Vec<Day> = (TODAY - 90..=TODAY)
            .filter(|d| p.voided_hold(*d).is_some())
            .collect();
        assert!(days.len() > 5 && days.len() < 40, "{} holds", days.len());
        let d = days[0];
        let hold = p.voided_hold(d).map(|h| h.id);
        let listed_on = |today: Day| {
            let q = Profile::new("itau", "user_good", CPF, &["accounts"], today);
            q.listed(AccountKind::Checking, d, today)
                .iter()
                .any(|t| Some(&t.id) == hold.as_ref())
        };
        assert!(listed_on(d));
        assert!(listed_on(d + 1));
        assert!(!listed_on(d + 2), "voided after a day");
        // Never booked: the ledger's day has no hold.
        assert!(p
            .day(AccountKind::Checking, d)
            .iter()
            .all(|t| !t.id.ends_with("-h")));
        // Listed holds are what the balance shows blocked, and the listed count agrees.
        let q = Profile::new("itau", "user_good", CPF, &["accounts"], d);
        assert!(q.held_cents(d) >= p.voided_hold(d).map_or(0, |h| h.cents));
        assert_eq!(
            q.listed_count(AccountKind::Checking, d, d),
            q.listed(AccountKind::Checking, d, d).len() as u64
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_pending_days() {
        let a = profile(TODAY);
        let b = profile(TODAY);
        let ids = |p: &Profile| -> Vec<(String, bool)> {
            checking(p, TODAY - 10, TODAY, TODAY)
                .iter()
                .map(|t| (t.id.clone(), p.pending_on(t, TODAY)))
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
    }
}
