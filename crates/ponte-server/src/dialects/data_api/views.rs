//! The Data API's answers as they go on the wire (camelCase, Klavi's
//! names), built from the services' domain values; the OpenAPI document is
//! derived from these very types, and the wire snapshots guard their bytes.
//! Several of these keep the alphabetical member order the answers had when
//! they were built as `json!` maps: field order here is wire order.

use super::wire::Product;
use super::wire::{ConsentStatus, LinkStatus as WireLinkStatus, ReportStatus};
use crate::clock::rfc3339;
use crate::services::consent_view::{ConsentDetails, StatusChange};
use crate::services::links::{LinkInput, LinkState};
use crate::services::reports::{DownloadGrant, Format, ReportDoc};
use crate::services::webhooks::{
    BulkReplayed, EndpointEnabled, MessageDetail, MessagePage, ReplayQueued,
};
use ponte_store::{WebhookAttemptRow, WebhookMessageRow};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
#[allow(unused_imports)] // `BTreeMap` and `HashMap` name schemas only.
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// At least one tax id. Every field is optional on its own.
// The body of `POST /data/v1/links` (and of the Server API's link, which
// takes the same members), as sent; `links::validate` checks it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkRequest {
    /// The person's CPF, with or without punctuation.
    #[schema(example = "529.982.247-25")]
    pub personal_tax_id: Option<String>,
    /// The company's CNPJ, with or without punctuation.
    #[schema(example = "11.222.333/0001-81")]
    pub business_tax_id: Option<String>,
    #[schema(example = "ana@example.com")]
    pub email: Option<String>,
    #[schema(example = "+5511987654321")]
    pub phone: Option<String>,
    /// Where the end user returns after the institution (https, or http on loopback); empty
    /// is the same as absent.
    #[schema(
        example = "https://app.example.com/done",
        pattern = "^(https?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?(/[!-~]*)?)?$"
    )]
    pub redirect_url: Option<String>,
    /// A report webhook URL per product, overriding the client's report webhook.
    #[schema(
        value_type = Option<BTreeMap<Product, String>>,
        example = json!({"accounts": "https://app.example.com/hooks/accounts"})
    )]
    pub products_callback_url: Option<Value>,
    /// Your own data (a JSON object), returned with the link.
    #[schema(value_type = Option<HashMap<String, Value>>)]
    pub external_info: Option<Value>,
    /// Update mode: one of your consents (`AUTHORISED`) the end user renews at its institution.
    /// The widget skips the institution list; the consent keeps its `consentId`, reports and
    /// webhooks, and takes the new authorisation and expiry (`CONSENT_RENEWED`). The tax ids
    /// may be left out (the consent's are used). Another client's consent answers 404; an
    /// ended one, or one with an update-mode link already open, 409 `CONFLICT`.
    #[schema(example = "5f0c6a7e-2b1d-4c55-9a53-0e8f2d1c9b7a")]
    pub consent_id: Option<String>,
}

