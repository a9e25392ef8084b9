//! Ponte's own product: figures derived from the accounts' transactions.
//! Pure functions over the accounts report `data`, so they are checked
//! against hand-computed values.

use rust_decimal::{Decimal, MathematicalOps};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

struct Tx {
    month: String,
    credit: bool,
    amount: Decimal,
    name: String,
    kind: String,
}

/// The few fields of the accounts report that insights read: parsed from
/// the report's text without building the whole document in memory. The
/// leaves are values, so one odd record is skipped rather than failing all.
#[derive(Deserialize, Default)]
struct Accounts {
    #[serde(default)]
    accounts: Vec<Account>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Account {
    balances: Value,
    transactions: Vec<RawTx>,
}

// Open Finance Brasil's own spelling of the records read here.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawTx {
    transaction_date_time: Value,
    transaction_amount: Value,
    credit_debit_type: Value,
    transaction_name: Value,
    #[serde(rename = "type")]
    kind: Value,
}

fn transactions(accounts: &Accounts) -> Vec<Tx> {
    let mut out = Vec::new();
    for t in accounts.accounts.iter().flat_map(|a| &a.transactions) {
        let (Some(when), Some(amount)) = (
            t.transaction_date_time.as_str(),
            t.transaction_amount["amount"].as_str(),
        ) else {
            continue;
        };
        let (Some(month), Ok(amount)) = (when.get(..7), Decimal::from_str(amount)) else {
            continue;
        };
        out.push(Tx {
            month: month.to_string(),
            credit: t.credit_debit_type == "CREDITO",
            amount,
            name: t.transaction_name.as_str().unwrap_or("").trim().to_string(),
            kind: t.kind.as_str().unwrap_or("").to_string(),
        });
    }
    out
}

fn money(d: Decimal) -> String {
    d.round_dp(2).to_string()
}

/// The spending category of a debit, from its name and type.
pub fn category(name: &str, kind: &str) -> &'static str {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["aluguel", "rent", "condominio", "condomínio"]) {
        "housing"
    } else if has(&[
        "energia", "luz", "água", "agua", "internet", "telefone", "gás", "gas ", "sabesp", "enel",
        "vivo", "claro",
    ]) {
        "utilities"
    } else if has(&["supermercado", "mercado", "padaria", "hortifruti", "atacad"]) {
        "groceries"
    } else if has(&["restaurante", "ifood", "lanchonete", "bar ", "café", "cafe"]) {
        "restaurants"
    } else if has(&[
        "posto",
        "combustível",
        "combustivel",
        "uber",
        "99",
        "metrô",
        "metro",
        "estacionamento",
    ]) {
        "transport"
    } else if has(&[
        "farmácia",
        "farmacia",
        "drogaria",
        "hospital",
        "clínica",
        "clinica",
        "saúde",
        "saude",
    ]) {
        "health"
    } else if has(&[
        "netflix",
        "spotify",
        "streaming",
        "disney",
        "prime",
        "cinema",
    ]) {
        "entertainment"
    } else if kind == "BOLETO" {
        "bills"
    } else if kind == "PIX" || kind == "TED" || kind == "DOC" || kind == "TEF" {
        "transfers"
    } else {
        "other"
    }
}

fn is_income(t: &Tx) -> bool {
    let n = t.name.to_lowercase();
    t.credit
        && (n.contains("salário")
            || n.contains("salario")
            || n.contains("folha")
            || n.contains("pagamento de salario")
            || n.contains("pró-labore")
            || n.contains("pro-labore"))
}

/// `accounts` is the `data` of an accounts report; `current_balance` the sum
/// of the accounts' available amounts, for the balance trend.
pub fn compute(accounts: &Value) -> Value {
    from_accounts(&Accounts::deserialize(accounts).unwrap_or_default())
}

/// Insights from the accounts report's JSON text.
pub fn compute_json(accounts: &str) -> Result<Value, String> {
    serde_json::from_str(accounts)
        .map(|a| from_accounts(&a))
        .map_err(|e| format!("the accounts data cannot be read for insights: {e}"))
}

