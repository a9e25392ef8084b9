//! Every way a request can fail is answered in the envelope of the dialect
//! that owns the path, never in axum's plain text or an empty body; pages
//! people read answer HTML; the root says where to go.

use crate::support;

use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE, LOCATION};
use reqwest::Method;
use serde_json::{json, Value};
use support::{Db, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Status, the `Allow` header, and the body, which must be the Data API's
/// envelope `{"error":{"code","message","field"}}` and nothing else.
async fn data_api_error(resp: reqwest::Response) -> (u16, Option<String>, Value) {
    let status = resp.status().as_u16();
    let allow = resp
        .headers()
        .get(ALLOW)
        .map(|v| v.to_str().unwrap().to_string());
    let content_type = resp.headers().get(CONTENT_TYPE).cloned();
    let text = resp.text().await.unwrap();
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{status} {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    let error = body["error"].as_object().expect("an error object");
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    assert_eq!(error.len(), 3, "code, message, field: {body}");
    assert!(error["code"].is_string() && error["message"].is_string());
    assert!(error["field"].is_string() || error["field"].is_null());
    (status, allow, body["error"].clone())
}

async fn send(
    ts: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let mut req = ts.http.request(method, ts.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

async fn post_raw(
    ts: &TestServer,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> reqwest::Response {
    let mut req = ts
        .http
        .post(ts.url(path))
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_and_wrong_methods() {
    let ts = support::spawn(Db::Sqlite).await;

    let (status, _, error) =
        data_api_error(send(&ts, Method::GET, "/data/v1/nothing-here", None).await).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("NOT_FOUND")));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("GET /data/v1/nothing-here"),
        "{error}"
    );
    // Outside every dialect, still JSON in the first dialect's shape.
    let (status, _, error) =
        data_api_error(send(&ts, Method::GET, "/no/such/page", None).await).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("NOT_FOUND")));

    let (status, allow, error) =
        data_api_error(send(&ts, Method::GET, "/data/v1/auth", None).await).await;
    assert_eq!(
        (status, error["code"].as_str(), allow.as_deref()),
        (405, Some("METHOD_NOT_ALLOWED"), Some("POST"))
    );
    assert!(
        error["message"].as_str().unwrap().contains("use POST"),
        "{error}"
    );

    let (status, allow, error) =
        data_api_error(send(&ts, Method::PUT, "/data/v1/consents/c_1", None).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED"))
    );
    let allow = allow.expect("an Allow header");
    assert!(allow.contains("GET") && allow.contains("DELETE"), "{allow}");

    // The sandbox helpers are the Data API's too.
    let (status, allow, error) =
        data_api_error(send(&ts, Method::GET, "/sandbox/v1/consents/c_1/authorise", None).await)
            .await;
    assert_eq!(
        (status, error["code"].as_str(), allow.as_deref()),
        (405, Some("METHOD_NOT_ALLOWED"), Some("POST"))
    );

    // Errors the handlers always gave keep their code and shape.
    let (status, _, error) =
        data_api_error(send(&ts, Method::GET, "/data/v1/links/l_1", Some("not-a-token")).await)
            .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (401, Some("INVALID_TOKEN"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit() {
    let ts = support::spawn(Db::Sqlite).await;
    let access = ts.access_token().await;
    // A valid JSON document just over 1 MiB: the size alone refuses it.
    let big = format!(
        r#"{{"externalInfo":{{"note":"{}"}}}}"#,
        "x".repeat(1024 * 1024)
    );
    let (status, _, error) =
        data_api_error(post_raw(&ts, "/data/v1/links", Some(&access), &big).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (413, Some("PAYLOAD_TOO_LARGE"))
    );
    assert!(
        error["message"].as_str().unwrap().contains("1024 KiB"),
        "{error}"
    );

    // Without a Content-Length the limit meets the body while it streams in.
    let (status, body) = chunked_post(&ts, "/data/v1/auth", 1024 * 1024 + 10).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE", "{body}");
}

/// A chunked POST of `size` bytes over a bare connection (reqwest here has
/// no streaming bodies); returns the status and the JSON body.
async fn chunked_post(ts: &TestServer, path: &str, size: usize) -> (u16, Value) {
    let addr = ts.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < size {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        // The server may answer and stop reading before the whole body is in.
        if stream.write_all(&frame).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(json!(body)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_names_the_position() {
    let ts = support::spawn(Db::Sqlite).await;

    let (status, _, error) = data_api_error(
        post_raw(
            &ts,
            "/data/v1/auth",
            None,
            "{\n  \"accessKey\": \"k\",\n  \"secretKey\" \"s\"\n}",
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("INVALID_FIELD"))
    );
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("line 3, column 15"), "{message}");
    assert!(!message.contains("line 3 column"), "worded once: {message}");

    // Broken inside a member: still the body's syntax, so no field is named
    // (naming the member reached pointed at the wrong place); the position does.
    let access = ts.access_token().await;
    let (status, _, error) = data_api_error(
        post_raw(
            &ts,
            "/data/personal/institution-data",
            Some(&access),
            r#"{"taxId":"52998224725","consentId":["c_1", ]}"#,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("INVALID_FIELD"))
    );
    assert!(error["field"].is_null(), "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("line 1, column 44"),
        "{error}"
    );

    // Cut short: where it ended.
    let (status, _, error) =
        data_api_error(post_raw(&ts, "/data/v1/auth", None, r#"{"accessKey": "#).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("INVALID_FIELD"))
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("line 1, column 14"),
        "{error}"
    );

    // Not an object at all: no field to name.
    let (status, _, error) =
        data_api_error(post_raw(&ts, "/data/v1/auth", None, "[1, 2]").await).await;
    assert_eq!(
        (status, error["code"].as_str(), &error["field"]),
        (400, Some("INVALID_FIELD"), &Value::Null)
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("must be a JSON object"),
        "{error}"
    );

    // A member of the wrong type keeps naming its path, as it always did.
    let (status, _, error) = data_api_error(
        post_raw(
            &ts,
            "/data/personal/institution-data",
            Some(&access),
            r#"{"consentId": ["c_1", 7]}"#,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (400, Some("INVALID_FIELD"), Some("consentId[1]"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_and_query_rejections() {
    let ts = support::spawn(Db::Sqlite).await;
    let access = ts.access_token().await;

    // %FF is not UTF-8 once decoded.
    let (status, _, error) =
        data_api_error(send(&ts, Method::GET, "/data/v1/consents/%FF", Some(&access)).await).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (400, Some("INVALID_FIELD"), Some("consentId"))
    );

    let (status, _, error) = data_api_error(
        send(
            &ts,
            Method::GET,
            "/data/v1/webhooks/messages?status=dead&status=pending",
            Some(&access),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("INVALID_FIELD"))
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("duplicate field `status`"),
        "{error}"
    );

    let (status, _, error) = data_api_error(
        send(
            &ts,
            Method::GET,
            "/data/v1/reports/r_1/download?expires=1&expires=2",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("INVALID_FIELD"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_html_and_the_sandbox_banks_their_own_shape() {
    let ts = support::spawn(Db::Sqlite).await;
    for (method, path, status) in [
        (Method::POST, "/link", 405),
        (Method::GET, "/docs/nowhere", 404),
        (Method::DELETE, "/demo", 405),
    ] {
        let resp = send(&ts, method, path, None).await;
        assert_eq!(resp.status().as_u16(), status, "{path}");
        let content_type = resp.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        assert!(resp.text().await.unwrap().contains("<h1>"), "{path}");
    }

    // An Open Finance Brasil institution keeps its specification's error body.
    let (status, body) = ts.get("/sandbox/banks/itau/no-such-api", None).await;
    assert_eq!(status, 404);
    assert!(
        body["errors"].is_array() && body.get("error").is_none(),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_root_says_where_to_go() {
    let ts = support::spawn(Db::Sqlite).await;
    let (status, index) = ts.get("/", None).await;
    assert_eq!(status, 200, "{index}");
    assert_eq!(index["name"], "Ponte");
    assert_eq!(index["version"], env!("CARGO_PKG_VERSION"));
    for (link, path) in [
        ("docs", "/docs"),
        ("openapi", "/openapi.json"),
        ("health", "/healthz"),
    ] {
        assert_eq!(index["links"][link], ts.url(path), "{index}");
        let resp = ts
            .http
            .get(index["links"][link].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{link} answers");
    }

    // A browser is sent to the reference.
    let resp = ts
        .http
        .get(ts.url("/"))
        .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()[LOCATION], "/docs");
}
