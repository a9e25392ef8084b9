//! Helpers the Server API tests share.

use crate::support::TestServer;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ponte_server::services::clients::NewCredentials;
use serde_json::{json, Value};

pub const TICKET_PATH: &str = "/v1/server/auth_ticket/request";
pub const EXCHANGE_PATH: &str = "/v1/client/auth/access_token/request";
pub const REFRESH_PATH: &str = "/v1/client/auth/access_token/refresh";
pub const LOGOUT_PATH: &str = "/v1/client/auth/logout";
pub const CONNECTIONS_PATH: &str = "/v1/client/connections";

/// The seed's example request, exactly as written.
pub const SEED_REQUEST: &str = r#"{
    "userIPAddress": "182.253.177.234",
    "userAgent": "AdvancedRestClient/12.1.14",
    "userPlatform": "android",
    "userDeviceID": "aaaa-bbbb-cccc-dddd",
    "xcUserID": "6",
    "fullName": "Jony",
    "email": "jony@email.com",
    "phone": "08991234567",
    "username": "jony",
    "photoThumbnailURL": "http://www.example.com/photo/thumb/6.jpg",
    "photoFullsizeURL": "http://www.example.com/photo/full/6.jpg",
    "userRoleCode": "user"
}"#;

pub fn seed() -> Value {
    serde_json::from_str(SEED_REQUEST).unwrap()
}

pub fn server_key(creds: &NewCredentials) -> String {
    STANDARD.encode(format!("{}:{}", creds.api_key, creds.api_secret))
}

/// A raw request: `headers` as given, `body` as bytes.
pub async fn send(
    ts: &TestServer,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Value) {
    let mut req = ts.http.request(method, ts.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{path} did not answer JSON: {status} {text}"));
    (status, value)
}

/// `POST /v1/server/auth_ticket/request` as `creds`' backend.
pub async fn request_ticket_as(
    ts: &TestServer,
    creds: &NewCredentials,
    body: &Value,
) -> (u16, Value) {
    let key = server_key(creds);
    send(
        ts,
        reqwest::Method::POST,
        TICKET_PATH,
        &[("Server-Key", &key)],
        Some(&body.to_string()),
    )
    .await
}

pub async fn request_ticket(ts: &TestServer, body: &Value) -> (u16, Value) {
    request_ticket_as(ts, &ts.client, body).await
}

/// A fresh ticket for `xc_user_id`: (userID, ticket).
pub async fn ticket_for(
    ts: &TestServer,
    creds: &NewCredentials,
    xc_user_id: &str,
) -> (String, String) {
    let mut body = seed();
    body["xcUserID"] = json!(xc_user_id);
    let (status, v) = request_ticket_as(ts, creds, &body).await;
    assert_eq!(status, 200, "{v}");
    (
        v["data"]["userID"].as_str().unwrap().to_string(),
        v["data"]["ticket"].as_str().unwrap().to_string(),
    )
}

pub async fn with_bearer(
    ts: &TestServer,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> (u16, Value) {
    let auth = format!("Bearer {token}");
    send(ts, method, path, &[("Authorization", &auth)], None).await
}

pub async fn exchange(ts: &TestServer, ticket: &str) -> (u16, Value) {
    with_bearer(ts, reqwest::Method::POST, EXCHANGE_PATH, ticket).await
}

/// A signed-in end user of `creds`' client: (userID, session data).
pub async fn session_for(
    ts: &TestServer,
    creds: &NewCredentials,
    xc_user_id: &str,
) -> (String, Value) {
    let (user_id, ticket) = ticket_for(ts, creds, xc_user_id).await;
    let (status, v) = exchange(ts, &ticket).await;
    assert_eq!(status, 200, "{v}");
    (user_id, v["data"].clone())
}

/// Asserts the envelope of a failure: status, code and field.
pub fn assert_refused(got: &(u16, Value), status: u16, code: &str, field: &str) {
    let (s, v) = got;
    assert_eq!(*s, status, "{v}");
    assert_eq!(v["status"], status, "{v}");
    assert_eq!(v["error"]["code"], code, "{v}");
    assert_eq!(v["error"]["field"], field, "{v}");
    assert!(
        !v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{v}"
    );
    assert_eq!(v["data"], json!({}), "{v}");
}

/// The signed-in user opens a link for themselves and authorises a consent
/// at the sandbox bank: (consentID, institution code).
pub async fn connect(ts: &TestServer, access: &str) -> (String, String) {
    let (status, v) = ts
        .post(
            "/v1/client/connections/link",
            Some(access),
            json!({"personalTaxId": "529.982.247-25"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let link_token = v["data"]["linkToken"].as_str().unwrap().to_string();
    assert!(
        v["data"]["linkURL"].as_str().unwrap().contains("/link?v="),
        "{v}"
    );
    let (consent_id, _) = ts.consent(&link_token, json!({})).await;
    let (status, c) = ts
        .authorise(
            &link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(
        (status, c["status"].as_str()),
        (200, Some("AUTHORISED")),
        "{c}"
    );
    (
        consent_id,
        c["institutionCode"].as_str().unwrap().to_string(),
    )
}

pub async fn list(ts: &TestServer, access: &str) -> Vec<Value> {
    let (status, v) = with_bearer(ts, reqwest::Method::GET, CONNECTIONS_PATH, access).await;
    assert_eq!(status, 200, "{v}");
    v["data"]["connections"].as_array().unwrap().clone()
}

pub fn access_of(session: &Value) -> String {
    session["accessToken"].as_str().unwrap().to_string()
}
