//! The API dialects Ponte speaks, each the only place that knows its wire
//! shape: routes, request and response types, field names, error envelope,
//! OpenAPI and webhook payloads. Each describes itself in one [`Dialect`];
//! a new dialect is a new folder here and one line in [`ALL`].

use crate::http::failure::Render;
use crate::services::outbox::{PayloadRenderer, WebhookRenderers};
use crate::App;
use axum::routing::MethodRouter;
use axum::Router;

/// A dialect's routes with their OpenAPI operations, from one list (each entry `[handlers]`, as
/// `utoipa_axum::routes!` takes them: the handlers of one path), in the order the document
/// presents them. It makes two functions: the first builds the router and the document together
/// ([`Dialect::docs`] takes the document), the second only the same router, from each handler's
/// path and methods: what `ponte serve` builds at start, leaving the operations and schemas
/// (several hundred KB of code run once, and their allocations) to the first `GET /openapi.json`.
macro_rules! api_and_router {
    (
        $(#[$api_doc:meta])*
        pub fn $api:ident() = $start:expr;
        $(#[$router_doc:meta])*
        pub fn $router:ident();
        $( [ $( $($segment:ident)::+ ),+ $(,)? ] )*
    ) => {
        $(#[$api_doc])*
        pub fn $api() -> utoipa_axum::router::OpenApiRouter<crate::App> {
            $start $( .routes(utoipa_axum::routes!($( $($segment)::+ ),+)) )*
        }

        $(#[$router_doc])*
        pub fn $router() -> axum::Router<crate::App> {
            let router = axum::Router::new();
            $(
                let mut paths: Vec<String> = Vec::new();
                let mut methods = axum::routing::MethodRouter::new();
                $(
                    for method in <operation_of!([] $($segment)::+) as utoipa::Path>::methods() {
                        methods = methods.on(
                            utoipa_axum::PathItemExt::to_method_filter(&method),
                            $($segment)::+,
                        );
                    }
                    let path = <operation_of!([] $($segment)::+) as utoipa::Path>::path();
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                )+
                let router = crate::dialects::route_paths(router, &paths, methods);
            )*
            router
        }
    };
}

/// The type `#[utoipa::path]` generates beside a handler (`a::b::handler` → `a::b::__path_handler`).
macro_rules! operation_of {
    ([$($module:ident)*] $handler:ident) => {
        utoipa_axum::paste! { $($module::)* [<__path_ $handler>] }
    };
    ([$($module:ident)*] $first:ident :: $($rest:ident)::+) => {
        operation_of!([$($module)* $first] $($rest)::+)
    };
}

/// `methods` at each of `paths`, as `utoipa_axum`'s `OpenApiRouter::routes` routes them.
pub(crate) fn route_paths(
    router: Router<App>,
    paths: &[String],
    methods: MethodRouter<App>,
) -> Router<App> {
    paths.iter().fold(router, |router, path| {
        router.route(if path.is_empty() { "/" } else { path }, methods.clone())
    })
}

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
