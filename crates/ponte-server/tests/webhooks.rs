//! Consent events reach the client's webhook signed as Standard Webhooks, are
//! retried until a 2xx, stop at 410 Gone, and survive a restart.

mod support;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;
use support::{Db, Receiver};

/// An independent Standard Webhooks verifier, written from the specification.
fn verify(secret: &str, headers: &std::collections::BTreeMap<String, String>, body: &str) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let signed = format!(
        "{}.{}.{}",
        headers["webhook-id"], headers["webhook-timestamp"], body
    );
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(signed.as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    headers["webhook-signature"]
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}

/// A consent authorised by `user_good`; returns (linkId, consentId, institutionCode).
async fn authorised_consent(ts: &support::TestServer) -> (String, String, String) {
    let access = ts.access_token().await;
    let (link_id, link_token) = ts.link(&access, json!({})).await;
    let institution = ts.institution(&link_token).await;
    let (consent_id, _) = ts
        .consent(
            &link_token,
            json!({"externalTrackId": "order-7", "institutionCode": institution}),
        )
        .await;
    let (status, _) = ts
        .authorise(
            &link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 200);
    (link_id, consent_id, institution)
}

both!(
    consent_events_are_signed_and_complete,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(receiver.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let (link_id, consent_id, institution) = authorised_consent(&ts).await;
        let bodies = receiver.wait_for("two events", |b| b.len() >= 2).await;
        // Delivery is concurrent: order across messages is not promised.
        let mut statuses: Vec<&str> = bodies
            .iter()
            .map(|b| b["status"].as_str().unwrap())
            .collect();
        statuses.sort();
        assert_eq!(statuses, ["AUTHORISED", "AWAITING_AUTHORISATION"]);
        let authorised = bodies.iter().find(|b| b["status"] == "AUTHORISED").unwrap();
        let created = bodies
            .iter()
            .find(|b| b["status"] == "AWAITING_AUTHORISATION")
            .unwrap();
        assert_eq!(created["previousStatus"], Value::Null);
        assert_eq!(authorised["previousStatus"], "AWAITING_AUTHORISATION");
        for event in [created, authorised] {
            assert_eq!(event["event"], "CONSENT_STATUS_CHANGED", "{event}");
            assert_eq!(event["consentId"], consent_id.as_str(), "{event}");
            assert_eq!(event["linkId"], link_id.as_str(), "{event}");
            assert_eq!(event["externalTrackId"], "order-7", "{event}");
            assert_eq!(event["institutionCode"], institution.as_str(), "{event}");
            assert!(
                event.as_object().unwrap().contains_key("reason") && event["reason"].is_null(),
                "reason is present and null for these transitions: {event}"
            );
        }
        // occurredAt is RFC 3339 and tells the order the transitions happened in.
        let when = |e: &Value| {
            time::OffsetDateTime::parse(
                e["occurredAt"].as_str().expect("occurredAt"),
                &time::format_description::well_known::Rfc3339,
            )
            .unwrap_or_else(|err| panic!("occurredAt is RFC 3339: {err}: {e}"))
        };
        assert!(when(created) <= when(authorised));
        let (_, consent) = ts
            .get(
                &format!("/data/v1/consents/{consent_id}"),
                Some(&ts.access_token().await),
            )
            .await;
        let history: Vec<(String, time::OffsetDateTime)> = consent["statusHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["status"].as_str().unwrap().to_string(),
                    when(&json!({"occurredAt": h["at"]})),
                )
            })
            .collect();
        for event in [created, authorised] {
            assert!(
                history.contains(&(event["status"].as_str().unwrap().to_string(), when(event))),
                "the event's occurredAt is the transition's time in statusHistory: {event} {consent}"
            );
        }

        let received = receiver.received.lock().unwrap().clone();
        for (headers, body) in &received {
            assert!(headers["webhook-id"].starts_with("msg_"));
            let ts_secs: i64 = headers["webhook-timestamp"].parse().unwrap();
            assert!((ts_secs - ts.clock.now_ms() / 1000).abs() < 60);
            assert!(
                verify(&ts.client.webhook_secret, headers, body),
                "signature verifies"
            );
            assert!(
                !verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", headers, body),
                "and only with the client's secret"
            );
        }
    }
);

