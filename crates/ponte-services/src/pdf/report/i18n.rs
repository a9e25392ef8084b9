//! The reports' one catalogue: every word a report PDF prints, in Brazilian
//! Portuguese (the default) and English, and how each language writes
//! dates and money. Each language is one value of `Text`, so a phrase added
//! to one and forgotten in the other does not compile.

mod en;
mod pt_br;
mod text;

use en::EN;
use pt_br::PT_BR;
use rust_decimal::Decimal;
pub use text::Text;

pub use ponte_core::Locale;

/// What a report prints in each language: its phrases and how it writes
/// dates, money and rates.
pub trait Words {
    fn text(self) -> &'static Text;
    fn date(self, iso: &str) -> String;
    fn month(self, iso: &str) -> String;
    fn date_time(self, ms: i64) -> String;
    fn money(self, amount: Decimal) -> String;
    fn money_text(self, amount: &str) -> String;
    fn percent(self, fraction: &str) -> String;
    fn yes_no(self, yes: bool) -> &'static str;
}

impl Words for Locale {
    fn text(self) -> &'static Text {
        match self {
            Locale::PtBr => &PT_BR,
            Locale::En => &EN,
        }
    }

    /// `2026-01-05…` → `05/01/2026` or `Jan 5, 2026`; anything else as given.
    fn date(self, iso: &str) -> String {
        let (Some(y), Some(m), Some(d)) = (iso.get(0..4), iso.get(5..7), iso.get(8..10)) else {
            return iso.to_string();
        };
        let month: usize = m.parse().unwrap_or(0);
        match self {
            Locale::PtBr => format!("{d}/{m}/{y}"),
            Locale::En => match EN.months.get(month.wrapping_sub(1)) {
                Some(name) => format!("{name} {}, {y}", d.trim_start_matches('0')),
                None => iso.to_string(),
            },
        }
    }

    /// `2026-01` → `jan/2026` or `Jan 2026`.
    fn month(self, iso: &str) -> String {
        let (Some(y), Some(m)) = (iso.get(0..4), iso.get(5..7)) else {
            return iso.to_string();
        };
        let index = m.parse::<usize>().unwrap_or(0).wrapping_sub(1);
        match (self, self.text().months.get(index)) {
            (Locale::PtBr, Some(name)) => format!("{name}/{y}"),
            (Locale::En, Some(name)) => format!("{name} {y}"),
            (_, None) => iso.to_string(),
        }
    }

    /// Unix milliseconds as a date and a UTC time.
    fn date_time(self, ms: i64) -> String {
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let iso = format!(
            "{:04}-{:02}-{:02}",
            at.year(),
            u8::from(at.month()),
            at.day()
        );
        format!(
            "{} {:02}:{:02} UTC",
            self.date(&iso),
            at.hour(),
            at.minute()
        )
    }

    /// A decimal amount of reais: `R$ 1.234,56` or `R$ 1,234.56`.
    fn money(self, amount: Decimal) -> String {
        let rounded = amount.round_dp(2);
        let text = format!("{:.2}", rounded.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
        let (group, point) = match self {
            Locale::PtBr => ('.', ','),
            Locale::En => (',', '.'),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "-"
        } else {
            ""
        };
        format!("{sign}R$ {grouped}{point}{frac}")
    }

    /// A decimal string as money; `—` when it is not a number.
    fn money_text(self, amount: &str) -> String {
        amount
            .trim()
            .parse::<Decimal>()
            .map(|d| self.money(d))
            .unwrap_or_else(|_| "—".into())
    }

    /// A rate given as a fraction (`0.119400`) as a percentage.
    fn percent(self, fraction: &str) -> String {
        match fraction.trim().parse::<Decimal>() {
            Ok(f) => {
                let text = format!("{:.2} %", (f * Decimal::from(100)).round_dp(2));
                match self {
                    Locale::PtBr => text.replace('.', ","),
                    Locale::En => text,
                }
            }
            Err(_) => "—".into(),
        }
    }

    fn yes_no(self, yes: bool) -> &'static str {
        match (self, yes) {
            (Locale::PtBr, true) => "Sim",
            (Locale::PtBr, false) => "Não",
            (Locale::En, true) => "Yes",
            (Locale::En, false) => "No",
        }
    }
}

/// `52998224725` → `***.982.247-**`; a CNPJ → `**.345.678/0001-**`.
pub fn mask_tax_id(raw: &str) -> String {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    match d.len() {
        11 => format!("***.{}.{}-**", &d[3..6], &d[6..9]),
        14 => format!("**.{}.{}/{}-**", &d[2..5], &d[5..8], &d[8..12]),
        _ => "—".into(),
    }
}

/// `49004730000150` → `49.004.730/0001-50` (an institution's, shown whole).
pub fn format_cnpj(raw: &str) -> String {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 14 {
        return raw.to_string();
    }
    format!(
        "{}.{}.{}/{}-{}",
        &d[0..2],
        &d[2..5],
        &d[5..8],
        &d[8..12],
        &d[12..14]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_dates_and_masks_per_language() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Locale::PtBr.money(d("1234.5")), "R$ 1.234,50");
        assert_eq!(Locale::PtBr.money(d("-1234567.891")), "-R$ 1.234.567,89");
        assert_eq!(Locale::En.money(d("1234567.891")), "R$ 1,234,567.89");
        assert_eq!(Locale::PtBr.money(d("12")), "R$ 12,00");
        assert_eq!(Locale::PtBr.date("2026-01-05T10:00:00Z"), "05/01/2026");
        assert_eq!(Locale::En.date("2026-01-05"), "Jan 5, 2026");
        assert_eq!(Locale::PtBr.month("2025-12"), "dez/2025");
        assert_eq!(mask_tax_id("12345678901"), "***.456.789-**");
        assert_eq!(mask_tax_id("12345678000190"), "**.345.678/0001-**");
        assert_eq!(format_cnpj("49004730000150"), "49.004.730/0001-50");
        assert_eq!(Locale::parse("PT-br"), Some(Locale::PtBr));
        assert_eq!(Locale::parse("fr"), None);
    }
}
