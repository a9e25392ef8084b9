//! Writes what one refresh read: each product's window diffed against the store, the
//! `billId`s new closed bills brought (`sync_bills`), the latest balances
//! (`sync_balances`), the webhook and the fresh report, all in one transaction.

use crate::error::Result;
use crate::services::sync_diff::{self, Change, Tx};
use crate::services::sync_items::{open_item, release, seal_item};
use crate::services::{outbox, sync_balances, sync_bills};
use crate::App;
use ponte_connect::recent;
use ponte_core::event::{DomainEvent, SyncUpdates};
use ponte_core::Product;
use ponte_store::{Conn, ConsentRow, NewSyncChange, SyncTxRow};
use serde_json::Value;
use std::collections::HashSet;

/// The stored transactions of `product` booked on or after `from`, opened.
async fn stored_from(app: &App, consent_id: &str, product: Product, from: &str) -> Result<Vec<Tx>> {
    let rows = {
        let mut conn = app.store.read().await?;
        ponte_store::sync_transactions_from(&mut conn, consent_id, product.as_str(), from).await?
    };
    let mut stored = Vec::with_capacity(rows.len());
    for r in rows {
        stored.push(Tx {
            data: open_item(
                app,
                consent_id,
                &r.account_id,
                &r.transaction_id,
                &r.data_enc,
            )?,
            account_id: r.account_id,
            transaction_id: r.transaction_id,
            booked_on: r.booked_on,
            pending: r.pending,
        });
    }
    Ok(stored)
}

/// The changes being written and the stored rows they leave.
#[derive(Default)]
struct Outcome {
    upserts: Vec<SyncTxRow>,
    changes: Vec<NewSyncChange>,
}

impl Outcome {
    fn push(&mut self, app: &App, consent_id: &str, product: Product, change: Change) {
        let (kind, t) = match change {
            Change::Added(t) => (ponte_store::SYNC_ADDED, t),
            Change::Modified(t) => (ponte_store::SYNC_MODIFIED, t),
            Change::Removed {
                account_id,
                transaction_id,
            } => {
                self.changes.push(NewSyncChange {
                    kind: ponte_store::SYNC_REMOVED,
                    account_id,
                    transaction_id,
                    data_enc: None,
                });
                return;
            }
        };
        let sealed = seal_item(app, consent_id, &t);
        self.changes.push(NewSyncChange {
            kind,
            account_id: t.account_id.clone(),
            transaction_id: t.transaction_id.clone(),
            data_enc: Some(sealed.clone()),
        });
        self.upserts.push(SyncTxRow {
            unbilled: sync_bills::unbilled(product, &t),
            account_id: t.account_id,
            transaction_id: t.transaction_id,
            product: product.as_str().to_string(),
            booked_on: t.booked_on,
            pending: t.pending,
            data_enc: sealed,
        });
    }
}

