//! The Data API dialect (Klavi's link API): camelCase JSON, errors as
//! `{"error":{"code","message","field"}}`. Handlers parse, call one service,
//! and shape the answer; nothing else.

use crate::error::Error;
use crate::http::extract::{bearer, json_body, Path, Query};
use crate::http::failure::{Failure, FailureKind};
use crate::http::listener::Peer;
use crate::services::retrieval::{self, Kind};
use crate::services::{clients, consents, links, reports, sandbox_driver, webhooks};
use crate::tokens::{TokenError, TokenKind};
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
#[allow(unused_imports)] // Some are named only in the `utoipa::path` attributes.
use wire::*;

pub mod docs;
pub mod wire;

const ACCESS: &[TokenKind] = &[TokenKind::Access];
const LINK: &[TokenKind] = &[TokenKind::Link];
const EITHER: &[TokenKind] = &[TokenKind::Access, TokenKind::Link];

pub fn routes() -> Router<App> {
    Router::new()
        .route("/data/v1/auth", post(auth))
        .route("/data/v1/auth/refresh", post(refresh))
        .route("/data/v1/links", post(create_link))
        .route("/data/v1/links/institutions", get(institutions))
        .route("/data/v1/links/{linkId}", get(get_link))
        .route("/data/v1/consents", post(create_consent))
        .route(
            "/data/v1/consents/{consentId}",
            get(get_consent).delete(revoke_consent),
        )
        .route("/data/personal/institution-data", post(personal_data))
        .route("/data/business/institution-data", post(business_data))
        .route("/data/v1/requests/{requestId}", get(get_request))
        .route("/data/v1/reports/{reportId}", get(get_report))
        .route("/data/v1/reports/{reportId}/download", get(download_report))
        .route("/data/v1/webhooks/messages", get(list_webhooks))
        .route("/data/v1/webhooks/messages/{messageId}", get(show_webhook))
        .route(
            "/data/v1/webhooks/messages/{messageId}/replay",
            post(replay_webhook),
        )
        .route("/data/v1/webhooks/replay", post(replay_dead_webhooks))
        .route(
            "/data/v1/webhooks/secret/rotate",
            post(rotate_webhook_secret),
        )
        .route(
            "/data/v1/webhooks/endpoints/enable",
            post(enable_webhook_endpoint),
        )
        .route("/data/v1/reports/{reportId}/pdf", get(download_pdf))
}

pub fn sandbox_routes() -> Router<App> {
    Router::new()
        .route(
            "/sandbox/v1/consents/{consentId}/authorise",
            post(sandbox_authorise),
        )
        .route(
            "/sandbox/v1/consents/{consentId}/revoke-at-institution",
            post(sandbox_revoke_at_institution),
        )
}

/// An error in this dialect's shape.
pub struct ApiError(Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self.0 {
            Error::Field(f) => (
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                Some(f.field.to_string()),
            ),
            Error::Malformed { field, .. } => {
                (StatusCode::BAD_REQUEST, "INVALID_FIELD", field.clone())
            }
            Error::InvalidCredentials => (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS", None),
            Error::Token(TokenError::Expired) => (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED", None),
            Error::Token(TokenError::WrongKind) => (StatusCode::FORBIDDEN, "INVALID_TOKEN", None),
            Error::Token(_) => (StatusCode::UNAUTHORIZED, "INVALID_TOKEN", None),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "NOT_FOUND", None),
            Error::Outage(_) => (StatusCode::SERVICE_UNAVAILABLE, "INSTITUTION_OUTAGE", None),
            Error::ConsentNotAuthorised(_) => (
                StatusCode::CONFLICT,
                "CONSENT_NOT_AUTHORISED",
                Some("consentId".into()),
            ),
            Error::Conflict(_) => (StatusCode::CONFLICT, "CONFLICT", None),
            Error::Institution(_) => (StatusCode::BAD_GATEWAY, "INSTITUTION_ERROR", None),
            Error::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", None),
            Error::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", None)
            }
        };
        let message = match &self.0 {
            Error::Field(f) => format!("{}: {}", f.field, f.message),
            Error::Token(TokenError::WrongKind) => "this kind of token cannot call this endpoint (access tokens are for your backend, link tokens for one link)".into(),
            other => other.to_string(),
        };
        let mut resp = envelope(status, code, &message, field.as_deref());
        if let Error::RateLimited(secs) = &self.0 {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*secs),
            );
        }
        resp
    }
}

