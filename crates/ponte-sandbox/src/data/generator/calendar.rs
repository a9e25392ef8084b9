//! Calendar days, dates and money as the specifications write them.

use super::Day;

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
