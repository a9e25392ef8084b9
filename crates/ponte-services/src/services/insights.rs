//! Ponte's own product: figures derived from the accounts' transactions.
//! Pure functions over the accounts report `data`, so they are checked
//! against hand-computed values.
//!
//! Transfers between the holder's own accounts ([`own`]) are neither income
//! nor spending; each figure says how it is worked out in `methods`, in the
//! link's language ([`Locale`]), and each category carries a `label` beside
//! its stable `category` code.

mod labels;
mod own;
mod read;
mod stream;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;

pub use labels::{category, category_label, Locale};
use std::io::Read;
use stream::{History, Tx};

use rust_decimal::{Decimal, MathematicalOps};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What insights know beyond the report: whose accounts they are and in
/// which language to explain them.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The consent's CPF/CNPJ: a PIX or TED to one of them is a transfer
    /// between own accounts.
    pub holder_tax_ids: Vec<String>,
    pub locale: Locale,
    /// How many transactions the report holds, when known (0 when not):
    /// room for their figures is made at once, where growing it would
    /// reach twice as much for a moment (5.3 MB for `user_huge`).
    pub transactions: usize,
}

fn money(d: Decimal) -> String {
    d.round_dp(2).to_string()
}

fn is_income(t: &Tx, name: &str) -> bool {
    let n = name.to_lowercase();
    t.credit
        && !t.own
        && (n.contains("salário")
            || n.contains("salario")
            || n.contains("folha")
            || n.contains("pagamento de salario")
            || n.contains("pró-labore")
            || n.contains("pro-labore"))
}

/// The 13th salary ("13 SALARIO", "13º salário", "décimo terceiro").
fn is_thirteenth(name: &str) -> bool {
    let n = name.to_lowercase();
    n.starts_with("13")
        || n.contains("13º")
        || n.contains("décimo terceiro")
        || n.contains("decimo terceiro")
}

/// The webhook's `summary` of derived insights: the months of cash flow
/// (the connector's plan counts what institutions share, not what Ponte derives).
pub fn summary(insights: &Value) -> Value {
    json!({"months": insights["monthlyCashFlow"].as_array().map_or(0, Vec::len)})
}

/// `accounts` is the `data` of an accounts report, explained in Portuguese.
pub fn compute(accounts: &Value) -> Value {
    compute_with(accounts, &Context::default())
}

/// Insights from an accounts report's `data` as a value; data that is not
/// an accounts report reads as no accounts.
pub fn compute_with(accounts: &Value, ctx: &Context) -> Value {
    let text = accounts.to_string();
    compute_json_with(&text, ctx).unwrap_or_else(|_| figures(&History::default(), ctx))
}

/// Insights from the accounts report's JSON text, explained in Portuguese.
pub fn compute_json(accounts: &str) -> Result<Value, String> {
    compute_json_with(accounts, &Context::default())
}

/// Insights from the accounts report's JSON text for `ctx`'s holder and language.
pub fn compute_json_with(accounts: &str, ctx: &Context) -> Result<Value, String> {
    compute_reader_with(accounts.as_bytes(), ctx)
}

/// Insights from the accounts report's JSON text as `accounts` reads it, a
/// record at a time: what is held is each transaction's few figures, never
/// the text (see [`stream`]).
pub fn compute_reader_with<R: Read>(accounts: R, ctx: &Context) -> Result<Value, String> {
    stream::read(accounts, &ctx.holder_tax_ids, ctx.transactions)
        .map(|history| figures(&history, ctx))
        .map_err(|e| format!("the accounts data cannot be read for insights: {e}"))
}

