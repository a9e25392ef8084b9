//! The console's sign-in and API over HTTP: cookie attributes, CSRF,
//! throttling, one client's view only, replay and secret rotation.

use crate::support;

use ponte_server::services::console;
use serde_json::{json, Value};
use std::time::Duration;
use support::console::{browser, console_user, sign_in, signed_in, Browser, PASSWORD};
use support::{Db, Receiver, TestServer};

both!(
    sign_in_sets_a_strict_http_only_cookie_and_changes_need_the_csrf_token,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "Ana@Example.com", Some(&ts.client.client_id)).await;
        let (status, cookies, body) = sign_in(&ts, "ana@example.com", PASSWORD).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["user"]["clientId"], ts.client.client_id.as_str());
        let session = cookies
            .iter()
            .find(|c| c.starts_with("ponte_console="))
            .expect("session cookie");
        for attr in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
            assert!(session.contains(attr), "{attr} missing: {session}");
        }
        assert!(!session.contains("Secure"), "plain http: {session}");
        let csrf_cookie = cookies
            .iter()
            .find(|c| c.starts_with("ponte_console_csrf="))
            .expect("csrf cookie");
        assert!(!csrf_cookie.contains("HttpOnly"), "the page reads it");
        let b = browser(&cookies, &body);

        // Reading needs only the cookie; without it, nothing.
        let (status, me) = b.get(&ts, "/console/api/session").await;
        assert_eq!((status, &me["csrfToken"]), (200, &json!(b.csrf)));
        let (status, err) = ts.get("/console/api/overview", None).await;
        assert_eq!((status, &err["error"]["code"]), (401, &json!("SIGNED_OUT")));

        // A change without the token (or with a wrong one) is refused and changes nothing.
        for token in [None, Some("csrf_wrong")] {
            let mut req = ts
                .http
                .post(ts.url("/console/api/settings/rotate-secret"))
                .header("cookie", &b.cookie);
            if let Some(t) = token {
                req = req.header("x-csrf-token", t);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status().as_u16(), 403);
            let err: Value = resp.json().await.unwrap();
            assert_eq!(err["error"]["field"], "X-CSRF-Token");
        }

        // Signing out ends the session for good.
        let (status, _) = b
            .call(
                &ts,
                reqwest::Method::DELETE,
                "/console/api/session",
                None,
                true,
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = b.get(&ts, "/console/api/session").await;
        assert_eq!(status, 401);
    }
);

both!(https_public_urls_get_secure_cookies, |db: Db| async move {
    let ts = support::spawn_with(
        db,
        support::Options {
            env: vec![("PONTE_PUBLIC_URL", "https://ponte.example.com".into())],
            ..Default::default()
        },
    )
    .await;
    console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
    let (status, cookies, _) = sign_in(&ts, "ana@example.com", PASSWORD).await;
    assert_eq!(status, 200);
    assert!(
        cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
});

both!(
    failed_sign_ins_are_throttled_per_email,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        console_user(&ts, "bia@example.com", Some(&ts.client.client_id)).await;
        let (status, _, body) = sign_in(&ts, "nobody@example.com", PASSWORD).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (401, &json!("INVALID_CREDENTIALS"))
        );
        for _ in 0..10 {
            let (status, _, _) = sign_in(&ts, "ana@example.com", "wrong password!!").await;
            assert_eq!(status, 401);
        }
        let resp = ts
            .http
            .post(ts.url("/console/api/session"))
            .json(&json!({"email": "ana@example.com", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 429, "even the right password waits");
        assert!(resp.headers().get("retry-after").is_some());
        let (status, _, _) = sign_in(&ts, "bia@example.com", PASSWORD).await;
        assert_eq!(status, 200, "another user is not locked out");
        ts.clock.advance(Duration::from_secs(61));
        let (status, _, _) = sign_in(&ts, "ana@example.com", PASSWORD).await;
        assert_eq!(status, 200, "the window passed");
        let (status, _, body) = sign_in(&ts, "", PASSWORD).await;
        assert_eq!((status, &body["error"]["field"]), (400, &json!("email")));
    }
);

both!(a_sign_in_link_works_once, |db: Db| async move {
    let ts = support::spawn(db).await;
    let made = console::create_user(
        ts.app(),
        "ana@example.com",
        Some(&ts.client.client_id),
        None,
    )
    .await
    .unwrap();
    let token = made.sign_in_token.expect("a link without a password");
    let url = console::sign_in_url(ts.app(), &token);
    assert!(url.starts_with(&ts.url("/console/signin#token=")), "{url}");
    let (status, body) = ts
        .post("/console/api/session/link", None, json!({"token": token}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["csrfToken"].is_string());
    let (status, body) = ts
        .post("/console/api/session/link", None, json!({"token": token}))
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("INVALID_TOKEN"))
    );
    let (status, _, _) = sign_in(&ts, "ana@example.com", "").await;
    assert_eq!(
        status, 400,
        "no password set: the password field is required"
    );
});

