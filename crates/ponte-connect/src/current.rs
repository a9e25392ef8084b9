//! What a refresh reads besides the transaction window: the current state of each
//! account (accounts `/balances`) and card (credit-cards `/limits`), and a card's closed
//! bills with their transactions, which carry the `billId` a purchase gets only when
//! its bill closes.
//!
//! OFB budgets these per resource and month (balances 420, limits 240, bills 30, one
//! bill's transactions 30): the caller plans which to read; these only make the calls.

use crate::recent::ymd;
use crate::session::DataSession;
use crate::ConnectError;
use serde_json::Value;
use time::{Date, Duration};

const ACCOUNTS: &str = "/open-banking/accounts/v2/accounts";
const CARDS: &str = "/open-banking/credit-cards-accounts/v2/accounts";

/// Days after today a bill's due date may fall (a bill closes before it is due).
const DUE_AHEAD_DAYS: i64 = 62;

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// An account's balances: the `data` of accounts `/balances`, unchanged.
pub async fn balances(s: &mut DataSession<'_>, account_id: &str) -> Result<Value, ConnectError> {
    s.get_data(&format!("{ACCOUNTS}/{}/balances", enc(account_id)))
        .await
}

/// A card's limits: every item of credit-cards `/limits`, unchanged.
pub async fn card_limits(
    s: &mut DataSession<'_>,
    card_id: &str,
) -> Result<Vec<Value>, ConnectError> {
    s.get_all(&format!("{CARDS}/{}/limits", enc(card_id)), &[])
        .await
}

/// One closed bill as listed: its id and due date (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub bill_id: String,
    pub due_date: String,
}

/// The card's bills due from `from` on (closed bills only: OFB lists a bill once it
/// closes).
pub async fn bills(
    s: &mut DataSession<'_>,
    card_id: &str,
    from: Date,
    today: Date,
) -> Result<Vec<Bill>, ConnectError> {
    let path = format!("{CARDS}/{}/bills", enc(card_id));
    let query = [
        ("fromDueDate", ymd(from)),
        ("toDueDate", ymd(today + Duration::days(DUE_AHEAD_DAYS))),
    ];
    s.get_all(&path, &query)
        .await?
        .iter()
        .map(|b| {
            let field = |name: &str| {
                b[name]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ConnectError::Protocol(format!("{path}: a bill without {name}")))
            };
            Ok(Bill {
                bill_id: field("billId")?,
                due_date: field("dueDate")?,
            })
        })
        .collect()
}

/// Every transaction of one closed bill, unchanged.
pub async fn bill_transactions(
    s: &mut DataSession<'_>,
    card_id: &str,
    bill_id: &str,
) -> Result<Vec<Value>, ConnectError> {
    let path = format!(
        "{CARDS}/{}/bills/{}/transactions",
        enc(card_id),
        enc(bill_id)
    );
    s.get_all(&path, &[]).await
}
