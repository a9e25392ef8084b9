//! `GET`/`PUT /api/retrievals/{id}/refresh`: a connection's refresh schedule.
//! A refresh reads the portal again and sends one `documents.ready` webhook
//! naming only the documents that are new (none new: no webhook).

use super::errors::DocumentsError;
use super::extract::{BasicClient, JsonBody};
use super::{retrieval_id, ApiResult};
use crate::clock::rfc3339;
use crate::http::extract::Path;
use crate::services::documents_refresh::{self, Schedule, MAX_EVERY_DAYS};
use crate::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use ponte_core::FieldError;
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// Days between refreshes (1–366), counted from now; `null` stops them.
    #[serde(default)]
    #[schema(value_type = Option<i64>, required = true, nullable = true, minimum = 1, maximum = 366)]
    pub every_days: EveryDays,
}

/// `every_days` as sent: it must be there, `null` meaning "stop".
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum EveryDays {
    #[default]
    Missing,
    Stop,
    Days(i64),
}

impl<'de> Deserialize<'de> for EveryDays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(EveryDays::Stop),
            // JSON does not tell 7 from 7.0: a whole number written either way is one.
            v => v
                .as_i64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_EVERY_DAYS as f64)
                        .map(|f| f as i64)
                })
                .map(EveryDays::Days)
                .ok_or_else(|| {
                    D::Error::custom(format!(
                        "must be a whole number of days from 1 to {MAX_EVERY_DAYS}, or null"
                    ))
                }),
        }
    }
}

impl EveryDays {
    /// The days between refreshes, `None` to stop them.
    fn asked(self) -> Result<Option<i64>, FieldError> {
        match self {
            EveryDays::Missing => Err(FieldError::new(
                "every_days",
                "is required: days between refreshes, or null to stop them",
            )),
            EveryDays::Stop => Ok(None),
            EveryDays::Days(n) => Ok(Some(n)),
        }
    }
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
        id: s.retrieval_id.get(),
        every_days: s.every_days,
        next_refresh_at: rfc3339(s.next_refresh_at_ms),
        last_refreshed_at: s.last_refreshed_at_ms.map(rfc3339),
        last_error: s.last_error,
    }
}

#[utoipa::path(put, path = "/api/retrievals/{id}/refresh", tag = "Documents API: Retrieval",
    summary = "Refresh a connection on a schedule",
    description = "Reads the connection's portal again every `every_days` days from now (your clock), with the sign-in the end user gave. Only documents it did not list before are downloaded, and they arrive in one `documents.ready` webhook naming just them; a refresh that finds nothing new sends nothing. `null` stops the refreshes. Only a retrieval that succeeded can be refreshed (409 otherwise).",
    params(("id" = i64, Path, description = "`data.id` of the webhook")),
    request_body = RefreshRequest, security(("basicAuth" = [])),
    responses((status = 200, description = "The schedule", body = RefreshSchedule), (status = 204, description = "Refreshes stopped"), (status = "4XX", description = "`invalid_field` (`every_days`), `invalid_credentials`, `not_found`, `conflict`", body = DocumentsError)))]
pub(super) async fn set_retrieval_refresh(
    State(app): State<App>,
    BasicClient(client): BasicClient,
    Path(id): Path<String>,
    body: JsonBody<RefreshRequest>,
) -> ApiResult {
    let id = retrieval_id(&id)?;
    let every = body.0.every_days.asked()?;
    match documents_refresh::set_schedule(&app, &client, id, every).await? {
        Some(s) => Ok(Json(view(s)).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

#[utoipa::path(get, path = "/api/retrievals/{id}/refresh", tag = "Documents API: Retrieval",
    summary = "A connection's refresh schedule",
    params(("id" = i64, Path, description = "`data.id` of the webhook")),
    security(("basicAuth" = [])),
    responses((status = 200, description = "The schedule", body = RefreshSchedule), (status = "4XX", description = "`invalid_credentials`; `not_found` (no such retrieval, or it is not refreshed)", body = DocumentsError)))]
pub(super) async fn retrieval_refresh(
    State(app): State<App>,
    BasicClient(client): BasicClient,
    Path(id): Path<String>,
) -> ApiResult {
    let id = retrieval_id(&id)?;
    let s = documents_refresh::schedule(&app, &client, id).await?;
    Ok(Json(view(s)).into_response())
}

#[cfg(test)]
mod tests {
    use super::RefreshRequest;
    use crate::error::Error;
    use crate::http::extract::json_body;

    fn every_days(body: &str) -> Result<Option<i64>, String> {
        match json_body::<RefreshRequest>(body.as_bytes()) {
            Ok(req) => req.every_days.asked().map_err(|e| e.field.to_string()),
            Err(Error::Field(f)) => Err(f.field.to_string()),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_days_is_a_whole_number_however_written_or_null() {
        assert_eq!(every_days(r#"{"every_days": 7}"#), Ok(Some(7)));
        assert_eq!(every_days(r#"{"every_days": 7.0}"#), Ok(Some(7)));
        assert_eq!(every_days(r#"{"every_days": null}"#), Ok(None));
        for refused in [r#"{"every_days": 7.5}"#, r#"{"every_days": "7"}"#, "{}", ""] {
            assert_eq!(every_days(refused), Err("every_days".into()), "{refused}");
        }
    }
}
