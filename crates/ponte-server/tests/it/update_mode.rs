//! Update mode (issue 26): `POST /data/v1/links {"consentId"}` reopens the
//! widget for an existing consent; the end user authorises again at the
//! bank and the integrator keeps the same consentId, with the new expiry,
//! its extension history, `CONSENT_RENEWED`, data still retrievable, and the
//! replaced consent revoked at the bank only after the new one holds.

use crate::support;

use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, TestServer};

async fn bank_consent_id(ts: &TestServer, id: &str) -> String {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::consent_by_id(&mut conn, id)
        .await
        .unwrap()
        .unwrap()
        .bank_consent_id
        .unwrap()
}

/// The institution's consent as the customer sees it in the bank's app.
async fn at_bank(ts: &TestServer, institution: &str, bank_id: &str) -> Value {
    let resp = ts
        .http
        .get(ts.url(&format!(
            "/sandbox/banks/{institution}/customer/consents/{bank_id}"
        )))
        .basic_auth("user_good", Some("pass_good"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn consent(ts: &TestServer, access: &str, id: &str) -> Value {
    let (status, body) = ts
        .get(&format!("/data/v1/consents/{id}"), Some(access))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Opens an update-mode link for `id`; returns (linkId, linkToken).
async fn update_link(ts: &TestServer, access: &str, id: &str) -> (String, String) {
    let (status, body) = ts
        .post(
            "/data/v1/links",
            Some(access),
            json!({"consentId": id, "redirectUrl": "https://app.example.com/done"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (
        body["linkId"].as_str().unwrap().to_string(),
        body["linkToken"].as_str().unwrap().to_string(),
    )
}

async fn job_done(ts: &TestServer, kind: &str) {
    let mut job = support::injected::job(ts, kind).await;
    for _ in 0..400 {
        if job.status != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        job = support::injected::job(ts, kind).await;
    }
    assert_eq!(job.status, "done", "{job:?}");
}

both!(
    update_mode_keeps_the_consent_id_and_swaps_the_bank_consent,
    |db: Db| async move {
        let (ts, receiver) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, id) = ts.authorised(&access, "user_good").await;
        let before = consent(&ts, &access, &id).await;
        let old_expiry = before["expirationDateTime"].as_str().unwrap().to_string();
        let institution = before["institutionCode"].as_str().unwrap().to_string();
        let old_bank_id = bank_consent_id(&ts, &id).await;

        let (update_link_id, token) = update_link(&ts, &access, &id).await;
        assert_ne!(update_link_id, link_id);

        // One link per consent at a time, said with the next step.
        let (status, body) = ts
            .post("/data/v1/links", Some(&access), json!({"consentId": id}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("CONFLICT")),
            "{body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&update_link_id),
            "{body}"
        );

        // The widget learns what it renews; an ordinary link is not in update mode.
        let (status, renewal) = ts.get("/data/v1/links/renewal", Some(&token)).await;
        assert_eq!(status, 200, "{renewal}");
        assert_eq!(renewal["consentId"], id.as_str());
        assert_eq!(renewal["institutionCode"], institution.as_str());
        assert_eq!(renewal["status"], "OPEN");
        let (_, link) = ts
            .get(&format!("/data/v1/links/{update_link_id}"), Some(&access))
            .await;
        assert_eq!(
            link["status"], "PENDING",
            "nothing asked of the bank yet: {link}"
        );
        let (_, plain_token) = ts.link(&access, json!({})).await;
        let (status, body) = ts.get("/data/v1/links/renewal", Some(&plain_token)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("NOT_FOUND")),
            "{body}"
        );

        // The end user authorises again at the bank (the headless helper
        // drives the same pages the widget sends them to).
        let (status, body) = ts
            .authorise(
                &token,
                &id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["consentId"], id.as_str());
        assert_eq!(body["status"], "AUTHORISED");

        let (_, renewal) = ts.get("/data/v1/links/renewal", Some(&token)).await;
        assert_eq!(renewal["status"], "AUTHORISED", "{renewal}");
        // The update-mode link itself reads as done, like any link whose
        // consent was authorised.
        let (status, link) = ts
            .get(&format!("/data/v1/links/{update_link_id}"), Some(&access))
            .await;
        assert_eq!(status, 200, "{link}");
        assert_eq!(link["status"], "COMPLETED", "{link}");
        let after = consent(&ts, &access, &id).await;
        let new_expiry = after["expirationDateTime"].as_str().unwrap().to_string();
        assert_eq!(after["status"], "AUTHORISED");
        assert!(new_expiry > old_expiry, "{new_expiry} after {old_expiry}");
        assert_eq!(renewal["expirationDateTime"], new_expiry.as_str());
        let (status, list) = ts
            .get(&format!("/data/v1/consents/{id}/extensions"), Some(&access))
            .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(
            list["extensions"][0]["expirationDateTime"],
            new_expiry.as_str(),
            "{list}"
        );
        assert_eq!(
            list["extensions"][0]["previousExpirationDateTime"],
            old_expiry.as_str()
        );

        // The same Ponte consent now stands on a new consent at the bank.
        let new_bank_id = bank_consent_id(&ts, &id).await;
        assert_ne!(new_bank_id, old_bank_id);
        let bodies = receiver
            .wait_for("CONSENT_RENEWED", |b| {
                b.iter().any(|e| e["event"] == "CONSENT_RENEWED")
            })
            .await;
        let renewed = bodies
            .iter()
            .find(|e| e["event"] == "CONSENT_RENEWED")
            .unwrap();
        assert_eq!(renewed["consentId"], id.as_str());
        assert_eq!(
            renewed["linkId"],
            link_id.as_str(),
            "the consent's own link"
        );
        assert_eq!(renewed["expirationDateTime"], new_expiry.as_str());

        // The replaced consent is revoked at the bank; the new one holds.
        job_done(&ts, "revoke_replaced_at_institution").await;
        let old = at_bank(&ts, &institution, &old_bank_id).await;
        assert_eq!(old["data"]["status"], "REJECTED", "{old}");
        let new = at_bank(&ts, &institution, &new_bank_id).await;
        assert_eq!(new["data"]["status"], "AUTHORISED", "{new}");

        // Data still comes, under the same consent, with the new tokens.
        let (status, resp) = ts
            .post(
                "/data/personal/institution-data",
                Some(&access),
                json!({"taxId": "52998224725", "linkId": link_id, "consentId": [id], "products": ["accounts"]}),
            )
            .await;
        assert_eq!(status, 200, "{resp}");
        let bodies = receiver
            .wait_for("the report", |b| {
                b.iter()
                    .any(|e| e["event"] == "REPORT_READY" && e["consentId"] == id.as_str())
            })
            .await;
        let report = bodies
            .iter()
            .find(|e| e["event"] == "REPORT_READY" && e["consentId"] == id.as_str())
            .unwrap();
        assert_eq!(report["status"], "SUCCESS", "{report}");

        // The link is spent; a new update-mode link is allowed now.
        let (status, body) = ts
            .post("/data/v1/links/renewal", Some(&token), json!({}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("CONFLICT")),
            "{body}"
        );
        update_link(&ts, &access, &id).await;
    }
);

both!(
    a_refused_renewal_leaves_the_consent_as_it_was,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, id) = ts.authorised(&access, "user_good").await;
        let before = consent(&ts, &access, &id).await;
        let bank_id = bank_consent_id(&ts, &id).await;
        let (_, token) = update_link(&ts, &access, &id).await;
        let (status, body) = ts
            .authorise(
                &token,
                &id,
                json!({"username": "user_deny", "password": "pass_good"}),
            )
            .await;
        // The helper answers the consent as Ponte sees it: unchanged.
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("AUTHORISED")),
            "{body}"
        );
        let (_, renewal) = ts.get("/data/v1/links/renewal", Some(&token)).await;
        assert_eq!(renewal["status"], "REJECTED", "{renewal}");
        assert_eq!(renewal["reason"], "CUSTOMER_MANUALLY_REJECTED", "{renewal}");
        let after = consent(&ts, &access, &id).await;
        assert_eq!(after["status"], "AUTHORISED");
        assert_eq!(after["expirationDateTime"], before["expirationDateTime"]);
        assert_eq!(bank_consent_id(&ts, &id).await, bank_id);

        // Cancelled by mistake: the same link tries again, and renews.
        let (status, body) = ts
            .authorise(
                &token,
                &id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, renewal) = ts.get("/data/v1/links/renewal", Some(&token)).await;
        assert_eq!(renewal["status"], "AUTHORISED", "{renewal}");
        assert_eq!(renewal["reason"], Value::Null, "{renewal}");
        assert_ne!(bank_consent_id(&ts, &id).await, bank_id);
        let after = consent(&ts, &access, &id).await;
        assert!(
            after["expirationDateTime"].as_str() > before["expirationDateTime"].as_str(),
            "{after}"
        );
    }
);

both!(
    update_mode_refuses_other_clients_and_ended_consents,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, id) = ts.authorised(&access, "user_good").await;

        // Another client's consent is not found, in the Data API's shape.
        let other_access = ts.another_client_access().await;
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&other_access),
                json!({"consentId": id}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("NOT_FOUND")),
            "{body}"
        );

        // A tax id that is not the consent's is refused, naming the field.
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"consentId": id, "personalTaxId": "111.444.777-35"}),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["field"], "personalTaxId", "{body}");

        // A revoked consent: 409 naming the next step.
        let (status, _) = ts
            .call(
                reqwest::Method::DELETE,
                &format!("/data/v1/consents/{id}"),
                Some(&access),
                None,
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = ts
            .post("/data/v1/links", Some(&access), json!({"consentId": id}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("CONFLICT")),
            "{body}"
        );
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("REVOKED") && message.contains("without consentId"),
            "{message}"
        );

        // A rejected one too.
        let (_, token) = ts.link(&access, json!({})).await;
        let (rejected, _) = ts.consent(&token, json!({})).await;
        let (_, body) = ts
            .authorise(
                &token,
                &rejected,
                json!({"username": "user_deny", "password": "pass_good"}),
            )
            .await;
        assert_eq!(body["status"], "REJECTED", "{body}");
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"consentId": rejected}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("CONFLICT")),
            "{body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("REJECTED"),
            "{body}"
        );
    }
);
