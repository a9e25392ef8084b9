//! `ponte webhooks test` with the real binary: one signed TEST event
//! reaches a receiver on loopback; a bad URL or client names the flag.

use crate::support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

type Received = Arc<Mutex<Vec<(BTreeMap<String, String>, String)>>>;

async fn receiver() -> (String, Received) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got: Received = Arc::default();
    let state = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let state = state.clone();
            async move {
                let h = headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                    .collect();
                state.lock().unwrap().push((h, body));
                "thanks"
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_test_sends_one_signed_test_event() {
    let (url, got) = receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let db = support::database(&path, false).unwrap();
    let run = move |args: Vec<String>| {
        let (path, db) = (path.clone(), db.clone());
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            support::ponte(&path, &db, &args)
        })
    };
    // A server first: it makes the database the commands then use.
    let (p, d) = (
        dir.path().to_path_buf(),
        support::database(dir.path(), false).unwrap(),
    );
    let _server = tokio::task::spawn_blocking(move || support::serve(&p, &d, &[]))
        .await
        .unwrap();

    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (ok, out, err) = run(args(&[
        "clients",
        "create",
        "--name",
        "Acme",
        "--webhook-url",
        &url,
        "--json",
    ]))
    .await
    .unwrap();
    assert!(ok, "{err}");
    let client: Value = serde_json::from_str(&out).unwrap();
    let id = client["clientId"].as_str().unwrap().to_string();

    let (ok, out, err) = run(args(&["webhooks", "test", "--client-id", &id, "--json"]))
        .await
        .unwrap();
    assert!(ok, "{out}{err}");
    let done: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (done["delivered"].clone(), done["statusCode"].clone()),
        (Value::Bool(true), 200.into())
    );
    assert_eq!(done["response"], "thanks");
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    assert!(support::verify(
        client["webhookSecret"].as_str().unwrap(),
        |n| headers.get(n).cloned(),
        body
    ));
    let event: Value = serde_json::from_str(body).unwrap();
    assert_eq!(event["event"], "TEST");

    let (ok, _, err) = run(args(&[
        "webhooks",
        "test",
        "--client-id",
        &id,
        "--url",
        "ftp://hooks.example.com",
    ]))
    .await
    .unwrap();
    assert!(!ok && err.contains("--url"), "{err}");
    let (ok, _, err) = run(args(&["webhooks", "test", "--client-id", "no-such-client"]))
        .await
        .unwrap();
    assert!(!ok && err.contains("--client-id no-such-client"), "{err}");
    assert_eq!(got.lock().unwrap().len(), 1, "nothing more was sent");
}
