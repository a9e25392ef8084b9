//! Consent events reach the client's webhook signed as Standard Webhooks
//! (checked by the PyPI reference library too, across a secret rotation), are
//! retried until a 2xx, disable their endpoint at 410 Gone, keep the start of
//! each answer, survive a restart, and a hanging receiver holds up no other.

use crate::support;

use serde_json::{json, Value};
use std::time::Duration;
use support::signatures::verify;
use support::{Db, Delivery, Receiver};

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
        let (ts, receiver) = support::spawn_receiving(db).await;
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
        let (ts, receiver) = support::spawn_receiving(db).await;
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
        // Two messages, two attempts each ("1s": one retry), all refused: both die.
        receiver
            .answers
            .lock()
            .unwrap()
            .extend([500, 500, 500, 500]);
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(receiver.url.clone()),
                retry_schedule: "1s",
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
            .wait_for("four refused attempts", |b| b.len() >= 4)
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
        assert_eq!(
            shown["attemptHistory"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["statusCode"].clone())
                .collect::<Vec<_>>(),
            [json!(500), json!(500)],
            "{shown}"
        );
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
            .wait_for("the replayed message", |b| b.len() >= 5)
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
        assert_eq!(
            (&body["replayed"], &body["skipped"]),
            (&json!(1), &json!(0)),
            "the other dead one: {body}"
        );
        receiver.wait_for("both delivered", |b| b.len() >= 6).await;

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

const PYPI_VERIFIER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/it/support/verify_webhook.py"
);

/// Runs `standardwebhooks.Webhook(secret).verify(body, headers)`, the
/// Standard Webhooks library from PyPI, on each (secret, delivery): `Ok` when
/// it accepts. `None` (those checks skipped) when python3 or the library is
/// missing, except under CI, where that fails the test.
fn pypi_verify(cases: &[(&str, &Delivery)]) -> Option<Vec<Result<(), String>>> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let input: Vec<Value> = cases
        .iter()
        .map(
            |(secret, (headers, body))| json!({"secret": secret, "headers": headers, "body": body}),
        )
        .collect();
    let child = Command::new("python3")
        .arg(PYPI_VERIFIER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return missing_verifier(&format!("python3 cannot run: {e}")),
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(Value::from(input).to_string().as_bytes())
        .expect("write to the verifier");
    let out = child.wait_with_output().expect("the verifier runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        return missing_verifier(stderr.trim());
    }
    assert!(out.status.success(), "the verifier failed: {stderr}");
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("verifier output");
    assert_eq!(results.len(), cases.len());
    Some(
        results
            .iter()
            .map(|r| match r["ok"].as_bool() {
                Some(true) => Ok(()),
                _ => Err(r["error"].as_str().unwrap_or("rejected").to_string()),
            })
            .collect(),
    )
}

fn missing_verifier<T>(why: &str) -> Option<T> {
    if std::env::var("CI").is_ok() {
        panic!("{why}: CI must check webhooks with the Standard Webhooks library (pip install standardwebhooks; .ci/run installs it)");
    }
    eprintln!("{why}: skipping the checks with the Standard Webhooks library from PyPI");
    None
}

/// The same delivery with one field of its body changed.
fn tampered((headers, body): &Delivery) -> Delivery {
    let mut json: Value = serde_json::from_str(body).unwrap();
    json["consentId"] = json!("csnt_someone_else");
    (headers.clone(), json.to_string())
}

