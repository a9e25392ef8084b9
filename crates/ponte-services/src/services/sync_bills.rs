//! Card purchases get their `billId` when their bill closes, usually weeks after the
//! refresh window that read them. So a refresh also looks for newly closed bills and
//! reads each new one's transactions once: a purchase stored without a `billId` that
//! the bill lists with one is `modified` (same `transactionId`, never added twice).
//!
//! The plan keeps within OFB's 30 bill lists a card a month:
//! - only cards with a purchase still without a `billId` (`unbilled`), and only bills
//!   due after the oldest such purchase are asked for;
//! - after a bill is seen, the card's next bill cannot close for a while (bills are
//!   monthly), so bills are listed again only [`NEXT_BILL_GAP_DAYS`] after the last
//!   one's due date: about ten lists a month, the rest stays for requests;
//! - a bill's transactions are read once, when it is new; a bill whose read failed is
//!   not remembered, so the next refresh tries it again;
//! - a scheduled refresh keeps the reserve, like its transactions call.

use crate::error::Result;
use crate::services::sync_diff::{self, Change, Tx};
use crate::services::{quota, sync_items};
use crate::App;
use ponte_connect::products::{synced, TransactionListing};
use ponte_connect::{current, ConnectError, DataSession};
use ponte_core::Product;
use ponte_store::{ConsentRow, SyncBillRow};
use serde_json::Value;
use std::collections::HashSet;
use time::{Date, Duration};

/// Days after a bill's due date before the card's next bill can have closed: a monthly
/// bill closes about a month after the last one, and at most a couple of weeks before
/// it is due.
pub const NEXT_BILL_GAP_DAYS: i64 = 14;

/// One card whose bills this refresh lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CardPlan {
    /// Where the card's product lists it and its bills.
    pub listing: TransactionListing,
    pub card_id: String,
    /// The oldest day of a stored purchase without a `billId`: bills due after it.
    pub from: Date,
    /// Bills seen before: not read again.
    pub known: HashSet<String>,
}

/// Whether to list a card's bills today, given its known bills' latest due date.
pub(crate) fn listing_due(last_due: Option<Date>, today: Date) -> bool {
    last_due.is_none_or(|d| today >= d + Duration::days(NEXT_BILL_GAP_DAYS))
}

/// A card purchase stored without its bill: a later closed bill may give it one.
/// Bill payments are not purchases (a bill lists what it charges).
pub(crate) fn unbilled(product: Product, t: &Tx) -> bool {
    ponte_connect::products::transaction_listing(product).is_some_and(|l| l.bills.is_some())
        && !t.pending
        && t.data.get("billId").is_none_or(Value::is_null)
        && t.data["transactionType"] != "PAGAMENTO"
}

/// The cards (of `pulled`, the earlier pull's account ids per product) whose bills
/// this refresh lists: those of a product whose plan lists bills
/// (`Part::Bills`), for a consent that grants both of its permissions.
pub(crate) async fn plan(
    app: &App,
    consent: &ConsentRow,
    scheduled: bool,
    pulled: Option<&Value>,
    today: Date,
) -> Result<Vec<CardPlan>> {
    let permissions = crate::services::consent_products::consent_permissions(consent);
    let has = |p: &str| permissions.iter().any(|x| x == p);
    let mut cards = Vec::new();
    for (product, listing) in synced() {
        let Some(bills) = listing.bills else { continue };
        if !has(bills.permission) || !has(bills.transactions_permission) {
            continue;
        }
        let ids: Vec<String> = pulled
            .and_then(|k| k.get(product.as_str()))
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        cards.extend(ids.into_iter().map(|id| (listing, id)));
    }
    let mut out = Vec::new();
    for (listing, card_id) in cards {
        let mut conn = app.store.read().await?;
        let Some(from) = ponte_store::oldest_unbilled_day(&mut conn, &consent.id, &card_id)
            .await?
            .as_deref()
            .and_then(sync_items::parse_ymd)
        else {
            continue;
        };
        let known = ponte_store::sync_bills(&mut conn, &consent.id, &card_id).await?;
        let last_due = known
            .iter()
            .filter_map(|b| sync_items::parse_ymd(&b.due_date))
            .max();
        if !listing_due(last_due, today) {
            continue;
        }
        out.push(CardPlan {
            listing,
            card_id,
            from,
            known: known.into_iter().map(|b| b.bill_id).collect(),
        });
    }
    if scheduled && !out.is_empty() {
        let usage = quota::usage(app, consent).await?;
        out.retain(|card| {
            let Some((endpoint, _)) = card.listing.bill_endpoints() else {
                return false;
            };
            let keeps = sync_items::keeps_reserve(&usage, &endpoint);
            if !keeps {
                tracing::info!(consent_id = %consent.id, card_id = %card.card_id, endpoint, "bills not listed: it would spend the calls kept for requests");
            }
            keeps
        });
    }
    Ok(out)
}

/// A new closed bill and its transactions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BillRead {
    pub card_id: String,
    pub bill: current::Bill,
    pub transactions: Vec<Value>,
}

