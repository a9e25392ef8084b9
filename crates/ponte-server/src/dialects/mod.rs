//! The API dialects Ponte speaks, each the only place that knows its wire
//! shape: routes, request and response types, field names, error envelope,
//! OpenAPI and webhook payloads. Each describes itself in one [`Dialect`];
//! a new dialect is a new folder here and one line in [`ALL`].

use crate::http::failure::Render;
use crate::services::outbox::{PayloadRenderer, WebhookRenderers};
use crate::App;
use axum::Router;

pub mod console;
pub mod data_api;
pub mod documents_api;
pub mod server_api;

/// Every dialect, in the order the API documentation presents them (the
/// console, undocumented, last).
pub static ALL: &[&Dialect] = &[
    &data_api::SPEC,
    &server_api::SPEC,
    &documents_api::SPEC,
    &console::SPEC,
];

/// The dialect of links opened without one named (Ponte's demo page).
pub const DEFAULT: &str = data_api::DIALECT;

/// What the rest of Ponte needs to know of a dialect, declared by it.
pub struct Dialect {
    /// The name stored on the links it opens and the messages it renders.
    pub name: &'static str,
    /// Its heading in the API documentation ("Data API").
    pub title: &'static str,
    pub routes: fn() -> Router<App>,
    /// Routes served only in sandbox mode (its test helpers).
    pub sandbox_routes: Option<fn() -> Router<App>>,
    /// The paths whose failures it answers, and in which shape (its own
    /// envelope, or an HTML page for pages people read).
    pub failures: &'static [(&'static str, Render)],
    /// Its operations and schemas, and its tags in reading order (none for
    /// a dialect the document leaves out).
    pub docs: fn() -> utoipa::openapi::OpenApi,
    pub tags: &'static [(&'static str, &'static str)],
    /// The webhooks it sends, for the documentation: (event, schema, summary).
    pub webhooks: &'static [(&'static str, &'static str, &'static str)],
    /// Renders its webhook payloads from domain events.
    pub renderer: Option<&'static dyn PayloadRenderer>,
}

/// Every dialect's webhook renderer, for the services' [`crate::App`]
/// context: the default dialect renders the links opened without one named,
/// and the Documents API the documents retrievals.
pub fn webhook_renderers() -> WebhookRenderers {
    WebhookRenderers::new(
        ALL.iter().filter_map(|d| d.renderer).collect(),
        DEFAULT,
        documents_api::DIALECT,
    )
}

/// The renderer of `dialect`, if it sends webhooks.
pub fn renderer(dialect: &str) -> Option<&'static dyn PayloadRenderer> {
    ALL.iter()
        .filter(|d| d.name == dialect)
        .find_map(|d| d.renderer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_renderer_is_found_by_the_name_of_its_dialect() {
        for d in super::ALL {
            if let Some(r) = d.renderer {
                assert_eq!(r.dialect(), d.name);
                assert!(super::renderer(d.name).is_some());
            }
        }
        assert!(super::renderer("no_such_dialect").is_none());
        let registered = super::webhook_renderers();
        for d in super::ALL {
            assert_eq!(registered.get(d.name).is_some(), d.renderer.is_some());
        }
        assert!(registered.get(registered.documents()).is_some());
    }
}
