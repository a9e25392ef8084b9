//! The API dialects Ponte speaks, each the only place that knows its wire
//! shape: routes, request and response types, field names, error envelope
//! and webhook payloads. A new dialect is a new folder here, its module
//! line, and (if it sends webhooks) one line in `RENDERERS`.

use crate::services::outbox::PayloadRenderer;

pub mod data_api;
pub mod documents_api;
pub mod server_api;

/// The dialect of links opened without one named (Ponte's demo page).
pub const DEFAULT: &str = data_api::DIALECT;

/// Every dialect that renders webhook payloads, by the name stored on its
/// links and messages.
pub static RENDERERS: &[&dyn PayloadRenderer] = &[
    &data_api::events::Renderer,
    &documents_api::events::Renderer,
];

/// The renderer of `dialect`, if it sends webhooks.
pub fn renderer(dialect: &str) -> Option<&'static dyn PayloadRenderer> {
    RENDERERS.iter().copied().find(|r| r.dialect() == dialect)
}
