//! What every part of transaction sync shares: which products a consent
//! syncs, how a stored item is sealed and opened, the days' format, the
//! scheduled refresh's reserve, and the refresh's claim. A leaf the sync
//! modules import, so none of them imports another for these.

use crate::crypto::Slot;
use crate::error::Result;
use crate::services::quota;
use crate::services::sync_diff::Tx;
use crate::App;
use ponte_connect::{products, recent};
use ponte_core::Product;
use ponte_store::ConsentRow;
use serde_json::Value;
use time::Date;

/// Calls per endpoint a scheduled refresh leaves for on-demand requests.
pub const SCHEDULED_RESERVE: u32 = 1;

/// The products whose transactions the consent grants: each product with a
/// transaction listing in the connector's plan whose permission the consent
/// holds, in `Product::ALL` order.
pub fn synced_products(consent: &ConsentRow) -> Vec<Product> {
    let permissions = crate::services::consent_products::consent_permissions(consent);
    products::synced()
        .filter(|(_, listing)| permissions.iter().any(|p| p == listing.permission))
        .map(|(product, _)| product)
        .collect()
}

/// The permissions of which a consent must hold one to sync, in
/// `Product::ALL` order.
pub fn sync_permissions() -> Vec<&'static str> {
    products::synced().map(|(_, l)| l.permission).collect()
}

fn tx_slot(key: &str) -> Slot<'_> {
    Slot::new("sync_transactions", "data_enc", key)
}

fn row_key(consent_id: &str, account_id: &str, transaction_id: &str) -> String {
    format!("{consent_id}/{account_id}/{transaction_id}")
}

/// Opens a stored change's or transaction's sealed item.
pub fn open_item(
    app: &App,
    consent_id: &str,
    account_id: &str,
    tx_id: &str,
    sealed: &str,
) -> Result<Value> {
    let key = row_key(consent_id, account_id, tx_id);
    Ok(app.crypto.open_json(tx_slot(&key), sealed)?)
}

pub(crate) fn seal_item(app: &App, consent_id: &str, t: &Tx) -> String {
    let key = row_key(consent_id, &t.account_id, &t.transaction_id);
    app.crypto.seal_json(tx_slot(&key), &t.data)
}

pub fn ymd(d: Date) -> String {
    recent::ymd(d)
}

pub(crate) fn parse_ymd(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

pub(crate) async fn release(app: &App, consent_id: &str) -> Result<()> {
    let mut conn = app.store.read().await?;
    ponte_store::release_sync_refresh(&mut conn, consent_id, app.clock.now_ms()).await?;
    Ok(())
}

/// Whether calling `endpoint` (a template) still leaves the reserve; an endpoint
/// without a limit always does.
pub(crate) fn keeps_reserve(usage: &[quota::EndpointQuota], endpoint: &str) -> bool {
    usage
        .iter()
        .filter(|q| q.endpoint == endpoint)
        .all(|q| q.remaining > SCHEDULED_RESERVE)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_consent_syncs_with_either_transactions_permission_named_as_before() {
        // The refusal of a refresh names them: its text is an answer integrators see.
        assert_eq!(
            super::sync_permissions().join(" or "),
            "ACCOUNTS_TRANSACTIONS_READ or CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ"
        );
    }
}
