//! An institution whose discovery document is fetched from somewhere other
//! than under its issuer (`OpenFinanceEndpoint::with_discovery_url`): each
//! node of a deployment reaching the sandbox banks at its own listener. The
//! document must still name the configured issuer, verbatim.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ponte_connect::{ConnectError, OpenFinanceClient, OpenFinanceEndpoint};
use serde_json::json;

/// The public name of the bank: nothing listens there, so a call to it fails.
const PUBLIC_ISSUER: &str = "http://127.0.0.1:9/sandbox/banks/itau";

/// One node's listener: its discovery document names [`PUBLIC_ISSUER`] (or
/// `/other` one naming another issuer) with the token endpoint on this node,
/// as the sandbox's mTLS listener does; it counts discovery fetches and
/// token calls.
async fn node(discovery_hits: Arc<AtomicUsize>, token_hits: Arc<AtomicUsize>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let here = origin.clone();
    let document = move |issuer: String| {
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/auth/authorize"),
            "token_endpoint": format!("{here}/itau/auth/token"),
            "authorization_response_iss_parameter_supported": true,
        })
    };
    let other = document.clone();
    let app = axum::Router::new()
        .route(
            "/itau/.well-known/openid-configuration",
            axum::routing::get(move || {
                discovery_hits.fetch_add(1, Ordering::SeqCst);
                let body = document(PUBLIC_ISSUER.to_string());
                async move { axum::Json(body) }
            }),
        )
        .route(
            "/other/.well-known/openid-configuration",
            axum::routing::get(move || {
                let body = other("http://127.0.0.1:9/sandbox/banks/nubank".to_string());
                async move { axum::Json(body) }
            }),
        )
        .route(
            "/itau/auth/token",
            axum::routing::post(move || {
                token_hits.fetch_add(1, Ordering::SeqCst);
                async {
                    axum::Json(json!({
                        "access_token": "at-from-this-node",
                        "token_type": "Bearer",
                        "expires_in": 900,
                    }))
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

fn endpoint(discovery_url: String) -> OpenFinanceEndpoint {
    OpenFinanceEndpoint::legacy(
        PUBLIC_ISSUER,
        PUBLIC_ISSUER,
        "ponte",
        "s3cret",
        "http://x/cb",
    )
    .with_discovery_url(discovery_url)
}

#[tokio::test]
async fn discovery_is_read_at_its_own_url_and_the_token_endpoint_it_names_is_called() {
    let (discovery, token) = (Arc::default(), Arc::<AtomicUsize>::default());
    let node = node(Arc::clone(&discovery), Arc::clone(&token)).await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = endpoint(format!("{node}/itau/.well-known/openid-configuration"));

    // The issuer's own address is never called: it does not answer.
    assert!(client.iss_required(&ep).await.unwrap());
    let tokens = client.refresh(&ep, "rt", 0).await.unwrap();
    assert_eq!(tokens.access_token, "at-from-this-node");
    assert_eq!(token.load(Ordering::SeqCst), 1);
    // Fetched once, then cached like any discovery document.
    assert!(client.iss_required(&ep).await.unwrap());
    assert_eq!(discovery.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_document_at_the_discovery_url_naming_another_issuer_is_refused() {
    let node = node(Arc::default(), Arc::default()).await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = endpoint(format!("{node}/other/.well-known/openid-configuration"));
    match client.iss_required(&ep).await {
        Err(ConnectError::Check(f)) => assert_eq!(f.check, "discovery.issuer"),
        other => panic!("expected discovery.issuer, got {other:?}"),
    }

    // A document cached for one issuer is not handed to an entry naming
    // another one at the same URL: it is fetched again, and refused.
    let at_itau = format!("{node}/itau/.well-known/openid-configuration");
    assert!(client
        .iss_required(&endpoint(at_itau.clone()))
        .await
        .unwrap());
    let elsewhere = OpenFinanceEndpoint::legacy(
        "http://127.0.0.1:9/sandbox/banks/nubank",
        PUBLIC_ISSUER,
        "ponte",
        "s3cret",
        "http://x/cb",
    )
    .with_discovery_url(at_itau);
    match client.iss_required(&elsewhere).await {
        Err(ConnectError::Check(f)) => assert_eq!(f.check, "discovery.issuer"),
        other => panic!("expected discovery.issuer, got {other:?}"),
    }
}

#[tokio::test]
async fn without_a_discovery_url_the_document_is_under_the_issuer() {
    // The issuer's address answers nothing: a failed fetch, not a call elsewhere.
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(
        PUBLIC_ISSUER,
        PUBLIC_ISSUER,
        "ponte",
        "s3cret",
        "http://x/cb",
    );
    assert!(ep.discovery_url.is_none());
    assert!(matches!(
        client.iss_required(&ep).await,
        Err(ConnectError::Transport(_))
    ));
}