impl From<LinkRequest> for LinkInput {
    fn from(r: LinkRequest) -> Self {
        LinkInput {
            personal_tax_id: r.personal_tax_id,
            business_tax_id: r.business_tax_id,
            email: r.email,
            phone: r.phone,
            redirect_url: r.redirect_url,
            products_callback_url: r.products_callback_url,
            external_info: r.external_info,
            consent_id: r.consent_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StatusChange)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub status: ConsentStatus,
    /// Why, for the statuses that have a reason (`CUSTOMER_MANUALLY_REJECTED`, `INSTITUTION_REVOKED`, …).
    pub reason: Option<String>,
    pub at: String,
}

impl From<StatusChange> for HistoryEntry {
    fn from(h: StatusChange) -> Self {
        HistoryEntry {
            status: h.status.into(),
            reason: h.reason,
            at: rfc3339(h.at_ms),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Consent)]
#[serde(rename_all = "camelCase")]
pub struct ConsentView {
    pub consent_id: String,
    pub link_id: String,
    pub institution_code: String,
    pub external_track_id: Option<String>,
    pub status: ConsentStatus,
    pub status_reason: Option<String>,
    /// Oldest first.
    pub status_history: Vec<HistoryEntry>,
    pub created_at: String,
    pub expire_at: String,
    /// Open Finance Brasil permissions granted, e.g. `ACCOUNTS_READ`.
    pub permissions: Vec<String>,
    /// When the consent ends unless renewed (`POST …/renew`); absent for one without an end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<String>,
    /// For a `REJECTED` consent: `CUSTOMER_MANUALLY_REJECTED`, `CONSENT_EXPIRED`, `CONSENT_MAX_DATE_REACHED`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// For a `REJECTED` consent: `USER`, `ASPSP` (the institution) or `TPP` (Ponte or you).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub rejected_by: Option<&'static str>,
    /// For a consent Ponte rejected (`INTERNAL_SECURITY_REASON`, `rejectedBy: TPP`) because the
    /// institution's answer failed a FAPI-BR check: which one, e.g. `id_token.s_hash`, `token.scope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "id_token.s_hash")]
    pub rejection_check: Option<String>,
    /// The AUTHORISED consent of the same person at the same institution that
    /// this one duplicates; `null` when it is the person's only one there.
    pub duplicate_of: Option<String>,
}

/// Who rejected a consent, in OFB's terms (`EnumRejectedBy`): the end user,
/// the institution (ASPSP) or the receiver (TPP: Ponte or its client).
fn rejected_by(reason: &str) -> &'static str {
    match reason {
        "CUSTOMER_MANUALLY_REJECTED" | "CUSTOMER_MANUALLY_REVOKED" => "USER",
        "CONSENT_EXPIRED"
        | "CONSENT_MAX_DATE_REACHED"
        | "CONSENT_TECHNICAL_ISSUE"
        | "INTERNAL_SECURITY_REASON" => "ASPSP",
        _ => "TPP",
    }
}

impl From<ConsentDetails> for ConsentView {
    fn from(c: ConsentDetails) -> Self {
        let rejection = (c.status == ponte_core::ConsentStatus::Rejected)
            .then(|| c.status_reason.clone())
            .flatten();
        ConsentView {
            consent_id: c.consent_id,
            link_id: c.link_id,
            institution_code: c.institution_code,
            external_track_id: c.external_track_id,
            status: c.status.into(),
            status_reason: c.status_reason,
            status_history: c.history.into_iter().map(HistoryEntry::from).collect(),
            created_at: rfc3339(c.created_at_ms),
            expire_at: rfc3339(c.expire_at_ms),
            permissions: c.permissions,
            expiration_date_time: Some(rfc3339(c.expire_at_ms)),
            rejection_reason: rejection.clone(),
            // A failed check is Ponte's own refusal of the institution's answer.
            rejected_by: match &c.rejected_check {
                Some(_) => Some("TPP"),
                None => rejection.as_deref().map(rejected_by),
            },
            rejection_check: c.rejected_check,
            duplicate_of: c.duplicate_of,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Link)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    pub link_id: String,
    pub status: WireLinkStatus,
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub redirect_url: Option<String>,
    #[schema(value_type = BTreeMap<Product, String>)]
    pub products_callback_url: Value,
    pub external_info: Value,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub expire_at: String,
    pub consents: Vec<ConsentView>,
}

impl From<LinkState> for LinkView {
    fn from(l: LinkState) -> Self {
        LinkView {
            link_id: l.link_id,
            status: l.status.into(),
            personal_tax_id: l.details.personal_tax_id,
            business_tax_id: l.details.business_tax_id,
            email: l.details.email,
            phone: l.details.phone,
            redirect_url: l.redirect_url,
            products_callback_url: l.products_callback_url,
            external_info: l.external_info,
            created_at: rfc3339(l.created_at_ms),
            expire_at: rfc3339(l.expire_at_ms),
            consents: l.consents.into_iter().map(ConsentView::from).collect(),
        }
    }
}

/// `downloadUrl`, `expireAt`, `pdfUrl`: a report's fresh signed URLs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedUrlsView {
    pub download_url: String,
    pub expire_at: String,
    pub pdf_url: String,
}

impl SignedUrlsView {
    /// The grant's URLs under `public_url`: this dialect's download paths.
    pub fn new(public_url: &str, grant: &DownloadGrant) -> Self {
        let url = |format: Format, segment: &str| {
            format!(
                "{public_url}/data/v1/reports/{}/{segment}?expires={}&signature={}",
                grant.report_id,
                grant.expires,
                grant.signature(format)
            )
        };
        SignedUrlsView {
            download_url: url(Format::Json, "download"),
            expire_at: rfc3339(grant.expire_at_ms()),
            pdf_url: url(Format::Pdf, "pdf"),
        }
    }
}

/// A report as `GET /data/v1/reports/{id}` and `downloadUrl` return it.
#[derive(Serialize, ToSchema)]
#[schema(as = Report)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    pub report_id: String,
    pub request_id: String,
    pub link_id: String,
    pub consent_id: String,
    pub institution_code: String,
    #[schema(value_type = Product)]
    pub product: String,
    pub status: ReportStatus,
    pub reason: Option<String>,
    pub generated_at: String,
    /// Each retrieval of a consent's product is a new version; earlier ones are kept.
    #[schema(value_type = u32, minimum = 1)]
    pub version: usize,
    pub previous_report_id: Option<String>,
    pub latest_report_id: Option<String>,
    pub summary: Value,
    /// The institution's Open Finance Brasil records unchanged, or Ponte's insights.
    #[schema(value_type = Value)]
    pub data: Box<RawValue>,
    // The signed URLs last, after `data`, and only in the API's view (a
    // download streams `data` in place of its `null`: `report_json`).
    /// Signed, valid 15 minutes (absent on the download itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub download_url: Option<String>,
    /// When `downloadUrl` and `pdfUrl` stop working (absent on the download itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub expire_at: Option<String>,
    /// The report as a PDF, signed like `downloadUrl` (absent on the download itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pdf_url: Option<String>,
}