type ApiResult = Result<Response, ApiError>;

#[utoipa::path(post, path = "/data/v1/auth", tag = "Data API: Auth",
    summary = "Trade the API key and secret for an access token",
    description = "Access tokens last 30 minutes. Repeated wrong secrets are answered `RATE_LIMITED` with `Retry-After`.",
    request_body = AuthRequest, security(()),
    responses((status = 200, description = "A new access token", body = AccessToken), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn auth(State(app): State<App>, Peer(from): Peer, body: Bytes) -> ApiResult {
    let req: AuthRequest = json_body(&body)?;
    let key = req
        .access_key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ponte_core::FieldError::new("accessKey", "is required"))?;
    let secret = req
        .secret_key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ponte_core::FieldError::new("secretKey", "is required"))?;
    let (access_token, expire_in) = clients::access_token(&app, from, &key, &secret).await?;
    Ok(Json(AccessToken {
        access_token,
        expire_in,
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/v1/auth/refresh", tag = "Data API: Auth",
    summary = "A new access token for the bearer of a valid one",
    security(("accessToken" = [])),
    responses((status = 200, description = "A new access token", body = AccessToken), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn refresh(State(app): State<App>, headers: HeaderMap) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let (access_token, expire_in) = clients::refresh_access_token(&app, &who).await?;
    Ok(Json(AccessToken {
        access_token,
        expire_in,
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/v1/links", tag = "Data API: Links",
    summary = "Open a link for one end user",
    description = "Returns the hosted widget's URL and the link token it runs with. A link named with `productsCallbackUrl` re-enables a URL that a 410 disabled.",
    request_body = LinkRequestDoc, security(("accessToken" = [])),
    responses((status = 200, description = "The link", body = CreatedLink), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn create_link(State(app): State<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let req: links::LinkRequest = json_body(&body)?;
    let valid = links::validate(&req)?;
    let created = links::create(&app, &who.client_id, valid).await?;
    Ok(Json(created).into_response())
}

#[utoipa::path(get, path = "/data/v1/links/{linkId}", tag = "Data API: Links",
    summary = "The link, its status and its consents",
    params(("linkId" = String, Path, description = "From POST /data/v1/links")), security(("accessToken" = [])),
    responses((status = 200, description = "The link", body = Link), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn get_link(
    State(app): State<App>,
    headers: HeaderMap,
    Path(link_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    Ok(Json(links::view(&app, &who.client_id, &link_id).await?).into_response())
}

#[utoipa::path(get, path = "/data/v1/links/institutions", tag = "Data API: Institutions",
    summary = "The institutions an end user can connect",
    description = "Called by the widget with the link token.",
    security(("linkToken" = [])),
    responses((status = 200, description = "Institutions", body = Vec<Institution>), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn institutions(State(app): State<App>, headers: HeaderMap) -> ApiResult {
    bearer(&app, &headers, LINK).await?;
    Ok(Json(app.directory.open_finance()).into_response())
}

#[utoipa::path(post, path = "/data/v1/consents", tag = "Data API: Consents",
    summary = "Create a consent at an institution",
    description = "Send the end user to `consentRedirectUrl`; the institution sends them back to Ponte, which sends them to the link's `redirectUrl`.",
    request_body = ConsentRequestDoc, security(("linkToken" = [])),
    responses((status = 200, description = "The consent, awaiting authorisation", body = CreatedConsent), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn create_consent(State(app): State<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let who = bearer(&app, &headers, LINK).await?;
    let req: consents::ConsentRequest = json_body(&body)?;
    let created = consents::create(&app, &who, req).await?;
    Ok(Json(created).into_response())
}

#[utoipa::path(get, path = "/data/v1/consents/{consentId}", tag = "Data API: Consents",
    summary = "The consent, with its status history",
    params(("consentId" = String, Path, description = "From POST /data/v1/consents")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The consent", body = Consent), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn get_consent(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, EITHER).await?;
    let row = consents::load_for(&app, &who, &consent_id).await?;
    Ok(Json(consents::view_of(&app, &row).await?).into_response())
}

#[utoipa::path(delete, path = "/data/v1/consents/{consentId}", tag = "Data API: Consents",
    summary = "Revoke the consent here and at the institution",
    description = "The status becomes `REVOKED`, its stored reports are erased (their URLs answer 410) and `CONSENT_STATUS_CHANGED` is sent.",
    params(("consentId" = String, Path, description = "The consent to revoke")), security(("accessToken" = [])),
    responses((status = 200, description = "The revoked consent", body = Consent), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn revoke_consent(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let row = consents::revoke(&app, &who, &consent_id).await?;
    Ok(Json(consents::view_of(&app, &row).await?).into_response())
}

#[utoipa::path(post, path = "/sandbox/v1/consents/{consentId}/authorise", tag = "Data API: Sandbox",
    summary = "Log in and decide at the sandbox institution without a browser",
    description = "Sandbox mode only. The sandbox users (`user_good`, `user_deny`, `user_mfa`, …) behave as in the README.",
    request_body = SandboxCredentialsDoc, params(("consentId" = String, Path, description = "A consent awaiting authorisation")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The consent as Ponte now sees it", body = Consent), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn sandbox_authorise(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    sandbox_step(app, headers, consent_id, body, false).await
}

#[utoipa::path(post, path = "/sandbox/v1/consents/{consentId}/revoke-at-institution", tag = "Data API: Sandbox",
    summary = "The end user revokes the consent in their bank",
    description = "Sandbox mode only. Ponte learns it at the next retrieval: `REVOKED` with reason `INSTITUTION_REVOKED`.",
    request_body = SandboxCredentialsDoc, params(("consentId" = String, Path, description = "An authorised consent")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The consent as Ponte sees it", body = Consent), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn sandbox_revoke_at_institution(
    State(app): State<App>,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    sandbox_step(app, headers, consent_id, body, true).await
}

/// The end user at the sandbox institution, driven over HTTP: authorise the
/// consent, or revoke it there; answers with the consent as Ponte sees it.
async fn sandbox_step(
    app: App,
    headers: HeaderMap,
    consent_id: String,
    body: Bytes,
    revoke: bool,
) -> ApiResult {
    let who = bearer(&app, &headers, EITHER).await?;
    let creds: sandbox_driver::Credentials = json_body(&body)?;
    if revoke {
        sandbox_driver::revoke_at_institution(&app, &who, &consent_id, creds).await?;
    } else {
        sandbox_driver::authorise(&app, &who, &consent_id, creds).await?;
    }
    let row = consents::load_for(&app, &who, &consent_id).await?;
    Ok(Json(consents::view_of(&app, &row).await?).into_response())
}

async fn institution_data(app: App, headers: HeaderMap, body: Bytes, kind: Kind) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let req: retrieval::InstitutionDataRequest = json_body(&body)?;
    let request_id = retrieval::request(&app, &who.client_id, kind, req).await?;
    Ok(Json(RequestAccepted {
        request_id: request_id.to_string(),
        message: "ok".into(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/personal/institution-data", tag = "Data API: Data requests",
    summary = "Request reports for a person's authorised consents",
    description = "Answered at once; each report arrives as a `REPORT_READY` webhook and in `GET /data/v1/requests/{requestId}`.",
    request_body = InstitutionDataRequestDoc, security(("accessToken" = [])),
    responses((status = 200, description = "Accepted", body = RequestAccepted), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn personal_data(State(app): State<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    institution_data(app, headers, body, Kind::Personal).await
}

#[utoipa::path(post, path = "/data/business/institution-data", tag = "Data API: Data requests",
    summary = "Request reports for a company's authorised consents",
    description = "As the personal request; `taxId` is the link's CNPJ.",
    request_body = InstitutionDataRequestDoc, security(("accessToken" = [])),
    responses((status = 200, description = "Accepted", body = RequestAccepted), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn business_data(State(app): State<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    institution_data(app, headers, body, Kind::Business).await
}

#[utoipa::path(get, path = "/data/v1/requests/{requestId}", tag = "Data API: Data requests",
    summary = "A data request's status and its reports",
    params(("requestId" = String, Path, description = "From institution-data")), security(("accessToken" = [])),
    responses((status = 200, description = "The request", body = DataRequest), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn get_request(
    State(app): State<App>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    Ok(Json(retrieval::view(&app, &who.client_id, &request_id).await?).into_response())
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}", tag = "Data API: Reports",
    summary = "A report, with fresh signed download URLs",
    description = "410 `REPORT_DELETED` once its consent was revoked.",
    params(("reportId" = String, Path, description = "From REPORT_READY or the request")), security(("accessToken" = [])),
    responses((status = 200, description = "The report", body = Report), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn get_report(
    State(app): State<App>,
    headers: HeaderMap,
    Path(report_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    match reports::view(&app, &who.client_id, &report_id).await {
        Err(Error::Conflict(message)) => {
            Ok(error_response(StatusCode::GONE, "REPORT_DELETED", &message))
        }
        other => Ok(Json(other?).into_response()),
    }
}

#[derive(Deserialize)]
struct Signed {
    expires: Option<String>,
    signature: Option<String>,
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}/download", tag = "Data API: Reports",
    summary = "The report's JSON behind a signed URL (`downloadUrl`)",
    description = "No token: the signature is the credential. 403 `INVALID_SIGNATURE` once expired (15 minutes) or altered; 410 after revocation.",
    params(("reportId" = String, Path, description = "The report"), ("expires" = String, Query, description = "Unix seconds, from the signed URL"), ("signature" = String, Query, description = "From the signed URL")),
    security(()),
    responses((status = 200, description = "The report", body = Report), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn download_report(
    State(app): State<App>,
    Path(report_id): Path<String>,
    Query(q): Query<Signed>,
) -> Response {
    signed_download(&app, &report_id, reports::Format::Json, q).await
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}/pdf", tag = "Data API: Reports",
    summary = "The report as a readable PDF behind a signed URL (`pdfUrl`)",
    description = "The same rules as the JSON download.",
    params(("reportId" = String, Path, description = "The report"), ("expires" = String, Query, description = "Unix seconds, from the signed URL"), ("signature" = String, Query, description = "From the signed URL")),
    security(()),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn download_pdf(
    State(app): State<App>,
    Path(report_id): Path<String>,
    Query(q): Query<Signed>,
) -> Response {
    signed_download(&app, &report_id, reports::Format::Pdf, q).await
}

async fn signed_download(
    app: &App,
    report_id: &str,
    format: reports::Format,
    q: Signed,
) -> Response {
    let (expires, signature) = (
        q.expires.unwrap_or_default(),
        q.signature.unwrap_or_default(),
    );
    let private = (axum::http::header::CACHE_CONTROL, "private, no-store");
    match reports::download(app, report_id, format, &expires, &signature).await {
        Ok(doc) if format == reports::Format::Pdf => {
            let name = format!(
                "attachment; filename=\"ponte-{}-{report_id}.pdf\"",
                doc.product
            );
            // Long histories take a while to lay out: off the async workers.
            let pdf =
                match tokio::task::spawn_blocking(move || crate::pdf::report::render_doc(&doc))
                    .await
                {
                    Ok(pdf) => pdf,
                    Err(e) => {
                        tracing::error!(error = %e, report_id, "rendering the PDF failed");
                        return error_response(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "INTERNAL_ERROR",
                            "the PDF could not be rendered",
                        );
                    }
                };
            (
                [
                    private,
                    (axum::http::header::CONTENT_TYPE, "application/pdf"),
                ],
                [(axum::http::header::CONTENT_DISPOSITION, name)],
                pdf,
            )
                .into_response()
        }
        Ok(doc) => ([private], Json(doc)).into_response(),
        Err(e @ reports::DownloadError::Forbidden) => {
            error_response(StatusCode::FORBIDDEN, "INVALID_SIGNATURE", &e.to_string())
        }
        Err(e @ reports::DownloadError::Gone) => {
            error_response(StatusCode::GONE, "REPORT_DELETED", &e.to_string())
        }
        Err(e @ reports::DownloadError::NotFound) => {
            error_response(StatusCode::NOT_FOUND, "NOT_FOUND", &e.to_string())
        }
    }
}

fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    envelope(status, code, message, None)
}

/// This dialect's one error shape.
fn envelope(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message, "field": field}})),
    )
        .into_response()
}

/// A failure met before a handler ran (see `http::failure`), in this dialect's shape.
pub fn failure_response(failure: &Failure) -> Response {
    let code = match failure.kind {
        FailureKind::NotFound => "NOT_FOUND",
        FailureKind::MethodNotAllowed => "METHOD_NOT_ALLOWED",
        FailureKind::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
        FailureKind::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
        FailureKind::InvalidField => "INVALID_FIELD",
        FailureKind::Internal => "INTERNAL_ERROR",
        FailureKind::Other(StatusCode::REQUEST_TIMEOUT) => "REQUEST_TIMEOUT",
        FailureKind::Other(StatusCode::TOO_MANY_REQUESTS) => "RATE_LIMITED",
        FailureKind::Other(_) => "REQUEST_REFUSED",
    };
    envelope(
        failure.kind.status(),
        code,
        &failure.message,
        failure.field.as_deref(),
    )
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

#[utoipa::path(get, path = "/data/v1/webhooks/messages", tag = "Data API: Webhooks",
    summary = "Your webhook messages, newest first",
    params(("status" = Option<String>, Query, description = "`pending`, `delivered` or `dead`"), ("limit" = Option<String>, Query, description = "1 to 100"), ("cursor" = Option<String>, Query, description = "The previous page's `nextCursor`")),
    security(("accessToken" = [])),
    responses((status = 200, description = "A page of messages", body = WebhookPage), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn list_webhooks(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let limit = q
        .limit
        .as_deref()
        .map(|l| {
            l.parse::<i64>()
                .map_err(|_| ponte_core::FieldError::new("limit", "must be a number"))
        })
        .transpose()?;
    Ok(Json(
        webhooks::list(
            &app,
            &who.client_id,
            q.status.as_deref(),
            q.cursor.as_deref(),
            limit,
        )
        .await?,
    )
    .into_response())
}

#[utoipa::path(get, path = "/data/v1/webhooks/messages/{messageId}", tag = "Data API: Webhooks",
    summary = "One message with every delivery attempt",
    params(("messageId" = String, Path, description = "The `webhook-id` header of the delivery")), security(("accessToken" = [])),
    responses((status = 200, description = "The message", body = WebhookMessageDetail), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn show_webhook(
    State(app): State<App>,
    headers: HeaderMap,
    Path(message_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    Ok(Json(webhooks::show(&app, &who.client_id, &message_id).await?).into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/messages/{messageId}/replay", tag = "Data API: Webhooks",
    summary = "Send a finished message again (same webhook-id)",
    description = "409 `CONFLICT` naming the URL when a 410 Gone disabled its endpoint.",
    params(("messageId" = String, Path, description = "The message")), security(("accessToken" = [])),
    responses((status = 200, description = "Queued", body = Replayed), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn replay_webhook(
    State(app): State<App>,
    headers: HeaderMap,
    Path(message_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    Ok(Json(webhooks::replay(&app, &who.client_id, &message_id).await?).into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/replay", tag = "Data API: Webhooks",
    summary = "Send again every message that died since a time",
    request_body = ReplaySince, security(("accessToken" = [])),
    responses((status = 200, description = "What was queued and what was skipped", body = BulkReplay), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn replay_dead_webhooks(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let req: ReplaySince = json_body(&body)?;
    let since = req
        .since
        .ok_or_else(|| ponte_core::FieldError::new("since", "is required"))?;
    Ok(Json(webhooks::replay_dead_since(&app, &who.client_id, &since).await?).into_response())
}

#[utoipa::path(post, path = "/data/v1/webhooks/secret/rotate", tag = "Data API: Webhooks",
    summary = "Issue a new webhook secret",
    description = "For 24 hours webhooks carry both signatures, `webhook-signature: v1,<new> v1,<old>`; a new rotation ends the previous grace.",
    security(("accessToken" = [])),
    responses((status = 200, description = "The new secret, shown once", body = RotatedWebhookSecret), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn rotate_webhook_secret(State(app): State<App>, headers: HeaderMap) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
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
    responses((status = 200, description = "Enabled", body = EndpointEnabled), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
async fn enable_webhook_endpoint(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let req: EnableEndpoint = json_body(&body)?;
    let url = req
        .url
        .ok_or_else(|| ponte_core::FieldError::new("url", "is required"))?;
    Ok(Json(webhooks::enable_endpoint(&app, &who.client_id, &url).await?).into_response())
}
