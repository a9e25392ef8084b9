//! `/demo`: the sandbox client's webhooks arrive at the demo's receiver,
//! which checks their signature; the page's session sees only its own
//! link's webhooks; the page itself is locked down.

use crate::support;

use ponte_server::workers::dispatcher::sign;
use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, TestServer};

/// Opens a link through the demo's backend as its page would; returns the
/// session cookie (`name=value`), the link id and the link token.
async fn open_demo(ts: &TestServer) -> (String, String, String) {
    let resp = ts
        .http
        .post(ts.url("/demo/link"))
        .json(&json!({"cpf": "529.982.247-25"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let body: Value = resp.json().await.unwrap();
    let link_id = body["linkId"].as_str().unwrap().to_string();
    let token = body["linkToken"].as_str().unwrap().to_string();
    (cookie, link_id, token)
}

async fn events(ts: &TestServer, cookie: Option<&str>) -> (u16, Value) {
    let mut req = ts.http.get(ts.url("/demo/events"));
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// Polls the session's webhooks until one of `event` with `status` is there
/// (a generous deadline, not a timing assertion).
async fn wait_for_event(ts: &TestServer, cookie: &str, event: &str, status: &str) -> Value {
    for _ in 0..600 {
        let (code, body) = events(ts, Some(cookie)).await;
        assert_eq!(code, 200, "{body}");
        if let Some(found) = body["webhooks"].as_array().and_then(|all| {
            all.iter()
                .find(|w| w["event"] == event && w["payload"]["status"] == status)
        }) {
            return found.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, seen) = events(ts, Some(cookie)).await;
    panic!("no {event} {status} webhook reached the demo: {seen}");
}

async fn deliver(ts: &TestServer, id: &str, timestamp: i64, signature: &str, body: &str) -> u16 {
    ts.http
        .post(ts.url("/demo/webhooks"))
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both!(
    the_demo_shows_its_own_links_webhooks_signed_by_ponte,
    |db: Db| async move {
        let ts = support::demo::spawn_sandbox(db).await;
        let (cookie, link_id, token) = open_demo(&ts).await;
        let (consent_id, _) = ts.consent(&token, json!({})).await;
        let (status, body) = ts
            .authorise(
                &token,
                &consent_id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");

        // Ponte's dispatcher delivered the consent's webhook to the demo,
        // which checked its signature.
        let changed = wait_for_event(&ts, &cookie, "CONSENT_STATUS_CHANGED", "AUTHORISED").await;
        assert_eq!(changed["verified"], true);
        assert_eq!(changed["payload"]["consentId"], consent_id.as_str());
        assert_eq!(changed["payload"]["linkId"], link_id.as_str());
        assert_eq!(changed["payload"]["status"], "AUTHORISED");

        // The backend asks for the reports; they arrive as REPORT_READY.
        let resp = ts
            .http
            .post(ts.url("/demo/reports"))
            .header("cookie", &cookie)
            .json(&json!({"consentId": consent_id}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let ready = wait_for_event(&ts, &cookie, "REPORT_READY", "SUCCESS").await;
        assert_eq!(ready["verified"], true);
        assert_eq!(ready["payload"]["status"], "SUCCESS", "{ready}");
        let pdf = ready["payload"]["pdfUrl"].as_str().unwrap();
        let resp = ts.http.get(pdf).send().await.unwrap();
        assert_eq!(resp.status(), 200);

        // Another demo session (another link) sees none of it, nor does a
        // browser without one.
        let (other, _, _) = open_demo(&ts).await;
        let (status, body) = events(&ts, Some(&other)).await;
        assert_eq!(
            (status, body["webhooks"].as_array().map(Vec::len)),
            (200, Some(0))
        );
        let (status, body) = events(&ts, None).await;
        assert_eq!(status, 403);
        assert!(!body.to_string().contains(&consent_id), "{body}");
        let (status, _) = events(&ts, Some("ponte_demo_link=forged.token.value")).await;
        assert_eq!(status, 403);
    }
);

both!(
    a_webhook_with_a_forged_signature_is_refused,
    |db: Db| async move {
        let ts = support::demo::spawn_sandbox(db).await;
        let (cookie, link_id, _) = open_demo(&ts).await;
        let now = ts.clock.now_ms() / 1000;
        let body =
            json!({"event": "CONSENT_STATUS_CHANGED", "linkId": link_id, "status": "AUTHORISED"})
                .to_string();
        let forged = sign(
            "whsec_bm90IHRoZSBjbGllbnQncyBzZWNyZXQ=",
            "msg_forged",
            now,
            &body,
        )
        .unwrap();
        assert_eq!(deliver(&ts, "msg_forged", now, &forged, &body).await, 401);
        assert_eq!(
            deliver(&ts, "msg_forged", now, "v1,garbage", &body).await,
            401
        );

        // Signed with the client's own secret: accepted, and shown.
        let good = sign(&ts.client.webhook_secret, "msg_good", now, &body).unwrap();
        let tampered = body.replace("AUTHORISED", "REJECTED");
        assert_eq!(deliver(&ts, "msg_good", now, &good, &tampered).await, 401);
        let stale = sign(&ts.client.webhook_secret, "msg_old", now - 600, &body).unwrap();
        assert_eq!(deliver(&ts, "msg_old", now - 600, &stale, &body).await, 401);
        assert_eq!(deliver(&ts, "msg_good", now, &good, &body).await, 200);

        let (status, shown) = events(&ts, Some(&cookie)).await;
        assert_eq!(status, 200);
        let ids: Vec<&str> = shown["webhooks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|w| w["webhookId"].as_str())
            .collect();
        assert_eq!(ids, ["msg_good"], "only the verified message is shown");
    }
);

both!(
    the_demo_page_runs_the_sdk_under_a_strict_policy,
    |db: Db| async move {
        let ts = support::demo::spawn_sandbox(db).await;
        let page = ts.http.get(ts.url("/demo")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("frame-src 'self'"), "{csp}");
        let html = page.text().await.unwrap();
        assert!(html.contains(r#"<script src="/ponte-link.js">"#), "{html}");
        assert!(!html.contains("<script>"), "no inline script");
        let script = regex::Regex::new(r#"src="(/demo/assets/[0-9a-f]{16}/demo/demo\.js)""#)
            .unwrap()
            .captures(&html)
            .expect("demo.js by version")[1]
            .to_string();
        let js = ts.http.get(ts.url(&script)).send().await.unwrap();
        assert_eq!(js.status(), 200);
        // Its words come from the one catalogue, beside it as it imports it.
        let catalogue = script.replace("/demo/demo.js", "/i18n/en.js");
        let en = ts.http.get(ts.url(&catalogue)).send().await.unwrap();
        assert_eq!(en.status(), 200, "{catalogue}");
        assert!(en
            .text()
            .await
            .unwrap()
            .contains("'demo.connect': 'Connect an account'"));

        // The sandbox client's links may be framed by Ponte's own page.
        let (_, _, token) = open_demo(&ts).await;
        let link = ts
            .http
            .get(ts.url(&format!("/link?v={token}")))
            .send()
            .await
            .unwrap();
        let csp = link.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'self'"), "{csp}");

        let resp = ts
            .http
            .post(ts.url("/demo/link"))
            .json(&json!({"cpf": "529.982.247-24"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["field"], "cpf", "{body}");
    }
);
