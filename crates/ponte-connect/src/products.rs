//! Which Open Finance calls make up each product, and how their `data` is
//! assembled into a report unchanged (see the contract's product table).

use crate::session::DataSession;
use crate::ConnectError;
use ponte_core::Product;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::io::Write;

/// How far back transactions are asked for; institutions return what they hold.
pub const HISTORY_DAYS: i64 = 5 * 366;

pub struct Window {
    pub from: String,
    pub to: String,
}

impl Window {
    /// `today` as `YYYY-MM-DD` (UTC) and the date `HISTORY_DAYS` before it.
    pub fn ending(today_ms: i64) -> Window {
        let day = |ms: i64| {
            let d = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
                .date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        };
        Window {
            from: day(today_ms - HISTORY_DAYS * 86_400_000),
            to: day(today_ms),
        }
    }
}

fn id_of(item: &Value, field: &str) -> Result<String, ConnectError> {
    item[field]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ConnectError::Protocol(format!("an item without {field}")))
}

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// A report's JSON written as its parts arrive: lists are copied item by
/// item from the institution's pages, so a five-year history passes through
/// as the text it came as, never as a tree of values, and goes wherever
/// `w` takes it (into a compressor, so the whole text is never held).
struct Out<'w, W: Write> {
    w: &'w mut W,
    /// Per open object or list: nothing written in it yet.
    empty: Vec<bool>,
    /// The first write that failed; the rest are skipped.
    failed: Option<std::io::Error>,
}

impl<'w, W: Write> Out<'w, W> {
    fn new(w: &'w mut W) -> Self {
        Out {
            w,
            empty: Vec::new(),
            failed: None,
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.w.write_all(bytes) {
                self.failed = Some(e);
            }
        }
    }

    fn comma(&mut self) {
        if let Some(empty) = self.empty.last_mut() {
            let first = std::mem::replace(empty, false);
            if !first {
                self.put(b",");
            }
        }
    }

    fn open(&mut self, bracket: u8) {
        self.put(&[bracket]);
        self.empty.push(true);
    }

    fn close(&mut self, bracket: u8) {
        self.put(&[bracket]);
        self.empty.pop();
    }

    /// Starts an object as the next item of the open list (or the document).
    fn object(&mut self) {
        self.comma();
        self.open(b'{');
    }

    fn key(&mut self, key: &str) {
        self.comma();
        self.put(b"\"");
        self.put(key.as_bytes());
        self.put(b"\":");
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), ConnectError> {
        self.key(key);
        let text = serde_json::to_vec(value).map_err(|e| ConnectError::Protocol(e.to_string()))?;
        self.put(&text);
        Ok(())
    }

    fn item(&mut self, item: &RawValue) {
        self.comma();
        self.put(item.get().as_bytes());
    }

    fn finish(self) -> Result<(), ConnectError> {
        match self.failed {
            None => Ok(()),
            Some(e) => Err(ConnectError::Protocol(format!(
                "the report could not be written: {e}"
            ))),
        }
    }
}

/// What a report holds, counted as it is written: its webhook's `summary`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Identifications, accounts, contracts or investments.
    pub records: usize,
    pub transactions: usize,
    pub bills: usize,
}

impl Counts {
    /// The webhook's `summary` for `product`, as [`summary`] reads it from
    /// the text. Insights count the months of what Ponte derives from the
    /// accounts: for them this is the accounts' summary, and [`summary`] of
    /// the derived text is theirs.
    pub fn summary(&self, product: Product) -> Value {
        match product {
            Product::Registration => json!({"identifications": self.records}),
            Product::Accounts | Product::Insights => json!({
                "accounts": self.records,
                "transactions": self.transactions,
            }),
            Product::CreditCards => json!({
                "accounts": self.records,
                "bills": self.bills,
                "transactions": self.transactions,
            }),
            Product::Loans => json!({"contracts": self.records}),
            Product::Investments => json!({"investments": self.records}),
        }
    }
}

/// `"key": [every item of the paginated resource]`; how many there were.
async fn list<W: Write + Send>(
    out: &mut Out<'_, W>,
    s: &mut DataSession<'_>,
    key: &str,
    path: &str,
    query: &[(&str, String)],
) -> Result<usize, ConnectError> {
    out.key(key);
    out.open(b'[');
    let mut n = 0;
    s.for_each_item(path, query, &mut |item| {
        n += 1;
        out.item(item)
    })
    .await?;
    out.close(b']');
    Ok(n)
}

/// Fetches one product; `data` as the report carries it, as JSON text.
pub async fn fetch(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
) -> Result<Box<RawValue>, ConnectError> {
    let mut text = Vec::with_capacity(64 * 1024);
    fetch_into(s, product, business, window, &mut text).await?;
    let text = String::from_utf8(text).map_err(|e| ConnectError::Protocol(e.to_string()))?;
    RawValue::from_string(text).map_err(|e| ConnectError::Protocol(e.to_string()))
}

