//! The Data API's webhook payloads: `CONSENT_STATUS_CHANGED` to the client's
//! event webhook, `REPORT_READY` to `productsCallbackUrl[product]` or the
//! client's report webhook (CONTRACT §5). Rendered once when the message is
//! written; each attempt only adds fresh signed download URLs.

use crate::clock::rfc3339;
use crate::services::outbox::{PayloadRenderer, Rendered, Target};
use crate::App;
use ponte_core::event::{DomainEvent, ReportOutcome};
use ponte_store::WebhookMessageRow;
use serde_json::{json, Value};

pub const CONSENT_STATUS_CHANGED: &str = "CONSENT_STATUS_CHANGED";
pub const REPORT_READY: &str = "REPORT_READY";
pub const CONSENT_EXPIRING: &str = "CONSENT_EXPIRING";
pub const CONSENT_RENEWED: &str = "CONSENT_RENEWED";

pub struct Renderer;

impl PayloadRenderer for Renderer {
    fn dialect(&self) -> &'static str {
        super::DIALECT
    }

    fn render(&self, event: &DomainEvent) -> Option<Rendered> {
        Some(match event {
            DomainEvent::ConsentStatusChanged(e) => Rendered {
                event_type: CONSENT_STATUS_CHANGED.into(),
                target: Target::Events,
                target_url: None,
                body: json!({
                    "event": CONSENT_STATUS_CHANGED,
                    "consentId": e.consent_id,
                    "linkId": e.link_id,
                    "externalTrackId": e.external_track_id,
                    "institutionCode": e.institution_code,
                    "status": e.status,
                    "previousStatus": e.previous,
                    "reason": e.reason,
                    "occurredAt": rfc3339(e.occurred_at_ms),
                })
                .to_string(),
            },
            DomainEvent::ReportReady(e) => Rendered {
                event_type: REPORT_READY.into(),
                target: Target::Reports,
                target_url: e.callback_url.clone(),
                body: json!({
                    "event": REPORT_READY,
                    "requestId": e.request_id,
                    "reportId": e.report_id,
                    "linkId": e.link_id,
                    "consentId": e.consent_id,
                    "product": e.product,
                    "status": report_status(e.outcome),
                    "reason": e.reason,
                    "summary": e.summary,
                })
                .to_string(),
            },
            DomainEvent::ConsentExpiring(e) | DomainEvent::ConsentRenewed(e) => {
                let name = match event {
                    DomainEvent::ConsentRenewed(_) => CONSENT_RENEWED,
                    _ => CONSENT_EXPIRING,
                };
                let mut body = json!({
                    "event": name,
                    "consentId": e.consent_id,
                    "linkId": e.link_id,
                    "externalTrackId": e.external_track_id,
                    "institutionCode": e.institution_code,
                    "expirationDateTime": rfc3339(e.expire_at_ms),
                    "occurredAt": rfc3339(e.occurred_at_ms),
                });
                if let Some(previous) = e.previous_expire_at_ms {
                    body["previousExpirationDateTime"] = json!(rfc3339(previous));
                }
                Rendered {
                    event_type: name.into(),
                    target: Target::Events,
                    target_url: None,
                    body: body.to_string(),
                }
            }
            // Other dialects' events (the Documents API's) are not the Data API's to send.
            _ => return None,
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

pub fn report_status(outcome: ReportOutcome) -> &'static str {
    match outcome {
        ReportOutcome::Success => "SUCCESS",
        ReportOutcome::Failed => "FAILED",
    }
}
