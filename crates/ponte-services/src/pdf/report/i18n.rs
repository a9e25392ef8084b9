//! The reports' one catalogue: every word a report PDF prints, in Brazilian
//! Portuguese (the default) and English, and how each language writes
//! dates and money. Each language is one value of `Text`, so a phrase added
//! to one and forgotten in the other does not compile.

mod en;
mod pt_br;

use en::EN;
use ponte_core::Product;
use pt_br::PT_BR;
use rust_decimal::Decimal;

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

/// Every phrase of the report PDFs.
pub struct Text {
    pub months: [&'static str; 12],
    pub page: &'static str,
    pub of: &'static str,
    pub report: &'static str,
    pub consent: &'static str,
    pub generated: &'static str,
    // Titles, by product.
    pub registration: &'static str,
    pub accounts: &'static str,
    pub credit_cards: &'static str,
    pub loans: &'static str,
    pub investments: &'static str,
    pub insights: &'static str,
    pub unknown_product: &'static str,
    // What a report is built from.
    pub built_from: &'static str,
    pub built_from_note: &'static str,
    pub institution: &'static str,
    pub institution_cnpj: &'static str,
    pub compe: &'static str,
    pub holder: &'static str,
    pub holder_document: &'static str,
    pub consent_id: &'static str,
    pub request_id: &'static str,
    pub report_id: &'static str,
    pub version: &'static str,
    pub generated_at: &'static str,
    pub status: &'static str,
    pub status_success: &'static str,
    pub status_failed: &'static str,
    pub permissions: &'static str,
    pub failed: &'static str,
    pub no_layout: &'static str,
    pub unknown: &'static str,
    // Accounts.
    pub account: &'static str,
    pub branch: &'static str,
    pub account_number: &'static str,
    pub account_subtype: &'static str,
    pub period: &'static str,
    pub period_to: &'static str,
    pub available: &'static str,
    pub blocked: &'static str,
    pub auto_invested: &'static str,
    pub overdraft_contracted: &'static str,
    pub overdraft_used: &'static str,
    pub opening_balance: &'static str,
    pub closing_balance: &'static str,
    pub total_in: &'static str,
    pub total_out: &'static str,
    pub opening_note: &'static str,
    pub by_month: &'static str,
    pub month: &'static str,
    pub inflow: &'static str,
    pub outflow: &'static str,
    pub net: &'static str,
    pub transactions: &'static str,
    pub transactions_note: &'static str,
    pub date: &'static str,
    pub description: &'static str,
    pub kind: &'static str,
    pub direction: &'static str,
    pub amount: &'static str,
    pub accounts_count: &'static str,
    pub continued: &'static str,
    pub no_transactions: &'static str,
    // Credit cards.
    pub card_network: &'static str,
    pub card_product: &'static str,
    pub card_final: &'static str,
    pub limit: &'static str,
    pub used: &'static str,
    pub bills: &'static str,
    pub due_date: &'static str,
    pub total: &'static str,
    pub minimum: &'static str,
    pub instalment: &'static str,
    pub paid: &'static str,
    pub payment_kind: &'static str,
    // Loans.
    pub contracts: &'static str,
    pub product: &'static str,
    pub signed: &'static str,
    pub contract_amount: &'static str,
    pub instalments: &'static str,
    pub paid_instalments: &'static str,
    pub outstanding: &'static str,
    pub next_instalment: &'static str,
    pub amortization: &'static str,
    pub periodicity: &'static str,
    pub cet: &'static str,
    pub final_due: &'static str,
    // Investments.
    pub fixed_incomes: &'static str,
    pub issuer: &'static str,
    pub maturity: &'static str,
    pub gross_balance: &'static str,
    pub net_balance: &'static str,
    pub indexer: &'static str,
    pub rate: &'static str,
    // Registration.
    pub identification: &'static str,
    pub name: &'static str,
    pub document: &'static str,
    pub birth_date: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub city: &'static str,
    pub qualification: &'static str,
    pub occupation: &'static str,
    pub employer: &'static str,
    pub declared_income: &'static str,
    pub relationship: &'static str,
    pub customer_since: &'static str,
    pub products: &'static str,
    // Insights.
    pub average_income: &'static str,
    pub income_stability: &'static str,
    pub income_sources: &'static str,
    pub months_analysed: &'static str,
    pub cash_flow_chart: &'static str,
    pub cash_flow_table: &'static str,
    pub spending_by_category: &'static str,
    pub category: &'static str,
    pub share: &'static str,
    pub recurring: &'static str,
    pub payee: &'static str,
    pub average: &'static str,
    pub months_count: &'static str,
    pub balance_trend: &'static str,
}

impl Text {
    /// A product's report title: the one place each product is named here.
    pub fn title(&self, product: Product) -> &'static str {
        match product {
            Product::Registration => self.registration,
            Product::Accounts => self.accounts,
            Product::CreditCards => self.credit_cards,
            Product::Loans => self.loans,
            Product::Investments => self.investments,
            Product::Insights => self.insights,
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
