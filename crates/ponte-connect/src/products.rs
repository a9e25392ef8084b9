//! Which Open Finance calls make up each product, and how their `data` is
//! assembled into a report unchanged (see the contract's product table).

use crate::session::DataSession;
use crate::ConnectError;
use ponte_core::Product;
use serde_json::{json, Map, Value};

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

/// Fetches one product; `data` as the report carries it.
pub async fn fetch(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
) -> Result<Value, ConnectError> {
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
            Ok(json!({
                "identifications": s.get_all(&format!("{base}/identifications"), &[]).await?,
                "qualifications": s.get_data(&format!("{base}/qualifications")).await?,
                "financialRelations": s.get_data(&format!("{base}/financial-relations")).await?,
            }))
        }
        Product::Accounts | Product::Insights => {
            let mut out = Vec::new();
            for account in s.get_all("/open-banking/accounts/v2/accounts", &[]).await? {
                let id = enc(&id_of(&account, "accountId")?);
                let base = format!("/open-banking/accounts/v2/accounts/{id}");
                out.push(json!({
                    "account": account,
                    "identification": s.get_data(&base).await?,
                    "balances": s.get_data(&format!("{base}/balances")).await?,
                    "overdraftLimits": s.get_data(&format!("{base}/overdraft-limits")).await?,
                    "transactions": s.get_all(&format!("{base}/transactions"), &dates("fromBookingDate", "toBookingDate")).await?,
                }));
            }
            Ok(json!({ "accounts": out }))
        }
        Product::CreditCards => {
            let mut out = Vec::new();
            for account in s
                .get_all("/open-banking/credit-cards-accounts/v2/accounts", &[])
                .await?
            {
                let id = enc(&id_of(&account, "creditCardAccountId")?);
                let base = format!("/open-banking/credit-cards-accounts/v2/accounts/{id}");
                out.push(json!({
                    "account": account,
                    "identification": s.get_data(&base).await?,
                    "limits": s.get_all(&format!("{base}/limits"), &[]).await?,
                    "bills": s.get_all(&format!("{base}/bills"), &dates("fromDueDate", "toDueDate")).await?,
                    "transactions": s.get_all(&format!("{base}/transactions"), &dates("fromTransactionDate", "toTransactionDate")).await?,
                }));
            }
            Ok(json!({ "accounts": out }))
        }
        Product::Loans => {
            let mut out = Vec::new();
            for contract in s.get_all("/open-banking/loans/v2/contracts", &[]).await? {
                let id = enc(&id_of(&contract, "contractId")?);
                let base = format!("/open-banking/loans/v2/contracts/{id}");
                out.push(json!({
                    "contract": contract,
                    "details": s.get_data(&base).await?,
                    "warranties": s.get_all(&format!("{base}/warranties"), &[]).await?,
                    "scheduledInstalments": s.get_data(&format!("{base}/scheduled-instalments")).await?,
                    "payments": s.get_data(&format!("{base}/payments")).await?,
                }));
            }
            Ok(json!({ "contracts": out }))
        }
        Product::Investments => {
            let mut out = Vec::new();
            for investment in s
                .get_all("/open-banking/bank-fixed-incomes/v1/investments", &[])
                .await?
            {
                let id = enc(&id_of(&investment, "investmentId")?);
                let base = format!("/open-banking/bank-fixed-incomes/v1/investments/{id}");
                out.push(json!({
                    "investment": investment,
                    "identification": s.get_data(&base).await?,
                    "balances": s.get_data(&format!("{base}/balances")).await?,
                    "transactions": s.get_all(&format!("{base}/transactions"), &dates("fromTransactionDate", "toTransactionDate")).await?,
                }));
            }
            Ok(json!({ "bankFixedIncomes": out }))
        }
    }
}

/// Counts a user can check at a glance, sent in the webhook's `summary`.
pub fn summary(product: Product, data: &Value) -> Value {
    let list = |key: &str| data[key].as_array().map(Vec::len).unwrap_or(0);
    let nested = |key: &str, inner: &str| {
        data[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x[inner].as_array().map(Vec::len).unwrap_or(0))
                    .sum::<usize>()
            })
            .unwrap_or(0)
    };
    let mut m = Map::new();
    match product {
        Product::Registration => {
            m.insert("identifications".into(), json!(list("identifications")));
        }
        Product::Accounts => {
            m.insert("accounts".into(), json!(list("accounts")));
            m.insert(
                "transactions".into(),
                json!(nested("accounts", "transactions")),
            );
        }
        Product::CreditCards => {
            m.insert("accounts".into(), json!(list("accounts")));
            m.insert("bills".into(), json!(nested("accounts", "bills")));
            m.insert(
                "transactions".into(),
                json!(nested("accounts", "transactions")),
            );
        }
        Product::Loans => {
            m.insert("contracts".into(), json!(list("contracts")));
        }
        Product::Investments => {
            m.insert("investments".into(), json!(list("bankFixedIncomes")));
        }
        Product::Insights => {
            m.insert("months".into(), json!(list("monthlyCashFlow")));
        }
    }
    Value::Object(m)
}
