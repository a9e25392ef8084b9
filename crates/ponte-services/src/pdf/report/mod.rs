//! A report as a document a person would hand to a credit analyst: the
//! figures that matter first, then the detail, per product.

mod insights;
mod products;

use super::Document;
use insights::insights;
use products::{accounts, credit_cards, investments, loans, registration};
use serde_json::Value;

pub(super) fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// `1234.5` → `R$ 1.234,50` (Brazilian format).
pub fn brl(amount: &str) -> String {
    let (neg, digits) = amount
        .strip_prefix('-')
        .map(|d| (true, d))
        .unwrap_or((false, amount));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let frac: String = frac.chars().chain("00".chars()).take(2).collect();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{}R$ {grouped},{frac}", if neg { "-" } else { "" })
}

pub(super) fn amount(v: &Value) -> String {
    v["amount"].as_str().map(brl).unwrap_or_else(|| "—".into())
}

pub(super) fn date(v: &Value) -> String {
    v.as_str()
        .map(|d| d.chars().take(10).collect())
        .unwrap_or_else(|| "—".into())
}

const PRODUCT_NAMES: [(&str, &str); 6] = [
    ("registration", "Registration"),
    ("accounts", "Accounts and transactions"),
    ("creditCards", "Credit cards"),
    ("loans", "Loans"),
    ("investments", "Investments"),
    ("insights", "Financial insights"),
];

/// Renders a report document (as `GET /data/v1/reports/{id}` returns it).
pub fn render(doc: &Value) -> Vec<u8> {
    let product = doc["product"].as_str().unwrap_or("");
    let name = PRODUCT_NAMES
        .iter()
        .find(|(p, _)| *p == product)
        .map(|(_, n)| *n)
        .unwrap_or(product);
    let footer = format!(
        "Report {} · consent {} · generated {}",
        s(&doc["reportId"]),
        s(&doc["consentId"]),
        s(&doc["generatedAt"])
    );
    let mut d = Document::new(name, &footer);
    d.heading(&format!("{name} report"));
    d.facts(&[
        ("Institution", s(&doc["institutionCode"])),
        ("Status", s(&doc["status"])),
        ("Generated at", s(&doc["generatedAt"])),
        ("Request", s(&doc["requestId"])),
    ]);
    let data = &doc["data"];
    match product {
        "registration" => registration(&mut d, data),
        "accounts" => accounts(&mut d, data),
        "creditCards" => credit_cards(&mut d, data),
        "loans" => loans(&mut d, data),
        "investments" => investments(&mut d, data),
        "insights" => insights(&mut d, data),
        _ => d.paragraph("This product has no printable layout."),
    }
    if doc["status"] == "FAILED" {
        d.paragraph(&format!("The retrieval failed: {}", s(&doc["reason"])));
    }
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brazilian_money() {
        assert_eq!(brl("1234.5"), "R$ 1.234,50");
        assert_eq!(brl("-1234567.891"), "-R$ 1.234.567,89");
        assert_eq!(brl("12"), "R$ 12,00");
    }

    #[test]
    fn an_insights_report_renders_to_a_pdf() {
        let doc = json!({"reportId": "r1", "consentId": "c1", "requestId": "q1", "generatedAt": "2026-11-25T10:00:00.000Z", "institutionCode": "itau",
            "product": "insights", "status": "SUCCESS",
            "data": {"monthlyCashFlow": [{"month": "2026-01", "inflow": "5000.00", "outflow": "1700.00", "net": "3300.00"}],
                     "income": {"monthlyAverage": "5166.67", "stability": "HIGH", "sources": [{"name": "SALÁRIO ACME"}]},
                     "spendingByCategory": [{"category": "housing", "amount": "4500.00", "share": "88.2"}], "recurringPayments": [], "balanceTrend": []}});
        let pdf = render(&doc);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 1500);
    }
}
