//! Data requests (`institution-data`), their status, and reports behind
//! signed URLs.

use super::errors::{download_error, error_response, ApiResult};
use super::parts::{Access, JsonBody};
use super::wire::*;
use crate::clock::rfc3339;
use crate::error::Error;
use crate::http::extract::{Body, Token};
use crate::http::extract::{Path, Query};
use crate::services::reports;
use crate::services::retrieval::{self, Kind};
use crate::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

async fn institution_data(
    app: App,
    who: crate::tokens::Bearer,
    req: InstitutionDataBody,
    kind: Kind,
) -> ApiResult {
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
    request_body = InstitutionDataBody, security(("accessToken" = [])),
    responses((status = 200, description = "Accepted", body = RequestAccepted), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn personal_data(
    State(app): State<App>,
    Token(who, _): Access,
    Body(req, _): JsonBody<InstitutionDataBody>,
) -> ApiResult {
    institution_data(app, who, req, Kind::Personal).await
}

#[utoipa::path(post, path = "/data/business/institution-data", tag = "Data API: Data requests",
    summary = "Request reports for a company's authorised consents",
    description = "As the personal request; `taxId` is the link's CNPJ.",
    request_body = InstitutionDataBody, security(("accessToken" = [])),
    responses((status = 200, description = "Accepted", body = RequestAccepted), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn business_data(
    State(app): State<App>,
    Token(who, _): Access,
    Body(req, _): JsonBody<InstitutionDataBody>,
) -> ApiResult {
    institution_data(app, who, req, Kind::Business).await
}

#[utoipa::path(get, path = "/data/v1/requests/{requestId}", tag = "Data API: Data requests",
    summary = "A data request's status and its reports",
    params(("requestId" = String, Path, description = "From institution-data")), security(("accessToken" = [])),
    responses((status = 200, description = "The request", body = DataRequest), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn get_request(
    State(app): State<App>,
    Path(request_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    let view = retrieval::view(&app, &who.client_id, &request_id).await?;
    let reports = view.reports.into_iter().map(|r| RequestReport {
        consent_id: r.consent_id,
        deleted: r.deleted_at.is_some(),
        generated_at: rfc3339(r.generated_at),
        product: r.product,
        reason: r.reason,
        report_id: r.id,
        status: r.status.into(),
    });
    let row = view.request;
    Ok(Json(DataRequest {
        consent_id: view.consent_ids,
        created_at: rfc3339(row.created_at),
        link_id: row.link_id,
        products: view.products.into_iter().map(Product::from).collect(),
        reports: reports.collect(),
        request_id: row.id,
        status: match view.completed {
            true => RequestStatus::Completed,
            false => RequestStatus::Processing,
        },
        r#type: row.kind,
    })
    .into_response())
}

#[utoipa::path(get, path = "/data/v1/reports/{reportId}", tag = "Data API: Reports",
    summary = "A report, with fresh signed download URLs",
    description = "410 `REPORT_DELETED` once its consent was revoked.",
    params(("reportId" = String, Path, description = "From REPORT_READY or the request")), security(("accessToken" = [])),
    responses((status = 200, description = "The report", body = super::views::ReportView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn get_report(
    State(app): State<App>,
    Path(report_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    match reports::view(&app, &who.client_id, &report_id).await {
        Err(Error::Conflict(message)) => {
            Ok(error_response(StatusCode::GONE, "REPORT_DELETED", &message))
        }
        other => {
            let view = super::views::ReportView::from(other?);
            let grant = reports::grant(&app, &view.report_id);
            let urls = super::views::SignedUrlsView::new(&app.public_url, &grant);
            Ok(Json(view.with_urls(urls)).into_response())
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
    responses((status = 200, description = "The report", body = super::views::ReportView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
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

// The body of `institution-data`, as sent; `retrieval::request` checks it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = InstitutionDataRequest)]
#[serde(rename_all = "camelCase")]
pub(super) struct InstitutionDataBody {
    /// The link's CPF (personal) or CNPJ (business); must match the link.
    #[schema(
        example = "52998224725",
        required = true,
        nullable = false,
        min_length = 11
    )]
    tax_id: Option<String>,
    institution_id: Option<String>,
    /// The link the consents belong to.
    #[schema(required = true, nullable = false, min_length = 1)]
    link_id: Option<String>,
    /// Each must be `AUTHORISED`, or the request is refused with `CONSENT_NOT_AUTHORISED`.
    #[schema(required = true, nullable = false, min_items = 1)]
    consent_id: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<Product>>)]
    products: Option<Vec<String>>,
    /// A report webhook URL per product for this request.
    #[schema(value_type = Option<std::collections::BTreeMap<Product, String>>)]
    products_callback_url: Option<Value>,
}
