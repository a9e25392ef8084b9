//! The console's later tools over HTTP, on both databases: "send a test
//! event", editable webhook settings, and the operator's client picker.

use crate::support;

use ponte_server::services::clients;
use serde_json::{json, Value};
use support::console::{console_user, signed_in};
use support::signatures::verify;
use support::{Db, Receiver};

both!(
    a_test_event_arrives_signed_and_stays_out_of_the_delivery_log,
    |db: Db| async move {
        let (ts, receiver) = support::spawn_receiving(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;

        // No URL given: the client's own webhook URL.
        let (status, done) = b.post(&ts, "/console/api/webhooks/test", json!({})).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["delivered"], true, "{done}");
        assert_eq!(done["statusCode"], 200);
        assert_eq!(done["url"], receiver.url.as_str());
        let received = receiver.received.lock().unwrap().clone();
        assert_eq!(received.len(), 1);
        let (headers, body) = &received[0];
        assert!(
            verify(&ts.client.webhook_secret, headers, body),
            "{headers:?}"
        );
        assert_eq!(headers["webhook-id"], done["webhookId"].as_str().unwrap());
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["event"], "TEST");
        assert_eq!(event["clientId"], ts.client.client_id.as_str());

        // Another URL, whose receiver fails: the answer is shown, not retried.
        let failing = Receiver::start().await;
        failing.answers.lock().unwrap().push(503);
        let (status, done) = b
            .post(
                &ts,
                "/console/api/webhooks/test",
                json!({"url": failing.url}),
            )
            .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(
            (done["delivered"].clone(), done["statusCode"].clone()),
            (json!(false), json!(503))
        );
        // Nothing listens on port 9 of loopback: the error in words.
        let (status, done) = b
            .post(
                &ts,
                "/console/api/webhooks/test",
                json!({"url": "http://127.0.0.1:9/hook"}),
            )
            .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["statusCode"], Value::Null);
        assert!(
            done["error"]
                .as_str()
                .unwrap()
                .contains("could not connect"),
            "{done}"
        );

        let (status, err) = b
            .post(
                &ts,
                "/console/api/webhooks/test",
                json!({"url": "not a url"}),
            )
            .await;
        assert_eq!(
            (status, &err["error"]["field"]),
            (400, &json!("url")),
            "{err}"
        );
        // CSRF-checked like every change.
        let (status, _) = b
            .call(
                &ts,
                reqwest::Method::POST,
                "/console/api/webhooks/test",
                Some(json!({})),
                false,
            )
            .await;
        assert_eq!(status, 403);

        let (status, log) = b.get(&ts, "/console/api/webhooks/messages").await;
        assert_eq!(status, 200, "{log}");
        assert_eq!(
            log["data"],
            json!([]),
            "a test event is not the client's data"
        );
        assert_eq!(failing.received.lock().unwrap().len(), 1, "sent once");
    }
);

both!(
    a_test_event_to_a_refused_url_names_the_field,
    |db: Db| async move {
        let ts = support::spawn_with(
            db,
            support::Options {
                private_webhooks: false,
                ..Default::default()
            },
        )
        .await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;
        for url in [
            "https://127.0.0.1/hook",
            "https://169.254.169.254/latest",
            "http://example.com/hook",
        ] {
            let (status, err) = b
                .post(&ts, "/console/api/webhooks/test", json!({"url": url}))
                .await;
            assert_eq!(
                (status, &err["error"]["field"]),
                (400, &json!("url")),
                "{url}: {err}"
            );
        }
        // The client has no webhook URL: say so, on the field to fill.
        let (status, err) = b.post(&ts, "/console/api/webhooks/test", json!({})).await;
        assert_eq!(
            (status, &err["error"]["field"]),
            (400, &json!("url")),
            "{err}"
        );
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("no webhook URL"),
            "{err}"
        );
    }
);

