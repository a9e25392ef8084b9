//! The console's 30-day overview of one client: what happened per day
//! (links, consent transitions, data requests, webhook deliveries), how many
//! consents are in each status now, webhook latency and the institutions used.

use super::console_data::institution_name;
use crate::clock::rfc3339;
use crate::error::Result;
use crate::App;
use ponte_core::ClientId;
use ponte_store::OverviewSeries;
use std::collections::BTreeMap;

pub const DAY_MS: i64 = 24 * 3600 * 1000;
pub const OVERVIEW_DAYS: i64 = 30;

/// Per day (oldest first), per label: how many.
#[derive(Debug, Default)]
pub struct Series {
    pub days: Vec<String>,
    pub counts: BTreeMap<String, Vec<i64>>,
}

#[derive(Debug)]
pub struct Overview {
    pub links: Series,
    pub consents: Series,
    pub reports: Series,
    pub webhooks: Series,
    /// Per day: (p50, p95) of attempt latency in ms, `None` without attempts.
    pub latency: Vec<Option<(i64, i64)>>,
    /// (p50, p95) over every attempt of the 30 days: both from the same
    /// attempts, so both are there or neither is.
    pub latency_window: Option<(i64, i64)>,
    /// How many of the client's consents are in each status now, every
    /// status listed (zero included).
    pub consents_now: Vec<(&'static str, i64)>,
    /// Consents created in the 30 days per institution, most used first.
    pub institutions: Vec<InstitutionCount>,
}

/// One institution's share of the client's consents, by its display name.
#[derive(Debug)]
pub struct InstitutionCount {
    pub code: String,
    pub name: String,
    pub consents: i64,
}

/// The statuses a consent can be in, in the order a funnel reads.
pub const CONSENT_STATUSES: [&str; 5] = [
    "AWAITING_AUTHORISATION",
    "AUTHORISED",
    "REJECTED",
    "EXPIRED",
    "REVOKED",
];

fn every_status(counted: Vec<(String, i64)>) -> Vec<(&'static str, i64)> {
    CONSENT_STATUSES
        .iter()
        .map(|s| {
            let n = counted
                .iter()
                .filter(|(status, _)| status == s)
                .map(|(_, n)| n)
                .sum();
            (*s, n)
        })
        .collect()
}

fn day_label(day_start_ms: i64) -> String {
    rfc3339(day_start_ms)[..10].to_string()
}

/// Counts rows into the 30 days that end today (UTC), by label.
fn bucket(rows: &[(i64, String)], first_day: i64, labels: &[&str]) -> Series {
    let mut s = Series {
        days: (0..OVERVIEW_DAYS)
            .map(|d| day_label(first_day + d * DAY_MS))
            .collect(),
        counts: labels
            .iter()
            .map(|l| (l.to_string(), vec![0; OVERVIEW_DAYS as usize]))
            .collect(),
    };
    for (at, label) in rows {
        let day = (at - first_day).div_euclid(DAY_MS);
        if !(0..OVERVIEW_DAYS).contains(&day) {
            continue;
        }
        if let Some(v) = s.counts.get_mut(label.as_str()) {
            v[day as usize] += 1;
        }
    }
    s
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[i64], p: f64) -> i64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub async fn overview(app: &App, client: &ClientId) -> Result<Overview> {
    let now = app.clock.now_ms();
    let today = now - now.rem_euclid(DAY_MS);
    let first_day = today - (OVERVIEW_DAYS - 1) * DAY_MS;
    let mut conn = app.store.read().await?;
    let c = client.as_str();
    let links =
        ponte_store::overview_series(&mut conn, OverviewSeries::Links, c, first_day).await?;
    let consents =
        ponte_store::overview_series(&mut conn, OverviewSeries::ConsentOutcomes, c, first_day)
            .await?;
    let reports =
        ponte_store::overview_series(&mut conn, OverviewSeries::Reports, c, first_day).await?;
    let webhooks =
        ponte_store::overview_series(&mut conn, OverviewSeries::Webhooks, c, first_day).await?;
    let attempts = ponte_store::attempt_latencies(&mut conn, c, first_day).await?;
    let now_counts = ponte_store::consent_status_counts(&mut conn, c).await?;
    let per_institution = ponte_store::consents_per_institution(&mut conn, c, first_day).await?;
    drop(conn);
    let mut per_day: Vec<Vec<i64>> = vec![Vec::new(); OVERVIEW_DAYS as usize];
    let mut window = Vec::new();
    for (at, ms) in attempts {
        let day = (at - first_day).div_euclid(DAY_MS);
        if (0..OVERVIEW_DAYS).contains(&day) {
            per_day[day as usize].push(ms);
            window.push(ms);
        }
    }
    window.sort_unstable();
    let latency = per_day
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            p50_p95(&v)
        })
        .collect();
    Ok(Overview {
        links: bucket(&links, first_day, &["created"]),
        consents: bucket(&consents, first_day, &CONSENT_STATUSES),
        reports: bucket(&reports, first_day, &["SUCCESS", "FAILED"]),
        webhooks: bucket(
            &webhooks,
            first_day,
            &[
                ponte_store::WebhookStatus::Delivered.as_str(),
                ponte_store::WebhookStatus::Pending.as_str(),
                ponte_store::WebhookStatus::Dead.as_str(),
            ],
        ),
        latency,
        latency_window: p50_p95(&window),
        consents_now: every_status(now_counts),
        institutions: per_institution
            .into_iter()
            .map(|(code, consents)| InstitutionCount {
                name: institution_name(app, &code),
                code,
                consents,
            })
            .collect(),
    })
}

fn p50_p95(sorted: &[i64]) -> Option<(i64, i64)> {
    (!sorted.is_empty()).then(|| (percentile(sorted, 50.0), percentile(sorted, 95.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_fall_on_their_day_and_percentiles_use_nearest_rank() {
        let first = 10 * DAY_MS;
        let rows = vec![
            (first, "AUTHORISED".to_string()),
            (first + DAY_MS - 1, "AUTHORISED".to_string()),
            (first + DAY_MS, "REJECTED".to_string()),
            (first - 1, "AUTHORISED".to_string()),
            (first + 30 * DAY_MS, "AUTHORISED".to_string()),
        ];
        let s = bucket(&rows, first, &["AUTHORISED", "REJECTED"]);
        assert_eq!(s.counts["AUTHORISED"][..2], [2, 0]);
        assert_eq!(s.counts["REJECTED"][..2], [0, 1]);
        assert_eq!(s.days.len(), 30);
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!((percentile(&v, 50.0), percentile(&v, 95.0)), (50, 95));
        assert_eq!(percentile(&[7], 95.0), 7);
        // Zero milliseconds is a latency, not an absence.
        assert_eq!(p50_p95(&[0, 0, 2]), Some((0, 2)));
        assert_eq!(p50_p95(&[]), None);
    }

    #[test]
    fn every_status_is_listed_with_its_current_count() {
        let counted = every_status(vec![("AUTHORISED".into(), 3), ("REJECTED".into(), 1)]);
        assert_eq!(
            counted,
            vec![
                ("AWAITING_AUTHORISATION", 0),
                ("AUTHORISED", 3),
                ("REJECTED", 1),
                ("EXPIRED", 0),
                ("REVOKED", 0)
            ]
        );
    }
}
