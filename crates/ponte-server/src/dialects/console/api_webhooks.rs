//! The console's webhook pages: the delivery log with filters, one message
//! with its attempts, replays and disabled endpoints. Actions go through
//! `services::webhooks`, the same as the Data API and `ponte webhooks`.

use super::extract::JsonBody;
use super::session::Console;
use super::ConsoleError;
use crate::clock::rfc3339;
use crate::dialects::data_api::views::{
    BulkReplayView, EndpointEnabledView, MessageDetailView, ReplayedView,
};
use crate::http::extract::{Body, Path, Query};
use crate::services::{console_data, webhook_test, webhooks};
use crate::App;
use axum::extract::State;
use axum::Json;
use ponte_core::FieldError;
use serde::Deserialize;
use serde_json::{json, Value};

// `clientId`, an operator's pick, is the session extractor's to read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    event: Option<String>,
    status: Option<String>,
    url: Option<String>,
    /// RFC 3339, inclusive.
    from: Option<String>,
    /// RFC 3339, exclusive.
    to: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

fn instant(field: &str, raw: &str) -> Result<i64, FieldError> {
    time::OffsetDateTime::parse(raw.trim(), &time::format_description::well_known::Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .map_err(|_| {
            FieldError::new(
                field.to_string(),
                "must be an RFC 3339 time such as 2026-11-25T00:00:00Z",
            )
        })
}

pub(super) async fn list(
    State(app): State<App>,
    c: Console,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ConsoleError> {
    let text = |v: &Option<String>| crate::services::text(v).map(str::to_string);
    let status = text(&q.status).map(|s| s.to_ascii_lowercase());
    if let Some(s) = &status {
        if ponte_store::WebhookStatus::parse(s).is_none() {
            return Err(FieldError::new("status", "must be pending, delivered or dead").into());
        }
    }
    let per_page = q.per_page.unwrap_or(25);
    if !(1..=webhooks::MAX_PAGE).contains(&per_page) {
        return Err(FieldError::new(
            "perPage",
            format!("must be between 1 and {}", webhooks::MAX_PAGE),
        )
        .into());
    }
    let page = q.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(FieldError::new("page", "must be between 1 and 100000").into());
    }
    let filter = ponte_store::MessageFilter {
        event_type: text(&q.event),
        status,
        url: text(&q.url),
        created_from: text(&q.from).map(|t| instant("from", &t)).transpose()?,
        created_until: text(&q.to).map(|t| instant("to", &t)).transpose()?,
    };
    let (rows, more) = console_data::messages(&app, c.client()?, &filter, page, per_page).await?;
    let data: Vec<Value> = rows
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "eventType": m.event_type,
                "status": m.status.as_str(),
                "attempts": m.attempts,
                "targetUrl": m.target_url,
                "lastError": m.last_error,
                "createdAt": rfc3339(m.created_at),
                "finishedAt": m.finished_at.map(rfc3339),
            })
        })
        .collect();
    Ok(Json(
        json!({"data": data, "page": page, "perPage": per_page, "hasMore": more}),
    ))
}

/// The message with its body, the headers it is sent with (signatures are
/// computed per attempt and not kept) and every attempt.
pub(super) async fn show(
    State(app): State<App>,
    c: Console,
    Path(id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let detail = MessageDetailView::from(webhooks::show(&app, c.client()?, &id).await?);
    let mut out = serde_json::to_value(detail).unwrap_or(Value::Null);
    out["headers"] = json!({
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": "(the time of each attempt)",
        "webhook-signature": "v1,… (computed at each attempt)",
    });
    Ok(Json(out))
}

pub(super) async fn replay(
    State(app): State<App>,
    c: Console,
    Path(id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let done = ReplayedView::from(webhooks::replay(&app, c.client()?, &id).await?);
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}

#[derive(Deserialize, Default)]
pub(super) struct ReplayDead {
    since: Option<String>,
}

pub(super) async fn replay_dead(
    State(app): State<App>,
    c: Console,
    Body(req, _): JsonBody<ReplayDead>,
) -> Result<Json<Value>, ConsoleError> {
    let since =
        crate::services::text(&req.since).ok_or_else(|| FieldError::new("since", "is required"))?;
    let done = BulkReplayView::from(webhooks::replay_dead_since(&app, c.client()?, since).await?);
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}

pub(super) async fn endpoints(
    State(app): State<App>,
    c: Console,
) -> Result<Json<Value>, ConsoleError> {
    let list = console_data::disabled_endpoints(&app, c.client()?).await?;
    Ok(Json(json!({
        "disabled": list.iter().map(|(url, at)| json!({"url": url, "disabledAt": rfc3339(*at)})).collect::<Vec<_>>()
    })))
}

#[derive(Deserialize, Default)]
pub(super) struct Enable {
    url: Option<String>,
}

pub(super) async fn enable(
    State(app): State<App>,
    c: Console,
    Body(req, _): JsonBody<Enable>,
) -> Result<Json<Value>, ConsoleError> {
    let url =
        crate::services::text(&req.url).ok_or_else(|| FieldError::new("url", "is required"))?;
    let done = EndpointEnabledView::from(webhooks::enable_endpoint(&app, c.client()?, url).await?);
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}

#[derive(Deserialize, Default)]
pub(super) struct SendTest {
    /// Blank: the client's event webhook URL.
    url: Option<String>,
}

/// `ponte webhooks test`: one signed `TEST` event, sent now and not logged
/// in the delivery log; the answer is what the receiver did.
pub(super) async fn send_test(
    State(app): State<App>,
    c: Console,
    Body(req, _): JsonBody<SendTest>,
) -> Result<Json<Value>, ConsoleError> {
    let done = webhook_test::send(&app, c.client()?, req.url.as_deref()).await?;
    tracing::info!(console_user_id = %c.session.user.id, webhook_id = %done.webhook_id, "test webhook sent from the console");
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}