fn from_accounts(accounts: &Accounts) -> Value {
    let txs = transactions(accounts);
    let months: BTreeSet<String> = txs.iter().map(|t| t.month.clone()).collect();

    let mut flow: BTreeMap<&str, (Decimal, Decimal)> = months
        .iter()
        .map(|m| (m.as_str(), (Decimal::ZERO, Decimal::ZERO)))
        .collect();
    for t in &txs {
        if let Some(e) = flow.get_mut(t.month.as_str()) {
            if t.credit {
                e.0 += t.amount
            } else {
                e.1 += t.amount
            }
        }
    }
    let monthly_cash_flow: Vec<Value> = flow.iter().map(|(m, (i, o))| json!({"month": m, "inflow": money(*i), "outflow": money(*o), "net": money(*i - *o)})).collect();

    // Income: salary-like credits, per source and month.
    let mut by_source: BTreeMap<&str, BTreeMap<&str, Decimal>> = BTreeMap::new();
    for t in txs.iter().filter(|t| is_income(t)) {
        *by_source
            .entry(t.name.as_str())
            .or_default()
            .entry(t.month.as_str())
            .or_default() += t.amount;
    }
    // Income is measured from the first month it shows up: a history that
    // starts mid-month (or before a first salary) would otherwise read as a
    // month without income.
    let first_income = by_source.values().flat_map(|m| m.keys().copied()).min();
    let income_months: Vec<&str> = months
        .iter()
        .map(String::as_str)
        .filter(|m| first_income.is_some_and(|f| *m >= f))
        .collect();
    let n_months = Decimal::from(income_months.len().max(1));
    let mut income_by_month: BTreeMap<&str, Decimal> =
        income_months.iter().map(|m| (*m, Decimal::ZERO)).collect();
    let sources: Vec<Value> = by_source
        .iter()
        .map(|(name, per_month)| {
            let total: Decimal = per_month.values().sum();
            for (m, v) in per_month {
                *income_by_month.entry(m).or_default() += *v;
            }
            json!({"name": name, "monthlyAverage": money(total / n_months), "months": per_month.len()})
        })
        .collect();
    let incomes: Vec<Decimal> = income_by_month.values().copied().collect();
    let average = incomes.iter().copied().sum::<Decimal>() / n_months;
    let stability = stability(&incomes, average);

    // Recurring payments: the same debit name in three or more months, amounts within 10 %.
    let mut by_payee: BTreeMap<&str, BTreeMap<&str, Decimal>> = BTreeMap::new();
    for t in txs.iter().filter(|t| !t.credit && !t.name.is_empty()) {
        *by_payee
            .entry(t.name.as_str())
            .or_default()
            .entry(t.month.as_str())
            .or_default() += t.amount;
    }
    let mut recurring: Vec<Value> = by_payee
        .iter()
        .filter(|(_, per_month)| per_month.len() >= 3)
        .filter_map(|(name, per_month)| {
            let values: Vec<Decimal> = per_month.values().copied().collect();
            let avg = values.iter().copied().sum::<Decimal>() / Decimal::from(values.len());
            let tolerance = avg / Decimal::from(10);
            values.iter().all(|v| (*v - avg).abs() <= tolerance).then(|| {
                json!({"name": name, "averageAmount": money(avg), "months": per_month.len(), "category": category(name, "")})
            })
        })
        .collect();
    recurring.sort_by(|a, b| b["months"].as_u64().cmp(&a["months"].as_u64()));

    let mut categories: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut spent = Decimal::ZERO;
    for t in txs.iter().filter(|t| !t.credit) {
        *categories.entry(category(&t.name, &t.kind)).or_default() += t.amount;
        spent += t.amount;
    }
    let mut spending: Vec<(&str, Decimal)> = categories.into_iter().collect();
    spending.sort_by_key(|s| std::cmp::Reverse(s.1));
    let spending_by_category: Vec<Value> = spending
        .iter()
        .map(|(c, v)| {
            let share = if spent.is_zero() {
                Decimal::ZERO
            } else {
                *v * Decimal::from(100) / spent
            };
            json!({"category": c, "amount": money(*v), "share": share.round_dp(1).to_string()})
        })
        .collect();

    // Balance at each month's end, walking back from today's balance.
    let current: Decimal = accounts
        .accounts
        .iter()
        .filter_map(|a| {
            let amount = a.balances["availableAmount"]["amount"].as_str()?;
            Decimal::from_str(amount).ok()
        })
        .sum();
    let mut balance = current;
    let mut trend = Vec::new();
    for (m, (i, o)) in flow.iter().rev() {
        trend.push(json!({"month": m, "closingBalance": money(balance)}));
        balance -= *i - *o;
    }
    trend.reverse();

    json!({
        "monthlyCashFlow": monthly_cash_flow,
        "income": {"monthlyAverage": money(average), "stability": stability, "sources": sources},
        "recurringPayments": recurring,
        "spendingByCategory": spending_by_category,
        "balanceTrend": trend,
    })
}

