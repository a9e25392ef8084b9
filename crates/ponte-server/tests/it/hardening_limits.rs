//! Throttles that must stop an abuser without stopping the client they abuse:
//! wrong secrets counted per key and address, and a request rate per client.

use crate::support;

use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use support::{Db, Options, TestServer};

/// An HTTP client whose connections leave from `from` (any 127/8 address is
/// this machine on Linux, so two of them are two callers).
fn client_from(from: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(from))
        .build()
        .expect("http client")
}

async fn auth(
    ts: &TestServer,
    http: &reqwest::Client,
    key: &str,
    secret: &str,
) -> (u16, Option<String>, Value) {
    let resp = http
        .post(ts.url("/data/v1/auth"))
        .json(&json!({"accessKey": key, "secretKey": secret}))
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (
        status,
        retry_after,
        resp.json().await.unwrap_or(Value::Null),
    )
}

both!(
    a_stranger_hammering_a_key_cannot_lock_its_owner_out,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let stranger = client_from(Ipv4Addr::new(127, 0, 0, 2));
        let owner = client_from(Ipv4Addr::new(127, 0, 0, 1));
        let key = ts.client.api_key.clone();
        let mut refused = None;
        for _ in 0..30 {
            let (status, retry_after, body) = auth(&ts, &stranger, &key, "sk_guess").await;
            if status == 429 {
                refused = Some((retry_after, body));
                break;
            }
            assert_eq!(status, 401, "{body}");
        }
        let (retry_after, body) = refused.expect("the stranger is throttled");
        assert_eq!(body["error"]["code"], "RATE_LIMITED", "{body}");
        assert!(retry_after.is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s >= 1)));
        // Even the right secret waits from the stranger's address…
        let (status, _, _) = auth(&ts, &stranger, &key, &ts.client.api_secret).await;
        assert_eq!(status, 429);
        // …but the owner, from theirs, gets in.
        let (status, _, body) = auth(&ts, &owner, &key, &ts.client.api_secret).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["accessToken"].is_string());
    }
);

both!(each_client_has_its_own_request_rate, |db: Db| async move {
    let ts = support::spawn_with(
        db,
        Options {
            env: vec![
                ("PONTE_RATE_LIMIT", "4/h".into()),
                ("PONTE_RATE_BURST", "4".into()),
            ],
            ..Default::default()
        },
    )
    .await;
    // The token costs one request of the four.
    let access = ts.access_token().await;
    for _ in 0..3 {
        let (status, body) = ts.get("/data/v1/webhooks/messages", Some(&access)).await;
        assert_eq!(status, 200, "{body}");
    }
    let resp = ts
        .http
        .get(ts.url("/data/v1/webhooks/messages"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    let retry_after: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMITED", "{body}");
    // Trading its key and secret for a token is a request too.
    let (status, _, _) = auth(&ts, &ts.http, &ts.client.api_key, &ts.client.api_secret).await;
    assert_eq!(status, 429);

    // Another client is not slowed by the first.
    let other_access = ts.another_client_access().await;
    let (status, _) = ts
        .get("/data/v1/webhooks/messages", Some(&other_access))
        .await;
    assert_eq!(status, 200);
    // Unauthenticated operations are not counted at all.
    assert_eq!(ts.get("/healthz", None).await.0, 200);

    // A quarter of an hour later (the token still valid), one request is back.
    ts.clock.advance(Duration::from_secs(15 * 60 + 30));
    let (status, body) = ts.get("/data/v1/webhooks/messages", Some(&access)).await;
    assert_eq!(status, 200, "{body}");
});
