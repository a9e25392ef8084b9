//! What every sandbox user's data must satisfy at every bank: balances chain, bills sum
//! to their purchases and are paid from checking, loans amortise to the cent, income is
//! the declared income, spending a believable share of it, balances stay plausible.

use super::events::What;
use super::*;
use crate::catalogue;

/// Every user of the contract's table, including those who never reach the data, and
/// `user_huge` (the memory bench's four times `user_big`).
const USERS: [&str; 9] = [
    "user_good",
    "user_deny",
    "user_mfa",
    "user_locked",
    "user_flaky",
    "user_big",
    "user_huge",
    "user_expiring",
    "user_throttled",
];
const CPF: &str = "76109277673";

fn signed(t: &Transaction) -> i64 {
    if t.credit {
        t.cents
    } else {
        -t.cents
    }
}

fn check(p: &Profile, who: &str) {
    let today = p.today;
    let first = p.first_day(today);
    let income = p.salary_cents;
    // Balances chain: opening + the day's transactions = closing, every day the API serves.
    for k in p.accounts() {
        let mut balance = p.balance_cents(k, first - 1);
        for d in first..=today {
            let txs = p.day(k, d);
            assert_eq!(p.count(k, d), txs.len() as u64, "{who} {k:?} count on {d}");
            balance += txs.iter().map(signed).sum::<i64>();
            assert_eq!(balance, p.balance_cents(k, d), "{who} {k:?} chains on {d}");
            assert!(balance >= 0, "{who} {k:?} negative on {}", date_string(d));
        }
        if k == AccountKind::Checking {
            let top = (first..=today).map(|d| p.balance_cents(k, d)).max();
            assert!(
                top.is_some_and(|t| t <= income * 3),
                "{who}: checking peaks at {top:?} on a salary of {income}"
            );
        }
    }
    let checking: Vec<Transaction> = (first..=today)
        .flat_map(|d| p.day(AccountKind::Checking, d))
        .collect();
    let paid_on = |day: Day, name: &str, cents: i64| {
        checking
            .iter()
            .any(|t| t.day == day && !t.credit && t.name.starts_with(name) && t.cents == cents)
    };
    // Bills: a bill is its purchases, paid in full from checking on its due day.
    if p.has_card {
        for m in p.bill_months(today) {
            let (a, b) = p.bill_period(m);
            let purchases: i64 = (a..=b)
                .flat_map(|d| p.card_purchases(d))
                .map(|t| t.cents)
                .sum();
            assert_eq!(p.bill_total(m), purchases, "{who} bill {m}");
            let due = day_of_month(m, CARD_DUE_DOM);
            if due <= today && due >= first && purchases > 0 {
                assert!(
                    paid_on(due, "PAGAMENTO FATURA", purchases),
                    "{who} bill {m}"
                );
            }
        }
    }
    // Loans: principal parts sum to the contract, interest is on the balance, every
    // instalment in the history is debited with its schedule's amount.
    if p.has_loans {
        let mut seen = std::collections::BTreeSet::new();
        for m in month_of(first)..=month_of(today) {
            for loan in p.loans_at(m) {
                if !seen.insert(loan.id.clone()) {
                    continue;
                }
                let s = Profile::schedule(&loan);
                assert_eq!(s.len() as i64, loan.instalments);
                let principal: i64 = s.iter().map(|i| i.principal).sum();
                assert_eq!(principal, loan.principal_cents, "{who} {}", loan.id);
                let mut balance = loan.principal_cents;
                for (n, i) in s.iter().enumerate() {
                    let interest = (balance as f64 * loan.rate).round() as i64;
                    assert_eq!(i.interest, interest, "{who} {} #{n}", loan.id);
                    assert!(i.principal > 0, "{who} {} #{n}", loan.id);
                    balance -= i.principal;
                    assert_eq!(Profile::loan_outstanding(&loan, n as i64 + 1), balance);
                }
                let same = |f: fn(&Instalment) -> i64| {
                    s[..s.len() - 1].windows(2).all(|w| f(&w[0]) == f(&w[1]))
                };
                match loan.system {
                    Amortisation::Price => assert!(same(Instalment::total), "{who} PRICE"),
                    Amortisation::Sac => assert!(same(|i| i.principal), "{who} SAC"),
                }
                for (n, i) in s.iter().enumerate() {
                    let due = day_of_month(loan.start_month + n as i64 + 1, LOAN_DOM);
                    if (first..=today).contains(&due) {
                        assert!(paid_on(due, "PARCELA", i.total()), "{who} {} #{n}", loan.id);
                    }
                }
            }
        }
    }
    // Income: the last twelve months' salaries (13th included) against the declared one.
    let year = today - 364;
    let salaries: i64 = checking
        .iter()
        .filter(|t| t.day >= year && t.kind == "FOLHA_PAGAMENTO")
        .map(|t| t.cents)
        .sum();
    let ratio = salaries as f64 / 12.0 / income as f64;
    assert!((1.0..=1.15).contains(&ratio), "{who}: income ratio {ratio}");
    // Spending: what leaves for someone else (own transfers and the loan-paid purchase
    // aside) is 80–95 % of the salaries.
    let events: Vec<events::Event> = (year..=today).flat_map(|d| p.checking_events(d)).collect();
    let spent: i64 = events
        .iter()
        .filter(|e| !e.credit && !e.own_transfer() && !matches!(e.what, What::LoanPurchase(_)))
        .map(|e| e.cents)
        .sum::<i64>()
        - events
            .iter()
            .filter(|e| matches!(e.what, What::PixIn(_)))
            .map(|e| e.cents)
            .sum::<i64>();
    let share = spent as f64 / salaries as f64;
    assert!(
        (0.80..=0.95).contains(&share),
        "{who}: spends {share:.3} of income"
    );
    // Poupança: a year of yields is what 0.5 % + TR a month pays on the balance.
    let yields: i64 = (year..=today)
        .flat_map(|d| p.day(AccountKind::Savings, d))
        .filter(|t| t.kind == "RENDIMENTO_APLIC_FINANCEIRA")
        .map(|t| t.cents)
        .sum();
    let average = (year..=today)
        .map(|d| p.balance_cents(AccountKind::Savings, d))
        .sum::<i64>()
        / 365;
    let rate = yields as f64 / average as f64;
    assert!(
        (0.06..=0.09).contains(&rate),
        "{who}: poupança paid {rate:.4} a year"
    );
}

