//! One refresh of a consent's transactions (a durable job): reads the window the
//! institution is asked for (the whole history on the first pull, afterwards from the
//! last refresh's day less an overlap, and never after a transaction still pending),
//! compares it with what is stored, and writes the changes, numbered, in one transaction.

use crate::crypto::Slot;
use crate::error::{Error, Result};
use crate::services::bank_tokens::StoredTokens;
use crate::services::job::{Job, JobOutcome};
use crate::services::quota::{self, Budget};
use crate::services::retrieval::MAX_JOB_ATTEMPTS;
use crate::services::sync_diff::{self, Change, Tx};
use crate::services::{consent_lifecycle, consent_state};
use crate::App;
use ponte_connect::recent::{self, Span};
use ponte_connect::{ConnectError, DataSession};
use ponte_core::{ConsentStatus, Product};
use ponte_store::{ConsentRow, JobRow, NewSyncChange, SyncTxRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, Duration};

pub const JOB_KIND: &str = "sync_transactions";

/// Days before the last refresh's day read again: what the institution books late
/// (a `BOLETO` or `CARTAO` id is fixed only from D+1) is seen.
pub const OVERLAP_DAYS: i64 = 2;

/// Calls per endpoint a scheduled refresh leaves for on-demand requests.
pub const SCHEDULED_RESERVE: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub consent_id: String,
    /// Queued by the daily schedule (keeps the reserve), not by a request.
    pub scheduled: bool,
}

pub struct SyncTransactions;

impl Job for SyncTransactions {
    const KIND: &'static str = JOB_KIND;
    type Payload = Payload;

    async fn run(app: &App, job: &JobRow, p: Payload) -> Result<JobOutcome> {
        run(app, job, p).await
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        if let Ok(p) = serde_json::from_str::<Payload>(&job.payload) {
            release(app, &p.consent_id).await?;
        }
        crate::services::job::end_failed(app, job, why).await
    }
}

