//! What the connector puts on the wire and reads from it, against small fake
//! institutions: the FAPI headers and their echo, a discovery document naming
//! another issuer, and discovery fetched once, not before every call.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue};
use ponte_connect::{
    BankTokens, ConnectError, DataSession, EndUser, OpenFinanceClient, OpenFinanceEndpoint,
};
use serde_json::{json, Value};

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

fn tokens() -> BankTokens {
    BankTokens {
        access_token: "at".into(),
        refresh_token: None,
        expires_at: i64::MAX / 2,
    }
}

/// Answers with the headers it received; echoes the interaction id, or
/// another one under `/wrong-echo`.
async fn echo_server() -> String {
    let headers_of = |h: &HeaderMap| -> Value {
        let get = |n: &str| h.get(n).map(|v| v.to_str().unwrap().to_string());
        json!({"data": {
            "interaction": get("x-fapi-interaction-id"),
            "auth_date": get("x-fapi-auth-date"),
            "ip": get("x-fapi-customer-ip-address"),
            "ua": get("x-customer-user-agent"),
        }})
    };
    let app = axum::Router::new()
        .route(
            "/echo",
            axum::routing::get(move |h: HeaderMap| async move {
                let mut out = HeaderMap::new();
                if let Some(id) = h.get("x-fapi-interaction-id") {
                    out.insert("x-fapi-interaction-id", id.clone());
                }
                (out, axum::Json(headers_of(&h)))
            }),
        )
        .route(
            "/wrong-echo",
            axum::routing::get(|| async {
                let mut out = HeaderMap::new();
                let other = HeaderValue::from_static("00000000-0000-4000-8000-000000000000");
                out.insert("x-fapi-interaction-id", other);
                (out, axum::Json(json!({"data": {}})))
            }),
        );
    serve(app).await
}

#[tokio::test]
async fn every_call_carries_a_fresh_interaction_id_and_the_present_users_headers() {
    let base = echo_server().await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://127.0.0.1:9/cb");
    let user = EndUser {
        auth_date: Some(time::macros::datetime!(2026-12-06 18:00:00 UTC)),
        ip_address: Some("203.0.113.7".into()),
        user_agent: Some("Mozilla/5.0 (test)".into()),
    };
    let mut session = DataSession::new(&client, &ep, "c1", tokens()).with_end_user(user);
    let first = session.get_data("/echo").await.unwrap();
    let second = session.get_data("/echo").await.unwrap();
    let id = first["interaction"].as_str().unwrap();
    let parsed = uuid::Uuid::parse_str(id).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
    assert_ne!(
        first["interaction"], second["interaction"],
        "fresh per call"
    );
    assert_eq!(first["auth_date"], "Sun, 06 Dec 2026 18:00:00 GMT");
    assert_eq!(first["ip"], "203.0.113.7");
    assert_eq!(first["ua"], "Mozilla/5.0 (test)");

    // Without the user present, none of their headers.
    let mut absent = DataSession::new(&client, &ep, "c1", tokens());
    let data = absent.get_data("/echo").await.unwrap();
    assert!(data["interaction"].is_string());
    assert!(data["ip"].is_null() && data["ua"].is_null() && data["auth_date"].is_null());
}

#[tokio::test]
async fn an_answer_echoing_another_interaction_id_is_refused_naming_the_header() {
    let base = echo_server().await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://127.0.0.1:9/cb");
    let mut session = DataSession::new(&client, &ep, "c1", tokens());
    match session.get_data("/wrong-echo").await {
        Err(ConnectError::Protocol(why)) => assert!(why.contains("x-fapi-interaction-id"), "{why}"),
        other => panic!("expected a Protocol error, got {other:?}"),
    }
}