/// Diffs each product's window (and the cards' new bills) against the store and
/// writes the outcome.
pub(crate) async fn record(
    app: &App,
    consent: &ConsentRow,
    fetched: Fetched,
    window: &Window,
) -> Result<()> {
    let Fetched {
        listing,
        balances,
        bills,
    } = fetched;
    let mut out = Outcome::default();
    let mut accounts = serde_json::Map::new();
    let mut changed = Vec::new();
    for (product, listed) in listing {
        let before = out.changes.len();
        let stored = stored_from(app, &consent.id, product, &window.from).await?;
        let ids: Vec<&str> = listed.iter().map(|l| l.account_id.as_str()).collect();
        accounts.insert(product.as_str().to_string(), serde_json::json!(ids));
        let now: Vec<Tx> = listed
            .into_iter()
            .flat_map(|l| {
                let account = l.account_id;
                l.transactions
                    .into_iter()
                    .filter_map(move |item| sync_diff::read(&account, item, &window.today))
            })
            .collect();
        let in_window: HashSet<(String, String)> = now
            .iter()
            .map(|t| (t.account_id.clone(), t.transaction_id.clone()))
            .collect();
        for change in sync_diff::diff(&stored, now) {
            out.push(app, &consent.id, product, change);
        }
        if product == Product::CreditCards && !bills.is_empty() {
            for change in bill_changes(app, consent, &bills, &in_window, &window.today).await? {
                out.push(app, &consent.id, product, change);
            }
        }
        if out.changes.len() > before {
            changed.push(product);
        }
    }
    let balance_rows = sync_balances::seal(app, &consent.id, balances, window.read_at_ms);
    let bill_rows = sync_bills::seen(&bills);
    let fresh = crate::services::sync_report::plan(app, consent, &changed, window.first).await?;
    let accounts = window.first.then(|| Value::Object(accounts).to_string());
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    if !ponte_store::lock_if_authorised(&mut tx, &consent.id).await? {
        // Ended meanwhile: what was read is dropped, as a retrieval's report would be.
        tx.rollback().await?;
        return release(app, &consent.id).await;
    }
    let last_seq = ponte_store::record_sync(
        &mut tx,
        &consent.id,
        &out.upserts,
        &out.changes,
        &window.today,
        accounts.as_deref(),
        now,
    )
    .await?;
    ponte_store::save_sync_balances(&mut tx, &consent.id, &balance_rows).await?;
    ponte_store::save_sync_bills(&mut tx, &consent.id, &bill_rows, now).await?;
    let n = out.changes.len();
    announce(app, &mut tx, consent, n, window.first, now).await?;
    let report = crate::services::sync_report::request(app, &mut tx, consent, &fresh).await?;
    tx.commit().await?;
    if let Some(request_id) = report {
        tracing::info!(consent_id = %consent.id, %request_id, products = fresh.len(), "fresh report requested after the refresh");
    }
    metrics::counter!("ponte_sync_changes_total").increment(n as u64);
    tracing::info!(consent_id = %consent.id, changes = n, last_seq, from = %window.from, today = %window.today, balances = balance_rows.len(), bills = bill_rows.len(), "transactions refreshed");
    Ok(())
}

/// The `billId`s the new bills give stored purchases the window did not list.
async fn bill_changes(
    app: &App,
    consent: &ConsentRow,
    bills: &[sync_bills::BillRead],
    in_window: &HashSet<(String, String)>,
    today: &str,
) -> Result<Vec<Change>> {
    let listed = sync_bills::listed(bills, today);
    let Some(oldest) = listed.iter().map(|t| t.booked_on.clone()).min() else {
        return Ok(Vec::new());
    };
    let stored = stored_from(app, &consent.id, Product::CreditCards, &oldest).await?;
    Ok(sync_bills::changes(&stored, listed, in_window))
}

/// The window a refresh read, as its record needs it.
pub(crate) struct Window {
    /// YYYY-MM-DD: the first day read.
    pub from: String,
    /// YYYY-MM-DD: the client's day the refresh read through.
    pub today: String,
    /// The first pull (the whole history).
    pub first: bool,
    /// When the refresh read, on the client's clock (ms): the balances' `asOf`.
    pub read_at_ms: i64,
}

/// What one refresh read at the institution.
pub(crate) struct Fetched {
    /// Each synced product's accounts and their listed transactions.
    pub listing: Vec<(Product, Vec<recent::Listed>)>,
    pub balances: Vec<sync_balances::Read>,
    pub bills: Vec<sync_bills::BillRead>,
}

/// Writes `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` when a refresh recorded changes (or
/// finished the first pull, even an empty one), in the refresh's transaction.
pub(crate) async fn announce(
    app: &App,
    conn: &mut Conn,
    consent: &ConsentRow,
    changes: usize,
    first: bool,
    now: i64,
) -> Result<()> {
    if changes == 0 && !first {
        return Ok(());
    }
    let event = DomainEvent::TransactionsSyncUpdatesAvailable(SyncUpdates {
        client_id: consent.client_id.clone(),
        consent_id: consent.id.clone(),
        link_id: consent.link_id.clone(),
        external_track_id: consent.external_track_id.clone(),
        institution_code: consent.institution_code.clone(),
        initial_update_complete: true,
        historical_update_complete: true,
        occurred_at_ms: now,
    });
    outbox::publish(&app.renderers, conn, &event, now).await?;
    Ok(())
}
