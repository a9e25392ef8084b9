//! The HTTP edge under abuse: clients that stall, the headers every answer
//! carries and the metrics behind their token.

use crate::support;

use serde_json::Value;
use std::time::Duration;
use support::{Db, Options, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn spawn_env(db: Db, env: &[(&'static str, &str)]) -> TestServer {
    support::spawn_with(
        db,
        Options {
            env: env.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            ..Default::default()
        },
    )
    .await
}

fn addr(ts: &TestServer) -> std::net::SocketAddr {
    ts.server.as_ref().expect("running").addr
}

/// Reads until the server closes the connection; fails the test if it has
/// not after `limit` (far longer than the server's own timeout).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the server still held the connection after {limit:?}; it sent {:?}",
        String::from_utf8_lossy(&got)
    );
    String::from_utf8_lossy(&got).into_owned()
}

both!(
    a_client_that_stalls_in_its_headers_is_cut_off,
    |db: Db| async move {
        let ts = spawn_env(db, &[("PONTE_HEADER_TIMEOUT", "1s")]).await;
        let mut slow = TcpStream::connect(addr(&ts)).await.unwrap();
        slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
            .await
            .unwrap();
        let answer = read_until_closed(&mut slow, Duration::from_secs(30)).await;
        assert!(!answer.contains("200 OK"), "{answer}");
        // Everyone else is served meanwhile and after.
        assert_eq!(ts.get("/healthz", None).await.0, 200);
    }
);

both!(
    a_request_that_takes_too_long_is_answered_408_in_the_dialect,
    |db: Db| async move {
        let ts = spawn_env(db, &[("PONTE_REQUEST_TIMEOUT", "1s")]).await;
        let mut slow = TcpStream::connect(addr(&ts)).await.unwrap();
        slow.write_all(
        b"POST /data/v1/auth HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"accessKey\":",
    )
    .await
    .unwrap();
        let answer = read_until_closed(&mut slow, Duration::from_secs(30)).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        assert_eq!(body["error"]["code"], "REQUEST_TIMEOUT", "{answer}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("1 s")),
            "{answer}"
        );
    }
);

both!(answers_carry_the_security_headers, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    for (path, token) in [
        ("/data/v1/webhooks/messages", Some(access.as_str())),
        ("/data/v1/webhooks/messages", None),
        ("/healthz", None),
        ("/no/such/path", None),
    ] {
        let mut req = ts.http.get(ts.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let h = resp.headers();
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
    for path in ["/docs", "/demo", "/link?v=nonsense", "/docs/nothing-here"] {
        let resp = ts.http.get(ts.url(path)).send().await.unwrap();
        let h = resp.headers();
        assert!(
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{path}"
        );
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
});

both!(
    metrics_want_their_token_when_one_is_set,
    |db: Db| async move {
        let ts = spawn_env(db, &[("PONTE_METRICS_TOKEN", "scrape-me-0123456789")]).await;
        for token in [None, Some("wrong"), Some("scrape-me-012345678")] {
            let mut req = ts.http.get(ts.url("/metrics"));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), 401, "{token:?}");
            let body: Value = resp.json().await.unwrap();
            assert!(
                body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("PONTE_METRICS_TOKEN")),
                "{body}"
            );
        }
        let resp = ts
            .http
            .get(ts.url("/metrics"))
            .bearer_auth("scrape-me-0123456789")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("ponte_http_requests_total"));
    }
);
