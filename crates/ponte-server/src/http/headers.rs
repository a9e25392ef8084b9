//! Headers every answer carries, whatever handler made it: no content-type
//! sniffing, no referrer leaking a link token in a URL, API answers kept out
//! of shared and browser caches (they hold personal and financial data), and
//! a Content-Security-Policy on HTML pages whose handler set none.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// For Ponte's own pages (reference, demo, error pages). They use inline
/// styles and scripts and fetch only from this origin; nobody may frame them
/// (the widget sets its own, stricter policy that names the client's origins).
pub const DEFAULT_PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; \
worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
frame-ancestors 'none'";

/// Where the sandbox institutions are mounted. They stand for remote banks and
/// portals and answer as they do when run as their own process: Ponte's page
/// policy is not theirs to carry.
const SANDBOX_MOUNT: &str = "/sandbox/banks/";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let institution = req.uri().path().starts_with(SANDBOX_MOUNT);
    let mut resp = next.run(req).await;
    add_security_headers(resp.headers_mut(), !institution);
    resp
}

fn add_security_headers(headers: &mut HeaderMap, page_policy: bool) {
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let media = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let json = media == "application/json" || media.ends_with("+json");
    // A handler that chose a policy knows why (the JWKS may be cached, a
    // download is `private, no-store`): it is kept.
    if json && !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if page_policy && media == "text/html" && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_PAGE_CSP),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::response::{Html, IntoResponse};
    use axum::routing::get;
    use axum::{Json, Router};
    use tower::ServiceExt;

    async fn answer(path: &str) -> HeaderMap {
        let router = Router::new()
            .route(
                "/api",
                get(|| async { Json(serde_json::json!({"ok": true})) }),
            )
            .route(
                "/cached",
                get(|| async {
                    (
                        [(CACHE_CONTROL, "public, max-age=300")],
                        Json(serde_json::json!({})),
                    )
                }),
            )
            .route("/page", get(|| async { Html("<p>hi</p>") }))
            .route(
                "/sandbox/banks/itau/login",
                get(|| async { Html("<p>bank</p>") }),
            )
            .route(
                "/widget",
                get(|| async {
                    (
                        [(
                            CONTENT_SECURITY_POLICY,
                            "default-src 'none'; frame-ancestors https://client.example",
                        )],
                        Html("<p>widget</p>"),
                    )
                        .into_response()
                }),
            )
            .route("/text", get(|| async { "plain" }))
            .layer(axum::middleware::from_fn(security_headers));
        let resp = router
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        resp.headers().clone()
    }

    #[tokio::test]
    async fn every_answer_refuses_sniffing_and_referrers() {
        for path in ["/api", "/page", "/text", "/widget", "/cached"] {
            let h = answer(path).await;
            assert_eq!(h[X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
            assert_eq!(h[REFERRER_POLICY], "no-referrer", "{path}");
        }
    }

    #[tokio::test]
    async fn json_is_not_stored_unless_its_handler_says_otherwise() {
        assert_eq!(answer("/api").await[CACHE_CONTROL], "no-store");
        assert_eq!(
            answer("/cached").await[CACHE_CONTROL],
            "public, max-age=300"
        );
        assert!(answer("/page").await.get(CACHE_CONTROL).is_none());
    }

    #[tokio::test]
    async fn pages_get_a_policy_but_one_a_handler_set_is_kept() {
        let page = answer("/page").await;
        let csp = page[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(
            answer("/widget").await[CONTENT_SECURITY_POLICY],
            "default-src 'none'; frame-ancestors https://client.example"
        );
        assert!(answer("/api").await.get(CONTENT_SECURITY_POLICY).is_none());
    }

    #[tokio::test]
    async fn the_mounted_sandbox_institutions_answer_as_they_would_alone() {
        let bank = answer("/sandbox/banks/itau/login").await;
        assert!(bank.get(CONTENT_SECURITY_POLICY).is_none());
        assert_eq!(bank[X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}
