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
pub mod page;
pub mod pagination;
pub mod widget;

use crate::dialects::{self, data_api};
use crate::App;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use failure::Space;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The largest request body any endpoint reads.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Who answers a failure on which paths, the longest prefix winning: the
/// platform's own spaces here, then each dialect's (`Dialect::failures`).
pub fn failure_spaces() -> &'static [Space] {
    static SPACES: std::sync::LazyLock<Vec<Space>> = std::sync::LazyLock::new(|| {
        let page = |prefix| Space {
            prefix,
            render: Some(failure::html_page as failure::Render),
        };
        let mut spaces = vec![
            // The sandbox institutions answer in Open Finance Brasil's own shapes.
            Space {
                prefix: "/sandbox/banks",
                render: None,
            },
            // So does the sandbox directory, in the OFB directory's.
            Space {
                prefix: crate::services::directory::SANDBOX_DIRECTORY_PATH,
                render: None,
            },
            // Pages people read.
            page("/link"),
            page(documents_app::APP_PATH),
            page("/demo"),
            page("/docs"),
            page(crate::services::directory::CALLBACK_PATH),
            // Operations, the index and unknown paths: JSON in the default
            // dialect's shape.
            Space {
                prefix: "/",
                render: Some(data_api::failure_response),
            },
        ];
        spaces.extend(dialects::ALL.iter().flat_map(|d| {
            d.failures.iter().map(|(prefix, render)| Space {
                prefix,
                render: Some(*render),
            })
        }));
        spaces
    });
    &SPACES
}

/// The server's routes, and in sandbox mode the sandbox banks' router, which
/// is also served on the mTLS listener (one router, so a request pushed over
/// mTLS and the browser's visit that follows meet the same state).
pub async fn routers(app: App) -> anyhow::Result<(Router, Option<Router>)> {
    // Without the feature, `PONTE_SANDBOX=true` never gets this far
    // (`Config::from_map` refuses it).
    #[cfg(not(feature = "sandbox"))]
    let sandbox: Option<Router> = None;
    #[cfg(feature = "sandbox")]
    let sandbox = match app.config.sandbox {
        true => {
            let mut banks = Router::new().nest(
                "/sandbox/banks",
                ponte_sandbox::router(sandbox_config(&app)).await?,
            );
            if let Some(runtime) = &app.sandbox {
                // Its software statements are served over mTLS only.
                banks = banks.nest(
                    crate::services::sandbox_pki::DIRECTORY_PATH,
                    ponte_sandbox::directory::router(runtime.pki.directory.clone()),
                );
            }
            Some(banks)
        }
        false => None,
    };
    Ok((router_with(app, sandbox.clone()).await?, sandbox))
}

pub async fn router(app: App) -> anyhow::Result<Router> {
    Ok(routers(app).await?.0)
}

async fn router_with(app: App, sandbox: Option<Router>) -> anyhow::Result<Router> {
    let mut router = Router::new();
    for dialect in dialects::ALL {
        router = router.merge((dialect.routes)());
        if let Some(sandbox_routes) = dialect.sandbox_routes.filter(|_| app.config.sandbox) {
            router = router.merge(sandbox_routes());
        }
    }
    let mut router = router
        .merge(widget::routes())
        .merge(documents_app::routes())
        .merge(ops::routes());
    if app.config.sandbox {
        router = router.merge(demo::routes());
    }
    let mut router = router.with_state(app.clone());
    if let Some(sandbox) = sandbox {
        router = router.merge(sandbox);
    }
    // Ponte's public keys for Open Finance institutions (the software's
    // `jwks_uri`, as the OFB directory would publish them).
    let jwks = app.directory.public_jwks();
    router = router.route(
        crate::services::directory::JWKS_PATH,
        axum::routing::get(move || async move { axum::Json(jwks) }),
    );
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
        }).on_failure(log_failure))
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT));
    // Around the whole router rather than each route (what `Router::layer`
    // does), so it sees the answers the router completes itself: the 404 of
    // no route, the 405 with its `Allow` header, the limit's 413.
    Ok(Router::new()
        .fallback_service(router)
        .layer(axum::middleware::from_fn_with_state(
            failure_spaces(),
            failure::in_dialect,
        ))
        // Outermost, so the answers `in_dialect` renders carry them too.
        .layer(axum::middleware::from_fn(headers::security_headers)))
}