/// A discovery server counting its fetches; `suffix` is appended to the issuer it names.
async fn discovery_server(suffix: &'static str, hits: Arc<AtomicUsize>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let issuer = origin.clone();
    let app = axum::Router::new().route(
        "/.well-known/openid-configuration",
        axum::routing::get(move || {
            let hits = hits.clone();
            let issuer = issuer.clone();
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                axum::Json(json!({
                    "issuer": format!("{issuer}{suffix}"),
                    "authorization_endpoint": format!("{issuer}/authorize"),
                    "token_endpoint": format!("{issuer}/token"),
                    "authorization_response_iss_parameter_supported": true,
                }))
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

#[tokio::test]
async fn a_discovery_document_naming_another_issuer_is_refused() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = discovery_server("INVALID", hits).await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://127.0.0.1:9/cb");
    match client.iss_required(&ep).await {
        Err(ConnectError::Check(f)) => assert_eq!(f.check, "discovery.issuer"),
        other => panic!("expected discovery.issuer, got {other:?}"),
    }
}

#[tokio::test]
async fn discovery_is_fetched_once_and_reused() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = discovery_server("", hits.clone()).await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://127.0.0.1:9/cb");
    for _ in 0..3 {
        assert!(client.iss_required(&ep).await.unwrap());
    }
    // Clones share the cache (the server keeps one client and clones it).
    assert!(client.clone().iss_required(&ep).await.unwrap());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_issuer_and_api_base_ending_in_a_slash_are_joined_without_a_double_slash() {
    // The conformance suite's issuer always ends in '/' (OIDC Discovery §4:
    // the '/' is removed before appending the well-known path, while the
    // document's issuer is compared with the configured one verbatim).
    let hits = Arc::new(AtomicUsize::new(0));
    let base = discovery_server("/", hits.clone()).await;
    let client = OpenFinanceClient::new().unwrap();
    let issuer = format!("{base}/");
    let ep = OpenFinanceEndpoint::legacy(&issuer, &base, "ponte", "s3cret", "http://x/cb");
    assert!(client.iss_required(&ep).await.unwrap());
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // Without the slash configured, the document's issuer (with it) differs.
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://x/cb");
    match client.iss_required(&ep).await {
        Err(ConnectError::Check(f)) => assert_eq!(f.check, "discovery.issuer"),
        other => panic!("expected discovery.issuer, got {other:?}"),
    }

    let api = echo_server().await;
    let ep = OpenFinanceEndpoint::legacy(&issuer, format!("{api}/"), "ponte", "s", "http://x/cb");
    let mut session = DataSession::new(&client, &ep, "c1", tokens());
    let data = session.get_data("/echo").await.unwrap();
    assert!(data["interaction"].is_string());
}

#[tokio::test]
async fn links_next_is_followed_on_the_apis_origin_only() {
    // Another origin (same host, another port) that must never see the token.
    let stolen = Arc::new(AtomicUsize::new(0));
    let seen = stolen.clone();
    let elsewhere = serve(axum::Router::new().route(
        "/stolen",
        axum::routing::get(move || {
            seen.fetch_add(1, Ordering::SeqCst);
            async { axum::Json(json!({"data": [99]})) }
        }),
    ))
    .await;
    let away = format!("{elsewhere}/stolen");
    let app = axum::Router::new()
        .route(
            "/same",
            axum::routing::get(|| async {
                axum::Json(json!({"data": [1], "links": {"next": "/same2?page=2"}}))
            }),
        )
        .route(
            "/same2",
            axum::routing::get(|| async { axum::Json(json!({"data": [2], "links": {}})) }),
        )
        .route(
            "/away",
            axum::routing::get(move || {
                let away = away.clone();
                async move { axum::Json(json!({"data": [1], "links": {"next": away}})) }
            }),
        );
    let base = serve(app).await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://x/cb");
    let mut session = DataSession::new(&client, &ep, "c1", tokens());
    assert_eq!(
        session.get_all("/same", &[]).await.unwrap(),
        vec![json!(1), json!(2)]
    );
    match session.get_all("/away", &[]).await {
        Err(ConnectError::Protocol(why)) => {
            assert!(
                why.contains("links.next") && why.contains("/stolen"),
                "{why}"
            )
        }
        other => panic!("expected a Protocol error, got {other:?}"),
    }
    assert_eq!(stolen.load(Ordering::SeqCst), 0);
}

/// An institution whose token endpoint echoes another interaction id (it is
/// not obliged to echo it), and whose consent read does so too (it is).
async fn wrong_echo_institution() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let issuer = origin.clone();
    let other = || {
        let mut out = HeaderMap::new();
        let id = HeaderValue::from_static("00000000-0000-4000-8000-000000000000");
        out.insert("x-fapi-interaction-id", id);
        out
    };
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            axum::routing::get(move || {
                let issuer = issuer.clone();
                async move {
                    axum::Json(json!({
                        "issuer": issuer,
                        "authorization_endpoint": format!("{issuer}/authorize"),
                        "token_endpoint": format!("{issuer}/token"),
                    }))
                }
            }),
        )
        .route(
            "/token",
            axum::routing::post(move || async move {
                let body = json!({"access_token": "cc", "token_type": "Bearer", "expires_in": 300});
                (other(), axum::Json(body))
            }),
        )
        .route(
            "/open-banking/consents/v3/consents",
            axum::routing::post(|h: HeaderMap| async move {
                let mut out = HeaderMap::new();
                out.insert("x-fapi-interaction-id", h["x-fapi-interaction-id"].clone());
                (
                    out,
                    axum::Json(json!({"data": {"consentId": "urn:bank:c1"}})),
                )
            }),
        )
        .route(
            "/open-banking/consents/v3/consents/{id}",
            axum::routing::get(move || async move {
                (
                    other(),
                    axum::Json(json!({"data": {"status": "AUTHORISED"}})),
                )
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

#[tokio::test]
async fn the_echo_is_enforced_on_resource_servers_only_not_on_the_token_endpoint() {
    let base = wrong_echo_institution().await;
    let client = OpenFinanceClient::new().unwrap();
    let ep = OpenFinanceEndpoint::legacy(&base, &base, "ponte", "s3cret", "http://x/cb");
    let permissions = vec!["ACCOUNTS_READ".to_string()];
    let started = client
        .start_authorisation(
            &ep,
            "12345678901",
            None,
            &permissions,
            "2027-01-01T00:00:00Z",
            None,
        )
        .await
        .expect("a token answer with another echo is kept");
    assert_eq!(started.bank_consent_id, "urn:bank:c1");
    match client.consent_status(&ep, "urn:bank:c1").await {
        Err(ConnectError::Protocol(why)) => assert!(why.contains("x-fapi-interaction-id"), "{why}"),
        other => panic!("expected a Protocol error, got {other:?}"),
    }
}