impl ReportView {
    /// The API's view: with the report's fresh signed URLs.
    pub fn with_urls(self, urls: SignedUrlsView) -> Self {
        ReportView {
            download_url: Some(urls.download_url),
            expire_at: Some(urls.expire_at),
            pdf_url: Some(urls.pdf_url),
            ..self
        }
    }
}

impl From<ReportDoc> for ReportView {
    fn from(r: ReportDoc) -> Self {
        ReportView {
            report_id: r.report_id,
            request_id: r.request_id,
            link_id: r.link_id,
            consent_id: r.consent_id,
            institution_code: r.institution_code,
            product: r.product,
            status: r.status.into(),
            reason: r.reason,
            generated_at: rfc3339(r.generated_at_ms),
            version: r.version,
            previous_report_id: r.previous_report_id,
            latest_report_id: r.latest_report_id,
            summary: r.summary,
            data: r.data,
            download_url: None,
            expire_at: None,
            pdf_url: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WebhookMessage)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub attempts: i64,
    pub created_at: String,
    /// `CONSENT_STATUS_CHANGED` or `REPORT_READY`.
    pub event_type: String,
    pub finished_at: Option<String>,
    pub id: String,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    /// The exact body sent.
    pub payload: Value,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
}

impl From<WebhookMessageRow> for MessageView {
    fn from(m: WebhookMessageRow) -> Self {
        MessageView {
            attempts: m.attempts,
            created_at: rfc3339(m.created_at),
            finished_at: m.finished_at.map(rfc3339),
            id: m.id,
            last_error: m.last_error,
            next_attempt_at: (m.status == ponte_store::WebhookStatus::Pending)
                .then(|| rfc3339(m.next_attempt_at)),
            payload: serde_json::from_str::<Value>(&m.payload).unwrap_or(Value::Null),
            event_type: m.event_type,
            status: m.status.as_str().to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WebhookPage)]
#[serde(rename_all = "camelCase")]
pub struct MessagePageView {
    pub data: Vec<MessageView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

impl From<MessagePage> for MessagePageView {
    fn from(p: MessagePage) -> Self {
        MessagePageView {
            data: p.messages.into_iter().map(MessageView::from).collect(),
            next_cursor: p.next_cursor,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WebhookAttempt)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    pub at: String,
    pub attempt: i64,
    pub error: Option<String>,
    pub latency_ms: i64,
    /// The first 1 KiB of your receiver's answer.
    pub response: Option<String>,
    pub status_code: Option<i64>,
    pub url: Option<String>,
}

impl From<WebhookAttemptRow> for AttemptView {
    fn from(a: WebhookAttemptRow) -> Self {
        AttemptView {
            at: rfc3339(a.at),
            attempt: a.attempt,
            error: a.error,
            latency_ms: a.latency_ms,
            response: a.response,
            status_code: a.status_code,
            url: a.target_url,
        }
    }
}

// A message with its attempts; `attemptHistory` sorts first, as it always has.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WebhookMessageDetail)]
#[serde(rename_all = "camelCase")]
pub struct MessageDetailView {
    pub attempt_history: Vec<AttemptView>,
    #[serde(flatten)]
    pub message: MessageView,
}

impl From<MessageDetail> for MessageDetailView {
    fn from(d: MessageDetail) -> Self {
        MessageDetailView {
            attempt_history: d.attempts.into_iter().map(AttemptView::from).collect(),
            message: MessageView::from(d.message),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Replayed)]
pub struct ReplayedView {
    pub id: String,
    #[schema(value_type = String, example = "pending")]
    pub status: &'static str,
}

impl From<ReplayQueued> for ReplayedView {
    fn from(r: ReplayQueued) -> Self {
        ReplayedView {
            id: r.id,
            status: ponte_store::WebhookStatus::Pending.as_str(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BulkReplay)]
#[serde(rename_all = "camelCase")]
pub struct BulkReplayView {
    pub disabled_endpoints: Vec<String>,
    pub replayed: u64,
    /// Messages to an endpoint a 410 disabled stay dead.
    pub skipped: i64,
}

impl From<BulkReplayed> for BulkReplayView {
    fn from(b: BulkReplayed) -> Self {
        BulkReplayView {
            disabled_endpoints: b.disabled_endpoints,
            replayed: b.replayed,
            skipped: b.skipped,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EndpointEnabled)]
#[serde(rename_all = "camelCase")]
pub struct EndpointEnabledView {
    #[schema(value_type = String, example = "enabled")]
    pub status: &'static str,
    pub url: String,
    pub was_disabled: bool,
}

impl From<EndpointEnabled> for EndpointEnabledView {
    fn from(e: EndpointEnabled) -> Self {
        EndpointEnabledView {
            status: "enabled",
            url: e.url,
            was_disabled: e.was_disabled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::links::validate;
    use serde_json::json;

    fn req(v: Value) -> LinkInput {
        serde_json::from_value::<LinkRequest>(v).unwrap().into()
    }

    #[test]
    fn a_tax_id_is_required_and_every_field_is_checked_by_name() {
        assert!(validate(&req(json!({"personalTaxId": "529.982.247-25"}))).is_ok());
        assert!(validate(&req(json!({"businessTaxId": "11.222.333/0001-81"}))).is_ok());
        let cases = [
            (json!({}), "personalTaxId"),
            (json!({"personalTaxId": "12345678900"}), "personalTaxId"),
            (json!({"businessTaxId": "11222333000180"}), "businessTaxId"),
            (
                json!({"personalTaxId": "52998224725", "email": "nope"}),
                "email",
            ),
            (
                json!({"personalTaxId": "52998224725", "phone": "12"}),
                "phone",
            ),
            (
                json!({"personalTaxId": "52998224725", "redirectUrl": "javascript:alert(1)"}),
                "redirectUrl",
            ),
            (
                json!({"personalTaxId": "52998224725", "productsCallbackUrl": {"cars": "https://x.io"}}),
                "productsCallbackUrl.cars",
            ),
            (
                json!({"personalTaxId": "52998224725", "productsCallbackUrl": {"accounts": "ftp://x.io"}}),
                "productsCallbackUrl.accounts",
            ),
            (
                json!({"personalTaxId": "52998224725", "productsCallbackUrl": []}),
                "productsCallbackUrl",
            ),
            (
                json!({"personalTaxId": "52998224725", "externalInfo": "x"}),
                "externalInfo",
            ),
        ];
        for (body, field) in cases {
            let err = validate(&req(body.clone()))
                .err()
                .unwrap_or_else(|| panic!("{body} was accepted"));
            // The service names domain fields; the Data API answers with its own.
            assert_eq!(
                super::super::errors::wire_field(&err.field),
                field,
                "{body}"
            );
        }
    }

    #[test]
    fn webhook_views_keep_their_alphabetical_member_order() {
        let view = ReplayedView::from(ReplayQueued { id: "msg_1".into() });
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            r#"{"id":"msg_1","status":"pending"}"#
        );
        let view = EndpointEnabledView::from(EndpointEnabled {
            url: "https://x.io/".into(),
            was_disabled: true,
        });
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            r#"{"status":"enabled","url":"https://x.io/","wasDisabled":true}"#
        );
    }
}
