//! Quota budgets: every call Ponte makes to an institution counted per
//! consent, endpoint, resource and calendar month against the OFB
//! operational limits (`quota_limits`), so that a request the bank would
//! refuse with `429` is refused here first, with the reset time.
//!
//! A retrieval job holds a [`Budget`] as the connector's observer: it is
//! loaded from the month's stored calls, refuses a counted call whose
//! resource has spent its limit, and its records are stored when the job's
//! fetch ends. Two jobs of one consent running at the same moment each see
//! the calls stored before they started, so together they can overrun by
//! the calls of one retrieval; the institution's own `429` (honoured and
//! recorded) is the backstop there.
//!
//! The month is the consent's client's month, as every other time rule of a
//! consent: real time plus its sandbox test-clock offset (zero outside
//! sandbox mode). The sandbox banks count their limits on that same clock,
//! so advancing it past month end starts both budgets again together. A
//! call's record keeps the real time it was made (`called_at`); only the
//! month it counts in follows the client's clock.

use std::collections::HashMap;
use std::sync::Mutex;

use ponte_connect::{CallObserver, CallRecord};
use ponte_core::Product;
use ponte_store::{ConsentRow, NewCall};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::error::{Error, Result};
use crate::services::consent_products;
use crate::services::quota_limits::QuotaLimits;
use crate::App;

