//! The console's webhook pages: the delivery log with filters, one message
//! with its attempts, replays and disabled endpoints. Actions go through
//! `services::webhooks`, the same as the Data API and `ponte webhooks`.

use super::session::Console;
use super::{ConsoleError, API_PREFIX};
use crate::clock::rfc3339;
use crate::dialects::data_api::views::{
    BulkReplayView, EndpointEnabledView, MessageDetailView, ReplayedView,
};
use crate::http::extract::{json_body, Path, Query};
use crate::services::{console_data, webhook_test, webhooks};
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use ponte_core::FieldError;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<App> {
    Router::new()
        .route(&format!("{API_PREFIX}/webhooks/messages"), get(list))
        .route(&format!("{API_PREFIX}/webhooks/messages/{{id}}"), get(show))
        .route(
            &format!("{API_PREFIX}/webhooks/messages/{{id}}/replay"),
            post(replay),
        )
        .route(&format!("{API_PREFIX}/webhooks/replay"), post(replay_dead))
        .route(&format!("{API_PREFIX}/webhooks/endpoints"), get(endpoints))
        .route(
            &format!("{API_PREFIX}/webhooks/endpoints/enable"),
            post(enable),
        )
        .route(&format!("{API_PREFIX}/webhooks/test"), post(send_test))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    event: Option<String>,
    status: Option<String>,
    url: Option<String>,
    /// RFC 3339, inclusive.
    from: Option<String>,
    /// RFC 3339, exclusive.
    to: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
    #[allow(dead_code)]
    client_id: Option<String>,
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

async fn list(
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
async fn show(
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

async fn replay(
    State(app): State<App>,
    c: Console,
    Path(id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let done = ReplayedView::from(webhooks::replay(&app, c.client()?, &id).await?);
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}

#[derive(Deserialize, Default)]
struct ReplayDead {
    since: Option<String>,
}

async fn replay_dead(
    State(app): State<App>,
    c: Console,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    let req: ReplayDead = json_body(&body)?;
    let since =
        crate::services::text(&req.since).ok_or_else(|| FieldError::new("since", "is required"))?;
    let done = BulkReplayView::from(webhooks::replay_dead_since(&app, c.client()?, since).await?);
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}

async fn endpoints(State(app): State<App>, c: Console) -> Result<Json<Value>, ConsoleError> {
    let list = console_data::disabled_endpoints(&app, c.client()?).await?;
    Ok(Json(json!({
        "disabled": list.iter().map(|(url, at)| json!({"url": url, "disabledAt": rfc3339(*at)})).collect::<Vec<_>>()
    })))
}

#[derive(Deserialize, Default)]
struct Enable {
    url: Option<String>,
}

async fn enable(
    State(app): State<App>,
    c: Console,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    let req: Enable = json_body(&body)?;
    let url =
        crate::services::text(&req.url).ok_or_else(|| FieldError::new("url", "is required"))?;
    let done = EndpointEnabledView::from(webhooks::enable_endpoint(&app, c.client()?, url).await?);
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}

#[derive(Deserialize, Default)]
struct SendTest {
    /// Blank: the client's event webhook URL.
    url: Option<String>,
}

/// `ponte webhooks test`: one signed `TEST` event, sent now and not logged
/// in the delivery log; the answer is what the receiver did.
async fn send_test(
    State(app): State<App>,
    c: Console,
    body: Bytes,
) -> Result<Json<Value>, ConsoleError> {
    let req: SendTest = json_body(&body)?;
    let done = webhook_test::send(&app, c.client()?, req.url.as_deref()).await?;
    tracing::info!(console_user_id = %c.session.user.id, webhook_id = %done.webhook_id, "test webhook sent from the console");
    Ok(Json(serde_json::to_value(done).unwrap_or(Value::Null)))
}
