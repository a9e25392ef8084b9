//! Duplicate connections: a consent for a person who already has an
//! AUTHORISED one at the same institution names it (`duplicateOf`) in its
//! creation answer, its view and its webhooks; the client's policy decides
//! whether the end user is warned or the consent refused.

use crate::support;

use ponte_server::services::duplicates::{self, DuplicatePolicy};
use serde_json::{json, Value};
use support::{Db, Receiver, TestServer};

async fn with_receiver(db: Db) -> (TestServer, Receiver) {
    let (ts, receiver) = support::spawn_receiving(db).await;
    (ts, receiver)
}

/// A second link for the same person asks a consent at `institution`.
async fn second_consent(ts: &TestServer, access: &str, institution: &str) -> (u16, Value) {
    let (_, link_token) = ts.link(access, json!({})).await;
    ts.post(
        "/data/v1/consents",
        Some(&link_token),
        json!({"institutionCode": institution}),
    )
    .await
}

async fn institution_of(ts: &TestServer, access: &str, consent_id: &str) -> String {
    let (_, c) = ts
        .get(&format!("/data/v1/consents/{consent_id}"), Some(access))
        .await;
    c["institutionCode"].as_str().unwrap().to_string()
}

both!(a_second_connection_names_the_first, |db: Db| async move {
    let (ts, receiver) = with_receiver(db).await;
    let access = ts.access_token().await;
    let (_, first) = ts.authorised(&access, "user_good").await;
    let institution = institution_of(&ts, &access, &first).await;

    let (status, created) = second_consent(&ts, &access, &institution).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["duplicateOf"], first.as_str(), "{created}");
    assert_eq!(
        created["duplicateWarning"],
        Value::Null,
        "allow: no warning"
    );
    let second = created["consentId"].as_str().unwrap().to_string();

    let (_, view) = ts
        .get(&format!("/data/v1/consents/{second}"), Some(&access))
        .await;
    assert_eq!(view["duplicateOf"], first.as_str(), "{view}");
    let (_, original) = ts
        .get(&format!("/data/v1/consents/{first}"), Some(&access))
        .await;
    assert_eq!(original["duplicateOf"], Value::Null, "{original}");

    let bodies = receiver
        .wait_for("the second consent's event", |b| {
            b.iter().any(|e| e["consentId"] == second.as_str())
        })
        .await;
    let event = bodies
        .iter()
        .find(|e| e["consentId"] == second.as_str())
        .unwrap();
    assert_eq!(event["duplicateOf"], first.as_str(), "{event}");
    for e in bodies.iter().filter(|e| e["consentId"] == first.as_str()) {
        assert_eq!(e["duplicateOf"], Value::Null, "{e}");
    }
});

both!(
    only_an_authorised_consent_at_the_same_bank_counts,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        // Awaiting authorisation only: not a connection yet.
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (pending, _) = ts.consent(&link_token, json!({})).await;
        let institution = institution_of(&ts, &access, &pending).await;
        let (status, created) = second_consent(&ts, &access, &institution).await;
        assert_eq!(status, 200, "{created}");
        assert_eq!(created["duplicateOf"], Value::Null, "{created}");

        // Authorised at one bank; another bank is no duplicate.
        let (_, first) = ts.authorised(&access, "user_good").await;
        let at = institution_of(&ts, &access, &first).await;
        let (_, list) = ts
            .get("/data/v1/links/institutions", Some(&link_token))
            .await;
        let other = list
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["isOutage"] == false && i["institutionCode"] != at.as_str())
            .expect("a second institution up")["institutionCode"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, created) = second_consent(&ts, &access, &other).await;
        assert_eq!(status, 200, "{created}");
        assert_eq!(created["duplicateOf"], Value::Null, "{created}");
    }
);

both!(a_client_can_warn_or_refuse, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (_, first) = ts.authorised(&access, "user_good").await;
    let institution = institution_of(&ts, &access, &first).await;
    let client = ts.client.client_id.to_string();

    duplicates::set_policy(ts.app(), &client, DuplicatePolicy::Warn)
        .await
        .unwrap();
    let (status, created) = second_consent(&ts, &access, &institution).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["duplicateOf"], first.as_str(), "{created}");
    let warning = created["duplicateWarning"].as_str().unwrap();
    assert!(
        warning.starts_with("You already connected ") && warning.len() > 24,
        "names the bank: {warning}"
    );

    duplicates::set_policy(ts.app(), &client, DuplicatePolicy::Refuse)
        .await
        .unwrap();
    let (status, refused) = second_consent(&ts, &access, &institution).await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(
        refused["error"]["code"], "DUPLICATE_CONNECTION",
        "{refused}"
    );
    assert_eq!(refused["error"]["field"], "institutionCode", "{refused}");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains(first.as_str()), "{message}");

    // Another person at the same bank is no duplicate, whatever the policy.
    let (_, link_token) = ts
        .link(&access, json!({"personalTaxId": "111.444.777-35"}))
        .await;
    let (status, other) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": institution}),
        )
        .await;
    assert_eq!(status, 200, "{other}");
    assert_eq!(other["duplicateOf"], Value::Null, "{other}");
});
