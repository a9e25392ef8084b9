//! Writing webhook messages into the outbox, inside the caller's transaction.
//! Services hand over a domain event; the dialect that owns the event's
//! subscription (the link's dialect) renders the payload bytes here, once,
//! so every retry sends what was written.

use crate::App;
use ponte_core::DomainEvent;
use ponte_store::{Conn, WebhookMessageRow};

/// Which of the client's URLs receives a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Events,
    Reports,
}

/// A payload as a dialect rendered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The event's name in the dialect, listed in the delivery log.
    pub event_type: String,
    pub target: Target,
    /// A URL of its own, overriding the client's URL for `target`.
    pub target_url: Option<String>,
    /// The exact bytes sent.
    pub body: String,
}

/// What a message carries for the integrator to tie it to its own records
/// without a lookup: its id (the `webhook-id` header's value) and the
/// integrator's own references for the end user, when it gave some.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Correlation {
    /// The message id, sent as `webhook-id`: stable across retries.
    pub event_id: String,
    /// The `externalTrackId` the integrator gave the consent the event is about.
    pub external_track_id: Option<String>,
    /// The link's `externalInfo` object, as the integrator attached it.
    pub external_info: Option<serde_json::Value>,
    /// The integrator's own id for the end user (the Server API's `xcUserID`).
    pub external_user_id: Option<String>,
    /// The AUTHORISED consent of the same person at the same institution
    /// that the event's consent duplicates.
    pub duplicate_of: Option<String>,
}

/// A dialect's webhook payloads. Implemented in the dialect's own folder (in
/// the API crate, which this crate cannot see) and registered in
/// [`WebhookRenderers`] at start.
pub trait PayloadRenderer: Sync {
    /// The name stored on the links the dialect opens and on its messages.
    fn dialect(&self) -> &'static str;

    /// The payload for `event`, or `None` when this dialect sends nothing for
    /// it. The body carries `correlation` in the dialect's own words.
    fn render(&self, event: &DomainEvent, correlation: &Correlation) -> Option<Rendered>;

    /// The body of one delivery attempt. The written bytes, unless the
    /// dialect adds something that must be fresh at each attempt (the Data
    /// API's signed download URLs, valid 15 minutes).
    fn body_for_attempt(&self, _app: &App, message: &WebhookMessageRow) -> String {
        message.payload.clone()
    }
}

/// The dialects' webhook renderers, registered by the API crate when it builds
/// the [`App`] context: services name no dialect, they look one up here by
/// the name stored on a link or a message.
pub struct WebhookRenderers {
    renderers: Vec<&'static dyn PayloadRenderer>,
    link_default: &'static str,
    documents: &'static str,
}

impl WebhookRenderers {
    /// `link_default` renders the webhooks of links opened without a dialect
    /// named (Ponte's own pages); `documents` those of document retrievals,
    /// which have no link to take a dialect from.
    pub fn new(
        renderers: Vec<&'static dyn PayloadRenderer>,
        link_default: &'static str,
        documents: &'static str,
    ) -> WebhookRenderers {
        WebhookRenderers {
            renderers,
            link_default,
            documents,
        }
    }

    /// The renderer of `dialect`, if it sends webhooks.
    pub fn get(&self, dialect: &str) -> Option<&'static dyn PayloadRenderer> {
        self.renderers
            .iter()
            .copied()
            .find(|r| r.dialect() == dialect)
    }

    /// The dialect of links opened without one named.
    pub fn link_default(&self) -> &'static str {
        self.link_default
    }

    /// The dialect that renders the documents retrievals' webhooks.
    pub fn documents(&self) -> &'static str {
        self.documents
    }
}

/// Writes `event` as a message rendered by the dialect of its link. Returns
/// the message id, or `None` when that dialect sends no webhook for it.
pub async fn publish(
    renderers: &WebhookRenderers,
    conn: &mut Conn,
    event: &DomainEvent,
    now: i64,
) -> crate::error::Result<Option<String>> {
    let consent_id = match event {
        DomainEvent::ConsentStatusChanged(e) => Some(e.consent_id.as_str()),
        DomainEvent::ReportReady(e) => Some(e.consent_id.as_str()),
        DomainEvent::TransactionsSyncUpdatesAvailable(e) => Some(e.consent_id.as_str()),
        _ => None,
    };
    let Some(link) = ponte_store::link_correlation(conn, event.link_id(), consent_id).await? else {
        tracing::warn!(
            link_id = event.link_id(),
            "an event for an unknown link: not sent"
        );
        return Ok(None);
    };
    let correlation = Correlation {
        event_id: new_message_id(),
        external_track_id: link.external_track_id,
        // Stored by the link service as a JSON object; anything else is no reference.
        external_info: serde_json::from_str::<serde_json::Value>(&link.external_info)
            .ok()
            .filter(serde_json::Value::is_object),
        external_user_id: link.external_ref,
        duplicate_of: link.duplicate_of,
    };
    write(renderers, conn, &link.dialect, event, correlation, now).await
}

/// Writes `event` as a message rendered by `dialect`, for events that have no
/// link to take a dialect from (a documents retrieval's, whose references
/// travel in the event). Returns the message id, or `None` when that dialect
/// sends no webhook for it.
pub async fn publish_in(
    renderers: &WebhookRenderers,
    conn: &mut Conn,
    dialect: &str,
    event: &DomainEvent,
    now: i64,
) -> crate::error::Result<Option<String>> {
    let correlation = Correlation {
        event_id: new_message_id(),
        ..Correlation::default()
    };
    write(renderers, conn, dialect, event, correlation, now).await
}

fn new_message_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
}

async fn write(
    renderers: &WebhookRenderers,
    conn: &mut Conn,
    dialect: &str,
    event: &DomainEvent,
    correlation: Correlation,
    now: i64,
) -> crate::error::Result<Option<String>> {
    let Some(renderer) = renderers.get(dialect) else {
        tracing::debug!(
            client_id = event.client_id(),
            dialect,
            "this dialect sends no webhooks"
        );
        return Ok(None);
    };
    let Some(rendered) = renderer.render(event, &correlation) else {
        return Ok(None);
    };
    let id = correlation.event_id;
    let row = WebhookMessageRow {
        id: id.clone(),
        client_id: event.client_id().to_string(),
        event_type: rendered.event_type.clone(),
        target: match rendered.target {
            Target::Events => "event",
            Target::Reports => "report",
        }
        .to_string(),
        target_url: rendered.target_url,
        payload: rendered.body,
        status: ponte_store::WebhookStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
        dialect: renderer.dialect().to_string(),
    };
    ponte_store::insert_message(conn, &row).await?;
    metrics::counter!("ponte_webhook_messages_enqueued_total", "event" => rendered.event_type)
        .increment(1);
    Ok(Some(id))
}

/// The body of one attempt at `message`, by the dialect that rendered it.
pub fn body_for_attempt(app: &App, message: &WebhookMessageRow) -> String {
    match app.renderers.get(&message.dialect) {
        Some(r) => r.body_for_attempt(app, message),
        None => message.payload.clone(),
    }
}