/// Lists each planned card's bills and reads the new ones' transactions. A refused
/// call is logged and skipped (tried again by a later refresh); only a revoked consent
/// is an error.
pub(crate) async fn read(
    s: &mut DataSession<'_>,
    plans: &[CardPlan],
    today: Date,
) -> std::result::Result<Vec<BillRead>, ConnectError> {
    let mut out = Vec::new();
    for plan in plans {
        let bills = match current::bills(s, &plan.listing, &plan.card_id, plan.from, today).await {
            Ok(b) => b,
            Err(e @ ConnectError::ConsentRevoked(_)) => return Err(e),
            Err(e) => {
                tracing::warn!(card_id = %plan.card_id, error = %e, "bills not listed; a later refresh tries again");
                continue;
            }
        };
        for bill in bills
            .into_iter()
            .filter(|b| !plan.known.contains(&b.bill_id))
        {
            match current::bill_transactions(s, &plan.listing, &plan.card_id, &bill.bill_id).await {
                Ok(transactions) => out.push(BillRead {
                    card_id: plan.card_id.clone(),
                    bill,
                    transactions,
                }),
                Err(e @ ConnectError::ConsentRevoked(_)) => return Err(e),
                Err(e) => {
                    tracing::warn!(card_id = %plan.card_id, bill_id = %bill.bill_id, error = %e, "bill not read; a later refresh tries again");
                }
            }
        }
    }
    Ok(out)
}

/// The bills to remember as seen.
pub(crate) fn seen(read: &[BillRead]) -> Vec<SyncBillRow> {
    read.iter()
        .map(|b| SyncBillRow {
            account_id: b.card_id.clone(),
            bill_id: b.bill.bill_id.clone(),
            due_date: b.bill.due_date.clone(),
        })
        .collect()
}

/// The bills' transactions as the diff reads them.
pub(crate) fn listed(read: &[BillRead], today: &str) -> Vec<Tx> {
    read.iter()
        .flat_map(|b| {
            b.transactions
                .iter()
                .filter_map(|item| sync_diff::read(&b.card_id, item.clone(), today))
        })
        .collect()
}

/// What the bills change: a stored transaction the bills list differently (its
/// `billId`) is modified. Transactions the refresh window listed are left to the
/// window's diff (`in_window`), and ones never stored are not added here: the window
/// reads new transactions.
pub(crate) fn changes(
    stored: &[Tx],
    listed: Vec<Tx>,
    in_window: &HashSet<(String, String)>,
) -> Vec<Change> {
    let stored_keys: HashSet<(&str, &str)> = stored
        .iter()
        .map(|t| (t.account_id.as_str(), t.transaction_id.as_str()))
        .collect();
    let listed: Vec<Tx> = listed
        .into_iter()
        .filter(|t| {
            stored_keys.contains(&(t.account_id.as_str(), t.transaction_id.as_str()))
                && !in_window.contains(&(t.account_id.clone(), t.transaction_id.clone()))
        })
        .collect();
    let keys: HashSet<(&str, &str)> = listed
        .iter()
        .map(|t| (t.account_id.as_str(), t.transaction_id.as_str()))
        .collect();
    let matching: Vec<Tx> = stored
        .iter()
        .filter(|t| keys.contains(&(t.account_id.as_str(), t.transaction_id.as_str())))
        .cloned()
        .collect();
    sync_diff::diff(&matching, listed)
        .into_iter()
        .filter(|c| matches!(c, Change::Modified(_)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    fn purchase(id: &str, bill: Option<&str>) -> Tx {
        let mut item = json!({
            "transactionId": id,
            "transactionName": "MERCADO",
            "creditDebitType": "DEBITO",
            "transactionType": "OUTROS",
            "amount": {"amount": "10.00", "currency": "BRL"},
            "transactionDateTime": "2026-12-05T10:00:00.000Z",
        });
        if let Some(b) = bill {
            item["billId"] = json!(b);
        }
        sync_diff::read("card-1", item, "2026-12-07").unwrap()
    }

    #[test]
    fn bills_are_listed_again_only_once_a_next_one_can_have_closed() {
        let today = date!(2027 - 01 - 03);
        assert!(listing_due(None, today));
        assert!(!listing_due(Some(date!(2026 - 12 - 24)), today));
        assert!(listing_due(Some(date!(2026 - 12 - 20)), today));
    }

    #[test]
    fn a_purchase_without_a_bill_is_unbilled_but_not_a_payment() {
        assert!(unbilled(Product::CreditCards, &purchase("a", None)));
        assert!(!unbilled(Product::CreditCards, &purchase("a", Some("b1"))));
        assert!(!unbilled(Product::Accounts, &purchase("a", None)));
        let mut payment = purchase("p", None);
        payment.data["transactionType"] = json!("PAGAMENTO");
        assert!(!unbilled(Product::CreditCards, &payment));
    }

    #[test]
    fn a_closed_bill_modifies_the_stored_purchases_once() {
        let stored = vec![
            purchase("a", None),
            purchase("b", None),
            purchase("c", None),
        ];
        let listed = vec![
            purchase("a", Some("bill-1")),
            purchase("b", Some("bill-1")),
            purchase("c", None),
            purchase("never-stored", Some("bill-1")),
        ];
        let window: HashSet<(String, String)> = [("card-1".to_string(), "b".to_string())].into();
        let out = changes(&stored, listed, &window);
        assert_eq!(out, vec![Change::Modified(purchase("a", Some("bill-1")))]);
        // Read again (a retried job), nothing changes.
        let now = vec![purchase("a", Some("bill-1"))];
        assert!(changes(&now, now.clone(), &HashSet::new()).is_empty());
    }
}
