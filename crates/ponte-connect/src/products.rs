//! Which Open Finance calls make up each product, and how their `data` is
//! assembled into a report unchanged (see the contract's product table).

use crate::session::DataSession;
use crate::ConnectError;
use ponte_core::Product;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};

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

/// A report's JSON written as its parts arrive, into one buffer: lists are
/// copied item by item from the institution's pages, so a five-year history
/// is held once, as the text it came as, never as a tree of values.
struct Out {
    buf: Vec<u8>,
    /// Per open object or list: nothing written in it yet.
    empty: Vec<bool>,
}

impl Out {
    fn new() -> Out {
        Out {
            buf: Vec::with_capacity(64 * 1024),
            empty: Vec::new(),
        }
    }

    fn comma(&mut self) {
        if let Some(empty) = self.empty.last_mut() {
            if !*empty {
                self.buf.push(b',');
            }
            *empty = false;
        }
    }

    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.empty.push(true);
    }

    fn close(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.empty.pop();
    }

    /// Starts an object as the next item of the open list (or the document).
    fn object(&mut self) {
        self.comma();
        self.open(b'{');
    }

    fn key(&mut self, key: &str) {
        self.comma();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), ConnectError> {
        self.key(key);
        serde_json::to_writer(&mut self.buf, value)
            .map_err(|e| ConnectError::Protocol(e.to_string()))
    }

    fn item(&mut self, item: &RawValue) {
        self.comma();
        self.buf.extend_from_slice(item.get().as_bytes());
    }

    fn finish(self) -> Result<Box<RawValue>, ConnectError> {
        let text =
            String::from_utf8(self.buf).map_err(|e| ConnectError::Protocol(e.to_string()))?;
        RawValue::from_string(text).map_err(|e| ConnectError::Protocol(e.to_string()))
    }
}

/// `"key": [every item of the paginated resource]`.
async fn list(
    out: &mut Out,
    s: &mut DataSession<'_>,
    key: &str,
    path: &str,
    query: &[(&str, String)],
) -> Result<(), ConnectError> {
    out.key(key);
    out.open(b'[');
    s.for_each_item(path, query, &mut |item| out.item(item))
        .await?;
    out.close(b']');
    Ok(())
}

/// Fetches one product; `data` as the report carries it, as JSON text.
pub async fn fetch(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
) -> Result<Box<RawValue>, ConnectError> {
    let dates = |from: &'static str, to: &'static str| {
        vec![(from, window.from.clone()), (to, window.to.clone())]
    };
    let mut o = Out::new();
    o.object();
    match product {
        Product::Registration => {
            let base = if business {
                "/open-banking/customers/v2/business"
            } else {
                "/open-banking/customers/v2/personal"
            };
            list(
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
                list(
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
                list(&mut o, s, "bills", &format!("{base}/bills"), &due).await?;
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
        Product::Loans => {
            o.key("contracts");
            o.open(b'[');
            for contract in s.get_all("/open-banking/loans/v2/contracts", &[]).await? {
                let id = enc(&id_of(&contract, "contractId")?);
                let base = format!("/open-banking/loans/v2/contracts/{id}");
                o.object();
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
    o.finish()
}

/// Counts a user can check at a glance, sent in the webhook's `summary`,
/// read from the report's JSON text without keeping its records.
pub fn summary(product: Product, data: &str) -> Value {
    let c: Counts = serde_json::from_str(data).unwrap_or_default();
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
struct Counts {
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