both!(
    a_console_user_sees_only_their_clients_connections,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let access = ts.access_token().await;
        let (link_id, link_token) = ts.link(&access, json!({})).await;
        let (consent_id, _) = ts
            .consent(&link_token, json!({"externalTrackId": "track-ana"}))
            .await;
        let other_access = ts.another_client_access().await;
        let (_, other_link) = ts.link(&other_access, json!({})).await;
        let (other_consent, _) = ts.consent(&other_link, json!({})).await;

        let b = signed_in(&ts, "ana@example.com").await;
        let (status, list) = b.get(&ts, "/console/api/connections").await;
        assert_eq!(status, 200, "{list}");
        let data = list["data"].as_array().unwrap();
        assert_eq!(data.len(), 1, "{list}");
        assert_eq!(data[0]["consentId"], consent_id.as_str());
        assert_eq!(data[0]["linkId"], link_id.as_str());
        assert_eq!(data[0]["personalTaxId"], "***.982.247-**");
        // The institution by the name its users know, not its slug.
        let code = data[0]["institutionCode"].as_str().unwrap();
        let name = &ts.app().directory.get(code).unwrap().name;
        assert_eq!(data[0]["institutionName"], name.as_str());
        assert_ne!(name, code);
        assert!(
            !list.to_string().contains("529.982.247-25")
                && !list.to_string().contains("52998224725")
        );

        for q in [
            "taxId=529.982.247-25",
            "externalTrackId=track-ana",
            "status=awaiting_authorisation",
        ] {
            let (_, found) = b.get(&ts, &format!("/console/api/connections?{q}")).await;
            assert_eq!(found["data"].as_array().unwrap().len(), 1, "{q}: {found}");
        }
        let (_, none) = b
            .get(&ts, "/console/api/connections?taxId=11144477735")
            .await;
        assert_eq!(none["data"].as_array().unwrap().len(), 0);
        let (status, err) = b.get(&ts, "/console/api/connections?taxId=123").await;
        assert_eq!((status, &err["error"]["field"]), (400, &json!("taxId")));
        let (status, err) = b.get(&ts, "/console/api/connections?from=yesterday").await;
        assert_eq!((status, &err["error"]["field"]), (400, &json!("from")));

        let (status, detail) = b
            .get(&ts, &format!("/console/api/connections/{consent_id}"))
            .await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(
            detail["statusHistory"][0]["status"],
            "AWAITING_AUTHORISATION"
        );

        // Another client's objects do not exist for this user.
        let (status, _) = b
            .get(&ts, &format!("/console/api/connections/{other_consent}"))
            .await;
        assert_eq!(status, 404);
        let (status, _) = b
            .post(
                &ts,
                &format!("/console/api/connections/{other_consent}/revoke"),
                json!({}),
            )
            .await;
        assert_eq!(status, 404);
        let (_, other_view) = ts
            .get(
                &format!("/data/v1/consents/{other_consent}"),
                Some(&other_access),
            )
            .await;
        assert_eq!(other_view["status"], "AWAITING_AUTHORISATION", "untouched");
        let (_, msgs) = b.get(&ts, "/console/api/webhooks/messages").await;
        assert_eq!(
            msgs["data"].as_array().unwrap().len(),
            1,
            "its own consent's message, not the other client's: {msgs}"
        );

        // Revoking its own goes through the Data API's rules.
        let (status, revoked) = b
            .post(
                &ts,
                &format!("/console/api/connections/{consent_id}/revoke"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{revoked}");
        assert_eq!(revoked["status"], "REJECTED", "never authorised: rejected");

        let (status, overview) = b.get(&ts, "/console/api/overview").await;
        assert_eq!(status, 200, "{overview}");
        let today =
            |series: &str, label: &str| overview[series]["counts"][label][29].as_i64().unwrap();
        assert_eq!(today("links", "created"), 1);
        assert_eq!(today("consents", "REJECTED"), 1);
        // The consent passed through AWAITING_AUTHORISATION, but now it is
        // rejected: it counts once, where it is (the other client's not at all).
        assert_eq!(
            overview["consentsNow"],
            json!({"AWAITING_AUTHORISATION": 0, "AUTHORISED": 0, "REJECTED": 1, "EXPIRED": 0, "REVOKED": 0})
        );
        assert_eq!(
            overview["institutions"],
            json!([{"code": code, "name": name, "consents": 1}])
        );
    }
);

both!(
    replay_from_the_console_makes_a_new_attempt,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        receiver.answers.lock().unwrap().extend([500; 20]);
        let ts = support::spawn_with(
            db,
            support::Options {
                retry_schedule: "1s",
                webhook_url: Some(receiver.url.clone()),
                ..Default::default()
            },
        )
        .await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        let dead = poll(&b, &ts, "/console/api/webhooks/messages?status=dead", |v| {
            !v["data"].as_array().unwrap().is_empty()
        })
        .await;
        let id = dead["data"][0]["id"].as_str().unwrap().to_string();
        let (_, before) = b
            .get(&ts, &format!("/console/api/webhooks/messages/{id}"))
            .await;
        let attempts = before["attemptHistory"].as_array().unwrap().len();
        assert!(attempts >= 1, "{before}");
        assert_eq!(before["attemptHistory"][0]["statusCode"], 500);

        receiver.answers.lock().unwrap().clear();
        let (status, replayed) = b
            .post(
                &ts,
                &format!("/console/api/webhooks/messages/{id}/replay"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{replayed}");
        let after = poll(
            &b,
            &ts,
            &format!("/console/api/webhooks/messages/{id}"),
            |v| v["status"] == "delivered",
        )
        .await;
        let history = after["attemptHistory"].as_array().unwrap();
        assert_eq!(history.len(), attempts + 1, "{after}");
        assert_eq!(history[attempts]["statusCode"], 200);

        // Latency of the month's attempts: p50 and p95 both, in order.
        let (_, overview) = b.get(&ts, "/console/api/overview").await;
        let l = &overview["webhookLatency"];
        let (p50, p95) = (l["p50"].as_i64(), l["p95"].as_i64());
        assert!(
            matches!((p50, p95), (Some(a), Some(b)) if 0 <= a && a <= b),
            "{overview}"
        );

        let (status, err) = b
            .post(
                &ts,
                "/console/api/webhooks/replay",
                json!({"since": "last week"}),
            )
            .await;
        assert_eq!((status, &err["error"]["field"]), (400, &json!("since")));
        let (status, bulk) = b
            .post(
                &ts,
                "/console/api/webhooks/replay",
                json!({"since": "2020-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!((status, &bulk["replayed"]), (200, &json!(0)), "{bulk}");
        let (status, filtered) = b
            .get(&ts, "/console/api/webhooks/messages?event=REPORT_READY")
            .await;
        assert_eq!(status, 200);
        assert!(filtered["data"].as_array().unwrap().is_empty());
    }
);

both!(
    rotating_the_secret_shows_it_once_and_the_old_one_keeps_working,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;
        let (status, rotated) = b
            .post(&ts, "/console/api/settings/rotate-secret", json!({}))
            .await;
        assert_eq!(status, 200, "{rotated}");
        let new_secret = rotated["apiSecret"].as_str().unwrap().to_string();
        assert_ne!(new_secret, ts.client.api_secret);
        let (_, settings) = b.get(&ts, "/console/api/settings").await;
        assert!(
            !settings.to_string().contains(&new_secret),
            "shown only once"
        );
        for secret in [&ts.client.api_secret, &new_secret] {
            let (status, body) = ts
                .post(
                    "/data/v1/auth",
                    None,
                    json!({"accessKey": ts.client.api_key, "secretKey": secret}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }

        let (status, branding) = b
            .call(
                &ts,
                reqwest::Method::PUT,
                "/console/api/settings/branding",
                Some(json!({"primaryColor": "#7c3aed", "displayName": "Acme"})),
                true,
            )
            .await;
        assert_eq!(status, 200, "{branding}");
        assert_eq!(branding["widgetColor"], "#7c3aed");
        let (status, err) = b
            .call(
                &ts,
                reqwest::Method::PUT,
                "/console/api/settings/branding",
                Some(json!({"primaryColor": "teal"})),
                true,
            )
            .await;
        assert_eq!(
            (status, &err["error"]["field"]),
            (400, &json!("primaryColor"))
        );
    }
);

async fn poll(b: &Browser, ts: &TestServer, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..600 {
        let (status, v) = b.get(ts, path).await;
        assert_eq!(status, 200, "{v}");
        if done(&v) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out polling {path}");
}

both!(
    sandbox_tools_open_links_and_play_the_end_user,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;
        let (status, link) = b
            .post(
                &ts,
                "/console/api/sandbox/links",
                json!({"personalTaxId": "529.982.247-25"}),
            )
            .await;
        assert_eq!(status, 200, "{link}");
        assert!(
            link["linkUrl"]
                .as_str()
                .unwrap()
                .starts_with(&ts.url("/link?v=")),
            "{link}"
        );
        let (status, err) = b
            .post(
                &ts,
                "/console/api/sandbox/links",
                json!({"personalTaxId": "123"}),
            )
            .await;
        assert_eq!(
            (status, &err["error"]["field"]),
            (400, &json!("personalTaxId"))
        );

        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (consent_id, _) = ts.consent(&link_token, json!({})).await;
        let (status, done) = b
            .post(
                &ts,
                &format!("/console/api/sandbox/consents/{consent_id}/authorise"),
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["status"], "AUTHORISED");
        let (status, _) = b
            .post(
                &ts,
                "/console/api/sandbox/consents/not-a-consent/authorise",
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 404);
    }
);
