//! The accounts statement: per account its balances, the period, opening
//! and closing balance, money in and out per month, then every transaction.
//! Transactions are read as borrowed slices of the stored JSON, so five
//! years of history cost an index into the text, not a tree of values.

use super::labels;
use super::{label, money, s, Context};
use crate::pdf::{Column, Document, TEXT_WIDTH};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Deserialize, Default)]
struct Data<'a> {
    #[serde(borrow, default)]
    accounts: Vec<Account<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account<'a> {
    #[serde(default)]
    account: Value,
    #[serde(default)]
    identification: Value,
    #[serde(default)]
    balances: Value,
    #[serde(default)]
    overdraft_limits: Value,
    #[serde(borrow, default)]
    transactions: Vec<Transaction<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Amount<'a> {
    #[serde(borrow, default)]
    pub amount: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transaction<'a> {
    #[serde(borrow, default)]
    transaction_date_time: Cow<'a, str>,
    #[serde(borrow, default)]
    transaction_name: Cow<'a, str>,
    #[serde(borrow, default, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    credit_debit_type: Cow<'a, str>,
    #[serde(borrow, default)]
    transaction_amount: Amount<'a>,
}

pub(super) fn decimal(text: &str) -> Decimal {
    text.trim().parse().unwrap_or_default()
}

/// Money in and out, with the sign the direction gives.
#[derive(Default, Clone, Copy)]
pub(super) struct Flow {
    pub money_in: Decimal,
    pub money_out: Decimal,
}

impl Flow {
    pub fn add(&mut self, credit: bool, amount: Decimal) {
        if credit {
            self.money_in += amount;
        } else {
            self.money_out += amount;
        }
    }
}

pub(super) fn accounts<W: Write>(d: &mut Document<W>, ctx: &Context, raw: &str) {
    let locale = ctx.locale;
    let t = locale.text();
    let data: Data = serde_json::from_str(raw).unwrap_or_default();
    d.paragraph(&format!("{}: {}", t.accounts_count, data.accounts.len()));
    for a in &data.accounts {
        let acc = &a.account;
        let kind = if acc["type"].is_string() {
            &acc["type"]
        } else {
            &a.identification["type"]
        };
        let name = format!(
            "{} — {} {} · {} {}-{}",
            label(locale, kind),
            t.branch,
            s(&acc["branchCode"]),
            t.account,
            s(&acc["number"]),
            s(&acc["checkDigit"])
        );
        d.heading(&name);
        // Oldest first; the bank's order when times are equal.
        let mut txs: Vec<&Transaction> = a.transactions.iter().collect();
        txs.sort_by(|x, y| x.transaction_date_time.cmp(&y.transaction_date_time));
        let mut total = Flow::default();
        let mut months: BTreeMap<&str, Flow> = BTreeMap::new();
        for tx in &txs {
            let credit = tx.credit_debit_type == "CREDITO";
            let amount = decimal(&tx.transaction_amount.amount);
            total.add(credit, amount);
            let month = tx.transaction_date_time.get(0..7).unwrap_or("");
            months.entry(month).or_default().add(credit, amount);
        }
        let closing = a.balances["availableAmount"]["amount"]
            .as_str()
            .map(decimal);
        let period = match (txs.first(), txs.last()) {
            (Some(first), Some(last)) => format!(
                "{} {} {}",
                locale.date(&first.transaction_date_time),
                t.period_to,
                locale.date(&last.transaction_date_time)
            ),
            _ => t.no_transactions.to_string(),
        };
        let or_unknown = |v: Option<Decimal>| {
            v.map(|v| locale.money(v))
                .unwrap_or_else(|| t.unknown.to_string())
        };
        d.facts(&[
            (t.period, period),
            (
                t.account_subtype,
                label(locale, &a.identification["subtype"]),
            ),
            (
                t.opening_balance,
                or_unknown(closing.map(|c| c - total.money_in + total.money_out)),
            ),
            (t.closing_balance, or_unknown(closing)),
            (t.total_in, locale.money(total.money_in)),
            (t.total_out, locale.money(total.money_out)),
            (t.blocked, money(locale, &a.balances["blockedAmount"])),
            (
                t.auto_invested,
                money(locale, &a.balances["automaticallyInvestedAmount"]),
            ),
            (
                t.overdraft_contracted,
                money(locale, &a.overdraft_limits["overdraftContractedLimit"]),
            ),
            (
                t.overdraft_used,
                money(locale, &a.overdraft_limits["overdraftUsedLimit"]),
            ),
        ]);
        d.paragraph(t.opening_note);
        if !months.is_empty() {
            d.subheading(t.by_month);
            let w = TEXT_WIDTH / 4.0;
            d.begin_table_continued(
                &format!("{name} — {} ({})", t.by_month, t.continued),
                &[
                    Column::left(t.month, w),
                    Column::right(t.inflow, w),
                    Column::right(t.outflow, w),
                    Column::right(t.net, w),
                ],
            );
            for (month, flow) in &months {
                d.row(&[
                    locale.month(month),
                    locale.money(flow.money_in),
                    locale.money(flow.money_out),
                    locale.money(flow.money_in - flow.money_out),
                ]);
            }
            d.end_table();
        }
        d.subheading(&format!(
            "{} — {} {}",
            t.transactions,
            txs.len(),
            t.transactions_note
        ));
        d.begin_table_continued(
            &format!("{name} — {} ({})", t.transactions, t.continued),
            &[
                // Wide enough for every transaction type's words on one line;
                // a longer one would wrap, never be cut.
                Column::left(t.date, 60.0),
                Column::left(t.description, 162.0),
                Column::left(t.kind, 150.0),
                Column::left(t.direction, 45.0),
                Column::right(t.amount, TEXT_WIDTH - 417.0),
            ],
        );
        for tx in &txs {
            let credit = tx.credit_debit_type == "CREDITO";
            let amount = decimal(&tx.transaction_amount.amount);
            d.row(&[
                locale.date(&tx.transaction_date_time),
                tx.transaction_name.to_string(),
                labels::label(locale, &tx.kind).into_owned(),
                labels::label(locale, &tx.credit_debit_type).into_owned(),
                locale.money(if credit { amount } else { -amount }),
            ]);
        }
        d.end_table();
    }
}
