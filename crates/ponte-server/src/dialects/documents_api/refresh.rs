//! `GET`/`PUT /api/retrievals/{id}/refresh`: a connection's refresh schedule.
//! A refresh reads the portal again and sends one `documents.ready` webhook
//! naming only the documents that are new (none new: no webhook).

use super::errors::ApiError;
use super::{basic_client, ApiResult};
use crate::clock::rfc3339;
use crate::http::extract::{json_body, Path};
use crate::http::listener::Peer;
use crate::services::documents_refresh::{self, Schedule, MAX_EVERY_DAYS};
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use ponte_core::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// Days between refreshes (1–366), counted from now; `null` stops them.
    #[schema(required = true, nullable = true, minimum = 1, maximum = 366)]
    pub every_days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshSchedule {
    /// The retrieval (`data.id` of its webhooks).
    pub id: i64,
    pub every_days: i64,
    /// RFC 3339, on your clock (the sandbox test clock moves it).
    pub next_refresh_at: String,
    /// RFC 3339, on your clock: when the last refresh ran.
    pub last_refreshed_at: Option<String>,
    /// Why the last refresh could not read the portal (e.g. the end user must connect again).
    pub last_error: Option<String>,
}

fn view(s: Schedule) -> RefreshSchedule {
    RefreshSchedule {
        id: s.retrieval_id,
        every_days: s.every_days,
        next_refresh_at: rfc3339(s.next_refresh_at_ms),
        last_refreshed_at: s.last_refreshed_at_ms.map(rfc3339),
        last_error: s.last_error,
    }
}

fn retrieval_id(raw: &str) -> Result<i64, ApiError> {
    Ok(raw
        .parse()
        .map_err(|_| crate::error::Error::NotFound("retrieval"))?)
}

/// `every_days` as sent: required, a whole number or `null`.
fn every_days(body: &Map<String, Value>) -> Result<Option<i64>, FieldError> {
    match body.get("every_days") {
        None => Err(FieldError::new(
            "every_days",
            "is required: days between refreshes, or null to stop them",
        )),
        Some(Value::Null) => Ok(None),
        // JSON does not tell 7 from 7.0: a whole number written either way is one.
        Some(v) => v
            .as_i64()
            .or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_EVERY_DAYS as f64)
                    .map(|f| f as i64)
            })
            .map(Some)
            .ok_or_else(|| {
                FieldError::new(
                    "every_days",
                    format!("must be a whole number of days from 1 to {MAX_EVERY_DAYS}, or null"),
                )
            }),
    }
}

#[utoipa::path(put, path = "/api/retrievals/{id}/refresh", tag = "Documents API: Retrieval",
    summary = "Refresh a connection on a schedule",
    description = "Reads the connection's portal again every `every_days` days from now (your clock), with the sign-in the end user gave. Only documents it did not list before are downloaded, and they arrive in one `documents.ready` webhook naming just them; a refresh that finds nothing new sends nothing. `null` stops the refreshes. Only a retrieval that succeeded can be refreshed (409 otherwise).",
    params(("id" = i64, Path, description = "`data.id` of the webhook")),
    request_body = RefreshRequest, security(("basicAuth" = [])),
    responses((status = 200, description = "The schedule", body = RefreshSchedule), (status = 204, description = "Refreshes stopped"), (status = "4XX", description = "`invalid_field` (`every_days`), `invalid_credentials`, `not_found`, `conflict`")))]
pub(super) async fn set_retrieval_refresh(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let client = basic_client(&app, from, &headers).await?;
    let id = retrieval_id(&id)?;
    let req: Map<String, Value> = json_body(&body)?;
    let every = every_days(&req)?;
    match documents_refresh::set_schedule(&app, &client, id, every).await? {
        Some(s) => Ok(Json(view(s)).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

#[utoipa::path(get, path = "/api/retrievals/{id}/refresh", tag = "Documents API: Retrieval",
    summary = "A connection's refresh schedule",
    params(("id" = i64, Path, description = "`data.id` of the webhook")),
    security(("basicAuth" = [])),
    responses((status = 200, description = "The schedule", body = RefreshSchedule), (status = "4XX", description = "`invalid_credentials`; `not_found` (no such retrieval, or it is not refreshed)")))]
pub(super) async fn retrieval_refresh(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let client = basic_client(&app, from, &headers).await?;
    let id = retrieval_id(&id)?;
    let s = documents_refresh::schedule(&app, &client, id).await?;
    Ok(Json(view(s)).into_response())
}

#[cfg(test)]
mod tests {
    use super::every_days;
    use serde_json::{json, Map, Value};

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn every_days_is_a_whole_number_however_written_or_null() {
        assert_eq!(
            every_days(&body(json!({"every_days": 7}))).unwrap(),
            Some(7)
        );
        assert_eq!(
            every_days(&body(json!({"every_days": 7.0}))).unwrap(),
            Some(7)
        );
        assert_eq!(
            every_days(&body(json!({"every_days": null}))).unwrap(),
            None
        );
        for refused in [
            json!({"every_days": 7.5}),
            json!({"every_days": "7"}),
            json!({}),
        ] {
            let e = every_days(&body(refused)).unwrap_err();
            assert_eq!(e.field, "every_days");
        }
    }
}
