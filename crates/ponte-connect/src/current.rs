//! What a refresh reads besides the transaction window, as the product's plan
//! names it ([`TransactionListing`]): what each account holds now (an account's
//! `/balances`, a card's `/limits`), and a card's closed bills with their
//! transactions, which carry the `billId` a purchase gets only when its bill closes.
//!
//! OFB budgets these per resource and month (balances 420, limits 240, bills 30, one
//! bill's transactions 30): the caller plans which to read; these only make the calls.

use crate::products::plan::{BILLS, TRANSACTIONS};
use crate::products::TransactionListing;
use crate::recent::ymd;
use crate::session::DataSession;
use crate::ConnectError;
use serde_json::Value;
use time::{Date, Duration};

/// Days after today a bill's due date may fall (a bill closes before it is due).
const DUE_AHEAD_DAYS: i64 = 62;

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

fn under(listing: &TransactionListing, id: &str, suffix: &str) -> String {
    format!("{}/{}{suffix}", listing.list, enc(id))
}

/// What one account holds now, unchanged: the `data` of its [`Current`] part, or
/// every item of it when that part is a listing (a card's `/limits`). `None` when
/// the plan reads nothing again.
///
/// [`Current`]: crate::products::Current
pub async fn current(
    s: &mut DataSession<'_>,
    listing: &TransactionListing,
    account_id: &str,
) -> Result<Option<Value>, ConnectError> {
    let Some(c) = listing.current else {
        return Ok(None);
    };
    let path = under(listing, account_id, c.suffix);
    let data = if c.every {
        Value::Array(s.get_all(&path, &[]).await?)
    } else {
        s.get_data(&path).await?
    };
    Ok(Some(data))
}

/// One closed bill as listed: its id and due date (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub bill_id: String,
    pub due_date: String,
}

/// The card's bills due from `from` on (closed bills only: OFB lists a bill once it
/// closes), as far ahead as a closed bill can be due; none when the plan lists no bills.
pub async fn bills(
    s: &mut DataSession<'_>,
    listing: &TransactionListing,
    card_id: &str,
    from: Date,
    today: Date,
) -> Result<Vec<Bill>, ConnectError> {
    let Some(b) = listing.bills else {
        return Ok(Vec::new());
    };
    let path = under(listing, card_id, BILLS.1);
    let query = [
        (b.dates.from, ymd(from)),
        (b.dates.to, ymd(today + Duration::days(DUE_AHEAD_DAYS))),
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
    listing: &TransactionListing,
    card_id: &str,
    bill_id: &str,
) -> Result<Vec<Value>, ConnectError> {
    let bills = under(listing, card_id, BILLS.1);
    let path = format!("{bills}/{}{}", enc(bill_id), TRANSACTIONS.1);
    s.get_all(&path, &[]).await
}
