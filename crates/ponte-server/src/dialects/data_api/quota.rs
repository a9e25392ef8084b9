//! `GET /data/v1/consents/{consentId}/quota`: how much of each Open Finance
//! operational limit the consent has spent this month.

use super::errors::ApiResult;
use super::parts::AnyToken;
use crate::http::extract::Path;
use crate::http::extract::Token;
use crate::services::{consents, quota};
use crate::App;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The consent's budgets for the current month.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentQuota {
    consent_id: String,
    institution_code: String,
    /// `YYYY-MM` in Brasília time, the month the institution counts in.
    #[schema(example = "2026-12")]
    month: String,
    /// Every limited endpoint the consent's products call.
    endpoints: Vec<EndpointQuota>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointQuota {
    /// The Open Finance path template.
    #[schema(example = "/open-banking/accounts/v2/accounts/{accountId}/transactions")]
    endpoint: String,
    /// Calls a month per resource (account, card, bill) the endpoint names.
    #[schema(example = 4)]
    limit: u32,
    /// Calls this month by the resource that made the most.
    used: u32,
    remaining: u32,
    /// When the month ends at the institution and the budget starts again.
    #[schema(example = "2027-01-01T03:00:00.000Z")]
    resets_at: String,
}

#[utoipa::path(get, path = "/data/v1/consents/{consentId}/quota", tag = "Data API: Consents",
    summary = "The consent's Open Finance call budgets this month",
    description = "Institutions allow each consent a number of calls a month per endpoint and resource (the OFB operational limits, e.g. 4 full transaction histories per account). A data request that would pass one is refused with `QUOTA_EXHAUSTED` naming the endpoint and the reset time.",
    params(("consentId" = String, Path, description = "From POST /data/v1/consents")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "Limit, used, remaining and reset time per endpoint", body = ConsentQuota), (status = "4XX", description = "Refused; the envelope names the code and the field", body = super::wire::ErrorEnvelope)))]
pub(super) async fn consent_quota(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): AnyToken,
) -> ApiResult {
    let row = consents::load_for(&app, &who, &consent_id).await?;
    // The client's month (its sandbox test clock, if it moved one).
    let now = quota::now_for(&app, &row).await?;
    let endpoints = quota::usage_at(&app, &row, now).await?;
    Ok(Json(ConsentQuota {
        consent_id: row.id.clone(),
        institution_code: row.institution_code.clone(),
        month: quota::month_of(now),
        endpoints: endpoints
            .into_iter()
            .map(|q| EndpointQuota {
                endpoint: q.endpoint,
                limit: q.limit,
                used: q.used,
                remaining: q.remaining,
                resets_at: crate::clock::rfc3339(q.resets_at_ms),
            })
            .collect(),
    })
    .into_response())
}
