//! Posted checking movements a bank changes afterwards, as real ones do:
//! - **corrected**: about one debit-card purchase in four is authorised and settles
//!   without the merchant's 10% service charge, and is corrected to its final amount the
//!   day after it settles, under the same `transactionId`;
//! - **reversed**: on about one settling day in three, one purchase that settles that day
//!   is posted a second time (`…-d`, listed `TRANSACAO_EFETIVADA` on the settling day). The
//!   bank reverses the duplicate two days later: from then on it is no longer listed.
//!
//! Like the voided holds, both live outside the ledger: the ledger (and so every balance)
//! carries each purchase once, at its final amount. Only the listing shows the provisional
//! amount and the duplicate, while they last.

use super::*;

/// Days a duplicate posting stays listed after the day it is posted.
const DUPLICATE_DAYS: Day = 1;

impl Profile {
    /// A purchase the bank corrects: the amount it is listed at on `today`, before the
    /// correction (the final amount less the service charge); `None` for every other
    /// transaction and once corrected (the day after it settles).
    pub fn provisional_cents(&self, t: &Transaction, today: Day) -> Option<i64> {
        if t.kind != "CARTAO" || t.credit || t.id.ends_with("-h") || t.id.ends_with("-d") {
            return None;
        }
        if !mix(self.seed, t.day, 7_600 + i64::from(t.seconds)).is_multiple_of(4) {
            return None;
        }
        if today > self.settles_on(t) {
            return None;
        }
        let charge = t.cents / 11;
        (charge > 0).then_some(t.cents - charge)
    }

    /// The duplicate posting listed for `day` on `today`, if any: a purchase that settles
    /// on `day`, posted twice, until it is reversed.
    pub fn duplicate_listed(&self, day: Day, today: Day) -> Option<Transaction> {
        if day > today || today - day > DUPLICATE_DAYS {
            return None;
        }
        if !mix(self.seed, day, 7_700).is_multiple_of(3) {
            return None;
        }
        let original = (day - 2..day)
            .flat_map(|d| self.day(AccountKind::Checking, d))
            .filter(|t| t.kind == "CARTAO" && !t.credit && !t.id.ends_with("-h"))
            .filter(|t| self.settles_on(t) == day && self.provisional_cents(t, day).is_none())
            .min_by_key(|t| (t.day, t.seconds))?;
        Some(Transaction {
            id: format!("{}-d", original.id),
            day,
            ..original
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Day = 20_782;
    const CPF: &str = "76109277673";

    fn at(today: Day) -> Profile {
        Profile::new("itau", "user_good", CPF, &["accounts"], today)
    }

    fn listed(day: Day, today: Day) -> Vec<Transaction> {
        at(today).listed(AccountKind::Checking, day, today)
    }

    #[test]
    fn a_corrected_purchase_settles_provisional_then_shows_its_final_amount_under_its_id() {
        let p = at(TODAY);
        let corrected: Vec<Transaction> = (TODAY - 60..=TODAY - 5)
            .flat_map(|d| p.day(AccountKind::Checking, d))
            .filter(|t| p.provisional_cents(t, t.day).is_some())
            .collect();
        assert!(corrected.len() >= 3, "{} corrected", corrected.len());
        for t in &corrected {
            let settle = p.settles_on(t);
            let on = |today: Day| {
                let l = listed(t.day, today);
                let same: Vec<_> = l.iter().filter(|u| u.id == t.id).collect();
                assert_eq!(same.len(), 1, "{} on {today}", t.id);
                (same[0].cents, at(today).pending_on(same[0], today))
            };
            let (provisional, pending) = on(settle);
            assert!(provisional < t.cents && !pending, "settled provisional");
            assert_eq!(on(settle + 1), (t.cents, false), "corrected the day after");
        }
    }

    #[test]
    fn a_duplicate_posting_is_listed_posted_then_reversed_and_never_booked() {
        let p = at(TODAY);
        let days: Vec<Day> = (TODAY - 60..=TODAY - 5)
            .filter(|d| p.duplicate_listed(*d, *d).is_some())
            .collect();
        assert!(days.len() >= 3, "{} duplicates", days.len());
        for d in days {
            let dup = p.duplicate_listed(d, d).unwrap();
            let shown = |today: Day| listed(d, today).iter().any(|t| t.id == dup.id);
            assert!(shown(d) && shown(d + 1), "listed for two days");
            assert!(!shown(d + 2), "reversed after");
            assert!(!at(d).pending_on(&dup, d), "posted, not processing");
            assert!(p
                .day(AccountKind::Checking, d)
                .iter()
                .all(|t| t.id != dup.id));
            let q = at(d);
            assert_eq!(
                q.listed_count(AccountKind::Checking, d, d),
                q.listed(AccountKind::Checking, d, d).len() as u64
            );
        }
    }

    /// Thirty days of any account at any bank show a correction and a reversal, so a
    /// month of daily sync meets both.
    #[test]
    fn every_month_has_a_correction_and_a_reversal() {
        for bank in ["itau", "nubank", "bradesco"] {
            let p = Profile::new(bank, "user_good", CPF, &["accounts"], TODAY);
            for end in (TODAY - 300..=TODAY).step_by(7) {
                let window = end - 25..=end;
                let corrections = window
                    .clone()
                    .flat_map(|d| p.day(AccountKind::Checking, d))
                    .filter(|t| p.provisional_cents(t, t.day).is_some())
                    .count();
                let reversals = window
                    .filter(|d| p.duplicate_listed(*d, *d).is_some())
                    .count();
                assert!(
                    corrections > 0 && reversals > 0,
                    "{bank} to {end}: {corrections} corrections, {reversals} reversals"
                );
            }
        }
    }
}
