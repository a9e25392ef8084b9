//! The console's renewals page (issues 26 and 27): connections that expire
//! within the client's lead time, with the days left, the Data API call that
//! renews one without a redirect and an update-mode link for the end user;
//! the connections made as duplicates of another; and each connection's
//! quota (the Data API's `GET /data/v1/consents/{id}/quota`).

use super::session::Console;
use super::ConsoleError;
use crate::clock::rfc3339;
use crate::http::extract::Path;
use crate::services::console_data::{self, Connection};
use crate::services::{console_lifecycle, quota};
use crate::App;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

fn item(c: &Connection) -> Value {
    json!({
        "consentId": c.row.id,
        "institutionCode": c.row.institution_code,
        "institutionName": c.institution_name,
        "personalTaxId": c.personal_tax_id,
        "externalTrackId": c.row.external_track_id,
        "status": c.row.status,
        "createdAt": rfc3339(c.row.created_at),
        "expirationDateTime": rfc3339(c.row.expire_at),
    })
}

/// The Data API call that renews a consent without a redirect; the end
/// user's address and browser are the integrator's to fill in.
fn renew_command(public_url: &str, consent_id: &str) -> String {
    format!(
        "curl -X POST {}/data/v1/consents/{consent_id}/renew -H \"authorization: Bearer $TOKEN\" -H \"x-fapi-customer-ip-address: $END_USER_IP\" -H \"x-customer-user-agent: $END_USER_AGENT\" -d '{{}}'",
        public_url.trim_end_matches('/')
    )
}

pub(super) async fn lifecycle(
    State(app): State<App>,
    c: Console,
) -> Result<Json<Value>, ConsoleError> {
    let l = console_lifecycle::lifecycle(&app, c.client()?).await?;
    let expiring: Vec<Value> = l
        .expiring
        .iter()
        .map(|e| {
            let mut v = item(&e.connection);
            v["daysLeft"] = json!(e.days_left);
            v["renewCommand"] = json!(renew_command(&app.public_url, &e.connection.row.id));
            v
        })
        .collect();
    let duplicates: Vec<Value> = l
        .duplicates
        .iter()
        .map(|d| {
            let mut v = item(&d.connection);
            v["duplicateOf"] = json!(d.duplicate_of);
            v
        })
        .collect();
    Ok(Json(json!({
        "leadDays": l.lead_days,
        "expiring": expiring,
        "duplicates": duplicates,
    })))
}

pub(super) async fn connection_quota(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let conn = console_data::connection_of(&app, c.client()?, &consent_id).await?;
    let usage = quota::usage(&app, &conn.row).await?;
    let endpoints: Vec<Value> = usage
        .iter()
        .map(|q| {
            json!({
                "endpoint": q.endpoint,
                "limit": q.limit,
                "used": q.used,
                "remaining": q.remaining,
                "resetsAt": rfc3339(q.resets_at_ms),
            })
        })
        .collect();
    Ok(Json(
        json!({"consentId": conn.row.id, "endpoints": endpoints}),
    ))
}

pub(super) async fn update_link(
    State(app): State<App>,
    c: Console,
    Path(consent_id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let link = console_lifecycle::update_link(&app, c.client()?, &consent_id).await?;
    tracing::info!(console_user_id = %c.session.user.id, consent_id, link_id = %link.link_id, "update-mode link opened from the console");
    Ok(Json(json!({
        "linkId": link.link_id,
        "linkUrl": link.link_url,
        "expireIn": link.expire_in,
    })))
}
