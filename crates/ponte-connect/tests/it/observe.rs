//! The data session's observer: every call reported with its endpoint
//! template, resource, status and interaction id; a call the observer
//! refuses is never sent; `529` with `Retry-After` is waited out like `429`,
//! and a `Retry-After` longer than the session waits fails at once.

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use ponte_connect::{
    BankTokens, CallObserver, CallRecord, ConnectError, DataSession, OpenFinanceClient,
    OpenFinanceEndpoint,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const BALANCES: &str = "/open-banking/accounts/v2/accounts/{accountId}/balances";
const TRANSACTIONS: &str = "/open-banking/accounts/v2/accounts/{accountId}/transactions";

#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<CallRecord>>,
    refuse: Option<&'static str>,
}

impl CallObserver for Recorder {
    fn permit(&self, endpoint: &str, _resource: &str) -> Result<(), String> {
        match self.refuse {
            Some(e) if e == endpoint => Err("4 of 4 calls spent".into()),
            _ => Ok(()),
        }
    }
    fn record(&self, call: CallRecord) {
        self.calls.lock().unwrap().push(call);
    }
}

/// A bank whose balances answer `529 Retry-After: 0` once, then 200, and
/// whose transactions answer `429 Retry-After: 86400`; it counts what it got.
async fn bank() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let (h1, h2) = (hits.clone(), hits.clone());
    let overloaded = Arc::new(AtomicUsize::new(0));
    let echo = |headers: &HeaderMap| {
        headers
            .get("x-fapi-interaction-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let app = Router::new()
        .route(
            "/bank/open-banking/accounts/v2/accounts/{id}/balances",
            get(move |headers: HeaderMap| {
                let (hits, overloaded) = (h1.clone(), overloaded.clone());
                async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    let id = echo(&headers);
                    if overloaded.fetch_add(1, Ordering::SeqCst) == 0 {
                        return (
                            StatusCode::from_u16(529).unwrap(),
                            [
                                ("retry-after", "0".to_string()),
                                ("x-fapi-interaction-id", id),
                            ],
                            "{}",
                        )
                            .into_response();
                    }
                    (
                        StatusCode::OK,
                        [
                            ("content-type", "application/json".to_string()),
                            ("x-fapi-interaction-id", id),
                        ],
                        r#"{"data":{"availableAmount":{"amount":"1.00","currency":"BRL"}}}"#,
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/bank/open-banking/accounts/v2/accounts/{id}/transactions",
            get(move |headers: HeaderMap| {
                let hits = h2.clone();
                async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [
                            ("retry-after", "86400".to_string()),
                            ("x-fapi-interaction-id", echo(&headers)),
                        ],
                        "{}",
                    )
                        .into_response()
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/bank", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, hits)
}

fn tokens() -> BankTokens {
    BankTokens {
        access_token: "at".into(),
        refresh_token: None,
        expires_at: i64::MAX / 2,
    }
}

#[tokio::test]
async fn calls_are_reported_refused_before_sending_and_529_is_waited_out() {
    let (url, hits) = bank().await;
    let ep = OpenFinanceEndpoint::legacy(&url, &url, "ponte", "s", "http://127.0.0.1/cb");
    let client = OpenFinanceClient::new().unwrap();

    // 529 then 200: two calls reported, both with their interaction ids.
    let recorder = Recorder::default();
    let mut s = DataSession::new(&client, &ep, "c1", tokens()).with_observer(&recorder);
    let data = s
        .get_data("/open-banking/accounts/v2/accounts/a%201/balances")
        .await
        .unwrap();
    assert_eq!(data["availableAmount"]["amount"], "1.00");
    let calls = recorder.calls.lock().unwrap().clone();
    let seen: Vec<(&str, &str, Option<u16>, bool)> = calls
        .iter()
        .map(|c| {
            (
                c.endpoint.as_str(),
                c.resource.as_str(),
                c.status,
                c.counted,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (BALANCES, "a 1", Some(529), true),
            (BALANCES, "a 1", Some(200), true)
        ]
    );
    assert!(calls.iter().all(|c| c.interaction_id.len() == 36));
    assert_ne!(calls[0].interaction_id, calls[1].interaction_id);

    // A Retry-After of a day is not waited for: one call, then the error says when.
    let before = hits.load(Ordering::SeqCst);
    let err = s
        .get_data("/open-banking/accounts/v2/accounts/a1/transactions")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConnectError::Unavailable(m) if m.contains("429") && m.contains("86400")),
        "{err}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), before + 1);

    // A spent budget: nothing is sent.
    let spent = Recorder {
        refuse: Some(TRANSACTIONS),
        ..Default::default()
    };
    let mut s = DataSession::new(&client, &ep, "c1", tokens()).with_observer(&spent);
    let before = hits.load(Ordering::SeqCst);
    let err = s
        .get_data("/open-banking/accounts/v2/accounts/a1/transactions")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConnectError::QuotaExhausted { endpoint, .. } if endpoint == TRANSACTIONS),
        "{err}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), before, "no call was sent");
    assert!(spent.calls.lock().unwrap().is_empty());
}
