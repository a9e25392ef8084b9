//! The reference rates the sandbox's savings and fixed income earn: a fixed monthly table of
//! the Selic target and the TR, close to the published history (synthetic, but with the
//! same shape: 14.25 % in 2015–16, 2 % in 2020–21, 13.75 % in 2022–23, 15 % in 2025), so
//! poupança and %CDI products earn what a customer of those years saw.

use super::{civil, days_from_civil, month_index, month_of, Day};

/// First month of the table (January 2015).
const FIRST_YEAR: i64 = 2015;

/// Selic target at each month's end, in hundredths of a percent a year, 2015-01 onwards.
#[rustfmt::skip]
const SELIC_BP: [u16; 12 * 13] = [
    // 2015
    1225, 1225, 1275, 1325, 1325, 1375, 1425, 1425, 1425, 1425, 1425, 1425,
    // 2016
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1400, 1375, 1375,
    // 2017
    1300, 1225, 1225, 1125, 1125, 1025, 925, 925, 825, 825, 750, 700,
    // 2018
    700, 675, 650, 650, 650, 650, 650, 650, 650, 650, 650, 650,
    // 2019
    650, 650, 650, 650, 650, 650, 650, 600, 550, 500, 500, 450,
    // 2020
    450, 425, 375, 375, 300, 225, 225, 200, 200, 200, 200, 200,
    // 2021
    200, 200, 275, 275, 350, 425, 425, 525, 625, 775, 775, 925,
    // 2022
    925, 1075, 1175, 1175, 1275, 1325, 1325, 1375, 1375, 1375, 1375, 1375,
    // 2023
    1375, 1375, 1375, 1375, 1375, 1375, 1375, 1325, 1275, 1275, 1225, 1175,
    // 2024
    1175, 1125, 1075, 1075, 1050, 1050, 1050, 1050, 1075, 1075, 1125, 1225,
    // 2025
    1325, 1325, 1425, 1425, 1475, 1500, 1500, 1500, 1500, 1500, 1500, 1500,
    // 2026
    1500, 1500, 1475, 1450, 1425, 1400, 1375, 1350, 1325, 1300, 1275, 1250,
    // 2027
    1250, 1225, 1200, 1200, 1175, 1175, 1150, 1150, 1150, 1125, 1125, 1125,
];

/// TR of each month, in millionths a month (1758 = 0.1758 % a month), 2015-01 onwards.
#[rustfmt::skip]
const TR_PPM: [u16; 12 * 13] = [
    // 2015
    860, 330, 1380, 1200, 1620, 1650, 1850, 1680, 1930, 1690, 1930, 2110,
    // 2016
    1300, 1120, 2220, 1360, 1620, 2090, 1980, 2420, 1840, 1510, 1720, 1650,
    // 2017
    1700, 300, 1630, 450, 920, 550, 840, 330, 0, 0, 0, 0,
    // 2018
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 2019
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 2020
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 2021
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 2022
    0, 0, 0, 0, 0, 490, 1060, 1940, 1490, 1430, 1210, 2180,
    // 2023
    1700, 1130, 2420, 830, 2100, 1950, 1550, 2130, 1130, 1130, 760, 590,
    // 2024
    880, 330, 510, 530, 430, 440, 830, 760, 470, 870, 570, 1030,
    // 2025
    1390, 860, 1270, 1660, 1760, 1750, 1940, 1880, 1750, 1910, 1580, 1760,
    // 2026
    1650, 1380, 1600, 1490, 1430, 1350, 1390, 1280, 1180, 1200, 1080, 1040,
    // 2027
    980, 900, 940, 870, 850, 800, 820, 780, 740, 760, 700, 690,
];

fn slot(m: i64) -> usize {
    (m - month_index(FIRST_YEAR, 1)).clamp(0, SELIC_BP.len() as i64 - 1) as usize
}

/// Selic target (fraction a year) in month index `m`; outside the table, its nearest end.
pub fn selic(m: i64) -> f64 {
    SELIC_BP[slot(m)] as f64 / 10_000.0
}

/// CDI (fraction a year): the interbank rate runs ten basis points under the Selic target.
pub fn cdi(m: i64) -> f64 {
    selic(m) - 0.001
}

/// TR (fraction a month) in month index `m`.
pub fn tr(m: i64) -> f64 {
    TR_PPM[slot(m)] as f64 / 1_000_000.0
}

/// What a poupança deposit earns over the month that starts in month `m`, in millionths:
/// 0.5 % + TR while the Selic target is above 8.5 % a year, otherwise 70 % of the Selic
/// target made monthly, plus TR (the rule since May 2012).
pub fn poupanca_ppm(m: i64) -> i64 {
    let s = selic(m);
    let base = if s > 0.085 {
        0.005
    } else {
        (1.0 + 0.7 * s).powf(1.0 / 12.0) - 1.0
    };
    ((base + tr(m)) * 1_000_000.0).round() as i64
}

fn weekday(day: Day) -> bool {
    // 1970-01-01 was a Thursday (day 0); 0 = Monday.
    (day + 3).rem_euclid(7) < 5
}

/// Growth factor of `pct` of the CDI (e.g. 1.10 for 110 %) from `from` (inclusive) to
/// `to` (exclusive), compounding each business day (weekdays; 252 a year) at that month's
/// daily CDI.
pub fn cdi_growth(pct: f64, from: Day, to: Day) -> f64 {
    let mut g = 1.0;
    let mut d = from;
    while d < to {
        let m = month_of(d);
        let (y, mo, _) = civil(d);
        let next_month = if mo == 12 {
            days_from_civil(y + 1, 1, 1)
        } else {
            days_from_civil(y, mo + 1, 1)
        };
        let end = next_month.min(to);
        let business = (d..end).filter(|x| weekday(*x)).count() as i32;
        let daily = (1.0 + cdi(m)).powf(1.0 / 252.0) - 1.0;
        g *= (1.0 + daily * pct).powi(business);
        d = end;
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poupanca_follows_the_selic_rule() {
        // 2023-05: Selic 13.75 % > 8.5 % → 0.5 % + TR (0.2100 %).
        assert_eq!(poupanca_ppm(month_index(2023, 5)), 5_000 + 2_100);
        // 2020-10: Selic 2 % → 70 % of it made monthly (≈ 0.1156 %), TR zero.
        let low = poupanca_ppm(month_index(2020, 10));
        assert!((1_100..1_200).contains(&low), "{low}");
        // A year of CDI at 100 % in 2025 is about the CDI of the year (~14.6–15 %).
        let g = cdi_growth(
            1.0,
            days_from_civil(2025, 1, 1),
            days_from_civil(2026, 1, 1),
        );
        assert!((1.13..1.16).contains(&g), "{g}");
    }
}