both!(
    rejection_and_revocation_are_events_with_their_reason,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(receiver.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (denied, _) = ts.consent(&link_token, json!({})).await;
        let (status, _) = ts
            .authorise(
                &link_token,
                &denied,
                json!({"username": "user_deny", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, revoked, _) = authorised_consent(&ts).await;
        let revoked = revoked_consent(&ts, &access, revoked).await;
        let event = |bodies: &[Value], consent: &str, status: &str| {
            bodies
                .iter()
                .find(|b| b["consentId"] == consent && b["status"] == status)
                .cloned()
        };
        let bodies = receiver
            .wait_for("the rejection and the revocation", |b| {
                event(b, &denied, "REJECTED").is_some() && event(b, &revoked, "REVOKED").is_some()
            })
            .await;
        let rejected = event(&bodies, &denied, "REJECTED").unwrap();
        assert_eq!(
            (
                rejected["previousStatus"].as_str(),
                rejected["reason"].as_str()
            ),
            (
                Some("AWAITING_AUTHORISATION"),
                Some("CUSTOMER_MANUALLY_REJECTED")
            ),
            "{rejected}"
        );
        let gone = event(&bodies, &revoked, "REVOKED").unwrap();
        assert_eq!(gone["previousStatus"], "AUTHORISED", "{gone}");
        assert_eq!(gone["event"], "CONSENT_STATUS_CHANGED");
    }
);

/// Revokes the consent through the Data API; returns its id.
async fn revoked_consent(ts: &support::TestServer, access: &str, consent: String) -> String {
    let (status, body) = ts
        .call(
            reqwest::Method::DELETE,
            &format!("/data/v1/consents/{consent}"),
            Some(access),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    consent
}

both!(
    failures_are_retried_with_the_same_id_until_a_2xx,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        receiver.answers.lock().unwrap().extend([500, 503]);
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(receiver.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        receiver.wait_for("three attempts", |b| b.len() >= 3).await;
        let received = receiver.received.lock().unwrap().clone();
        let ids: Vec<&str> = received
            .iter()
            .map(|(h, _)| h["webhook-id"].as_str())
            .collect();
        assert!(
            ids.iter().all(|id| *id == ids[0]),
            "one message, three attempts: {ids:?}"
        );
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            receiver.received.lock().unwrap().len(),
            3,
            "delivered: no more attempts"
        );
        let mut conn = ts.app().store.read().await.unwrap();
        let m = ponte_store::message_for_client(&mut conn, &ts.client.client_id, ids[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!((m.status.as_str(), m.attempts), ("delivered", 3));
        let attempts = ponte_store::attempts_of(&mut conn, ids[0]).await.unwrap();
        assert_eq!(
            attempts.iter().map(|a| a.status_code).collect::<Vec<_>>(),
            [Some(500), Some(503), Some(200)]
        );
    }
);

both!(gone_stops_retries, |db: Db| async move {
    let receiver = Receiver::start().await;
    receiver.answers.lock().unwrap().push(410);
    let ts = support::spawn_with(
        db,
        support::Options {
            webhook_url: Some(receiver.url.clone()),
            ..Default::default()
        },
    )
    .await;
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    ts.consent(&link_token, json!({})).await;
    receiver.wait_for("one attempt", |b| !b.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        receiver.received.lock().unwrap().len(),
        1,
        "410 Gone is final"
    );
    let mut conn = ts.app().store.read().await.unwrap();
    let dead = ponte_store::list_messages(
        &mut conn,
        &ts.client.client_id,
        Some(ponte_store::DEAD),
        None,
        10,
    )
    .await
    .unwrap();
    assert_eq!(dead.len(), 1);
});

both!(a_restart_loses_no_message, |db: Db| async move {
    // A port nobody listens on yet: every attempt is refused.
    let parked = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = parked.local_addr().unwrap();
    drop(parked);
    let url = format!("http://{addr}/hook");
    let mut ts = support::spawn_with(
        db,
        support::Options {
            webhook_url: Some(url.clone()),
            retry_schedule: "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
            ..Default::default()
        },
    )
    .await;
    let access = ts.access_token().await;
    let mut consents = Vec::new();
    for _ in 0..3 {
        let (_, link_token) = ts.link(&access, json!({})).await;
        consents.push(ts.consent(&link_token, json!({})).await.0);
    }
    ts.restart("1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s")
        .await;
    let receiver = Receiver::serve(tokio::net::TcpListener::bind(addr).await.unwrap(), url);
    let bodies = receiver
        .wait_for("every event after the restart", |b| {
            consents
                .iter()
                .all(|c| b.iter().any(|e| e["consentId"] == c.as_str()))
        })
        .await;
    assert!(bodies.len() >= 3);
});

both!(
    private_targets_are_refused_outside_sandbox_rules,
    |db: Db| async move {
        let ts = support::spawn_with(
            db,
            support::Options {
                private_webhooks: false,
                ..Default::default()
            },
        )
        .await;
        use ponte_server::services::clients;
        for (url, why) in [
            ("http://hooks.example.com/x", "https"),
            ("https://127.0.0.1/x", "loopback"),
            ("https://10.0.0.8/x", "private"),
            ("https://169.254.169.254/latest", "metadata"),
        ] {
            let new = clients::parse_new_client("Evil", Some(url), None, false).unwrap();
            let err = clients::create(ts.app(), new).await.expect_err("refused");
            assert!(err.to_string().contains(why), "{url}: {err}");
        }
        let access = ts.access_token().await;
        let (status, body) = ts
        .post("/data/v1/links", Some(&access), json!({"personalTaxId": "52998224725", "productsCallbackUrl": {"accounts": "https://192.168.0.10/x"}}))
        .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("productsCallbackUrl.accounts")),
            "{body}"
        );

        // A target that became private after it was configured is refused at connect time.
        let receiver = Receiver::start().await;
        {
            let mut tx = ts.app().store.begin().await.unwrap();
            sqlx::query("UPDATE clients SET webhook_url = $1 WHERE id = $2")
                .bind(&receiver.url)
                .bind(&ts.client.client_id)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        let mut attempts = Vec::new();
        for _ in 0..100 {
            let mut conn = ts.app().store.read().await.unwrap();
            let messages =
                ponte_store::list_messages(&mut conn, &ts.client.client_id, None, None, 10)
                    .await
                    .unwrap();
            if let Some(m) = messages.iter().find(|m| m.attempts > 0) {
                attempts = ponte_store::attempts_of(&mut conn, &m.id).await.unwrap();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            attempts[0]
                .error
                .as_deref()
                .unwrap_or("")
                .contains("refused"),
            "{:?}",
            attempts[0]
        );
        assert!(
            receiver.bodies().is_empty(),
            "nothing reached the private address"
        );
    }
);

both!(
    deliveries_are_listed_inspected_and_replayed,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        receiver.answers.lock().unwrap().extend([410, 410]);
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(receiver.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        for _ in 0..2 {
            let (_, link_token) = ts.link(&access, json!({})).await;
            ts.consent(&link_token, json!({})).await;
        }
        receiver
            .wait_for("two refused attempts", |b| b.len() >= 2)
            .await;
        let mut dead = json!(null);
        for _ in 0..100 {
            let (_, page) = ts
                .get("/data/v1/webhooks/messages?status=dead", Some(&access))
                .await;
            if page["data"].as_array().map(Vec::len) == Some(2) {
                dead = page;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(dead["data"].as_array().map(Vec::len), Some(2), "{dead}");
        let (_, one) = ts
            .get(
                "/data/v1/webhooks/messages?status=dead&limit=1",
                Some(&access),
            )
            .await;
        let cursor = one["nextCursor"].as_str().expect("a next page").to_string();
        let (_, two) = ts
            .get(
                &format!("/data/v1/webhooks/messages?status=dead&limit=1&cursor={cursor}"),
                Some(&access),
            )
            .await;
        assert_ne!(
            one["data"][0]["id"], two["data"][0]["id"],
            "pages do not repeat"
        );
        let (status, bad) = ts
            .get("/data/v1/webhooks/messages?status=lost", Some(&access))
            .await;
        assert_eq!(
            (status, bad["error"]["field"].as_str()),
            (400, Some("status"))
        );

        let id = dead["data"][0]["id"].as_str().unwrap().to_string();
        let (_, shown) = ts
            .get(&format!("/data/v1/webhooks/messages/{id}"), Some(&access))
            .await;
        assert_eq!(shown["attemptHistory"][0]["statusCode"], 410);
        assert_eq!(shown["payload"]["event"], "CONSENT_STATUS_CHANGED");

        let (status, _) = ts
            .post(
                &format!("/data/v1/webhooks/messages/{id}/replay"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
        receiver
            .wait_for("the replayed message", |b| b.len() >= 3)
            .await;
        let (status, body) = ts
            .post(
                "/data/v1/webhooks/replay",
                Some(&access),
                json!({"since": "yesterday"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("since"))
        );
        let (_, body) = ts
            .post(
                "/data/v1/webhooks/replay",
                Some(&access),
                json!({"since": "2000-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(body["replayed"], 1, "the other dead one: {body}");
        receiver.wait_for("both delivered", |b| b.len() >= 4).await;

        let other = ponte_server::services::clients::create(
            ts.app(),
            ponte_server::services::clients::parse_new_client("Other", None, None, false).unwrap(),
        )
        .await
        .unwrap();
        let (status, _) = ts
            .get(
                &format!("/data/v1/webhooks/messages/{id}"),
                Some(&ts.access_token_for(&other).await),
            )
            .await;
        assert_eq!(status, 404, "another client's message");
    }
);
