//! The Data API's webhook payloads: `CONSENT_STATUS_CHANGED` to the client's
//! event webhook, `REPORT_READY` to `productsCallbackUrl[product]` or the
//! client's report webhook (CONTRACT §5). Rendered once when the message is
//! written; each attempt only adds fresh signed download URLs.

use super::payloads::{
    correlated, ConsentExpiring, ConsentRenewed, ConsentStatusChanged, Correlated, ReportReady,
    TransactionsSyncUpdatesAvailable,
};
use crate::clock::rfc3339;
use crate::services::outbox::{Correlation, PayloadRenderer, Rendered, Target};
use crate::App;
use ponte_core::event::DomainEvent;
use ponte_store::WebhookMessageRow;
use serde_json::Value;

pub const CONSENT_STATUS_CHANGED: &str = "CONSENT_STATUS_CHANGED";
pub const REPORT_READY: &str = "REPORT_READY";
pub const CONSENT_EXPIRING: &str = "CONSENT_EXPIRING";
pub const CONSENT_RENEWED: &str = "CONSENT_RENEWED";
pub const TRANSACTIONS_SYNC_UPDATES_AVAILABLE: &str = "TRANSACTIONS_SYNC_UPDATES_AVAILABLE";

pub struct Renderer;

impl PayloadRenderer for Renderer {
    fn dialect(&self) -> &'static str {
        super::parts::DIALECT
    }

    fn render(&self, event: &DomainEvent, c: &Correlation) -> Option<Rendered> {
        let (event_type, target, target_url, body) = match event {
            DomainEvent::ConsentStatusChanged(e) => {
                let payload = correlated!(
                    ConsentStatusChanged {
                        event: CONSENT_STATUS_CHANGED,
                        consent_id: e.consent_id.clone(),
                        link_id: e.link_id.clone(),
                        institution_code: e.institution_code.clone(),
                        status: e.status.into(),
                        previous_status: e.previous.map(Into::into),
                        reason: e.reason.clone(),
                        occurred_at: rfc3339(e.occurred_at_ms),
                    },
                    Correlated::new(c, e.external_track_id.clone())
                );
                (
                    CONSENT_STATUS_CHANGED,
                    Target::Events,
                    None,
                    json_of(&payload)?,
                )
            }
            DomainEvent::ReportReady(e) => {
                // The signed URLs are added by each attempt (`body_for_attempt`).
                let payload = correlated!(
                    ReportReady {
                        event: REPORT_READY,
                        request_id: e.request_id.clone(),
                        report_id: e.report_id.clone(),
                        link_id: e.link_id.clone(),
                        consent_id: e.consent_id.clone(),
                        product: e.product.into(),
                        status: e.outcome.into(),
                        reason: e.reason.clone(),
                        summary: e.summary.clone(),
                        download_url: None,
                        pdf_url: None,
                        expire_at: None,
                    },
                    Correlated::new(c, None)
                );
                let url = e.callback_url.clone();
                (REPORT_READY, Target::Reports, url, json_of(&payload)?)
            }
            DomainEvent::ConsentExpiring(e) => {
                let payload = correlated!(
                    ConsentExpiring {
                        event: CONSENT_EXPIRING,
                        consent_id: e.consent_id.clone(),
                        link_id: e.link_id.clone(),
                        institution_code: e.institution_code.clone(),
                        expiration_date_time: rfc3339(e.expire_at_ms),
                        occurred_at: rfc3339(e.occurred_at_ms),
                    },
                    Correlated::new(c, e.external_track_id.clone())
                );
                (CONSENT_EXPIRING, Target::Events, None, json_of(&payload)?)
            }
            DomainEvent::ConsentRenewed(e) => {
                let payload = correlated!(
                    ConsentRenewed {
                        event: CONSENT_RENEWED,
                        consent_id: e.consent_id.clone(),
                        link_id: e.link_id.clone(),
                        institution_code: e.institution_code.clone(),
                        expiration_date_time: rfc3339(e.expire_at_ms),
                        previous_expiration_date_time: e.previous_expire_at_ms.map(rfc3339),
                        occurred_at: rfc3339(e.occurred_at_ms),
                    },
                    Correlated::new(c, e.external_track_id.clone())
                );
                (CONSENT_RENEWED, Target::Events, None, json_of(&payload)?)
            }
            DomainEvent::TransactionsSyncUpdatesAvailable(e) => {
                let payload = correlated!(
                    TransactionsSyncUpdatesAvailable {
                        event: TRANSACTIONS_SYNC_UPDATES_AVAILABLE,
                        consent_id: e.consent_id.clone(),
                        link_id: e.link_id.clone(),
                        institution_code: e.institution_code.clone(),
                        initial_update_complete: e.initial_update_complete,
                        historical_update_complete: e.historical_update_complete,
                        occurred_at: rfc3339(e.occurred_at_ms),
                    },
                    Correlated::new(c, e.external_track_id.clone())
                );
                let name = TRANSACTIONS_SYNC_UPDATES_AVAILABLE;
                (name, Target::Events, None, json_of(&payload)?)
            }
            // Other dialects' events (the Documents API's) are not the Data API's to send.
            _ => return None,
        };
        Some(Rendered {
            event_type: event_type.into(),
            target,
            target_url,
            body,
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

/// The payload's JSON, its members in alphabetical order: the order every
/// payload has been sent in since they were built as `json!` maps, which
/// receivers' signature checks and snapshots have seen.
fn json_of(payload: &impl serde::Serialize) -> Option<String> {
    match serde_json::to_value(payload) {
        Ok(body) => Some(body.to_string()),
        Err(e) => {
            tracing::error!(error = %e, "a Data API webhook payload does not serialise");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponte_core::event::{ConsentExpiry, SyncUpdates};

    fn correlation() -> Correlation {
        Correlation {
            event_id: "msg_1".into(),
            external_track_id: None,
            external_info: None,
            external_user_id: Some("u-7".into()),
            duplicate_of: None,
        }
    }

    fn expiry(previous: Option<i64>) -> ConsentExpiry {
        ConsentExpiry {
            client_id: "c".into(),
            consent_id: "cs".into(),
            link_id: "lk".into(),
            external_track_id: Some("t-1".into()),
            institution_code: "itau".into(),
            expire_at_ms: 86_400_000,
            previous_expire_at_ms: previous,
            occurred_at_ms: 0,
        }
    }

    fn body(event: DomainEvent) -> String {
        Renderer
            .render(&event, &correlation())
            .expect("a Data API event")
            .body
    }

    // The bytes receivers have always been sent: members in alphabetical
    // order, every correlation member present, `{}` for no `externalInfo`.
    #[test]
    fn lifecycle_payloads_keep_their_bytes() {
        let tail = r#""eventId":"msg_1","expirationDateTime":"1970-01-02T00:00:00.000Z","externalInfo":{},"externalTrackId":"t-1","institutionCode":"itau","linkId":"lk","occurredAt":"1970-01-01T00:00:00.000Z""#;
        assert_eq!(
            body(DomainEvent::ConsentExpiring(expiry(None))),
            format!(
                r#"{{"consentId":"cs","duplicateOf":null,"event":"CONSENT_EXPIRING",{tail},"xcUserID":"u-7"}}"#
            )
        );
        assert_eq!(
            body(DomainEvent::ConsentRenewed(expiry(Some(0)))),
            format!(
                r#"{{"consentId":"cs","duplicateOf":null,"event":"CONSENT_RENEWED",{tail},"previousExpirationDateTime":"1970-01-01T00:00:00.000Z","xcUserID":"u-7"}}"#
            )
        );
        let sync = SyncUpdates {
            client_id: "c".into(),
            consent_id: "cs".into(),
            link_id: "lk".into(),
            external_track_id: None,
            institution_code: "itau".into(),
            initial_update_complete: true,
            historical_update_complete: false,
            occurred_at_ms: 0,
        };
        assert_eq!(
            body(DomainEvent::TransactionsSyncUpdatesAvailable(sync)),
            r#"{"consentId":"cs","duplicateOf":null,"event":"TRANSACTIONS_SYNC_UPDATES_AVAILABLE","eventId":"msg_1","externalInfo":{},"externalTrackId":null,"historicalUpdateComplete":false,"initialUpdateComplete":true,"institutionCode":"itau","linkId":"lk","occurredAt":"1970-01-01T00:00:00.000Z","xcUserID":"u-7"}"#
        );
    }
}
