//! The Documents API's webhook: one per retrieval, to the client's webhook
//! URL, in the quickstart's shape. Stored with `/files/{id}` placeholders;
//! each attempt signs them afresh, so a retried webhook never brings a dead
//! link.

use super::wire;
use crate::services::outbox::{Correlation, PayloadRenderer, Rendered, Target};
use crate::App;
use ponte_core::event::DomainEvent;
use ponte_store::WebhookMessageRow;
use serde_json::Value;

pub const DOCUMENTS_READY: &str = "documents.ready";

pub struct Renderer;

impl PayloadRenderer for Renderer {
    fn dialect(&self) -> &'static str {
        super::DIALECT
    }

    fn render(&self, event: &DomainEvent, c: &Correlation) -> Option<Rendered> {
        match event {
            DomainEvent::DocumentsReady(e) => Some(Rendered {
                event_type: DOCUMENTS_READY.into(),
                target: Target::Events,
                target_url: None,
                body: wire::webhook_body(e, DOCUMENTS_READY, &c.event_id).to_string(),
            }),
            _ => None,
        }
    }

    fn body_for_attempt(&self, app: &App, m: &WebhookMessageRow) -> String {
        match serde_json::from_str::<Value>(&m.payload) {
            Ok(body) => wire::sign(app, body).to_string(),
            Err(_) => m.payload.clone(),
        }
    }
}
