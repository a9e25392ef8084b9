//! What the console shows of one client: the 30-day overview and the
//! connections (consents) with their history and reports. Read-only; the
//! console's actions call the same services as the Data API and the CLI.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::services::slots;
use crate::App;
use ponte_core::{ClientId, FieldError};
use ponte_store::{ConnectionFilter, ConsentRow, OverviewSeries};
use serde::Deserialize;
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
    drop(conn);
    let mut per_day: Vec<Vec<i64>> = vec![Vec::new(); OVERVIEW_DAYS as usize];
    for (at, ms) in attempts {
        let day = (at - first_day).div_euclid(DAY_MS);
        if (0..OVERVIEW_DAYS).contains(&day) {
            per_day[day as usize].push(ms);
        }
    }
    let latency = per_day
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            (!v.is_empty()).then(|| (percentile(&v, 50.0), percentile(&v, 95.0)))
        })
        .collect();
    Ok(Overview {
        links: bucket(&links, first_day, &["created"]),
        consents: bucket(
            &consents,
            first_day,
            &[
                "AWAITING_AUTHORISATION",
                "AUTHORISED",
                "REJECTED",
                "EXPIRED",
                "REVOKED",
            ],
        ),
        reports: bucket(&reports, first_day, &["SUCCESS", "FAILED"]),
        webhooks: bucket(
            &webhooks,
            first_day,
            &[
                ponte_store::DELIVERED,
                ponte_store::PENDING,
                ponte_store::DEAD,
            ],
        ),
        latency,
    })
}

#[derive(Deserialize)]
struct SealedTaxIds {
    personal: String,
    business: Option<String>,
}

/// `***.982.247-**`: enough to tell people apart on a screen, not enough
/// to identify one. A CNPJ keeps its middle the same way.
pub fn mask_tax_id(digits: &str) -> String {
    let d: Vec<char> = digits.chars().filter(char::is_ascii_digit).collect();
    match d.len() {
        11 => format!("***.{}.{}-**", s(&d[3..6]), s(&d[6..9])),
        14 => format!("**.{}.{}/****-**", s(&d[2..5]), s(&d[5..8])),
        _ => "***".into(),
    }
}

fn s(c: &[char]) -> String {
    c.iter().collect()
}

fn digits(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_digit).collect()
}

/// One consent as the console lists it.
#[derive(Debug)]
pub struct Connection {
    pub row: ConsentRow,
    pub personal_tax_id: String,
    pub business_tax_id: Option<String>,
}

fn connection(app: &App, row: ConsentRow) -> Connection {
    let ids: Option<SealedTaxIds> = app
        .crypto
        .open_json(slots::consent_tax_ids(&row.id), &row.tax_ids_enc)
        .ok();
    Connection {
        personal_tax_id: ids
            .as_ref()
            .map(|i| mask_tax_id(&i.personal))
            .unwrap_or_else(|| "***".into()),
        business_tax_id: ids.and_then(|i| i.business).map(|b| mask_tax_id(&b)),
        row,
    }
}

