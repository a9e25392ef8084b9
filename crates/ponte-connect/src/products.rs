//! Which Open Finance calls make up each product, and how their `data` is
//! assembled into a report unchanged (see the contract's product table).

use crate::session::DataSession;
use crate::ConnectError;
use ponte_core::Product;
use serde::de::IgnoredAny;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
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

/// A JSON object whose members are already JSON text, kept in order.
struct Obj(Vec<(&'static str, Box<RawValue>)>);

impl Serialize for Obj {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

fn raw<T: Serialize + ?Sized>(value: &T) -> Result<Box<RawValue>, ConnectError> {
    serde_json::value::to_raw_value(value).map_err(|e| ConnectError::Protocol(e.to_string()))
}

/// Fetches one product; `data` as the report carries it, as JSON text.
/// Transactions stay the institution's text from page to report, so a long
/// history costs its size in bytes rather than a tree of values.
pub async fn fetch(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
) -> Result<Box<RawValue>, ConnectError> {
    let dates = |from: &'static str, to: &'static str| {
        vec![(from, window.from.clone()), (to, window.to.clone())]
    };
    match product {
        Product::Registration => {
            let base = if business {
                "/open-banking/customers/v2/business"
            } else {
                "/open-banking/customers/v2/personal"
            };
            raw(&Obj(vec![
                (
                    "identifications",
                    raw(&s.get_all(&format!("{base}/identifications"), &[]).await?)?,
                ),
                (
                    "qualifications",
                    raw(&s.get_data(&format!("{base}/qualifications")).await?)?,
                ),
                (
                    "financialRelations",
                    raw(&s.get_data(&format!("{base}/financial-relations")).await?)?,
                ),
            ]))
        }
        Product::Accounts | Product::Insights => {
            let mut out = Vec::new();
            for account in s.get_all("/open-banking/accounts/v2/accounts", &[]).await? {
                let id = enc(&id_of(&account, "accountId")?);
                let base = format!("/open-banking/accounts/v2/accounts/{id}");
                out.push(raw(&Obj(vec![
                    ("account", raw(&account)?),
                    ("identification", raw(&s.get_data(&base).await?)?),
                    (
                        "balances",
                        raw(&s.get_data(&format!("{base}/balances")).await?)?,
                    ),
                    (
                        "overdraftLimits",
                        raw(&s.get_data(&format!("{base}/overdraft-limits")).await?)?,
                    ),
                    (
                        "transactions",
                        raw(&s
                            .get_all_raw(
                                &format!("{base}/transactions"),
                                &dates("fromBookingDate", "toBookingDate"),
                            )
                            .await?)?,
                    ),
                ]))?);
            }
            raw(&Obj(vec![("accounts", raw(&out)?)]))
        }
        Product::CreditCards => {
            let mut out = Vec::new();
            for account in s
                .get_all("/open-banking/credit-cards-accounts/v2/accounts", &[])
                .await?
            {
                let id = enc(&id_of(&account, "creditCardAccountId")?);
                let base = format!("/open-banking/credit-cards-accounts/v2/accounts/{id}");
                out.push(raw(&Obj(vec![
                    ("account", raw(&account)?),
                    ("identification", raw(&s.get_data(&base).await?)?),
                    (
                        "limits",
                        raw(&s.get_all_raw(&format!("{base}/limits"), &[]).await?)?,
                    ),
                    (
                        "bills",
                        raw(&s
                            .get_all_raw(
                                &format!("{base}/bills"),
                                &dates("fromDueDate", "toDueDate"),
                            )
                            .await?)?,
                    ),
                    (
                        "transactions",
                        raw(&s
                            .get_all_raw(
                                &format!("{base}/transactions"),
                                &dates("fromTransactionDate", "toTransactionDate"),
                            )
                            .await?)?,
                    ),
                ]))?);
            }
            raw(&Obj(vec![("accounts", raw(&out)?)]))
        }
        Product::Loans => {
            let mut out = Vec::new();
            for contract in s.get_all("/open-banking/loans/v2/contracts", &[]).await? {
                let id = enc(&id_of(&contract, "contractId")?);
                let base = format!("/open-banking/loans/v2/contracts/{id}");
                out.push(raw(&Obj(vec![
                    ("contract", raw(&contract)?),
                    ("details", raw(&s.get_data(&base).await?)?),
                    (
                        "warranties",
                        raw(&s.get_all_raw(&format!("{base}/warranties"), &[]).await?)?,
                    ),
                    (
                        "scheduledInstalments",
                        raw(&s.get_data(&format!("{base}/scheduled-instalments")).await?)?,
                    ),
                    (
                        "payments",
                        raw(&s.get_data(&format!("{base}/payments")).await?)?,
                    ),
                ]))?);
            }
            raw(&Obj(vec![("contracts", raw(&out)?)]))
        }
        Product::Investments => {
            let mut out = Vec::new();
            for investment in s
                .get_all("/open-banking/bank-fixed-incomes/v1/investments", &[])
                .await?
            {
                let id = enc(&id_of(&investment, "investmentId")?);
                let base = format!("/open-banking/bank-fixed-incomes/v1/investments/{id}");
                out.push(raw(&Obj(vec![
                    ("investment", raw(&investment)?),
                    ("identification", raw(&s.get_data(&base).await?)?),
                    (
                        "balances",
                        raw(&s.get_data(&format!("{base}/balances")).await?)?,
                    ),
                    (
                        "transactions",
                        raw(&s
                            .get_all_raw(
                                &format!("{base}/transactions"),
                                &dates("fromTransactionDate", "toTransactionDate"),
                            )
                            .await?)?,
                    ),
                ]))?);
            }
            raw(&Obj(vec![("bankFixedIncomes", raw(&out)?)]))
        }
    }
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
