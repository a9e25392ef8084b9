//! One refresh of a consent's transactions (a durable job): reads the window the
//! institution is asked for (the whole history on the first pull, afterwards from the
//! last refresh's day less an overlap, and never after a transaction still pending),
//! compares it with what is stored, and writes the changes, numbered, in one transaction.

use crate::error::{Error, Result};
use crate::services::bank_tokens::StoredTokens;
use crate::services::job::{Job, JobOutcome};
use crate::services::quota::{self, Budget};
use crate::services::retrieval_job::MAX_JOB_ATTEMPTS;
use crate::services::sync_items::{parse_ymd, release, synced_products, ymd, SCHEDULED_RESERVE};
use crate::services::sync_record::{Fetched, Window};
use crate::services::{consent_lifecycle, consent_state, sync_balances, sync_bills, sync_record};
use crate::App;
use ponte_connect::recent::{self, Span};
use ponte_connect::{ConnectError, DataSession};
use ponte_core::{ConsentStatus, Product};
use ponte_store::{ConsentRow, JobRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, Duration};

pub const JOB_KIND: &str = "sync_transactions";

/// Days before the last refresh's day read again: what the institution books late
/// (a `BOLETO` or `CARTAO` id is fixed only from D+1) is seen.
pub const OVERLAP_DAYS: i64 = 2;

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

fn date_of_ms(ms: i64) -> Date {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date()
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
    let client_now = consent_lifecycle::client_now(app, &consent.client_id).await?;
    let today = date_of_ms(client_now);
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
    let plans = Plans {
        balances: sync_balances::plan(app, &consent, p.scheduled).await?,
        bills: sync_bills::plan(app, &consent, p.scheduled, known.as_ref(), today).await?,
    };
    let budget = quota::budget_for(app, &consent).await?;
    let fetched = fetch(app, &consent, &budget, span, today, known.as_ref(), &plans).await;
    if let Err(e) = quota::save_calls(app, &consent, budget.take_calls()).await {
        tracing::warn!(consent_id = %consent.id, error = %e, "could not store the institution calls");
    }
    let fetched = match fetched {
        Ok(f) => f,
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
    let window = Window {
        from: ymd(plan.from),
        today: ymd(today),
        first: span == Span::History,
        read_at_ms: client_now,
    };
    sync_record::record(app, &consent, fetched, &window).await?;
    Ok(JobOutcome::Done)
}

/// What besides the transaction window this refresh reads.
struct Plans {
    balances: sync_balances::Plan,
    bills: Vec<sync_bills::CardPlan>,
}

async fn fetch(
    app: &App,
    consent: &ConsentRow,
    budget: &Budget,
    span: Span,
    today: Date,
    known: Option<&Value>,
    plans: &Plans,
) -> std::result::Result<Fetched, ConnectError> {
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
    // The window first: a refused balances or bills call leaves it recorded.
    let ids: Vec<(Product, Vec<String>)> = out
        .iter()
        .map(|(p, l)| (*p, l.iter().map(|a| a.account_id.clone()).collect()))
        .collect();
    let balances = sync_balances::read(&mut session, &plans.balances, &ids).await?;
    let bills = sync_bills::read(&mut session, &plans.bills, today).await?;
    Ok(Fetched {
        listing: out,
        balances,
        bills,
    })
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