/// `HIGH` when monthly income varies by under 10 % of its mean (coefficient
/// of variation), `MEDIUM` under 30 %, `LOW` above, `NONE` without income.
fn stability(values: &[Decimal], mean: Decimal) -> &'static str {
    if mean.is_zero() || values.is_empty() {
        return "NONE";
    }
    let n = Decimal::from(values.len());
    let variance = values
        .iter()
        .map(|v| (*v - mean) * (*v - mean))
        .sum::<Decimal>()
        / n;
    let sd = variance.sqrt().unwrap_or(Decimal::ZERO);
    let cv = sd / mean;
    if cv < Decimal::new(10, 2) {
        "HIGH"
    } else if cv < Decimal::new(30, 2) {
        "MEDIUM"
    } else {
        "LOW"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(date: &str, credit: bool, amount: &str, name: &str, kind: &str) -> Value {
        json!({"transactionDateTime": format!("{date}T10:00:00.000Z"), "creditDebitType": if credit {"CREDITO"} else {"DEBITO"},
               "transactionAmount": {"amount": amount, "currency": "BRL"}, "transactionName": name, "type": kind})
    }

    /// Three months, hand-computed:
    /// Jan: +5000.00 salary, -1500.00 rent, -200.00 supermarket → net 3300.00
    /// Feb: +5000.00 salary, -1500.00 rent, -300.00 supermarket → net 3200.00
    /// Mar: +5500.00 salary, -1500.00 rent, -100.50 energy      → net 3899.50
    fn fixture() -> Value {
        json!({"accounts": [{"balances": {"availableAmount": {"amount": "10000.00", "currency": "BRL"}}, "transactions": [
            tx("2026-01-05", true, "5000.00", "SALARIO ACME LTDA", "TED"),
            tx("2026-01-10", false, "1500.00", "ALUGUEL APTO", "PIX"),
            tx("2026-01-12", false, "200.00", "SUPERMERCADO DIA", "CARTAO"),
            tx("2026-02-05", true, "5000.00", "SALARIO ACME LTDA", "TED"),
            tx("2026-02-10", false, "1500.00", "ALUGUEL APTO", "PIX"),
            tx("2026-02-15", false, "300.00", "SUPERMERCADO DIA", "CARTAO"),
            tx("2026-03-05", true, "5500.00", "SALARIO ACME LTDA", "TED"),
            tx("2026-03-10", false, "1500.00", "ALUGUEL APTO", "PIX"),
            tx("2026-03-20", false, "100.50", "ENERGIA ENEL", "BOLETO"),
        ]}]})
    }

    #[test]
    fn figures_match_the_hand_computed_ones() {
        let i = compute(&fixture());
        assert_eq!(
            i["monthlyCashFlow"][0],
            json!({"month": "2026-01", "inflow": "5000.00", "outflow": "1700.00", "net": "3300.00"})
        );
        assert_eq!(i["monthlyCashFlow"][2]["net"], "3899.50");
        // (5000 + 5000 + 5500) / 3 = 5166.666… → 5166.67; sd ≈ 235.7, cv ≈ 4.6 % → HIGH.
        assert_eq!(i["income"]["monthlyAverage"], "5166.67");
        assert_eq!(i["income"]["stability"], "HIGH");
        assert_eq!(i["income"]["sources"][0]["name"], "SALARIO ACME LTDA");
        // Rent is the only debit in all three months with steady amounts.
        assert_eq!(i["recurringPayments"].as_array().unwrap().len(), 1);
        assert_eq!(i["recurringPayments"][0]["name"], "ALUGUEL APTO");
        assert_eq!(i["recurringPayments"][0]["averageAmount"], "1500.00");
        // Spending: housing 4500.00 of 5100.50 (88.2 %), groceries 500.00, utilities 100.50.
        assert_eq!(
            i["spendingByCategory"][0],
            json!({"category": "housing", "amount": "4500.00", "share": "88.2"})
        );
        assert_eq!(i["spendingByCategory"][1]["category"], "groceries");
        assert_eq!(
            i["spendingByCategory"][2],
            json!({"category": "utilities", "amount": "100.50", "share": "2.0"})
        );
        // Balance walks back from 10000.00: Mar 10000.00, Feb 6100.50, Jan 2900.50.
        assert_eq!(
            i["balanceTrend"],
            json!([
                {"month": "2026-01", "closingBalance": "2900.50"},
                {"month": "2026-02", "closingBalance": "6100.50"},
                {"month": "2026-03", "closingBalance": "10000.00"},
            ])
        );
    }

    #[test]
    fn a_history_starting_before_the_first_salary_is_not_a_month_without_income() {
        let mut f = fixture();
        let txs = f["accounts"][0]["transactions"].as_array_mut().unwrap();
        txs.insert(
            0,
            tx("2025-12-28", false, "35.00", "PADARIA CENTRAL", "CARTAO"),
        );
        let i = compute(&f);
        assert_eq!(
            i["monthlyCashFlow"].as_array().unwrap().len(),
            4,
            "December still counts for cash flow"
        );
        assert_eq!(i["income"]["monthlyAverage"], "5166.67");
        assert_eq!(i["income"]["stability"], "HIGH");
    }

    #[test]
    fn unsteady_income_is_low_stability_and_no_income_is_none() {
        let mut f = fixture();
        f["accounts"][0]["transactions"][6]["transactionAmount"]["amount"] = json!("15000.00");
        assert_eq!(compute(&f)["income"]["stability"], "LOW");
        assert_eq!(
            compute(&json!({"accounts": []}))["income"]["stability"],
            "NONE"
        );
    }
}
