//! What the console's API makes of a request before its handler runs, each
//! refusal in the console's envelope: a sign-in from another site, a body
//! that is not the JSON it reads, the sandbox tools outside sandbox mode,
//! and paths it does not serve.

use crate::support;

use serde_json::{json, Value};
use support::console::{console_user, signed_in};
use support::{Db, TestServer};

/// POSTs `body` as it is, with `headers`: (status, JSON answer).
async fn post_raw(
    ts: &TestServer,
    path: &str,
    headers: &[(&str, &str)],
    body: &'static str,
) -> (u16, Value) {
    let mut req = ts
        .http
        .post(ts.url(path))
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

both!(
    a_sign_in_is_checked_for_its_site_then_its_body,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        // Another site may not sign anyone in, whatever it sends.
        for site in ["cross-site", "same-site"] {
            for path in ["/console/api/session", "/console/api/session/link"] {
                let (status, err) =
                    post_raw(&ts, path, &[("sec-fetch-site", site)], "{broken").await;
                assert_eq!(
                    (status, &err["error"]["code"]),
                    (403, &json!("CSRF")),
                    "{site} {path}: {err}"
                );
            }
        }
        // The console's own page: a member of the wrong type is named.
        let (status, err) = post_raw(
            &ts,
            "/console/api/session",
            &[("sec-fetch-site", "same-origin")],
            r#"{"email": 5, "password": "x"}"#,
        )
        .await;
        assert_eq!(status, 400, "{err}");
        assert_eq!(
            err["error"],
            json!({"code": "INVALID_FIELD", "field": "email", "message": "email: must be a string, not an integer"})
        );
        // Broken JSON names no member, and says where it breaks.
        let (status, err) = post_raw(&ts, "/console/api/session/link", &[], r#"{"token": "#).await;
        assert_eq!(
            (status, &err["error"]["code"]),
            (400, &json!("INVALID_FIELD"))
        );
        assert_eq!(err["error"]["field"], Value::Null, "{err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("the body is not valid JSON at line 1"),
            "{message}"
        );
        // An array is not the object it reads.
        let (status, err) = post_raw(&ts, "/console/api/session", &[], "[]").await;
        assert_eq!(
            (status, &err["error"]["message"]),
            (400, &json!("the body must be a JSON object"))
        );
    }
);

both!(
    a_signed_in_change_names_the_member_of_the_wrong_type,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;
        for (method, path, body, field, message) in [
            (
                reqwest::Method::PUT,
                "/console/api/settings/branding",
                json!({"primaryColor": ["#fff"]}),
                "primaryColor",
                "primaryColor: must be a string, not a JSON array",
            ),
            (
                reqwest::Method::PUT,
                "/console/api/settings/webhooks",
                json!({"autoDelivery": "yes"}),
                "autoDelivery",
                "autoDelivery: must be true or false, not a string",
            ),
            (
                reqwest::Method::POST,
                "/console/api/webhooks/replay",
                json!({"since": 7}),
                "since",
                "since: must be a string, not an integer",
            ),
            (
                reqwest::Method::POST,
                "/console/api/webhooks/endpoints/enable",
                json!({"url": {}}),
                "url",
                "url: must be a string, not a JSON object",
            ),
            (
                reqwest::Method::POST,
                "/console/api/webhooks/test",
                json!({"url": false}),
                "url",
                "url: must be a string, not true or false",
            ),
            (
                reqwest::Method::POST,
                "/console/api/sandbox/links",
                json!({"email": 1}),
                "email",
                "email: must be a string, not an integer",
            ),
        ] {
            let (status, err) = b.call(&ts, method, path, Some(body), true).await;
            assert_eq!(status, 400, "{path}: {err}");
            assert_eq!(
                err["error"],
                json!({"code": "INVALID_FIELD", "field": field, "message": message}),
                "{path}"
            );
        }
        // The session is checked before the body is read.
        let (status, err) = post_raw(&ts, "/console/api/webhooks/replay", &[], "{broken").await;
        assert_eq!((status, &err["error"]["code"]), (401, &json!("SIGNED_OUT")));
    }
);

both!(
    outside_sandbox_mode_the_sandbox_tools_do_not_exist,
    |db: Db| async move {
        let ts = support::spawn_with(
            db,
            support::Options {
                env: vec![("PONTE_SANDBOX", "false".into())],
                ..Default::default()
            },
        )
        .await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let paths = [
            "/console/api/sandbox/links",
            "/console/api/sandbox/consents/x/authorise",
            "/console/api/sandbox/consents/x/revoke-at-institution",
        ];
        for path in paths {
            // Signed out is said first.
            let (status, err) = post_raw(&ts, path, &[], "{}").await;
            assert_eq!(
                (status, &err["error"]["code"]),
                (401, &json!("SIGNED_OUT")),
                "{path}"
            );
        }
        let b = signed_in(&ts, "ana@example.com").await;
        for path in paths {
            // Not found, whatever the body: it is never read.
            let (status, err) = b.post(&ts, path, json!({"email": 1, "username": 2})).await;
            assert_eq!(status, 404, "{path}: {err}");
            assert_eq!(err["error"]["code"], "NOT_FOUND", "{path}");
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_console_paths_answer_in_the_console_s_shapes() {
    let ts = support::spawn(Db::Sqlite).await;
    // The API answers JSON in its envelope.
    let (status, err) = ts.get("/console/api/no-such-thing", None).await;
    assert_eq!(
        (status, &err["error"]["code"]),
        (404, &json!("NOT_FOUND")),
        "{err}"
    );
    let resp = ts
        .http
        .delete(ts.url("/console/api/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["error"]["code"], "INVALID_REQUEST", "{err}");
    // Its pages answer a page.
    let resp = ts
        .http
        .get(ts.url("/console/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
}
