//! The Data API's webhook payloads: `CONSENT_STATUS_CHANGED` to the client's
//! event webhook, `REPORT_READY` to `productsCallbackUrl[product]` or the
//! client's report webhook (CONTRACT §5). Rendered once when the message is
//! written; each attempt only adds fresh signed download URLs.

use crate::clock::rfc3339;
use crate::services::outbox::{Correlation, PayloadRenderer, Rendered, Target};
use crate::App;
use ponte_core::event::{DomainEvent, ReportOutcome};
use ponte_store::WebhookMessageRow;
use serde_json::{json, Value};

pub const CONSENT_STATUS_CHANGED: &str = "CONSENT_STATUS_CHANGED";
pub const REPORT_READY: &str = "REPORT_READY";
pub const CONSENT_EXPIRING: &str = "CONSENT_EXPIRING";
pub const CONSENT_RENEWED: &str = "CONSENT_RENEWED";
pub const TRANSACTIONS_SYNC_UPDATES_AVAILABLE: &str = "TRANSACTIONS_SYNC_UPDATES_AVAILABLE";

pub struct Renderer;

impl PayloadRenderer for Renderer {
    fn dialect(&self) -> &'static str {
        super::DIALECT
    }

    fn render(&self, event: &DomainEvent, c: &Correlation) -> Option<Rendered> {
        let (event_type, target, target_url, mut body, track) = match event {
            DomainEvent::ConsentStatusChanged(e) => (
                CONSENT_STATUS_CHANGED,
                Target::Events,
                None,
                json!({
                    "event": CONSENT_STATUS_CHANGED,
                    "consentId": e.consent_id,
                    "linkId": e.link_id,
                    "institutionCode": e.institution_code,
                    "status": e.status,
                    "previousStatus": e.previous,
                    "reason": e.reason,
                    "occurredAt": rfc3339(e.occurred_at_ms),
                }),
                e.external_track_id.clone(),
            ),
            DomainEvent::ReportReady(e) => (
                REPORT_READY,
                Target::Reports,
                e.callback_url.clone(),
                json!({
                    "event": REPORT_READY,
                    "requestId": e.request_id,
                    "reportId": e.report_id,
                    "linkId": e.link_id,
                    "consentId": e.consent_id,
                    "product": e.product,
                    "status": report_status(e.outcome),
                    "reason": e.reason,
                    "summary": e.summary,
                }),
                None,
            ),
            DomainEvent::ConsentExpiring(e) | DomainEvent::ConsentRenewed(e) => {
                let name = match event {
                    DomainEvent::ConsentRenewed(_) => CONSENT_RENEWED,
                    _ => CONSENT_EXPIRING,
                };
                let mut body = json!({
                    "event": name,
                    "consentId": e.consent_id,
                    "linkId": e.link_id,
                    "institutionCode": e.institution_code,
                    "expirationDateTime": rfc3339(e.expire_at_ms),
                    "occurredAt": rfc3339(e.occurred_at_ms),
                });
                if let Some(previous) = e.previous_expire_at_ms {
                    body["previousExpirationDateTime"] = json!(rfc3339(previous));
                }
                (
                    name,
                    Target::Events,
                    None,
                    body,
                    e.external_track_id.clone(),
                )
            }
            DomainEvent::TransactionsSyncUpdatesAvailable(e) => (
                TRANSACTIONS_SYNC_UPDATES_AVAILABLE,
                Target::Events,
                None,
                json!({
                    "event": TRANSACTIONS_SYNC_UPDATES_AVAILABLE,
                    "consentId": e.consent_id,
                    "linkId": e.link_id,
                    "institutionCode": e.institution_code,
                    "initialUpdateComplete": e.initial_update_complete,
                    "historicalUpdateComplete": e.historical_update_complete,
                    "occurredAt": rfc3339(e.occurred_at_ms),
                }),
                e.external_track_id.clone(),
            ),
            // Other dialects' events (the Documents API's) are not the Data API's to send.
            _ => return None,
        };
        correlate(&mut body, c, track);
        Some(Rendered {
            event_type: event_type.into(),
            target,
            target_url,
            body: body.to_string(),
        })
    }

    /// Report webhooks carry download URLs valid for 15 minutes from the
    /// attempt that sends them, so a retried webhook never brings a dead link.
    fn body_for_attempt(&self, app: &App, m: &WebhookMessageRow) -> String {
        if m.event_type != REPORT_READY {
            return m.payload.clone();
        }
        let Ok(Value::Object(mut body)) = serde_json::from_str::<Value>(&m.payload) else {
            return m.payload.clone();
        };
        if body.get("status").and_then(Value::as_str) == Some("SUCCESS") {
            if let Some(report_id) = body
                .get("reportId")
                .and_then(Value::as_str)
                .map(str::to_string)
            {
                let grant = crate::services::reports::grant(app, &report_id);
                let urls = super::views::SignedUrlsView::new(&app.public_url, &grant);
                if let Ok(Value::Object(urls)) = serde_json::to_value(urls) {
                    body.extend(urls);
                }
            }
        }
        Value::Object(body).to_string()
    }
}

/// Adds what ties a message to the integrator's records: `eventId` (the
/// `webhook-id` header's value), the consent's `externalTrackId`, the link's
/// `externalInfo`, and the Server API's `xcUserID` when a user of it opened
/// the link, and `duplicateOf`: the AUTHORISED consent of the same person at
/// the same institution that the consent duplicates. Absent references are `null` (`{}` for `externalInfo`), so the
/// shape never depends on what the integrator sent.
fn correlate(body: &mut Value, c: &Correlation, event_track_id: Option<String>) {
    if let Value::Object(body) = body {
        body.insert("eventId".into(), json!(c.event_id));
        body.insert(
            "externalTrackId".into(),
            json!(c.external_track_id.clone().or(event_track_id)),
        );
        body.insert(
            "externalInfo".into(),
            c.external_info.clone().unwrap_or_else(|| json!({})),
        );
        body.insert("xcUserID".into(), json!(c.external_user_id));
        body.insert("duplicateOf".into(), json!(c.duplicate_of));
    }
}

pub fn report_status(outcome: ReportOutcome) -> &'static str {
    match outcome {
        ReportOutcome::Success => "SUCCESS",
        ReportOutcome::Failed => "FAILED",
    }
}
