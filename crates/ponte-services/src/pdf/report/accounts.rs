//! The accounts statement: per account its balances, the period, opening
//! and closing balance, money in and out per month, then every transaction,
//! oldest first. Laid out from the stored report as it is read, twice: the
//! first pass sums each account (what is printed above its transactions),
//! the second prints the transactions as they come. Only an account whose
//! transactions are not already oldest first keeps them (the printed part)
//! to sort; five years of history in order cost a page of text at a time.

use super::i18n::Words;
use super::labels;
use super::walk::{walk, Walk};
use super::{label, money, s, Context, DataText};
use crate::pdf::{Column, Document, TEXT_WIDTH};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Amount<'a> {
    #[serde(borrow, default)]
    pub amount: Cow<'a, str>,
}

#[derive(Deserialize, Default)]
struct OwnedAmount {
    #[serde(default)]
    amount: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transaction {
    #[serde(default)]
    transaction_date_time: String,
    #[serde(default)]
    transaction_name: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    credit_debit_type: String,
    #[serde(default)]
    transaction_amount: OwnedAmount,
}

impl Transaction {
    fn credit(&self) -> bool {
        self.credit_debit_type == "CREDITO"
    }
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

/// One account as the first pass leaves it: all that is printed above its
/// transactions.
#[derive(Default)]
struct Head {
    fields: BTreeMap<String, Value>,
    count: usize,
    total: Flow,
    months: BTreeMap<String, Flow>,
    /// The oldest and newest times (the period).
    first: Option<String>,
    last: Option<String>,
    /// The bank listed them oldest first (ties in any order): the second
    /// pass prints them as they come.
    in_order: bool,
    /// The previous transaction's time, while checking the order.
    previous: Option<String>,
}

impl Head {
    fn field(&self, key: &str) -> &Value {
        self.fields.get(key).unwrap_or(&Value::Null)
    }
}

/// The first pass: each account's sums.
#[derive(Default)]
struct Sums {
    heads: Vec<Head>,
}

impl Walk for Sums {
    type Record = Transaction;
    const FIELDS: bool = true;

    fn account_start(&mut self, _: usize) {
        self.heads.push(Head {
            in_order: true,
            ..Head::default()
        });
    }

    fn field(&mut self, key: &str, value: Value) {
        if let Some(h) = self.heads.last_mut() {
            h.fields.insert(key.to_string(), value);
        }
    }

    fn record(&mut self, tx: Transaction) {
        let Some(h) = self.heads.last_mut() else {
            return;
        };
        let at = tx.transaction_date_time.as_str();
        let amount = decimal(&tx.transaction_amount.amount);
        h.count += 1;
        h.total.add(tx.credit(), amount);
        let month = at.get(0..7).unwrap_or("");
        match h.months.get_mut(month) {
            Some(flow) => flow.add(tx.credit(), amount),
            None => {
                let mut flow = Flow::default();
                flow.add(tx.credit(), amount);
                h.months.insert(month.to_string(), flow);
            }
        }
        if h.first.as_deref().is_none_or(|f| at < f) {
            h.first = Some(at.to_string());
        }
        if h.last.as_deref().is_none_or(|l| at >= l) {
            h.last = Some(at.to_string());
        }
        if h.previous.as_deref().is_some_and(|p| at < p) {
            h.in_order = false;
        }
        h.previous = Some(tx.transaction_date_time);
    }

    fn account_end(&mut self) {}
}

/// The second pass: each account's page, its transactions as they come.
struct Print<'d, W: Write> {
    d: &'d mut Document<W>,
    ctx: &'d Context,
    heads: &'d [Head],
    current: Option<&'d Head>,
    /// An account listed out of order: its rows, sorted at its end.
    held: Vec<Row>,
}

/// A transaction as printed, with its time to sort by.
struct Row {
    at: String,
    cells: [String; 5],
}

impl<W: Write> Print<'_, W> {
    fn row(&self, tx: &Transaction) -> [String; 5] {
        let locale = self.ctx.locale;
        let amount = decimal(&tx.transaction_amount.amount);
        [
            locale.date(&tx.transaction_date_time),
            tx.transaction_name.clone(),
            labels::label(locale, &tx.kind).into_owned(),
            labels::label(locale, &tx.credit_debit_type).into_owned(),
            locale.money(if tx.credit() { amount } else { -amount }),
        ]
    }
}

