//! Credit cards: each card's limits, its bills, then every transaction,
//! read as borrowed slices of the stored JSON like the accounts statement.

use super::accounts::{decimal, Amount, Flow};
use super::i18n::Words;
use super::{date, label, labels, money, Context};
use crate::pdf::{Column, Document, TEXT_WIDTH};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::io::Write;

#[derive(Deserialize, Default)]
struct Data<'a> {
    #[serde(borrow, default)]
    accounts: Vec<Card<'a>>,
}

#[derive(Deserialize)]
struct Card<'a> {
    #[serde(default)]
    account: Value,
    #[serde(default)]
    identification: Value,
    #[serde(default)]
    limits: Value,
    #[serde(default)]
    bills: Value,
    #[serde(borrow, default)]
    transactions: Vec<CardTransaction<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CardTransaction<'a> {
    #[serde(borrow, default)]
    transaction_date_time: Cow<'a, str>,
    #[serde(borrow, default)]
    transaction_name: Cow<'a, str>,
    #[serde(borrow, default)]
    transaction_type: Cow<'a, str>,
    #[serde(borrow, default)]
    payment_type: Cow<'a, str>,
    #[serde(borrow, default)]
    credit_debit_type: Cow<'a, str>,
    #[serde(borrow, default)]
    brazilian_amount: Amount<'a>,
}

pub(super) fn credit_cards<W: Write>(d: &mut Document<W>, ctx: &Context, raw: &str) {
    let locale = ctx.locale;
    let t = locale.text();
    let data: Data = serde_json::from_str(raw).unwrap_or_default();
    for card in &data.accounts {
        let acc = &card.account;
        let final_digits = card.identification["paymentMethod"][0]["identificationNumber"]
            .as_str()
            .unwrap_or("—");
        // The product is named by its network and type: the card's name
        // repeats the bank's, which every page already names.
        let name = format!(
            "{} {} · {} {final_digits}",
            label(locale, &acc["creditCardNetwork"]),
            label(locale, &acc["productType"]),
            t.card_final,
        );
        d.heading(&name);
        let limit = &card.limits[0];
        let mut total = Flow::default();
        let mut txs: Vec<&CardTransaction> = card.transactions.iter().collect();
        txs.sort_by(|x, y| x.transaction_date_time.cmp(&y.transaction_date_time));
        for tx in &txs {
            total.add(
                tx.credit_debit_type == "CREDITO",
                decimal(&tx.brazilian_amount.amount),
            );
        }
        let period = match (txs.first(), txs.last()) {
            (Some(first), Some(last)) => format!(
                "{} {} {}",
                locale.date(&first.transaction_date_time),
                t.period_to,
                locale.date(&last.transaction_date_time)
            ),
            _ => t.no_transactions.to_string(),
        };
        d.facts(&[
            (t.card_network, label(locale, &acc["creditCardNetwork"])),
            (t.card_product, label(locale, &acc["productType"])),
            (t.limit, money(locale, &limit["limitAmount"])),
            (t.used, money(locale, &limit["usedAmount"])),
            (t.available, money(locale, &limit["availableAmount"])),
            (t.period, period),
            (t.total_out, locale.money(total.money_out)),
            (t.total_in, locale.money(total.money_in)),
        ]);
        let bills = card.bills.as_array().map(Vec::as_slice).unwrap_or_default();
        d.subheading(&format!("{} — {}", t.bills, bills.len()));
        let w = TEXT_WIDTH / 5.0;
        d.begin_table_continued(
            &format!("{name} — {} ({})", t.bills, t.continued),
            &[
                Column::left(t.due_date, w),
                Column::right(t.total, w),
                Column::right(t.minimum, w),
                Column::right(t.paid, w),
                Column::right(t.instalment, w),
            ],
        );
        for b in bills {
            let paid: rust_decimal::Decimal = b["payments"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| decimal(p["amount"].as_str().unwrap_or("0")))
                .sum();
            d.row(&[
                date(locale, &b["dueDate"]),
                money(locale, &b["billTotalAmount"]),
                money(locale, &b["billMinimumAmount"]),
                locale.money(paid),
                locale.yes_no(b["isInstalment"] == true).to_string(),
            ]);
        }
        d.end_table();
        d.subheading(&format!(
            "{} — {} {}",
            t.transactions,
            txs.len(),
            t.transactions_note
        ));
        d.begin_table_continued(
            &format!("{name} — {} ({})", t.transactions, t.continued),
            &[
                Column::left(t.date, 60.0),
                Column::left(t.description, 134.0),
                Column::left(t.kind, 125.0),
                Column::left(t.payment_kind, 70.0),
                Column::left(t.direction, 45.0),
                Column::right(t.amount, TEXT_WIDTH - 434.0),
            ],
        );
        for tx in &txs {
            let amount = decimal(&tx.brazilian_amount.amount);
            let credit = tx.credit_debit_type == "CREDITO";
            d.row(&[
                locale.date(&tx.transaction_date_time),
                tx.transaction_name.to_string(),
                labels::label(locale, &tx.transaction_type).into_owned(),
                labels::label(locale, &tx.payment_type).into_owned(),
                labels::label(locale, &tx.credit_debit_type).into_owned(),
                locale.money(if credit { amount } else { -amount }),
            ]);
        }
        d.end_table();
    }
}
