//! Data requests (`institution-data`), their status, and reports behind
//! signed URLs.

use super::errors::{error_response, ApiResult};
use super::wire::*;
use super::ACCESS;
use crate::clock::rfc3339;
use crate::error::Error;
use crate::http::extract::{bearer, json_body, Path, Query};
use crate::services::reports;
use crate::services::retrieval::{self, Kind};
use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) async fn institution_data(
    app: App,
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let req: InstitutionDataBody = json_body(&body)?;
    let input = retrieval::DataRequestInput {
        tax_id: req.tax_id,
        institution_code: req.institution_id,
        link_id: req.link_id,
        consent_ids: req.consent_id,
        products: req.products,
        callbacks: req.products_callback_url,
    };
    let request_id = retrieval::request(&app, &who.client_id, kind, input).await?;
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
pub(super) async fn personal_data(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    institution_data(app, headers, body, Kind::Personal).await
}

#[utoipa::path(post, path = "/data/business/institution-data", tag = "Data API: Data requests",
    summary = "Request reports for a company's authorised consents",
    description = "As the personal request; `taxId` is the link's CNPJ.",
    request_body = InstitutionDataRequestDoc, security(("accessToken" = [])),
    responses((status = 200, description = "Accepted", body = RequestAccepted), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn business_data(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    institution_data(app, headers, body, Kind::Business).await
}

#[utoipa::path(get, path = "/data/v1/requests/{requestId}", tag = "Data API: Data requests",
    summary = "A data request's status and its reports",
    params(("requestId" = String, Path, description = "From institution-data")), security(("accessToken" = [])),
    responses((status = 200, description = "The request", body = DataRequest), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn get_request(
    State(app): State<App>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    let view = retrieval::view(&app, &who.client_id, &request_id).await?;
    let row = &view.request;
    let status = if view.completed {
        "COMPLETED"
    } else {
        "PROCESSING"
    };
    Ok(Json(json!({
        "requestId": row.id,
        "linkId": row.link_id,
        "type": row.kind,
        "status": status,
        "consentId": view.consent_ids,
        "products": view.products,
        "createdAt": rfc3339(row.created_at),
        "reports": view.reports.iter().map(|r| json!({
            "reportId": r.id, "consentId": r.consent_id, "product": r.product, "status": r.status, "reason": r.reason,
            "generatedAt": rfc3339(r.generated_at), "deleted": r.deleted_at.is_some(),
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}", tag = "Data API: Reports",
    summary = "A report, with fresh signed download URLs",
    description = "410 `REPORT_DELETED` once its consent was revoked.",
    params(("reportId" = String, Path, description = "From REPORT_READY or the request")), security(("accessToken" = [])),
    responses((status = 200, description = "The report", body = Report), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn get_report(
    State(app): State<App>,
    headers: HeaderMap,
    Path(report_id): Path<String>,
) -> ApiResult {
    let who = bearer(&app, &headers, ACCESS).await?;
    match reports::view(&app, &who.client_id, &report_id).await {
        Err(Error::Conflict(message)) => {
            Ok(error_response(StatusCode::GONE, "REPORT_DELETED", &message))
        }
        other => {
            let mut view = super::views::ReportView::from(other?);
            let grant = reports::grant(&app, &view.report_id);
            view.urls = Some(super::views::SignedUrlsView::new(&app.public_url, &grant));
            Ok(Json(view).into_response())
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Signed {
    expires: Option<String>,
    signature: Option<String>,
    /// PDF only: `pt-BR` or `en`; the link's language otherwise.
    locale: Option<String>,
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}/download", tag = "Data API: Reports",
    summary = "The report's JSON behind a signed URL (`downloadUrl`)",
    description = "No token: the signature is the credential. 403 `INVALID_SIGNATURE` once expired (15 minutes) or altered; 410 after revocation.",
    params(("reportId" = String, Path, description = "The report"), ("expires" = String, Query, description = "Unix seconds, from the signed URL"), ("signature" = String, Query, description = "From the signed URL")),
    security(()),
    responses((status = 200, description = "The report", body = Report), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn download_report(
    State(app): State<App>,
    Path(report_id): Path<String>,
    Query(q): Query<Signed>,
) -> Response {
    signed_download(&app, &report_id, reports::Format::Json, q).await
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}/pdf", tag = "Data API: Reports",
    summary = "The report as a readable PDF behind a signed URL (`pdfUrl`)",
    description = "The same rules as the JSON download. In Brazilian Portuguese unless `locale=en` (or the link's `externalInfo.locale`) says English; another `locale` is 400 `INVALID_FIELD` naming `locale`.",
    params(("reportId" = String, Path, description = "The report"), ("expires" = String, Query, description = "Unix seconds, from the signed URL"), ("signature" = String, Query, description = "From the signed URL"), ("locale" = Option<String>, Query, description = "`pt-BR` (default) or `en`", pattern = "^(pt-BR|en)?$")),
    security(()),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn download_pdf(
    State(app): State<App>,
    Path(report_id): Path<String>,
    Query(q): Query<Signed>,
) -> Response {
    super::report_pdf::signed_pdf(&app, &report_id, q.expires, q.signature, q.locale).await
}

pub(super) async fn signed_download(
    app: &App,
    report_id: &str,
    format: reports::Format,
    q: Signed,
) -> Response {
    let (expires, signature) = (
        q.expires.unwrap_or_default(),
        q.signature.unwrap_or_default(),
    );
    match reports::download(app, report_id, format, &expires, &signature).await {
        Ok((doc, text)) => super::report_json::response(doc, text),
        Err(e) => download_error(e),
    }
}

/// A refused signed download in this dialect's shape.
pub(super) fn download_error(e: reports::DownloadError) -> Response {
    match e {
        e @ reports::DownloadError::Forbidden => error_response(
            StatusCode::FORBIDDEN,
            "INVALID_SIGNATURE",
            &format!("{e}; ask GET /data/v1/reports/{{id}} for a fresh one"),
        ),
        e @ reports::DownloadError::Gone => {
            error_response(StatusCode::GONE, "REPORT_DELETED", &e.to_string())
        }
        e @ reports::DownloadError::NotFound => {
            error_response(StatusCode::NOT_FOUND, "NOT_FOUND", &e.to_string())
        }
    }
}

/// The body of `institution-data`, as sent (see `wire::InstitutionDataRequestDoc`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InstitutionDataBody {
    tax_id: Option<String>,
    institution_id: Option<String>,
    link_id: Option<String>,
    consent_id: Option<Vec<String>>,
    products: Option<Vec<String>>,
    products_callback_url: Option<Value>,
}