fn figures(history: &History, ctx: &Context) -> Value {
    let txs = &history.txs;
    let s = &history.strings;
    // Inserted one by one: collecting would first gather every transaction's
    // month in a vector and sort it (`BTreeSet::from_iter`), 2.7 MB for the
    // 84,000 transactions of `user_huge`, the insights' largest allocation.
    let mut months: BTreeSet<&str> = BTreeSet::new();
    for t in txs {
        months.insert(s.get(t.month));
    }

    // Per month: (inflow, outflow) without own transfers; all movement (for
    // the balance walk); own transfers out.
    let zero = (Decimal::ZERO, Decimal::ZERO);
    let mut flow: BTreeMap<&str, ((Decimal, Decimal), Decimal, Decimal)> = months
        .iter()
        .map(|m| (*m, (zero, Decimal::ZERO, Decimal::ZERO)))
        .collect();
    let (mut own_total, mut own_count) = (Decimal::ZERO, 0u64);
    for t in txs {
        if let Some(e) = flow.get_mut(s.get(t.month)) {
            let signed = if t.credit { t.amount } else { -t.amount };
            e.1 += signed;
            if t.own {
                if !t.credit {
                    e.2 += t.amount;
                    own_total += t.amount;
                    own_count += 1;
                }
            } else if t.credit {
                e.0 .0 += t.amount
            } else {
                e.0 .1 += t.amount
            }
        }
    }
    let monthly_cash_flow: Vec<Value> = flow
        .iter()
        .map(|(m, ((i, o), _, own))| json!({"month": m, "inflow": money(*i), "outflow": money(*o), "net": money(*i - *o), "ownTransfers": money(*own)}))
        .collect();

    // Income: salary-like credits, per source and month.
    let mut by_source: BTreeMap<&str, BTreeMap<&str, Decimal>> = BTreeMap::new();
    for t in txs.iter().filter(|t| is_income(t, s.get(t.name))) {
        *by_source
            .entry(s.get(t.name))
            .or_default()
            .entry(s.get(t.month))
            .or_default() += t.amount;
    }
    // Income is measured from the first month it shows up: a history that
    // starts mid-month (or before a first salary) would otherwise read as a
    // month without income.
    let first_income = by_source.values().flat_map(|m| m.keys().copied()).min();
    let income_months: Vec<&str> = months
        .iter()
        .copied()
        .filter(|m| first_income.is_some_and(|f| *m >= f))
        .collect();
    let n_months = Decimal::from(income_months.len().max(1));
    let mut income_by_month: BTreeMap<&str, Decimal> =
        income_months.iter().map(|m| (*m, Decimal::ZERO)).collect();
    // The 13th salary counts as income but not against its steadiness: it
    // is expected twice a year, not a sign of an unsteady payer.
    let mut regular_by_month = income_by_month.clone();
    let mut sources: Vec<(Decimal, Value)> = by_source
        .iter()
        .map(|(name, per_month)| {
            let total: Decimal = per_month.values().sum();
            for (m, v) in per_month {
                *income_by_month.entry(m).or_default() += *v;
                if !is_thirteenth(name) {
                    *regular_by_month.entry(m).or_default() += *v;
                }
            }
            (total, json!({"name": name, "monthlyAverage": money(total / n_months), "months": per_month.len()}))
        })
        .collect();
    // The main source first (a lender reads the salary before the 13th's halves).
    sources.sort_by_key(|s| std::cmp::Reverse(s.0));
    let sources: Vec<Value> = sources.into_iter().map(|(_, v)| v).collect();
    let incomes: Vec<Decimal> = income_by_month.values().copied().collect();
    let average = incomes.iter().copied().sum::<Decimal>() / n_months;
    // Steadiness is read from the first regular pay on: a window that opens
    // on a 13th-salary month, or a latest month still short of its pay day,
    // says nothing of the payer.
    let mut regular: Vec<Decimal> = regular_by_month
        .values()
        .copied()
        .skip_while(|v| v.is_zero())
        .collect();
    if regular.len() > 1 && regular.last().is_some_and(|v| v.is_zero()) {
        regular.pop();
    }
    let stability = stability(
        &regular,
        regular.iter().copied().sum::<Decimal>() / Decimal::from(regular.len().max(1)),
    );

    // Recurring payments: the same debit name in three or more months, amounts within 10 %.
    let mut by_payee: BTreeMap<&str, BTreeMap<&str, Decimal>> = BTreeMap::new();
    for t in txs
        .iter()
        .filter(|t| !t.credit && !t.own && !s.get(t.name).is_empty())
    {
        *by_payee
            .entry(s.get(t.name))
            .or_default()
            .entry(s.get(t.month))
            .or_default() += t.amount;
    }
    let mut recurring: Vec<Value> = by_payee
        .iter()
        .filter(|(_, per_month)| per_month.len() >= 3)
        .filter_map(|(name, per_month)| {
            let values: Vec<Decimal> = per_month.values().copied().collect();
            let avg = values.iter().copied().sum::<Decimal>() / Decimal::from(values.len());
            let tolerance = avg / Decimal::from(10);
            values
                .iter()
                .all(|v| (*v - avg).abs() <= tolerance)
                .then(|| {
                    let code = category(name, "");
                    json!({"name": name, "averageAmount": money(avg), "months": per_month.len(),
                       "category": code, "label": category_label(code, ctx.locale)})
                })
        })
        .collect();
    recurring.sort_by(|a, b| b["months"].as_u64().cmp(&a["months"].as_u64()));

    let mut categories: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut spent = Decimal::ZERO;
    for t in txs.iter().filter(|t| !t.credit && !t.own) {
        *categories
            .entry(category(s.get(t.name), s.get(t.kind)))
            .or_default() += t.amount;
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
            json!({"category": c, "label": category_label(c, ctx.locale), "amount": money(*v), "share": share.round_dp(1).to_string()})
        })
        .collect();

    // Balance at each month's end, walking back from today's balance through
    // every movement (own transfers included: one to another institution
    // does leave these accounts).
    let current = history.current;
    let mut balance = current;
    let mut trend = Vec::new();
    for (m, (_, all, _)) in flow.iter().rev() {
        trend.push(json!({"month": m, "closingBalance": money(balance)}));
        balance -= *all;
    }
    trend.reverse();

    let methods: Map<String, Value> = labels::methods(ctx.locale)
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({
        "monthlyCashFlow": monthly_cash_flow,
        "income": {"monthlyAverage": money(average), "stability": stability, "sources": sources},
        "recurringPayments": recurring,
        "spendingByCategory": spending_by_category,
        "balanceTrend": trend,
        "ownTransfers": {"total": money(own_total), "count": own_count},
        "methods": methods,
        "locale": ctx.locale.tag(),
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