/// Puts `n` messages for the client's event webhook straight into the outbox.
async fn enqueue(ts: &support::TestServer, client_id: &str, n: usize) {
    let mut tx = ts.app().store.begin().await.unwrap();
    let now = ts.clock.now_ms();
    for i in 0..n {
        ponte_store::insert_message(
            &mut tx,
            &ponte_store::WebhookMessageRow {
                id: format!("msg_{}", uuid::Uuid::now_v7().simple()),
                client_id: client_id.to_string(),
                event_type: "CONSENT_STATUS_CHANGED".into(),
                target: "event".into(),
                target_url: None,
                payload:
                    json!({"event": "CONSENT_STATUS_CHANGED", "consentId": format!("csnt_{i}")})
                        .to_string(),
                status: ponte_store::WebhookStatus::Pending,
                attempts: 0,
                next_attempt_at: now,
                locked_until: None,
                last_error: None,
                created_at: now,
                finished_at: None,
                dialect: "data_api".into(),
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// One more event for the test client: a new link and consent.
async fn one_more_event(ts: &support::TestServer, receiver: &Receiver, seen: usize) -> Delivery {
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    ts.consent(&link_token, json!({})).await;
    receiver
        .wait_for("one more delivery", |b| b.len() > seen)
        .await;
    receiver.received.lock().unwrap()[seen].clone()
}

both!(
    the_standard_webhooks_library_verifies_deliveries_across_a_secret_rotation,
    |db: Db| async move {
        let (ts, receiver) = support::spawn_receiving(db).await;
        let old = ts.client.webhook_secret.clone();
        let first = one_more_event(&ts, &receiver, 0).await;
        assert_eq!(first.0["webhook-signature"].split(' ').count(), 1);
        if let Some(results) = pypi_verify(&[
            (&old, &first),
            (&old, &tampered(&first)),
            ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &first),
        ]) {
            assert!(results[0].is_ok(), "a real delivery verifies: {results:?}");
            assert!(results[1].is_err(), "a tampered body does not");
            assert!(results[2].is_err(), "nor another secret");
        }

        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (status, body) = ts
            .post(
                "/data/v1/webhooks/secret/rotate",
                Some(&link_token),
                json!({}),
            )
            .await;
        assert_eq!(status, 403, "a link token cannot rotate: {body}");
        let (status, rotated) = ts
            .post("/data/v1/webhooks/secret/rotate", Some(&access), json!({}))
            .await;
        assert_eq!(status, 200, "{rotated}");
        let new = rotated["webhookSecret"].as_str().unwrap().to_string();
        assert!(new.starts_with("whsec_") && new != old, "{rotated}");
        let expires = time::OffsetDateTime::parse(
            rotated["previousSecretExpiresAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let grace = expires.unix_timestamp() - ts.clock.now_ms() / 1000;
        assert!((24 * 3600 - 60..=24 * 3600).contains(&grace), "{rotated}");

        // During the grace period both secrets verify the same delivery.
        let during = one_more_event(&ts, &receiver, 1).await;
        assert_eq!(
            during.0["webhook-signature"].split(' ').count(),
            2,
            "v1,<new> v1,<old>: {:?}",
            during.0
        );
        assert!(verify(&new, &during.0, &during.1) && verify(&old, &during.0, &during.1));
        if let Some(results) = pypi_verify(&[
            (&new, &during),
            (&old, &during),
            (&new, &tampered(&during)),
            (&old, &tampered(&during)),
        ]) {
            assert!(results[0].is_ok(), "the new secret verifies: {results:?}");
            assert!(results[1].is_ok(), "so does the old one: {results:?}");
            assert!(results[2].is_err() && results[3].is_err(), "{results:?}");
        }

        // After 24 hours only the new secret signs. (The sandbox banks keep
        // real time, so this message goes straight into the outbox.)
        ts.clock.advance(Duration::from_secs(24 * 3600 + 60));
        enqueue(&ts, &ts.client.client_id, 1).await;
        receiver
            .wait_for("a delivery after the grace period", |b| b.len() > 2)
            .await;
        let after = receiver.received.lock().unwrap()[2].clone();
        assert_eq!(after.0["webhook-signature"].split(' ').count(), 1);
        assert!(verify(&new, &after.0, &after.1), "the new secret signs");
        assert!(!verify(&old, &after.0, &after.1), "the old one no longer");

        // Two rotations in a row: only the secret just replaced keeps signing.
        let access = ts.access_token().await; // a day later
        let mut secrets = Vec::new();
        for _ in 0..2 {
            let (_, rotated) = ts
                .post("/data/v1/webhooks/secret/rotate", Some(&access), json!({}))
                .await;
            secrets.push(rotated["webhookSecret"].as_str().unwrap().to_string());
        }
        enqueue(&ts, &ts.client.client_id, 1).await;
        receiver
            .wait_for("a delivery after two rotations", |b| b.len() > 3)
            .await;
        let twice = receiver.received.lock().unwrap()[3].clone();
        assert_eq!(
            twice.0["webhook-signature"].split(' ').count(),
            2,
            "{:?}",
            twice.0
        );
        assert!(verify(&secrets[1], &twice.0, &twice.1) && verify(&secrets[0], &twice.0, &twice.1));
        assert!(
            !verify(&new, &twice.0, &twice.1),
            "the first rotation's grace ended"
        );
    }
);

/// Polls the Data API until `pred` holds for the client's messages of `status`.
async fn messages_until(
    ts: &support::TestServer,
    status: &str,
    what: &str,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let mut last = Vec::new();
    for _ in 0..200 {
        let access = ts.access_token().await;
        let (_, page) = ts
            .get(
                &format!("/data/v1/webhooks/messages?status={status}"),
                Some(&access),
            )
            .await;
        last = page["data"].as_array().cloned().unwrap_or_default();
        if pred(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}: {last:?}");
}

both!(
    gone_disables_the_endpoint_until_it_is_enabled,
    |db: Db| async move {
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
        let gone = one_more_event(&ts, &receiver, 0).await;
        let gone_id = gone.0["webhook-id"].clone();
        messages_until(&ts, "dead", "the 410 to end it", |m| m.len() == 1).await;

        // The next message is not attempted: the endpoint said it is gone.
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        let dead = messages_until(&ts, "dead", "the next message", |m| m.len() == 2).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(receiver.bodies().len(), 1, "one request reached the URL");
        let skipped_id = dead
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .find(|id| *id != gone_id)
            .unwrap();
        let (_, skipped) = ts
            .get(
                &format!("/data/v1/webhooks/messages/{skipped_id}"),
                Some(&access),
            )
            .await;
        let error = skipped["lastError"].as_str().unwrap_or_default();
        assert!(
            error.contains("endpoint disabled after 410 Gone at") && error.contains(&receiver.url),
            "{skipped}"
        );
        assert_eq!(skipped["attemptHistory"], json!([]), "{skipped}");

        // Replaying to it says why not, naming the URL.
        let (status, body) = ts
            .post(
                &format!("/data/v1/webhooks/messages/{gone_id}/replay"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("CONFLICT"))
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&receiver.url),
            "{body}"
        );
        let (_, body) = ts
            .post(
                "/data/v1/webhooks/replay",
                Some(&access),
                json!({"since": "2000-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(
            body,
            json!({"replayed": 0, "skipped": 2, "disabledEndpoints": [receiver.url]})
        );

        for (bad, why) in [
            (json!({}), "missing"),
            (json!({"url": "hooks"}), "not a URL"),
        ] {
            let (status, body) = ts
                .post("/data/v1/webhooks/endpoints/enable", Some(&access), bad)
                .await;
            assert_eq!(
                (status, body["error"]["field"].as_str()),
                (400, Some("url")),
                "{why}: {body}"
            );
        }
        let (status, body) = ts
            .post(
                "/data/v1/webhooks/endpoints/enable",
                Some(&access),
                json!({"url": receiver.url}),
            )
            .await;
        assert_eq!(
            (status, &body["wasDisabled"]),
            (200, &json!(true)),
            "{body}"
        );

        // Enabled: replays and new messages are delivered again.
        let (status, body) = ts
            .post(
                &format!("/data/v1/webhooks/messages/{skipped_id}/replay"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        receiver
            .wait_for("the skipped message, replayed", |b| b.len() >= 2)
            .await;
        assert_eq!(
            receiver.received.lock().unwrap()[1].0["webhook-id"],
            skipped_id
        );
        let (_, body) = ts
            .post(
                "/data/v1/webhooks/replay",
                Some(&access),
                json!({"since": "2000-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(body["replayed"], 1, "{body}");
        receiver
            .wait_for("the message that got the 410, replayed", |b| b.len() >= 3)
            .await;
        one_more_event(&ts, &receiver, 3).await;
    }
);

/// A receiver answering each request with the next (status, body), then `200 ""`.
async fn answering(mut answers: Vec<(u16, String)>) -> String {
    answers.reverse();
    let answers = std::sync::Arc::new(std::sync::Mutex::new(answers));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let answers = answers.clone();
            async move {
                let (code, body) = answers
                    .lock()
                    .unwrap()
                    .pop()
                    .unwrap_or((200, String::new()));
                (axum::http::StatusCode::from_u16(code).unwrap(), body)
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

both!(
    each_attempt_keeps_the_first_kib_of_the_answer,
    |db: Db| async move {
        // 1 + 2 × 1000 bytes: the limit falls inside an "é", which is dropped whole.
        let long = format!("x{}", "é".repeat(1000));
        let url = answering(vec![(500, long), (200, "thanks".into())]).await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(url.clone()),
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        let delivered = messages_until(&ts, "delivered", "the retry", |m| m.len() == 1).await;
        let id = delivered[0]["id"].as_str().unwrap();
        let (_, shown) = ts
            .get(&format!("/data/v1/webhooks/messages/{id}"), Some(&access))
            .await;
        let attempts = shown["attemptHistory"].as_array().unwrap();
        assert_eq!(attempts.len(), 2, "{shown}");
        assert_eq!(attempts[0]["statusCode"], 500);
        assert_eq!(
            attempts[0]["response"].as_str(),
            Some(format!("x{}", "é".repeat(511)).as_str()),
            "the first 1 KiB, whole characters"
        );
        assert_eq!(
            (&attempts[1]["statusCode"], &attempts[1]["response"]),
            (&json!(200), &json!("thanks"))
        );
    }
);

/// A receiver that never answers in time; counts the requests it holds.
#[derive(Clone, Default)]
struct Hanging {
    url: String,
    holding: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    most: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

struct Held(Hanging);

impl Drop for Held {
    fn drop(&mut self) {
        self.0
            .holding
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

async fn hanging_receiver() -> Hanging {
    use std::sync::atomic::Ordering::SeqCst;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hanging = Hanging {
        url: format!("http://{}/hook", listener.local_addr().unwrap()),
        ..Default::default()
    };
    let state = hanging.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let state = state.clone();
            async move {
                let now = state.holding.fetch_add(1, SeqCst) + 1;
                state.most.fetch_max(now, SeqCst);
                let _held = Held(state);
                tokio::time::sleep(Duration::from_secs(60)).await;
                axum::http::StatusCode::OK
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    hanging
}

both!(a_hanging_receiver_holds_up_no_other, |db: Db| async move {
    use std::sync::atomic::Ordering::SeqCst;
    let (ts, receiver) = support::spawn_receiving(db).await;
    let slow = hanging_receiver().await;
    use ponte_server::services::clients;
    let other = clients::create(
        ts.app(),
        clients::parse_new_client("Slow", Some(&slow.url), None, false).unwrap(),
    )
    .await
    .unwrap();
    enqueue(&ts, &other.client_id, 40).await;
    for _ in 0..100 {
        if slow.holding.load(SeqCst) >= 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(slow.holding.load(SeqCst) >= 8, "the slow receiver is busy");

    let started = std::time::Instant::now();
    one_more_event(&ts, &receiver, 0).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the other receiver waited {:?}: a hanging receiver held up its webhooks",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        slow.most.load(SeqCst),
        8,
        "at most 8 requests at once to one endpoint"
    );
    let mut conn = ts.app().store.read().await.unwrap();
    let pending = ponte_store::list_messages(
        &mut conn,
        &other.client_id,
        Some(ponte_store::WebhookStatus::Pending),
        None,
        100,
    )
    .await
    .unwrap();
    assert_eq!(
        (pending.len(), pending.iter().map(|m| m.attempts).max()),
        (40, Some(0)),
        "the others wait their turn, none dropped"
    );
});

both!(
    a_link_naming_a_disabled_url_as_callback_enables_it,
    |db: Db| async move {
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
        let gone = one_more_event(&ts, &receiver, 0).await;
        let gone_id = gone.0["webhook-id"].clone();
        messages_until(&ts, "dead", "the 410 to end it", |m| m.len() == 1).await;
        let replay = format!("/data/v1/webhooks/messages/{gone_id}/replay");
        let (status, _) = ts.post(&replay, Some(&access), json!({})).await;
        assert_eq!(status, 409, "disabled");

        // The integrator names the URL again, as a link's report callback.
        let (status, _) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"personalTaxId": "52998224725", "productsCallbackUrl": {"accounts": receiver.url}}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = ts.post(&replay, Some(&access), json!({})).await;
        assert_eq!(status, 200, "enabled again: {body}");
        receiver
            .wait_for("the replayed message", |b| b.len() >= 2)
            .await;
    }
);

// Messages written in one transaction share their creation time (an expiry
// sweep changes many consents at once): paging must still return each once.
both!(
    pages_of_messages_written_at_one_instant_miss_none,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let mut tx = ts.app().store.begin().await.unwrap();
        for i in 0..7 {
            ponte_store::insert_message(
                &mut tx,
                &ponte_store::WebhookMessageRow {
                    id: format!("msg-{i}"),
                    client_id: ts.client.client_id.clone(),
                    event_type: "CONSENT_STATUS_CHANGED".into(),
                    target: "event".into(),
                    target_url: None,
                    payload: "{}".into(),
                    status: ponte_store::WebhookStatus::Dead,
                    attempts: 1,
                    next_attempt_at: 1_700_000_000_000,
                    locked_until: None,
                    last_error: Some("seeded".into()),
                    created_at: 1_700_000_000_000,
                    finished_at: Some(1_700_000_000_000),
                    dialect: "data_api".into(),
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let mut seen = Vec::new();
        let mut path = "/data/v1/webhooks/messages?status=dead&limit=3".to_string();
        loop {
            let (status, page) = ts.get(&path, Some(&access)).await;
            assert_eq!(status, 200, "{page}");
            for m in page["data"].as_array().unwrap() {
                seen.push(m["id"].as_str().unwrap().to_string());
            }
            match page["nextCursor"].as_str() {
                Some(c) => {
                    path = format!("/data/v1/webhooks/messages?status=dead&limit=3&cursor={c}")
                }
                None => break,
            }
        }
        seen.sort();
        assert_eq!(seen, (0..7).map(|i| format!("msg-{i}")).collect::<Vec<_>>());
        let (status, body) = ts
            .get("/data/v1/webhooks/messages?cursor=12", Some(&access))
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("cursor"))
        );
    }
);

/// A receiver on a raw socket: drops the first connection unanswered, holds
/// the second open past the 15 s attempt timeout, and answers 200 after.
async fn rude_receiver() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            n += 1;
            match n {
                1 => drop(stream),
                2 => {
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_secs(40)).await;
                        drop(stream);
                    });
                }
                _ => {
                    tokio::spawn(async move {
                        let mut buf = vec![0u8; 64 * 1024];
                        let mut got = Vec::new();
                        loop {
                            let Ok(read) = stream.read(&mut buf).await else {
                                return;
                            };
                            if read == 0 {
                                return;
                            }
                            got.extend_from_slice(&buf[..read]);
                            let text = String::from_utf8_lossy(&got).to_lowercase();
                            let Some(end) = text.find("\r\n\r\n") else {
                                continue;
                            };
                            let length = text
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if got.len() >= end + 4 + length {
                                break;
                            }
                        }
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                            .await;
                    });
                }
            }
        }
    });
    url
}

// A receiver that closes the connection, then one that never answers (the
// 15 s timeout), then a 200: each failure is recorded and retried, the
// message is delivered once it is answered.
both!(
    closed_connections_and_timeouts_are_recorded_and_retried,
    |db: Db| async move {
        let url = rude_receiver().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(url.clone()),
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        // The timeout alone takes 15 s.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let delivered = loop {
            let (_, page) = ts
                .get("/data/v1/webhooks/messages?status=delivered", Some(&access))
                .await;
            if let Some(m) = page["data"].as_array().and_then(|d| d.first()) {
                break m.clone();
            }
            assert!(std::time::Instant::now() < deadline, "never delivered");
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let id = delivered["id"].as_str().unwrap();
        let (_, shown) = ts
            .get(&format!("/data/v1/webhooks/messages/{id}"), Some(&access))
            .await;
        let history = shown["attemptHistory"].as_array().unwrap();
        assert_eq!(history.len(), 3, "{shown}");
        assert_eq!(
            history
                .iter()
                .map(|a| a["statusCode"].clone())
                .collect::<Vec<_>>(),
            [Value::Null, Value::Null, json!(200)],
            "{shown}"
        );
        let closed = history[0]["error"].as_str().unwrap_or_default();
        assert!(
            closed.starts_with("the connection failed before an answer"),
            "the close is recorded: {shown}"
        );
        assert_eq!(
            history[1]["error"], "timed out after 15 s without an answer",
            "{shown}"
        );
        assert!(
            history[1]["latencyMs"].as_i64().unwrap() >= 14_000,
            "{shown}"
        );
        assert_eq!(history[2]["response"], "ok");
    }
);
