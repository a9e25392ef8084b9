//! The operator's client picker. An operator then names the chosen client
//! as `clientId` on every other console call; a client's own users have no
//! picker, and this list answers them 404 like any object not theirs.

use super::session::Console;
use super::ConsoleError;
use crate::clock::rfc3339;
use crate::error::Error;
use crate::http::extract::Query;
use crate::services::console::Role;
use crate::services::console_data;
use crate::App;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub(super) struct ListQuery {
    /// Part of a client's name or id.
    q: Option<String>,
}

pub(super) async fn list(
    State(app): State<App>,
    c: Console,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ConsoleError> {
    if c.session.user.role != Role::Operator {
        return Err(Error::NotFound("client list").into());
    }
    let (clients, more) = console_data::clients(&app, crate::services::text(&q.q)).await?;
    let data: Vec<Value> = clients
        .iter()
        .map(|c| json!({"clientId": c.id, "name": c.name, "createdAt": rfc3339(c.created_at)}))
        .collect();
    Ok(Json(json!({"data": data, "hasMore": more})))
}
