use super::*;

const ALL: &[&str] = &[
    "registration",
    "accounts",
    "creditCards",
    "loans",
    "investments",
];
const TODAY: Day = 20_782;
const CPF: &str = "76109277673";

fn profile(bank: &str, user: &str) -> Profile {
    Profile::new(bank, user, CPF, ALL, TODAY)
}

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
    assert_eq!(date_string(ledger::EPOCH), "2019-01-01");
}

#[test]
fn documents_have_valid_check_digits() {
    let c = cpf(1, 1);
    assert_eq!(c.len(), 11);
    let n = cnpj(1, 1);
    assert_eq!(n.len(), 14);
    assert_eq!(&n[8..12], "0001");
}

#[test]
fn same_seed_same_data_one_person_everywhere_and_big_is_big() {
    let a = profile("itau", "user_good");
    let b = profile("itau", "user_good");
    let k = AccountKind::Checking;
    assert_eq!(a.day(k, 20_000), b.day(k, 20_000));
    assert_eq!(a.balance_cents(k, TODAY), b.balance_cents(k, TODAY));
    // The same person at another bank: same income and name, different day-to-day.
    let other = profile("nubank", "user_good");
    assert_eq!(a.salary_cents, other.salary_cents);
    assert_eq!(a.holder_name(), other.holder_name());
    assert_ne!(a.day(k, 20_000), other.day(k, 20_000));
    for d in a.first_day(TODAY)..=TODAY {
        assert_eq!(a.count(k, d), a.day(k, d).len() as u64);
    }
    let big = profile("itau", "user_big");
    let total: u64 = big
        .accounts()
        .iter()
        .flat_map(|k| (big.first_day(TODAY)..=TODAY).map(|d| big.count(*k, d)))
        .sum();
    assert!(total >= 20_000, "{total}");
    assert!(big.salary_cents >= 3_000_000, "a high earner");
}

#[test]
fn a_later_today_keeps_the_past() {
    let a = profile("itau", "user_big");
    let later = Profile::new("itau", "user_big", CPF, ALL, TODAY + 40);
    for d in [TODAY - 400, TODAY - 31, TODAY] {
        for k in a.accounts() {
            assert_eq!(a.day(k, d), later.day(k, d));
            assert_eq!(a.balance_cents(k, d), later.balance_cents(k, d));
        }
    }
}