/// The connections page's query, parsed.
#[derive(Debug, Default)]
pub struct ConnectionQuery {
    pub filter: ConnectionFilter,
    /// Digits of a CPF or CNPJ, whole.
    pub tax_id: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

pub const MAX_PER_PAGE: i64 = 100;
/// The most consents a tax-id search decrypts: tax ids are sealed, so the
/// search reads rows in order and filters after opening them.
pub const TAX_ID_SCAN: i64 = 5_000;

pub fn parse_tax_id(raw: &str) -> Result<String, FieldError> {
    let d = digits(raw);
    if d.len() == 11 || d.len() == 14 {
        Ok(d)
    } else {
        Err(FieldError::new(
            "taxId",
            "must be a whole CPF (11 digits) or CNPJ (14 digits)",
        ))
    }
}

/// A page of the client's connections, newest first, and whether more follow.
pub async fn connections(
    app: &App,
    client: &ClientId,
    q: &ConnectionQuery,
) -> Result<(Vec<Connection>, bool)> {
    let offset = q.page.saturating_sub(1) * q.per_page;
    let mut conn = app.store.read().await?;
    match &q.tax_id {
        None => {
            let rows = ponte_store::console_consents(
                &mut conn,
                client.as_str(),
                &q.filter,
                q.per_page + 1,
                offset,
            )
            .await?;
            drop(conn);
            let more = rows.len() as i64 > q.per_page;
            let list = rows
                .into_iter()
                .take(q.per_page as usize)
                .map(|r| connection(app, r))
                .collect();
            Ok((list, more))
        }
        Some(wanted) => {
            let rows = ponte_store::console_consents(
                &mut conn,
                client.as_str(),
                &q.filter,
                TAX_ID_SCAN,
                0,
            )
            .await?;
            drop(conn);
            let matching: Vec<ConsentRow> = rows
                .into_iter()
                .filter(|r| {
                    app.crypto
                        .open_json::<SealedTaxIds>(slots::consent_tax_ids(&r.id), &r.tax_ids_enc)
                        .is_ok_and(|ids| {
                            digits(&ids.personal) == *wanted
                                || ids.business.is_some_and(|b| digits(&b) == *wanted)
                        })
                })
                .collect();
            let more = matching.len() as i64 > offset + q.per_page;
            let list = matching
                .into_iter()
                .skip(offset as usize)
                .take(q.per_page as usize)
                .map(|r| connection(app, r))
                .collect();
            Ok((list, more))
        }
    }
}

/// One connection of the client, or `NotFound` (another client's included).
pub async fn connection_of(app: &App, client: &ClientId, consent_id: &str) -> Result<Connection> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::consent_by_id(&mut conn, consent_id)
        .await?
        .filter(|r| r.client_id == client.as_str())
        .ok_or(Error::NotFound("consent"))?;
    Ok(connection(app, row))
}

/// The connection's reports, newest first.
pub async fn reports_of(
    app: &App,
    client: &ClientId,
    consent_id: &str,
) -> Result<Vec<ponte_store::ReportRow>> {
    connection_of(app, client, consent_id).await?;
    let mut conn = app.store.read().await?;
    Ok(ponte_store::reports_of_consent(&mut conn, consent_id).await?)
}

/// A page of the client's webhook messages (newest first) and whether more follow.
pub async fn messages(
    app: &App,
    client: &ClientId,
    filter: &ponte_store::MessageFilter,
    page: i64,
    per_page: i64,
) -> Result<(Vec<ponte_store::WebhookMessageRow>, bool)> {
    let mut conn = app.store.read().await?;
    let mut rows = ponte_store::console_messages(
        &mut conn,
        client.as_str(),
        filter,
        per_page + 1,
        page.saturating_sub(1) * per_page,
    )
    .await?;
    let more = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    Ok((rows, more))
}

/// The client's endpoints a 410 Gone disabled: (url, disabled at).
pub async fn disabled_endpoints(app: &App, client: &ClientId) -> Result<Vec<(String, i64)>> {
    let mut conn = app.store.read().await?;
    Ok(ponte_store::disabled_endpoints(&mut conn, client.as_str())
        .await?
        .into_iter()
        .filter_map(|e| Some((e.url, e.disabled_at?)))
        .collect())
}

/// Most clients an operator's picker lists at once; a search narrows it.
pub const MAX_PICKED: usize = 200;

/// Clients for an operator's picker: those whose name or id contains
/// `search` (any case), by name; at most [`MAX_PICKED`], and whether more matched.
pub async fn clients(
    app: &App,
    search: Option<&str>,
) -> Result<(Vec<ponte_store::ClientRow>, bool)> {
    let mut conn = app.store.read().await?;
    let all = ponte_store::list_clients(&mut conn).await?;
    drop(conn);
    let needle = search.map(|s| s.trim().to_lowercase()).unwrap_or_default();
    let mut found: Vec<_> = all
        .into_iter()
        .filter(|c| {
            needle.is_empty()
                || c.name.to_lowercase().contains(&needle)
                || c.id.to_lowercase().contains(&needle)
        })
        .collect();
    found.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    let more = found.len() > MAX_PICKED;
    found.truncate(MAX_PICKED);
    Ok((found, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_ids_are_masked_to_their_middle() {
        assert_eq!(mask_tax_id("52998224725"), "***.982.247-**");
        assert_eq!(mask_tax_id("529.982.247-25"), "***.982.247-**");
        assert_eq!(mask_tax_id("11222333000181"), "**.222.333/****-**");
        assert_eq!(mask_tax_id("123"), "***");
    }

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
    }
}