/// Brasília time, in which OFB months begin and end: UTC-3 all year since
/// Brazil ended daylight saving time (Decree 9,772 of 2019).
const BRASILIA: UtcOffset = match UtcOffset::from_hms(-3, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

fn brasilia(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(BRASILIA)
}

/// `YYYY-MM`: the OFB month the instant `ms` falls in.
pub fn month_of(ms: i64) -> String {
    let t = brasilia(ms);
    format!("{:04}-{:02}", t.year(), u8::from(t.month()))
}

/// When the month of `ms` ends and its budgets start again (unix ms).
pub fn resets_at(ms: i64) -> i64 {
    let t = brasilia(ms);
    let (year, month) = match t.month() {
        Month::December => (t.year() + 1, Month::January),
        m => (t.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1)
        .map(|d| {
            PrimitiveDateTime::new(d, Time::MIDNIGHT)
                .assume_offset(BRASILIA)
                .unix_timestamp()
                * 1000
        })
        .unwrap_or(i64::MAX)
}

/// Reads `YYYY-MM` (a month to export); `None` when it is not one.
pub fn parse_month(text: &str) -> Option<String> {
    let (year, month) = text.trim().split_once('-')?;
    let (year, month): (i32, u8) = (year.parse().ok()?, month.parse().ok()?);
    let ok =
        year.to_string().len() == 4 && month.to_string().len() <= 2 && (1..=12).contains(&month);
    ok.then(|| format!("{year:04}-{month:02}"))
}

/// A call spends the budget when it counts and the institution served it
/// (as `ponte_store::calls_spent` reads the stored ones).
fn spends(counted: bool, status: Option<u16>) -> bool {
    counted && status.is_some_and(|s| (200..300).contains(&s))
}

/// One endpoint's budget as `GET …/quota` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointQuota {
    pub endpoint: String,
    pub limit: u32,
    /// Calls spent by the most-used resource (account, card, bill) this month.
    pub used: u32,
    pub remaining: u32,
    pub resets_at_ms: i64,
}

/// The connector's observer for one retrieval of one consent.
pub struct Budget {
    limits: QuotaLimits,
    resets_at_ms: i64,
    spent: Mutex<HashMap<(String, String), u32>>,
    calls: Mutex<Vec<CallRecord>>,
}

impl Budget {
    pub fn new(limits: QuotaLimits, now_ms: i64, spent: Vec<(String, String, i64)>) -> Budget {
        let spent = spent
            .into_iter()
            .map(|(e, r, n)| ((e, r), u32::try_from(n).unwrap_or(u32::MAX)))
            .collect();
        Budget {
            limits,
            resets_at_ms: resets_at(now_ms),
            spent: Mutex::new(spent),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// The calls made so far, handed over once to be stored.
    pub fn take_calls(&self) -> Vec<CallRecord> {
        self.calls
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default()
    }
}

impl CallObserver for Budget {
    fn permit(&self, endpoint: &str, resource: &str) -> std::result::Result<(), String> {
        let Some(limit) = self.limits.limit_of(endpoint) else {
            return Ok(());
        };
        let used = self
            .spent
            .lock()
            .map(|s| {
                s.get(&(endpoint.to_string(), resource.to_string()))
                    .copied()
            })
            .unwrap_or_default()
            .unwrap_or(0);
        if used < limit {
            return Ok(());
        }
        Err(format!(
            "{used} of {limit} calls spent this month; resets at {}",
            crate::clock::rfc3339(self.resets_at_ms)
        ))
    }

    fn record(&self, call: CallRecord) {
        if spends(call.counted, call.status) {
            if let Ok(mut spent) = self.spent.lock() {
                *spent
                    .entry((call.endpoint.clone(), call.resource.clone()))
                    .or_default() += 1;
            }
        }
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
    }
}

/// How far the consent's client's clock runs ahead of real time.
async fn offset_of(app: &App, consent: &ConsentRow) -> Result<i64> {
    let mut conn = app.store.read().await?;
    Ok(ponte_store::client_clock_offset(&mut conn, &consent.client_id).await?)
}

/// The consent's "now" for its budgets: its client's clock.
pub async fn now_for(app: &App, consent: &ConsentRow) -> Result<i64> {
    Ok(app.clock.now_ms() + offset_of(app, consent).await?)
}

/// The budget a retrieval of `consent` starts with now.
pub async fn budget_for(app: &App, consent: &ConsentRow) -> Result<Budget> {
    let now = now_for(app, consent).await?;
    let mut conn = app.store.read().await?;
    let spent = ponte_store::calls_spent(&mut conn, &consent.id, &month_of(now)).await?;
    Ok(Budget::new(app.config.quota_limits.clone(), now, spent))
}

/// Stores the calls a retrieval made and counts them for `/metrics`.
pub async fn save_calls(app: &App, consent: &ConsentRow, calls: Vec<CallRecord>) -> Result<()> {
    if calls.is_empty() {
        return Ok(());
    }
    // Calls carry real time; the month they spend is on the client's clock.
    let offset = offset_of(app, consent).await?;
    let rows: Vec<NewCall> = calls
        .into_iter()
        .map(|c| {
            let status = c.status.map_or("none".to_string(), |s| s.to_string());
            metrics::counter!("ponte_institution_calls_total",
                "institution" => consent.institution_code.clone(),
                "endpoint" => c.endpoint.clone(),
                "status" => status)
            .increment(1);
            metrics::histogram!("ponte_institution_call_seconds",
                "institution" => consent.institution_code.clone(),
                "endpoint" => c.endpoint.clone())
            .record(c.latency_ms as f64 / 1000.0);
            NewCall {
                institution_code: consent.institution_code.clone(),
                consent_id: consent.id.clone(),
                month: month_of(c.started_at_ms.saturating_add(offset)),
                counted: c.counted,
                status: c.status,
                latency_ms: i64::try_from(c.latency_ms).unwrap_or(i64::MAX),
                interaction_id: c.interaction_id,
                called_at: c.started_at_ms,
                endpoint: c.endpoint,
                resource: c.resource,
            }
        })
        .collect();
    let mut tx = app.store.begin().await?;
    ponte_store::insert_calls(&mut tx, &rows).await?;
    tx.commit().await?;
    Ok(())
}

/// How long call records are kept: a year of monthly PCM reports and the
/// month under way, then the retention sweep removes them.
pub const CALL_RETENTION: std::time::Duration = std::time::Duration::from_secs(400 * 86_400);

/// Removes call records older than [`CALL_RETENTION`]; answers how many went.
pub async fn prune_calls(app: &App, batch: i64) -> Result<u64> {
    let keep_ms = i64::try_from(CALL_RETENTION.as_millis()).unwrap_or(i64::MAX);
    let cutoff = app.clock.now_ms().saturating_sub(keep_ms);
    Ok(ponte_store::prune_calls(&app.store, cutoff, batch).await?)
}

/// Per limited endpoint the consent's products call: limit, used, remaining.
pub async fn usage(app: &App, consent: &ConsentRow) -> Result<Vec<EndpointQuota>> {
    usage_at(app, consent, now_for(app, consent).await?).await
}

/// [`usage`] in the month of `now` (the client's time, [`now_for`]).
pub async fn usage_at(app: &App, consent: &ConsentRow, now: i64) -> Result<Vec<EndpointQuota>> {
    let mut conn = app.store.read().await?;
    let spent = ponte_store::calls_spent(&mut conn, &consent.id, &month_of(now)).await?;
    drop(conn);
    let mut most: HashMap<String, u32> = HashMap::new();
    for (endpoint, _, n) in spent {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let e = most.entry(endpoint).or_default();
        *e = (*e).max(n);
    }
    let business = consent.business;
    let permissions = consent_products::consent_permissions(consent);
    let mut out: Vec<EndpointQuota> = Vec::new();
    for product in consent_products::allowed_products(&permissions, business) {
        for (endpoint, limit) in app.config.quota_limits.endpoints_of(product, business) {
            if out.iter().any(|q| q.endpoint == endpoint) {
                continue;
            }
            let used = most.get(&endpoint).copied().unwrap_or(0);
            out.push(EndpointQuota {
                remaining: limit.saturating_sub(used),
                endpoint,
                limit,
                used,
                resets_at_ms: resets_at(now),
            });
        }
    }
    Ok(out)
}

/// Refuses, before any job is queued, a retrieval of `products` that would
/// meet a spent limit: `QUOTA_EXHAUSTED` naming every such endpoint.
pub async fn check_request(app: &App, consent: &ConsentRow, products: &[Product]) -> Result<()> {
    let now = now_for(app, consent).await?;
    let usage = usage_at(app, consent, now).await?;
    let business = consent.business;
    let mut spent: Vec<String> = Vec::new();
    for p in products {
        for (endpoint, _) in app.config.quota_limits.endpoints_of(*p, business) {
            let exhausted = usage
                .iter()
                .any(|q| q.endpoint == endpoint && q.remaining == 0);
            if exhausted && !spent.contains(&endpoint) {
                spent.push(endpoint);
            }
        }
    }
    if spent.is_empty() {
        return Ok(());
    }
    metrics::counter!("ponte_quota_refusals_total", "institution" => consent.institution_code.clone())
        .increment(1);
    Err(Error::QuotaExhausted {
        consent_id: consent.id.clone(),
        endpoints: spent,
        resets_at_ms: resets_at(now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-01T02:59:59.999Z is still November in Brasília.
    const NOV_LAST_MS: i64 = 1_796_093_999_999;

    #[test]
    fn months_are_brasilia_months() {
        assert_eq!(month_of(NOV_LAST_MS), "2026-11");
        assert_eq!(month_of(NOV_LAST_MS + 1), "2026-12");
        assert_eq!(resets_at(NOV_LAST_MS), NOV_LAST_MS + 1);
        assert_eq!(
            crate::clock::rfc3339(resets_at(NOV_LAST_MS + 1)),
            "2027-01-01T03:00:00.000Z"
        );
    }

    #[test]
    fn months_to_export_are_read_strictly() {
        assert_eq!(parse_month("2026-12").as_deref(), Some("2026-12"));
        assert_eq!(parse_month("2026-1").as_deref(), Some("2026-01"));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("26-12"), None);
        assert_eq!(parse_month("december"), None);
    }

    fn call(endpoint: &str, resource: &str, counted: bool, status: Option<u16>) -> CallRecord {
        CallRecord {
            endpoint: endpoint.into(),
            resource: resource.into(),
            counted,
            status,
            latency_ms: 3,
            interaction_id: "i".into(),
            started_at_ms: NOV_LAST_MS,
        }
    }

    #[test]
    fn a_budget_refuses_the_call_past_the_limit_per_resource() {
        let tx = "/open-banking/accounts/v2/accounts/{accountId}/transactions";
        let b = Budget::new(
            QuotaLimits::default(),
            NOV_LAST_MS,
            vec![(tx.into(), "a1".into(), 3)],
        );
        assert!(b.permit(tx, "a1").is_ok());
        b.record(call(tx, "a1", true, Some(200)));
        let why = b.permit(tx, "a1").unwrap_err();
        assert!(
            why.contains("4 of 4") && why.contains("2026-12-01T03:00:00.000Z"),
            "{why}"
        );
        // Another account has its own budget; later pages and refusals spend nothing.
        assert!(b.permit(tx, "a2").is_ok());
        b.record(call(tx, "a2", false, Some(200)));
        b.record(call(tx, "a2", true, Some(429)));
        b.record(call(tx, "a2", true, Some(529)));
        b.record(call(tx, "a2", true, Some(401)));
        b.record(call(tx, "a2", true, None));
        b.record(call(tx, "a2", true, Some(200)));
        b.record(call(tx, "a2", true, Some(200)));
        b.record(call(tx, "a2", true, Some(200)));
        assert!(b.permit(tx, "a2").is_ok(), "three of four spent");
        // Unlimited endpoints are never refused.
        assert!(b.permit("/open-banking/loans/v2/contracts", "").is_ok());
        assert_eq!(b.take_calls().len(), 9);
        assert!(b.take_calls().is_empty());
    }
}
