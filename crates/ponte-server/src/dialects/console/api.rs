//! The console API's overview and connections: the console's own JSON
//! views over `services::console_data`, and revoke through the Data API's
//! own service.

use super::session::Console;
use super::ConsoleError;
use crate::clock::rfc3339;
use crate::dialects::data_api::views::{ConsentView, SignedUrlsView};
use crate::http::extract::{Path, Query};
use crate::services::consent_view;
use crate::services::console_data::{self, Connection, ConnectionQuery, MAX_PER_PAGE};
use crate::services::{consents, reports};
use crate::tokens::Bearer;
use crate::App;
use axum::extract::State;
use axum::Json;
use ponte_core::{ConsentStatus, FieldError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

fn series_json(s: &console_data::Series) -> Value {
    json!({"days": s.days, "counts": s.counts})
}

pub(super) async fn overview(
    State(app): State<App>,
    c: Console,
) -> Result<Json<Value>, ConsoleError> {
    let o = console_data::overview(&app, c.client()?).await?;
    let latency: Vec<Value> = o
        .latency
        .iter()
        .map(|l| match l {
            Some((p50, p95)) => json!({"p50": p50, "p95": p95}),
            None => Value::Null,
        })
        .collect();
    let now: serde_json::Map<String, Value> = o
        .consents_now
        .iter()
        .map(|(status, n)| (status.to_string(), json!(n)))
        .collect();
    let institutions: Vec<Value> = o
        .institutions
        .iter()
        .map(|i| json!({"code": i.code, "name": i.name, "consents": i.consents}))
        .collect();
    Ok(Json(json!({
        "days": o.links.days,
        "links": series_json(&o.links),
        "consentsNow": now,
        "consents": series_json(&o.consents),
        "dataRequests": series_json(&o.reports),
        "webhooks": series_json(&o.webhooks),
        "webhookLatencyMs": latency,
        "webhookLatency": o.latency_window.map(|(p50, p95)| json!({"p50": p50, "p95": p95})),
        "institutions": institutions,
    })))
}

// `clientId`, an operator's pick, is the session extractor's to read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ConnectionsQuery {
    tax_id: Option<String>,
    external_track_id: Option<String>,
    institution: Option<String>,
    status: Option<String>,
    /// `YYYY-MM-DD`, inclusive, UTC.
    from: Option<String>,
    /// `YYYY-MM-DD`, inclusive, UTC.
    to: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

fn day_start(field: &str, raw: &str) -> Result<i64, FieldError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw.trim(), format)
        .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000)
        .map_err(|_| FieldError::new(field.to_string(), "must be a date such as 2026-11-25"))
}

