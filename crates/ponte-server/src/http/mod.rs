//! The HTTP surfaces: one module per dialect, plus the widget and operations.

pub mod demo;
pub mod demo_webhooks;
pub mod documents_app;
pub mod extract;
pub mod failure;
pub mod headers;
pub mod listener;
pub mod openapi;
pub mod ops;
pub mod widget;

use crate::dialects::{data_api, documents_api};
use crate::App;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use failure::Dialect;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The largest request body any endpoint reads.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Who answers a failure on which paths, first match wins. A new dialect
/// adds its prefix and its renderer here.
pub const DIALECTS: &[Dialect] = &[
    // The sandbox institutions answer in Open Finance Brasil's own shapes.
    Dialect {
        prefix: "/sandbox/banks",
        render: None,
    },
    Dialect {
        prefix: "/data",
        render: Some(data_api::failure_response),
    },
    Dialect {
        prefix: documents_api::PREFIXES[2],
        render: Some(documents_api::failure_response),
    },
    Dialect {
        prefix: "/sandbox/v1",
        render: Some(data_api::failure_response),
    },
    Dialect {
        prefix: documents_api::PREFIXES[0],
        render: Some(documents_api::failure_response),
    },
    Dialect {
        prefix: documents_api::PREFIXES[1],
        render: Some(documents_api::failure_response),
    },
    Dialect {
        prefix: crate::dialects::server_api::PREFIX,
        render: Some(crate::dialects::server_api::failure_response),
    },
    Dialect {
        prefix: crate::console::API_PREFIX,
        render: Some(crate::console::failure_response),
    },
    // Pages people read.
    Dialect {
        prefix: "/console",
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: "/link",
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: documents_app::APP_PATH,
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: "/me",
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: "/demo",
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: "/docs",
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: crate::services::directory::CALLBACK_PATH,
        render: Some(failure::html_page),
    },
    Dialect {
        prefix: crate::services::documents::CALLBACK_PATH,
        render: Some(failure::html_page),
    },
    // Operations, the index and unknown paths: JSON in the first dialect's shape.
    Dialect {
        prefix: "/",
        render: Some(data_api::failure_response),
    },
];

pub async fn router(app: App) -> anyhow::Result<Router> {
    let mut router = Router::new()
        .merge(data_api::routes())
        .merge(crate::dialects::server_api::routes())
        .merge(documents_api::routes())
        .merge(widget::routes())
        .merge(documents_app::routes())
        .merge(crate::console::routes())
        .merge(ops::routes());
    if app.config.sandbox {
        router = router
            .merge(data_api::sandbox_routes())
            .merge(documents_api::sandbox_routes())
            .merge(demo::routes());
    }
    let mut router = router.with_state(app.clone());
    if app.config.sandbox {
        let sandbox = ponte_sandbox::router(sandbox_config(&app)).await?;
        router = router.nest("/sandbox/banks", sandbox);
    }
    let header = axum::http::HeaderName::from_static("x-request-id");
    let router = router
        .layer(axum::middleware::from_fn_with_state(
            app.config.request_timeout,
            listener::request_deadline,
        ))
        .layer(axum::middleware::from_fn(record_metrics))
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT));
    // Around the whole router rather than each route (what `Router::layer`
    // does), so it sees the answers the router completes itself: the 404 of
    // no route, the 405 with its `Allow` header, the limit's 413.
    Ok(Router::new()
        .fallback_service(router)
        .layer(axum::middleware::from_fn_with_state(
            DIALECTS,
            failure::in_dialect,
        ))
        // Outermost, so the answers `in_dialect` renders carry them too.
        .layer(axum::middleware::from_fn(headers::security_headers)))
}

fn sandbox_config(app: &App) -> ponte_sandbox::SandboxConfig {
    use crate::services::directory::{
        sandbox_base_url, sandbox_client_secret, CALLBACK_PATH, SANDBOX_CLIENT_ID,
    };
    let database_url = if app.config.database_url.starts_with("sqlite:") {
        format!(
            "sqlite://{}/sandbox.db?mode=rwc",
            app.config.data_dir.display()
        )
    } else {
        app.config.database_url.clone()
    };
    ponte_sandbox::SandboxConfig {
        base_url: sandbox_base_url(&app.public_url),
        database_url,
        clients: vec![ponte_sandbox::SandboxClient {
            client_id: SANDBOX_CLIENT_ID.into(),
            client_secret: sandbox_client_secret(&app.crypto),
            redirect_uris: vec![format!("{}{CALLBACK_PATH}", app.public_url)],
        }],
    }
}

async fn record_metrics(req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("ponte_http_requests_total", "method" => method.clone(), "path" => path.clone(), "status" => status).increment(1);
    metrics::histogram!("ponte_http_request_duration_seconds", "method" => method, "path" => path)
        .record(started.elapsed().as_secs_f64());
    resp
}
