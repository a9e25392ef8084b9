//! Operations: the index, health, readiness, metrics, keys and the API reference.

use super::failure::{Failure, FailureKind};
use crate::App;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;
use std::sync::OnceLock;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/openapi.json", get(super::openapi::openapi_json))
        .route("/docs", get(super::openapi::docs_page))
        .route(
            super::openapi::REDOC_PATH,
            get(super::openapi::redoc_bundle),
        )
}

/// Healthy once start-up is complete (migrations run, the sandbox
/// credentials file written): an orchestrator or a script polling it may use
/// the server as soon as it answers 200.
async fn healthz(State(app): State<App>) -> Response {
    if app.is_started() {
        Json(json!({"status": "ok"})).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "starting"})),
        )
            .into_response()
    }
}

/// Where to go from the root: browsers are sent to the reference, programs
/// get the links.
async fn index(State(app): State<App>, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html {
        return Redirect::to("/docs").into_response();
    }
    let base = &app.public_url;
    Json(json!({
        "name": "Ponte",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Self-hostable financial-data link platform",
        "links": {
            "docs": format!("{base}/docs"),
            "openapi": format!("{base}/openapi.json"),
            "health": format!("{base}/healthz"),
            "readiness": format!("{base}/readyz"),
        },
    }))
    .into_response()
}

async fn readyz(State(app): State<App>) -> Response {
    match app.store.ping().await {
        Ok(()) => Json(json!({"status": "ok", "database": "ok"})).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

async fn jwks(State(app): State<App>) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(app.tokens.jwks()),
    )
        .into_response()
}

/// The process-wide Prometheus recorder (one per process, however many apps run in it).
pub fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0,
            ])
            .map(|b| b.build_recorder())
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// With `PONTE_METRICS_TOKEN` set, only a scraper that presents it reads
/// the metrics (they name clients' traffic and the server's internals).
fn metrics_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(expected) = &app.config.metrics_token else {
        return true;
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .unwrap_or_default();
    // Compare digests, so neither the length nor the content leaks by timing.
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let a = Sha256::digest(presented.as_bytes());
    let b = Sha256::digest(expected.0.as_bytes());
    !presented.is_empty() && bool::from(a.ct_eq(&b))
}

async fn metrics_text(State(app): State<App>, headers: HeaderMap) -> Response {
    if !metrics_allowed(&app, &headers) {
        return Failure::new(
            FailureKind::Other(StatusCode::UNAUTHORIZED),
            "GET /metrics needs Authorization: Bearer <PONTE_METRICS_TOKEN>",
        )
        .into_response();
    }
    if let Ok(mut conn) = app.store.read().await {
        for status in [
            ponte_store::WebhookStatus::Pending,
            ponte_store::WebhookStatus::Dead,
        ] {
            if let Ok(n) = ponte_store::count_messages(&mut conn, status).await {
                metrics::gauge!("ponte_webhook_messages", "status" => status.as_str())
                    .set(n as f64);
            }
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        prometheus().render(),
    )
        .into_response()
}
