//! A browser signed in to the console, over HTTP: its cookies and CSRF
//! token, for the console's integration tests.

use super::TestServer;
use ponte_server::services::console::{self, Password};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

/// A console user of `client_id`, or an operator with `None`.
pub async fn console_user(ts: &TestServer, email: &str, client_id: Option<&str>) {
    console::create_user(
        ts.app(),
        email,
        client_id,
        Some(Password::parse(PASSWORD).unwrap()),
    )
    .await
    .expect("console user");
}

/// Signs in with `password`: the status, the `Set-Cookie` values and the body.
pub async fn sign_in(ts: &TestServer, email: &str, password: &str) -> (u16, Vec<String>, Value) {
    let resp = ts
        .http
        .post(ts.url("/console/api/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    (status, cookies, resp.json().await.unwrap_or(Value::Null))
}

/// The browser a successful sign-in leaves: its cookies and CSRF token.
pub fn browser(cookies: &[String], body: &Value) -> Browser {
    let cookie = cookies
        .iter()
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    Browser {
        cookie,
        csrf: body["csrfToken"].as_str().unwrap().to_string(),
    }
}

pub async fn signed_in(ts: &TestServer, email: &str) -> Browser {
    let (status, cookies, body) = sign_in(ts, email, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    browser(&cookies, &body)
}

impl Browser {
    pub async fn call(
        &self,
        ts: &TestServer,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        csrf: bool,
    ) -> (u16, Value) {
        let mut req = ts
            .http
            .request(method, ts.url(path))
            .header("cookie", &self.cookie);
        if csrf {
            req = req.header("x-csrf-token", &self.csrf);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
    pub async fn get(&self, ts: &TestServer, path: &str) -> (u16, Value) {
        self.call(ts, reqwest::Method::GET, path, None, false).await
    }
    pub async fn post(&self, ts: &TestServer, path: &str, body: Value) -> (u16, Value) {
        self.call(ts, reqwest::Method::POST, path, Some(body), true)
            .await
    }
    pub async fn put(&self, ts: &TestServer, path: &str, body: Value) -> (u16, Value) {
        self.call(ts, reqwest::Method::PUT, path, Some(body), true)
            .await
    }
}