/// How loud a failed answer is. Only Ponte's own faults are errors: a 503
/// (starting up, the database or an institution unavailable) and a 502/504
/// (an institution failed) describe the world outside, and an operator paged
/// for each readiness probe during start-up learns nothing.
fn log_failure(
    class: tower_http::classify::ServerErrorsFailureClass,
    latency: std::time::Duration,
    _span: &tracing::Span,
) {
    use tower_http::classify::ServerErrorsFailureClass::{Error, StatusCode};
    let ms = latency.as_millis();
    match class {
        StatusCode(s) if s.as_u16() == 503 => {
            tracing::info!(status = s.as_u16(), latency_ms = ms, "answered unavailable")
        }
        StatusCode(s) if matches!(s.as_u16(), 502 | 504) => {
            tracing::warn!(
                status = s.as_u16(),
                latency_ms = ms,
                "an institution failed"
            )
        }
        StatusCode(s) => {
            tracing::error!(status = s.as_u16(), latency_ms = ms, "request failed")
        }
        Error(e) => tracing::error!(error = %e, latency_ms = ms, "request failed"),
    }
}

/// The sandbox banks' clients: the portal client's secret for the document
/// portals, and for the banks the legacy secret client only when this app
/// serves no mTLS listener (otherwise Ponte registers there dynamically).
#[cfg(feature = "sandbox")]
fn sandbox_config(app: &App) -> ponte_sandbox::SandboxConfig {
    use crate::services::directory::{
        sandbox_base_url, sandbox_client_secret, CALLBACK_PATH, SANDBOX_CLIENT_ID,
        SANDBOX_PORTAL_CLIENT_ID,
    };
    let database_url = if app.config.database_url.starts_with("sqlite:") {
        format!(
            "sqlite://{}/sandbox.db?mode=rwc",
            app.config.data_dir.display()
        )
    } else {
        app.config.database_url.clone()
    };
    let redirect_uris = vec![format!("{}{CALLBACK_PATH}", app.public_url)];
    let secret = sandbox_client_secret(&app.crypto);
    // A serving node's banks know Ponte only by its dynamic registration
    // (services::registrations_start); without the mTLS listener (a router
    // built on its own) they take the legacy secret client.
    let banks_client = ponte_sandbox::SandboxClient {
        client_id: SANDBOX_CLIENT_ID.into(),
        client_secret: secret.clone(),
        redirect_uris: redirect_uris.clone(),
        ..Default::default()
    };
    let mut clients = Vec::new();
    if app.sandbox.is_none() {
        clients.push(banks_client);
    }
    clients.push(ponte_sandbox::SandboxClient {
        client_id: SANDBOX_PORTAL_CLIENT_ID.into(),
        client_secret: secret,
        redirect_uris,
        ..Default::default()
    });
    ponte_sandbox::SandboxConfig {
        base_url: sandbox_base_url(&app.public_url),
        database_url,
        clients,
        mtls_base_url: app.sandbox.as_ref().map(|s| s.mtls_base_url.clone()),
        // The banks register softwares whose statements the directory signed.
        directory: app.sandbox.as_ref().map(|s| s.pki.directory.trust()),
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

#[cfg(test)]
mod tests {
    #[test]
    fn no_two_owners_claim_the_same_paths() {
        let spaces = super::failure_spaces();
        for (i, a) in spaces.iter().enumerate() {
            for b in &spaces[i + 1..] {
                assert_ne!(a.prefix, b.prefix, "two owners of {}", a.prefix);
            }
        }
        for dialect in crate::dialects::ALL {
            for (prefix, _) in dialect.failures {
                assert!(
                    spaces.iter().any(|s| s.prefix == *prefix),
                    "{}'s {prefix} is routed to it",
                    dialect.title
                );
            }
        }
    }
}
