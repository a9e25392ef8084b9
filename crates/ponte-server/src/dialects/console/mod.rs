//! The integrator console (`/console`): pages embedded from `web/console/`
//! and the small JSON API under `/console/api` they talk to. Signed-in
//! people see one client (an operator, any client); every action calls the
//! same service as the Data API or the CLI.
//!
//! It is a dialect like the others: its prefix, its envelope and its routes
//! are declared in [`SPEC`]. Its API is its own pages' and not one for
//! integrators, so the OpenAPI document leaves it out.

mod api;
mod api_clients;
mod api_lifecycle;
mod api_sandbox;
mod api_settings;
mod api_webhooks;
pub mod errors;
mod extract;
pub mod pages;
pub mod session;

use crate::App;
use axum::routing::{get, post, put};
use axum::Router;
pub use errors::{failure_response, ConsoleError};

/// Where the console's API lives; its failures answer in [`failure_response`].
pub const API_PREFIX: &str = "/console/api";

/// Where its pages live; their failures answer as an HTML page.
pub const PAGES_PREFIX: &str = "/console";

pub static SPEC: super::Dialect = super::Dialect {
    name: "console",
    title: "Console",
    routes,
    // Its sandbox tools answer 404 in its own envelope outside sandbox mode
    // (`extract::SandboxMode`), as they always have, rather than not being
    // routed.
    sandbox_routes: None,
    failures: &[
        (API_PREFIX, failure_response),
        (PAGES_PREFIX, crate::http::failure::html_page),
    ],
    // Undocumented: no operations and no tags, so no group in `/docs`.
    docs: utoipa::openapi::OpenApi::default,
    tags: &[],
    webhooks: &[],
    renderer: None,
};

/// Every route of the console, its pages and its API: the router is made
/// from this list alone.
pub fn routes() -> Router<App> {
    let api = |path: &str| format!("{API_PREFIX}{path}");
    Router::new()
        .route(PAGES_PREFIX, get(pages::index))
        .route("/console/", get(pages::index))
        .route("/console/signin", get(pages::index))
        .route("/console/preview", get(pages::preview))
        .route(
            &format!("{}/{{version}}/{{*file}}", pages::ASSETS_PATH),
            get(pages::asset),
        )
        .route(
            &api("/session"),
            post(session::sign_in)
                .get(session::current)
                .delete(session::sign_out),
        )
        .route(&api("/session/link"), post(session::sign_in_with_link))
        .route(&api("/clients"), get(api_clients::list))
        .route(&api("/overview"), get(api::overview))
        .route(&api("/connections"), get(api::connections))
        .route(&api("/connections/{consentId}"), get(api::connection))
        .route(&api("/connections/{consentId}/revoke"), post(api::revoke))
        .route(
            &api("/connections/{consentId}/quota"),
            get(api_lifecycle::connection_quota),
        )
        .route(
            &api("/connections/{consentId}/update-link"),
            post(api_lifecycle::update_link),
        )
        .route(&api("/lifecycle"), get(api_lifecycle::lifecycle))
        .route(&api("/webhooks/messages"), get(api_webhooks::list))
        .route(&api("/webhooks/messages/{id}"), get(api_webhooks::show))
        .route(
            &api("/webhooks/messages/{id}/replay"),
            post(api_webhooks::replay),
        )
        .route(&api("/webhooks/replay"), post(api_webhooks::replay_dead))
        .route(&api("/webhooks/endpoints"), get(api_webhooks::endpoints))
        .route(
            &api("/webhooks/endpoints/enable"),
            post(api_webhooks::enable),
        )
        .route(&api("/webhooks/test"), post(api_webhooks::send_test))
        .route(&api("/settings"), get(api_settings::show))
        .route(
            &api("/settings/rotate-secret"),
            post(api_settings::rotate_secret),
        )
        .route(
            &api("/settings/rotate-webhook-secret"),
            post(api_settings::rotate_webhook_secret),
        )
        .route(&api("/settings/branding"), put(api_settings::branding))
        .route(
            &api("/settings/webhooks"),
            put(api_settings::webhook_settings),
        )
        .route(&api("/sandbox/links"), post(api_sandbox::create_link))
        .route(
            &api("/sandbox/consents/{consentId}/authorise"),
            post(api_sandbox::authorise),
        )
        .route(
            &api("/sandbox/consents/{consentId}/revoke-at-institution"),
            post(api_sandbox::revoke_at_institution),
        )
}