/// Fetches one product and writes `data`, as the report carries it, to `w`
/// as it arrives (the same text [`fetch`] gives); what it holds, counted.
pub async fn fetch_into<W: Write + Send>(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
    w: &mut W,
) -> Result<Counts, ConnectError> {
    let dates = |from: &'static str, to: &'static str| {
        vec![(from, window.from.clone()), (to, window.to.clone())]
    };
    let mut o = Out::new(w);
    let mut n = Counts::default();
    o.object();
    match product {
        Product::Registration => {
            let base = if business {
                "/open-banking/customers/v2/business"
            } else {
                "/open-banking/customers/v2/personal"
            };
            n.records = list(
                &mut o,
                s,
                "identifications",
                &format!("{base}/identifications"),
                &[],
            )
            .await?;
            o.field(
                "qualifications",
                &s.get_data(&format!("{base}/qualifications")).await?,
            )?;
            o.field(
                "financialRelations",
                &s.get_data(&format!("{base}/financial-relations")).await?,
            )?;
        }
        Product::Accounts | Product::Insights => {
            o.key("accounts");
            o.open(b'[');
            for account in s.get_all("/open-banking/accounts/v2/accounts", &[]).await? {
                let id = enc(&id_of(&account, "accountId")?);
                let base = format!("/open-banking/accounts/v2/accounts/{id}");
                o.object();
                o.field("account", &account)?;
                o.field("identification", &s.get_data(&base).await?)?;
                o.field("balances", &s.get_data(&format!("{base}/balances")).await?)?;
                o.field(
                    "overdraftLimits",
                    &s.get_data(&format!("{base}/overdraft-limits")).await?,
                )?;
                let booked = dates("fromBookingDate", "toBookingDate");
                n.records += 1;
                n.transactions += list(
                    &mut o,
                    s,
                    "transactions",
                    &format!("{base}/transactions"),
                    &booked,
                )
                .await?;
                o.close(b'}');
            }
            o.close(b']');
        }
        Product::CreditCards => {
            o.key("accounts");
            o.open(b'[');
            for account in s
                .get_all("/open-banking/credit-cards-accounts/v2/accounts", &[])
                .await?
            {
                let id = enc(&id_of(&account, "creditCardAccountId")?);
                let base = format!("/open-banking/credit-cards-accounts/v2/accounts/{id}");
                o.object();
                o.field("account", &account)?;
                o.field("identification", &s.get_data(&base).await?)?;
                list(&mut o, s, "limits", &format!("{base}/limits"), &[]).await?;
                let due = dates("fromDueDate", "toDueDate");
                n.bills += list(&mut o, s, "bills", &format!("{base}/bills"), &due).await?;
                let made = dates("fromTransactionDate", "toTransactionDate");
                n.records += 1;
                n.transactions += list(
                    &mut o,
                    s,
                    "transactions",
                    &format!("{base}/transactions"),
                    &made,
                )
                .await?;
                o.close(b'}');
            }
            o.close(b']');
        }
        Product::Loans => {
            o.key("contracts");
            o.open(b'[');
            for contract in s.get_all("/open-banking/loans/v2/contracts", &[]).await? {
                let id = enc(&id_of(&contract, "contractId")?);
                let base = format!("/open-banking/loans/v2/contracts/{id}");
                o.object();
                n.records += 1;
                o.field("contract", &contract)?;
                o.field("details", &s.get_data(&base).await?)?;
                list(&mut o, s, "warranties", &format!("{base}/warranties"), &[]).await?;
                o.field(
                    "scheduledInstalments",
                    &s.get_data(&format!("{base}/scheduled-instalments")).await?,
                )?;
                o.field("payments", &s.get_data(&format!("{base}/payments")).await?)?;
                o.close(b'}');
            }
            o.close(b']');
        }
        Product::Investments => {
            o.key("bankFixedIncomes");
            o.open(b'[');
            for investment in s
                .get_all("/open-banking/bank-fixed-incomes/v1/investments", &[])
                .await?
            {
                let id = enc(&id_of(&investment, "investmentId")?);
                let base = format!("/open-banking/bank-fixed-incomes/v1/investments/{id}");
                o.object();
                n.records += 1;
                o.field("investment", &investment)?;
                o.field("identification", &s.get_data(&base).await?)?;
                o.field("balances", &s.get_data(&format!("{base}/balances")).await?)?;
                let made = dates("fromTransactionDate", "toTransactionDate");
                list(
                    &mut o,
                    s,
                    "transactions",
                    &format!("{base}/transactions"),
                    &made,
                )
                .await?;
                o.close(b'}');
            }
            o.close(b']');
        }
    }
    o.close(b'}');
    o.finish()?;
    Ok(n)
}

/// Counts a user can check at a glance, sent in the webhook's `summary`,
/// read from the report's JSON text without keeping its records.
pub fn summary(product: Product, data: &str) -> Value {
    let c: Lists = serde_json::from_str(data).unwrap_or_default();
    let nested = |pick: fn(&Nested) -> usize| c.accounts.iter().map(pick).sum::<usize>();
    match product {
        Product::Registration => json!({"identifications": c.identifications.len()}),
        Product::Accounts => json!({
            "accounts": c.accounts.len(),
            "transactions": nested(|a| a.transactions.len()),
        }),
        Product::CreditCards => json!({
            "accounts": c.accounts.len(),
            "bills": nested(|a| a.bills.len()),
            "transactions": nested(|a| a.transactions.len()),
        }),
        Product::Loans => json!({"contracts": c.contracts.len()}),
        Product::Investments => json!({"investments": c.bank_fixed_incomes.len()}),
        Product::Insights => json!({"months": c.monthly_cash_flow.len()}),
    }
}

/// The lists `summary` counts; `IgnoredAny` skips each record unbuilt.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Lists {
    identifications: Vec<IgnoredAny>,
    accounts: Vec<Nested>,
    contracts: Vec<IgnoredAny>,
    bank_fixed_incomes: Vec<IgnoredAny>,
    monthly_cash_flow: Vec<IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Nested {
    transactions: Vec<IgnoredAny>,
    bills: Vec<IgnoredAny>,
}
