//! The balances a refresh reads beside the transaction window: each synced account's
//! `/balances` and each card's `/limits`, kept (latest only) for the sync answer.
//!
//! Rules:
//! - read only what the product's plan names (`Part::Current`) and the consent grants
//!   (`ACCOUNTS_BALANCES_READ`, `CREDIT_CARDS_ACCOUNTS_LIMITS_READ`), for the accounts
//!   and cards the refresh read;
//! - a scheduled refresh leaves each endpoint's reserve for on-demand requests, like
//!   its transactions call;
//! - a call the bank (or the budget) refuses does not fail the refresh: the
//!   transactions are recorded and the last balances stay, with the time they were
//!   read (`asOf`). Only a consent the bank says is gone ends the refresh.

use crate::crypto::Slot;
use crate::error::Result;
use crate::services::{quota, sync_items};
use crate::App;
use ponte_connect::products::transaction_listing;
use ponte_connect::{current, ConnectError, DataSession};
use ponte_core::Product;
use ponte_store::{ConsentRow, SyncBalanceRow};
use serde_json::Value;

/// The synced products whose balances this refresh reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub products: Vec<Product>,
}

/// Decides what to read: named by the plan, granted, synced, and (when scheduled)
/// within the reserve.
pub(crate) async fn plan(app: &App, consent: &ConsentRow, scheduled: bool) -> Result<Plan> {
    let permissions = crate::services::consent_products::consent_permissions(consent);
    let mut wanted: Vec<(Product, String)> = sync_items::synced_products(consent)
        .into_iter()
        .filter_map(|product| {
            let listing = transaction_listing(product)?;
            let needs = listing.current?.permission;
            let granted = permissions.iter().any(|p| p == needs);
            Some((product, listing.current_endpoint()?)).filter(|_| granted)
        })
        .collect();
    if scheduled && !wanted.is_empty() {
        let usage = quota::usage(app, consent).await?;
        wanted.retain(|(_, endpoint)| {
            let keeps = sync_items::keeps_reserve(&usage, endpoint);
            if !keeps {
                tracing::info!(consent_id = %consent.id, endpoint, "balances not read: it would spend the calls kept for requests");
            }
            keeps
        });
    }
    Ok(Plan {
        products: wanted.into_iter().map(|(p, _)| p).collect(),
    })
}

/// One account's (or card's) balances as read now.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    pub product: Product,
    pub account_id: String,
    /// Accounts: the `/balances` data object; cards: the `/limits` items.
    pub data: Value,
}

/// Reads the planned balances of `accounts` (product, ids). A refused call is logged
/// and left out (the last balances stay); only a revoked consent is an error.
pub(crate) async fn read(
    s: &mut DataSession<'_>,
    plan: &Plan,
    accounts: &[(Product, Vec<String>)],
) -> std::result::Result<Vec<Read>, ConnectError> {
    let mut out = Vec::new();
    for (product, ids) in accounts {
        let Some(listing) =
            transaction_listing(*product).filter(|_| plan.products.contains(product))
        else {
            continue;
        };
        for id in ids {
            match current::current(s, &listing, id).await {
                Ok(None) => {}
                Ok(Some(data)) => out.push(Read {
                    product: *product,
                    account_id: id.clone(),
                    data,
                }),
                Err(e @ ConnectError::ConsentRevoked(_)) => return Err(e),
                Err(e) => {
                    metrics::counter!("ponte_sync_balances_refused_total").increment(1);
                    tracing::warn!(account_id = %id, product = %product, error = %e, "balances not read; the last ones stay");
                }
            }
        }
    }
    Ok(out)
}

fn slot(key: &str) -> Slot<'_> {
    Slot::new("sync_balances", "data_enc", key)
}

fn key(consent_id: &str, product: &str, account_id: &str) -> String {
    format!("{consent_id}/{product}/{account_id}")
}

/// The rows to store for what was read at `as_of` (the client's clock, ms).
pub(crate) fn seal(
    app: &App,
    consent_id: &str,
    read: Vec<Read>,
    as_of: i64,
) -> Vec<SyncBalanceRow> {
    read.into_iter()
        .map(|r| {
            let product = r.product.as_str().to_string();
            let k = key(consent_id, &product, &r.account_id);
            SyncBalanceRow {
                data_enc: app.crypto.seal_json(slot(&k), &r.data),
                product,
                account_id: r.account_id,
                as_of,
            }
        })
        .collect()
}

/// One account's or card's latest balances, as the sync answer shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountBalances {
    pub account_id: String,
    /// A card (the data are its `/limits` items), not an account (`/balances` data).
    pub card: bool,
    pub data: Value,
    /// When they were read, on the client's clock (ms).
    pub as_of_ms: i64,
}

/// The consent's latest balances: accounts first, then cards.
pub async fn latest(app: &App, consent_id: &str) -> Result<Vec<AccountBalances>> {
    let rows = {
        let mut conn = app.store.read().await?;
        ponte_store::sync_balances(&mut conn, consent_id).await?
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let k = key(consent_id, &r.product, &r.account_id);
        out.push(AccountBalances {
            data: app.crypto.open_json(slot(&k), &r.data_enc)?,
            card: r.product == Product::CreditCards.as_str(),
            account_id: r.account_id,
            as_of_ms: r.as_of,
        });
    }
    // `accounts` sorts before `creditCards` already; keep it explicit.
    out.sort_by_key(|b| b.card);
    Ok(out)
}