fn parse_query(q: ConnectionsQuery) -> Result<ConnectionQuery, FieldError> {
    let text = |v: &Option<String>| crate::services::text(v).map(str::to_string);
    let status = match text(&q.status) {
        Some(s) => Some(
            ConsentStatus::parse(&s.to_ascii_uppercase())
                .ok_or_else(|| {
                    FieldError::new("status", "must be a consent status such as AUTHORISED")
                })?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let per_page = q.per_page.unwrap_or(25);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(FieldError::new(
            "perPage",
            format!("must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    let page = q.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(FieldError::new("page", "must be between 1 and 100000"));
    }
    Ok(ConnectionQuery {
        filter: ponte_store::ConnectionFilter {
            status,
            institution_code: text(&q.institution).map(|s| s.to_ascii_lowercase()),
            external_track_id: text(&q.external_track_id),
            created_from: text(&q.from).map(|d| day_start("from", &d)).transpose()?,
            created_until: text(&q.to)
                .map(|d| day_start("to", &d).map(|t| t + console_data::DAY_MS))
                .transpose()?,
        },
        tax_id: text(&q.tax_id)
            .map(|t| console_data::parse_tax_id(&t))
            .transpose()?,
        page,
        per_page,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionItem {
    consent_id: String,
    link_id: String,
    institution_code: String,
    institution_name: String,
    external_track_id: Option<String>,
    personal_tax_id: String,
    business_tax_id: Option<String>,
    status: String,
    status_reason: Option<String>,
    created_at: String,
    updated_at: String,
}

fn item(c: &Connection) -> ConnectionItem {
    ConnectionItem {
        consent_id: c.row.id.clone(),
        link_id: c.row.link_id.clone(),
        institution_code: c.row.institution_code.clone(),
        institution_name: c.institution_name.clone(),
        external_track_id: c.row.external_track_id.clone(),
        personal_tax_id: c.personal_tax_id.clone(),
        business_tax_id: c.business_tax_id.clone(),
        status: c.row.status.as_str().to_string(),
        status_reason: c.row.status_reason.clone(),
        created_at: rfc3339(c.row.created_at),
        updated_at: rfc3339(c.row.updated_at),
    }
}

pub(super) async fn connections(
    State(app): State<App>,
    c: Console,
    Query(q): Query<ConnectionsQuery>,
) -> Result<Json<Value>, ConsoleError> {
    let q = parse_query(q)?;
    let (list, more) = console_data::connections(&app, c.client()?, &q).await?;
    Ok(Json(json!({
        "data": list.iter().map(item).collect::<Vec<_>>(),
        "page": q.page,
        "perPage": q.per_page,
        "hasMore": more,
    })))
}

pub(super) async fn connection(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let client = c.client()?;
    let conn = console_data::connection_of(&app, client, &consent_id).await?;
    let view = ConsentView::from(consent_view::view_of(&app, &conn.row).await?);
    let reports = console_data::reports_of(&app, client, &consent_id).await?;
    let history: Vec<Value> = view
        .status_history
        .iter()
        .map(|h| json!({"status": h.status, "reason": h.reason, "at": h.at}))
        .collect();
    let reports: Vec<Value> = reports
        .iter()
        .map(|r| {
            let mut v = json!({
                "reportId": r.id,
                "requestId": r.request_id,
                "product": r.product,
                "status": r.status.as_str(),
                "reason": r.reason,
                "generatedAt": rfc3339(r.generated_at),
                "deleted": r.deleted_at.is_some(),
                "summary": serde_json::from_str::<Value>(&r.summary).unwrap_or(Value::Null),
            });
            // Signed, short-lived URLs: the same the Data API hands out.
            if r.deleted_at.is_none() {
                if let (Some(o), Value::Object(urls)) = (
                    v.as_object_mut(),
                    serde_json::to_value(SignedUrlsView::new(
                        &app.public_url,
                        &reports::grant(&app, &r.id),
                    ))
                    .unwrap_or(Value::Null),
                ) {
                    o.extend(urls);
                }
            }
            v
        })
        .collect();
    let mut products: Vec<&str> = reports
        .iter()
        .filter(|r| r["status"] == "SUCCESS")
        .filter_map(|r| r["product"].as_str())
        .collect();
    products.sort_unstable();
    products.dedup();
    let mut out = serde_json::to_value(item(&conn)).unwrap_or(Value::Null);
    if let Some(o) = out.as_object_mut() {
        o.insert("statusHistory".into(), Value::Array(history));
        o.insert("permissions".into(), json!(view.permissions));
        o.insert("expireAt".into(), json!(view.expire_at));
        o.insert("products".into(), json!(products));
        o.insert("reports".into(), Value::Array(reports));
    }
    Ok(Json(out))
}

/// The Data API's `DELETE /data/v1/consents/{id}`, for the signed-in client.
pub(super) async fn revoke(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let client = c.client()?.clone();
    console_data::connection_of(&app, &client, &consent_id).await?;
    let bearer = Bearer::client(client, app.clock.now_ms() + 60_000);
    let row = consents::revoke(&app, &bearer, &consent_id).await?;
    tracing::info!(console_user_id = %c.session.user.id, consent_id = %row.id, "consent revoked from the console");
    Ok(Json(json!({"consentId": row.id, "status": row.status})))
}