both!(
    webhook_urls_and_auto_delivery_are_editable_and_checked,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let b = signed_in(&ts, "ana@example.com").await;
        let (status, s) = b.get(&ts, "/console/api/settings").await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(
            (s["webhookUrl"].clone(), s["autoDelivery"].clone()),
            (Value::Null, json!(false))
        );

        let (status, next) = b
            .put(
                &ts,
                "/console/api/settings/webhooks",
                json!({"webhookUrl": "https://hooks.example.com/ponte", "reportWebhookUrl": "https://hooks.example.com/reports", "autoDelivery": true}),
            )
            .await;
        assert_eq!(status, 200, "{next}");
        let (_, s) = b.get(&ts, "/console/api/settings").await;
        assert_eq!(s["webhookUrl"], "https://hooks.example.com/ponte");
        assert_eq!(s["reportWebhookUrl"], "https://hooks.example.com/reports");
        assert_eq!(s["autoDelivery"], true);

        // An empty URL clears it; an absent one is kept.
        let (status, next) = b
            .put(
                &ts,
                "/console/api/settings/webhooks",
                json!({"reportWebhookUrl": ""}),
            )
            .await;
        assert_eq!(status, 200, "{next}");
        assert_eq!(next["reportWebhookUrl"], Value::Null);
        assert_eq!(next["webhookUrl"], "https://hooks.example.com/ponte");
        assert_eq!(next["autoDelivery"], true);

        for (body, field) in [
            (
                json!({"webhookUrl": "ftp://hooks.example.com"}),
                "webhookUrl",
            ),
            (json!({"reportWebhookUrl": "not a url"}), "reportWebhookUrl"),
            (json!({"autoDelivery": "yes"}), "autoDelivery"),
        ] {
            let (status, err) = b.put(&ts, "/console/api/settings/webhooks", body).await;
            assert_eq!(
                (status, &err["error"]["field"]),
                (400, &json!(field)),
                "{err}"
            );
        }
        let (status, _) = b
            .call(
                &ts,
                reqwest::Method::PUT,
                "/console/api/settings/webhooks",
                Some(json!({"autoDelivery": false})),
                false,
            )
            .await;
        assert_eq!(status, 403, "no CSRF token, no change");
        let (_, s) = b.get(&ts, "/console/api/settings").await;
        assert_eq!(s["autoDelivery"], true);
    }
);

both!(
    an_operator_picks_any_client_and_a_client_user_cannot,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let other = clients::create(
            ts.app(),
            clients::parse_new_client("Zeta Crédito", None, None, false).unwrap(),
        )
        .await
        .unwrap();
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (consent_id, _) = ts.consent(&link_token, json!({})).await;

        console_user(&ts, "ops@example.com", None).await;
        console_user(&ts, "ana@example.com", Some(&ts.client.client_id)).await;
        let op = signed_in(&ts, "ops@example.com").await;
        let (status, list) = op.get(&ts, "/console/api/clients").await;
        assert_eq!(status, 200, "{list}");
        let ids: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["clientId"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&ts.client.client_id.as_str()) && ids.contains(&other.client_id.as_str()),
            "{list}"
        );
        let (_, found) = op.get(&ts, "/console/api/clients?q=zeta").await;
        assert_eq!(found["data"].as_array().unwrap().len(), 1, "{found}");
        assert_eq!(found["data"][0]["name"], "Zeta Crédito");

        // Until a client is picked, pages ask for one.
        let (status, err) = op.get(&ts, "/console/api/overview").await;
        assert_eq!(
            (status, &err["error"]["field"]),
            (400, &json!("clientId")),
            "{err}"
        );
        let mine = &ts.client.client_id;
        let theirs = &other.client_id;
        let (status, s) = op
            .get(&ts, &format!("/console/api/settings?clientId={theirs}"))
            .await;
        assert_eq!(
            (status, s["name"].clone()),
            (200, json!("Zeta Crédito")),
            "{s}"
        );
        let (status, _) = op
            .get(
                &ts,
                &format!("/console/api/connections/{consent_id}?clientId={mine}"),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = op
            .get(
                &ts,
                &format!("/console/api/connections/{consent_id}?clientId={theirs}"),
            )
            .await;
        assert_eq!(status, 404, "scoped to the client picked");
        let (status, _) = op
            .get(&ts, "/console/api/settings?clientId=no-such-client")
            .await;
        assert_eq!(status, 404);
        // Changes act for the client picked.
        let (status, next) = op
            .put(
                &ts,
                &format!("/console/api/settings/webhooks?clientId={theirs}"),
                json!({"autoDelivery": true}),
            )
            .await;
        assert_eq!(status, 200, "{next}");
        let (_, s) = op
            .get(&ts, &format!("/console/api/settings?clientId={mine}"))
            .await;
        assert_eq!(s["autoDelivery"], false);

        // A client's user has no picker, and naming another client changes nothing.
        let ana = signed_in(&ts, "ana@example.com").await;
        let (status, _) = ana.get(&ts, "/console/api/clients").await;
        assert_eq!(status, 404);
        let (status, s) = ana
            .get(&ts, &format!("/console/api/settings?clientId={theirs}"))
            .await;
        assert_eq!((status, s["clientId"].clone()), (200, json!(mine.as_str())));
        let (status, _) = ana
            .get(&ts, &format!("/console/api/connections/{consent_id}"))
            .await;
        assert_eq!(status, 200);
    }
);