fn every_user_at_every_bank(today: Day) {
    for bank in catalogue::banks() {
        for user in USERS {
            let p = Profile::new(bank.code, user, CPF, bank.available_resources, today);
            check(
                &p,
                &format!("{}/{user} on {}", bank.code, date_string(today)),
            );
        }
    }
}

#[test]
fn every_sandbox_user_at_every_bank_adds_up() {
    every_user_at_every_bank(20_782);
}

/// The same on other days (slower: run on demand).
#[test]
#[ignore]
fn every_sandbox_user_at_every_bank_adds_up_on_other_days() {
    for today in [20_500, 20_650, 20_900, 21_000, 21_150] {
        every_user_at_every_bank(today);
    }
}

/// `cargo test -p ponte-sandbox --lib generation_speed -- --ignored --nocapture`: a
/// full retrieval of `user_big` as the API serves it (every page of 1000 of both accounts,
/// the balances, every card transaction), three times, each from a fresh ledger.
#[test]
#[ignore]
fn generation_speed() {
    use crate::data::{page_days, Paging};
    let all = &[
        "registration",
        "accounts",
        "creditCards",
        "loans",
        "investments",
    ];
    let today = 20_793;
    let t0 = std::time::Instant::now();
    let mut n = 0usize;
    for round in 0..3 {
        // A different horizon each round, so no round reuses a cached ledger.
        let p = Profile::new("itau", "user_big", CPF, all, today + round);
        let today = today + round;
        for k in p.accounts() {
            let mut page = 1;
            loop {
                let paging = Paging { page, size: 1000 };
                let (items, total) = page_days(
                    p.first_day(today)..=today,
                    paging,
                    |d| p.count(k, d),
                    |d| p.day(k, d),
                );
                n += items.len();
                if page * 1000 >= total {
                    break;
                }
                page += 1;
            }
            n += p.balance_cents(k, today) as usize % 2;
        }
        for d in p.first_day(today)..=today {
            n += p.card_day(d).len();
        }
    }
    eprintln!(
        "user_big, 3 full retrievals: {:?} ({n} records)",
        t0.elapsed()
    );
    let t1 = std::time::Instant::now();
    let p = Profile::new("itau", "user_big", CPF, all, today);
    let l = ledger::Ledger::build(&p);
    eprintln!(
        "user_big's ledger from 2019: {:?} (balance {})",
        t1.elapsed(),
        l.balance(AccountKind::Checking, today)
    );
}
