//! Errors that point at the right thing, in every dialect: broken JSON names
//! the body (not whichever member the parser was reading), a wrong type is
//! said in the dialect's words naming the member and the JSON kind expected,
//! a Bearer token on an HTTP Basic endpoint says what to send instead, and a
//! portal login the end user declined is their outcome (403 `declined`).

use crate::support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{Db, TestServer};

async fn raw(
    ts: &TestServer,
    method: Method,
    path: &str,
    auth: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut req = ts
        .http
        .request(method, ts.url(path))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {status} {text}")),
    )
}

/// No serde internals reach an integrator.
fn assert_plain(message: &str) {
    for internal in ["sequence", "invalid type", "struct ", "i64", "u64"] {
        assert!(!message.contains(internal), "{internal:?} in {message:?}");
    }
}

both!(
    broken_json_names_the_body_in_every_dialect,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let bearer = format!("Bearer {access}");
        // Data API: cut off after a member.
        let (status, v) = raw(
            &ts,
            Method::POST,
            "/data/v1/links",
            Some(&bearer),
            r#"{"personalTaxId": "529.982.247-25","#,
        )
        .await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"]["field"], Value::Null, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("the body is not valid JSON"),
            "{v}"
        );
        // Documents API: broken after api_key.
        let (status, v) = raw(
            &ts,
            Method::POST,
            "/api/token",
            None,
            r#"{"api_key": "k" "api_secret": "s"}"#,
        )
        .await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"]["field"], Value::Null, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("the body is not valid JSON"),
            "{v}"
        );
        // Server API: broken inside xcUserID's value names no parameter number.
        let key = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{}:{}", ts.client.api_key, ts.client.api_secret),
        );
        let resp = ts
            .http
            .post(ts.url("/v1/server/auth_ticket/request"))
            .header("Server-Key", key)
            .header("content-type", "application/json")
            .body(r#"{"userPlatform": "android", "xcUserID": "6",  "#)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 400);
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["error"]["code"], "40002", "{v}");
        assert_ne!(v["error"]["field"], "105", "{v}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("body"),
            "{v}"
        );
    }
);

both!(a_wrong_type_is_named_in_plain_words, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (link_id, _) = ts.link(&access, json!({})).await;
    let (status, v) = ts
        .post(
            "/data/personal/institution-data",
            Some(&access),
            json!({"taxId": "529.982.247-25", "linkId": link_id, "products": "accounts"}),
        )
        .await;
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["error"]["field"], "products", "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("must be a JSON array, not a string"),
        "{message}"
    );
    assert_plain(message);
    assert!(!message.contains("line 1"), "{message}");

    let (status, v) = ts
        .post("/api/token", None, json!({"api_key": 5, "api_secret": "s"}))
        .await;
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["error"]["field"], "api_key", "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("must be a string, not an integer"),
        "{message}"
    );
    assert_plain(message);
});

both!(
    a_bearer_token_on_a_basic_endpoint_says_what_to_send,
    |db: Db| async move {
        let (ts, _hook) = support::documents::server(db).await;
        let (tok, _) = support::documents::token(&ts, json!({})).await;
        let (status, v) = ts.get("/api/retrievals/1", Some(&tok)).await;
        assert_eq!(status, 401, "{v}");
        assert_eq!(v["error"]["code"], "invalid_credentials", "{v}");
        let message = v["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("use HTTP Basic with api_key:api_secret"),
            "{message}"
        );
    }
);

both!(
    a_declined_portal_login_is_the_end_users_outcome,
    |db: Db| async move {
        let (ts, hook) = support::documents::server(db).await;
        let (tok, _) = support::documents::token(&ts, json!({})).await;
        let (status, v) =
            support::documents::connect(&ts, &tok, "harborline", "user_deny", None).await;
        assert_eq!(status, 403, "{v}");
        assert_eq!(v["error"]["code"], "declined", "{v}");
        let (_, progress) = ts.get("/api/retrievals/current", Some(&tok)).await;
        assert_eq!(progress["status"], "failed", "{progress}");
        let body = support::documents::webhook_for(&hook, progress["id"].as_i64().unwrap()).await;
        assert_eq!(body["status"], "failed", "{body}");
    }
);