/// The products whose transactions the consent grants, with their store names.
pub fn synced_products(consent: &ConsentRow) -> Vec<Product> {
    let permissions = crate::services::retrieval::consent_permissions(consent);
    let has = |p: &str| permissions.iter().any(|x| x == p);
    let mut out = Vec::new();
    if has("ACCOUNTS_TRANSACTIONS_READ") {
        out.push(Product::Accounts);
    }
    if has("CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ") {
        out.push(Product::CreditCards);
    }
    out
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

fn seal_item(app: &App, consent_id: &str, t: &Tx) -> String {
    let key = row_key(consent_id, &t.account_id, &t.transaction_id);
    app.crypto.seal_json(tx_slot(&key), &t.data)
}

pub fn ymd(d: Date) -> String {
    recent::ymd(d)
}

fn parse_ymd(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn date_of_ms(ms: i64) -> Date {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date()
}

async fn release(app: &App, consent_id: &str) -> Result<()> {
    let mut conn = app.store.read().await?;
    ponte_store::release_sync_refresh(&mut conn, consent_id, app.clock.now_ms()).await?;
    Ok(())
}

/// The window to read: from the last refresh's day less the overlap, or from the
/// oldest transaction still pending if that is earlier.
fn span_of(synced_through: Option<&str>, oldest_pending: Option<&str>) -> Span {
    let Some(last) = synced_through.and_then(parse_ymd) else {
        return Span::History;
    };
    let from = last - Duration::days(OVERLAP_DAYS);
    match oldest_pending.and_then(parse_ymd) {
        Some(p) if p < from => Span::Since(p),
        _ => Span::Since(from),
    }
}

/// A scheduled refresh must leave the reserve on each endpoint it would call.
async fn within_reserve(app: &App, consent: &ConsentRow, endpoint: &str) -> Result<bool> {
    let usage = quota::usage(app, consent).await?;
    Ok(usage
        .iter()
        .filter(|q| q.endpoint.ends_with(&format!("/{endpoint}")))
        .all(|q| q.remaining > SCHEDULED_RESERVE))
}

async fn run(app: &App, job: &JobRow, p: Payload) -> Result<JobOutcome> {
    let mut conn = app.store.read().await?;
    let consent = ponte_store::consent_by_id(&mut conn, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    let state = ponte_store::sync_state(&mut conn, &consent.id).await?;
    let oldest_pending = ponte_store::oldest_pending_day(&mut conn, &consent.id).await?;
    drop(conn);
    if consent.status != ConsentStatus::Authorised {
        release(app, &consent.id).await?;
        return Ok(JobOutcome::Done);
    }
    let today = date_of_ms(consent_lifecycle::client_now(app, &consent.client_id).await?);
    let synced_through = state.as_ref().and_then(|s| s.synced_through.clone());
    let span = span_of(synced_through.as_deref(), oldest_pending.as_deref());
    let plan = span.plan(today);
    if p.scheduled && !within_reserve(app, &consent, plan.endpoint).await? {
        tracing::info!(consent_id = %consent.id, endpoint = plan.endpoint, "scheduled refresh skipped: it would spend the calls kept for requests");
        release(app, &consent.id).await?;
        return Ok(JobOutcome::Done);
    }
    let known: Option<Value> = state
        .as_ref()
        .filter(|_| span != Span::History)
        .and_then(|s| s.accounts.as_deref())
        .and_then(|a| serde_json::from_str(a).ok());
    let budget = quota::budget_for(app, &consent).await?;
    let fetched = fetch(app, &consent, &budget, span, today, known.as_ref()).await;
    if let Err(e) = quota::save_calls(app, &consent, budget.take_calls()).await {
        tracing::warn!(consent_id = %consent.id, error = %e, "could not store the institution calls");
    }
    let listed = match fetched {
        Ok(l) => l,
        Err(ConnectError::ConsentRevoked(code)) => {
            consent_state::ended_at_institution(
                &app.renderers,
                &app.store,
                &consent.id,
                &code,
                app.clock.now_ms(),
            )
            .await?;
            release(app, &consent.id).await?;
            return Ok(JobOutcome::Done);
        }
        Err(e) => {
            tracing::warn!(consent_id = %consent.id, attempt = job.attempts, error = %e, "the institution failed the refresh");
            let transient = matches!(
                e,
                ConnectError::Unavailable(_)
                    | ConnectError::Transport(_)
                    | ConnectError::TokensRefused(_)
            );
            if transient && job.attempts < MAX_JOB_ATTEMPTS {
                return Ok(JobOutcome::Retry(e.to_string()));
            }
            release(app, &consent.id).await?;
            return crate::services::job::end_failed(app, job, &e.to_string()).await;
        }
    };
    record(
        app,
        &consent,
        listed,
        &ymd(plan.from),
        &ymd(today),
        span == Span::History,
    )
    .await?;
    Ok(JobOutcome::Done)
}

/// Each synced product's accounts and their listed transactions.
type Listing = Vec<(Product, Vec<recent::Listed>)>;

async fn fetch(
    app: &App,
    consent: &ConsentRow,
    budget: &Budget,
    span: Span,
    today: Date,
    known: Option<&Value>,
) -> std::result::Result<Listing, ConnectError> {
    let start = crate::services::bank_tokens::session_start(app, consent)?;
    let stored = StoredTokens {
        app,
        consent_id: &consent.id,
    };
    let mut session = DataSession::new(
        &app.open_finance,
        &start.institution.endpoint,
        start.bank_consent_id,
        start.tokens,
    )
    .with_token_store(&stored)
    .with_observer(budget);
    let mut out = Vec::new();
    for product in synced_products(consent) {
        let ids: Option<Vec<String>> = known
            .and_then(|k| k.get(product.as_str()))
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let listed =
            recent::transactions(&mut session, product, span, today, ids.as_deref()).await?;
        out.push((product, listed));
    }
    Ok(out)
}

/// Diffs each product's window against the store and writes the outcome.
async fn record(
    app: &App,
    consent: &ConsentRow,
    listing: Listing,
    from: &str,
    today: &str,
    first: bool,
) -> Result<()> {
    let mut upserts = Vec::new();
    let mut changes = Vec::new();
    let mut accounts = serde_json::Map::new();
    let mut changed = Vec::new();
    for (product, listed) in listing {
        let before = changes.len();
        let stored_rows = {
            let mut conn = app.store.read().await?;
            ponte_store::sync_transactions_from(&mut conn, &consent.id, product.as_str(), from)
                .await?
        };
        let mut stored = Vec::with_capacity(stored_rows.len());
        for r in stored_rows {
            stored.push(Tx {
                data: open_item(
                    app,
                    &consent.id,
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
        let ids: Vec<&str> = listed.iter().map(|l| l.account_id.as_str()).collect();
        accounts.insert(product.as_str().to_string(), serde_json::json!(ids));
        let now: Vec<Tx> = listed
            .into_iter()
            .flat_map(|l| {
                let account = l.account_id;
                l.transactions
                    .into_iter()
                    .filter_map(move |item| sync_diff::read(&account, item, today))
            })
            .collect();
        for change in sync_diff::diff(&stored, now) {
            let (kind, t) = match change {
                Change::Added(t) => (ponte_store::SYNC_ADDED, t),
                Change::Modified(t) => (ponte_store::SYNC_MODIFIED, t),
                Change::Removed {
                    account_id,
                    transaction_id,
                } => {
                    changes.push(NewSyncChange {
                        kind: ponte_store::SYNC_REMOVED,
                        account_id,
                        transaction_id,
                        data_enc: None,
                    });
                    continue;
                }
            };
            let sealed = seal_item(app, &consent.id, &t);
            changes.push(NewSyncChange {
                kind,
                account_id: t.account_id.clone(),
                transaction_id: t.transaction_id.clone(),
                data_enc: Some(sealed.clone()),
            });
            upserts.push(SyncTxRow {
                account_id: t.account_id,
                transaction_id: t.transaction_id,
                product: product.as_str().to_string(),
                booked_on: t.booked_on,
                pending: t.pending,
                data_enc: sealed,
            });
        }
        if changes.len() > before {
            changed.push(product);
        }
    }
    let fresh = crate::services::sync_report::plan(app, consent, &changed, first).await?;
    let accounts = first.then(|| Value::Object(accounts).to_string());
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
        &upserts,
        &changes,
        today,
        accounts.as_deref(),
        now,
    )
    .await?;
    crate::services::sync::announce(app, &mut tx, consent, changes.len(), first, now).await?;
    let report = crate::services::sync_report::request(app, &mut tx, consent, &fresh).await?;
    tx.commit().await?;
    if let Some(request_id) = report {
        tracing::info!(consent_id = %consent.id, %request_id, products = fresh.len(), "fresh report requested after the refresh");
    }
    metrics::counter!("ponte_sync_changes_total").increment(changes.len() as u64);
    tracing::info!(consent_id = %consent.id, changes = changes.len(), last_seq, from, today, "transactions refreshed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_window_starts_before_the_last_day_and_any_pending_one() {
        assert_eq!(span_of(None, None), Span::History);
        assert_eq!(
            span_of(Some("2026-12-07"), None),
            Span::Since(date!(2026 - 12 - 05))
        );
        assert_eq!(
            span_of(Some("2026-12-07"), Some("2026-12-06")),
            Span::Since(date!(2026 - 12 - 05))
        );
        assert_eq!(
            span_of(Some("2026-12-07"), Some("2026-12-01")),
            Span::Since(date!(2026 - 12 - 01))
        );
    }
}
