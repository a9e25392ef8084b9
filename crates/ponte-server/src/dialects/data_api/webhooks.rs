//! The webhook delivery log, replays, endpoints and the signing secret.

use super::errors::ApiResult;
use super::parts::{Access, JsonBody};
use super::views;
use super::wire::*;
use crate::http::extract::{Body, Token};
use crate::http::extract::{Path, Query};
use crate::http::pagination::{Page, Pagination};
use crate::services::{clients, webhooks};
use crate::App;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// A page of the list, refused in this dialect's envelope.
type PageOf = Page<super::errors::ApiError>;

/// The list's own filter; the page is [`Pagination`]'s.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct StatusFilter {
    /// `pending`, `delivered` or `dead`
    status: Option<String>,
}

#[utoipa::path(get, path = "/data/v1/webhooks/messages", tag = "Data API: Webhooks",
    summary = "Your webhook messages, newest first",
    params(StatusFilter, Pagination),
    security(("accessToken" = [])),
    responses((status = 200, description = "A page of messages", body = views::MessagePageView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn list_webhooks(
    State(app): State<App>,
    Query(q): Query<StatusFilter>,
    Page(page, _): PageOf,
    Token(who, _): Access,
) -> ApiResult {
    let page = webhooks::list(
        &app,
        &who.client_id,
        q.status.as_deref(),
        page.cursor.as_deref(),
        page.limit,
    )
    .await?;
    Ok(Json(views::MessagePageView::from(page)).into_response())
}

#[utoipa::path(get, path = "/data/v1/webhooks/messages/{messageId}", tag = "Data API: Webhooks",
    summary = "One message with every delivery attempt",
    params(("messageId" = String, Path, description = "The `webhook-id` header of the delivery")), security(("accessToken" = [])),
    responses((status = 200, description = "The message", body = views::MessageDetailView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn show_webhook(
    State(app): State<App>,
    Path(message_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    let detail = webhooks::show(&app, &who.client_id, &message_id).await?;
    Ok(Json(views::MessageDetailView::from(detail)).into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/messages/{messageId}/replay", tag = "Data API: Webhooks",
    summary = "Send a finished message again (same webhook-id)",
    description = "409 `CONFLICT` naming the URL when a 410 Gone disabled its endpoint.",
    params(("messageId" = String, Path, description = "The message")), security(("accessToken" = [])),
    responses((status = 200, description = "Queued", body = views::ReplayedView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn replay_webhook(
    State(app): State<App>,
    Path(message_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    let queued = webhooks::replay(&app, &who.client_id, &message_id).await?;
    Ok(Json(views::ReplayedView::from(queued)).into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/replay", tag = "Data API: Webhooks",
    summary = "Send again every message that died since a time",
    request_body = ReplaySince, security(("accessToken" = [])),
    responses((status = 200, description = "What was queued and what was skipped", body = views::BulkReplayView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn replay_dead_webhooks(
    State(app): State<App>,
    Token(who, _): Access,
    Body(req, _): JsonBody<ReplaySince>,
) -> ApiResult {
    let since = req
        .since
        .ok_or_else(|| ponte_core::FieldError::new("since", "is required"))?;
    let replayed = webhooks::replay_dead_since(&app, &who.client_id, &since).await?;
    Ok(Json(views::BulkReplayView::from(replayed)).into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/secret/rotate", tag = "Data API: Webhooks",
    summary = "Issue a new webhook secret",
    description = "For 24 hours webhooks carry both signatures, `webhook-signature: v1,<new> v1,<old>`; a new rotation ends the previous grace.",
    security(("accessToken" = [])),
    responses((status = 200, description = "The new secret, shown once", body = RotatedWebhookSecret), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn rotate_webhook_secret(
    State(app): State<App>,
    Token(who, _): Access,
) -> ApiResult {
    let rotated = clients::rotate_webhook_secret(&app, who.client_id.as_str()).await?;
    Ok(Json(RotatedWebhookSecret {
        webhook_secret: rotated.webhook_secret,
        previous_secret_expires_at: rotated.previous_secret_expires_at,
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/endpoints/enable", tag = "Data API: Webhooks",
    summary = "Enable again a URL that answered 410 Gone",
    request_body = EnableEndpoint, security(("accessToken" = [])),
    responses((status = 200, description = "Enabled", body = views::EndpointEnabledView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn enable_webhook_endpoint(
    State(app): State<App>,
    Token(who, _): Access,
    Body(req, _): JsonBody<EnableEndpoint>,
) -> ApiResult {
    let url = req
        .url
        .ok_or_else(|| ponte_core::FieldError::new("url", "is required"))?;
    let enabled = webhooks::enable_endpoint(&app, &who.client_id, &url).await?;
    Ok(Json(views::EndpointEnabledView::from(enabled)).into_response())
}