impl<W: Write> Walk for Print<'_, W> {
    type Record = Transaction;
    const FIELDS: bool = false;

    fn account_start(&mut self, index: usize) {
        self.current = self.heads.get(index);
        if let Some(h) = self.current {
            head(self.d, self.ctx, h);
        }
    }

    fn field(&mut self, _: &str, _: Value) {}

    fn record(&mut self, tx: Transaction) {
        match self.current {
            Some(h) if h.in_order => {
                let cells = self.row(&tx);
                self.d.row(&cells);
            }
            Some(_) => {
                let cells = self.row(&tx);
                self.held.push(Row {
                    at: tx.transaction_date_time,
                    cells,
                });
            }
            None => {}
        }
    }

    fn account_end(&mut self) {
        if self.current.take().is_none() {
            return;
        }
        // Oldest first; the bank's order when times are equal.
        self.held.sort_by(|x, y| x.at.cmp(&y.at));
        for row in self.held.drain(..) {
            self.d.row(&row.cells);
        }
        self.d.end_table();
    }
}

/// The statement of the report whose data `text` reads.
pub(super) fn accounts<W: Write>(
    d: &mut Document<W>,
    ctx: &Context,
    text: &mut dyn DataText,
) -> io::Result<()> {
    let t = ctx.locale.text();
    let mut sums = Sums::default();
    match walk(text.read()?, &mut sums) {
        Ok(()) => {}
        // The text could not be read (a stored chunk missing or not
        // opening): no PDF rather than one that says there is nothing.
        Err(e) if e.is_io() => return Err(io::Error::from(e)),
        // A report that is not an accounts report's shape has no accounts.
        Err(_) => sums.heads.clear(),
    }
    d.paragraph(&format!("{}: {}", t.accounts_count, sums.heads.len()));
    if sums.heads.is_empty() {
        return Ok(());
    }
    let mut print = Print {
        d,
        ctx,
        heads: &sums.heads,
        current: None,
        held: Vec::new(),
    };
    // The same text read again: it was whole the first time.
    walk(text.read()?, &mut print).map_err(io::Error::from)
}

fn head<W: Write>(d: &mut Document<W>, ctx: &Context, h: &Head) {
    let locale = ctx.locale;
    let t = locale.text();
    let (acc, identification) = (h.field("account"), h.field("identification"));
    let (balances, overdraft) = (h.field("balances"), h.field("overdraftLimits"));
    let kind = if acc["type"].is_string() {
        &acc["type"]
    } else {
        &identification["type"]
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
    let closing = balances["availableAmount"]["amount"].as_str().map(decimal);
    let period = match (&h.first, &h.last) {
        (Some(first), Some(last)) => format!(
            "{} {} {}",
            locale.date(first),
            t.period_to,
            locale.date(last)
        ),
        _ => t.no_transactions.to_string(),
    };
    let or_unknown = |v: Option<Decimal>| {
        v.map(|v| locale.money(v))
            .unwrap_or_else(|| t.unknown.to_string())
    };
    let total = h.total;
    d.facts(&[
        (t.period, period),
        (t.account_subtype, label(locale, &identification["subtype"])),
        (
            t.opening_balance,
            or_unknown(closing.map(|c| c - total.money_in + total.money_out)),
        ),
        (t.closing_balance, or_unknown(closing)),
        (t.total_in, locale.money(total.money_in)),
        (t.total_out, locale.money(total.money_out)),
        (t.blocked, money(locale, &balances["blockedAmount"])),
        (
            t.auto_invested,
            money(locale, &balances["automaticallyInvestedAmount"]),
        ),
        (
            t.overdraft_contracted,
            money(locale, &overdraft["overdraftContractedLimit"]),
        ),
        (
            t.overdraft_used,
            money(locale, &overdraft["overdraftUsedLimit"]),
        ),
    ]);
    d.paragraph(t.opening_note);
    if !h.months.is_empty() {
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
        for (month, flow) in &h.months {
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
        t.transactions, h.count, t.transactions_note
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
}
