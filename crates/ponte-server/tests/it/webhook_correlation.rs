//! Webhooks an integrator can tie back to its own records without a lookup,
//! in every dialect: each body carries its event id (the `webhook-id`
//! header's value) and the integrator's own reference for the end user — a
//! Data API link's `externalTrackId`/`externalInfo`, a Server API user's
//! `xcUserID`, a documents user's `taiki_user_id` and `metadata`.

use crate::support;

use crate::support::server_api as server_api_common;

use serde_json::{json, Value};
use support::documents::webhook_delivery_for;
use support::{Db, Receiver, TestServer};

async fn with_receiver(db: Db) -> (TestServer, Receiver) {
    let (ts, receiver) = support::spawn_receiving(db).await;
    (ts, receiver)
}

/// Every delivery received so far, as (webhook-id header, parsed body).
fn deliveries(receiver: &Receiver) -> Vec<(String, Value)> {
    receiver
        .received
        .lock()
        .unwrap()
        .iter()
        .map(|(h, b)| (h["webhook-id"].clone(), serde_json::from_str(b).unwrap()))
        .collect()
}

/// The body names the delivery it came in: `eventId` is `webhook-id`.
fn assert_names_its_delivery(header_id: &str, body: &Value) {
    assert!(header_id.starts_with("msg_"), "{header_id}");
    assert_eq!(body["eventId"], header_id, "{body}");
}

async fn report_request(ts: &TestServer, access: &str, link_id: &str, consent_id: &str) {
    let (status, body) = ts
        .post(
            "/data/personal/institution-data",
            Some(access),
            json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

both!(
    data_api_webhooks_carry_the_link_references,
    |db: Db| async move {
        let (ts, receiver) = with_receiver(db).await;
        let access = ts.access_token().await;
        let info = json!({"crmId": "C-991", "plan": {"tier": "gold"}});
        let (link_id, link_token) = ts.link(&access, json!({"externalInfo": info})).await;
        let (consent_id, _) = ts
            .consent(&link_token, json!({"externalTrackId": "order-7"}))
            .await;
        let (status, _) = ts
            .authorise(
                &link_token,
                &consent_id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200);
        report_request(&ts, &access, &link_id, &consent_id).await;
        receiver
            .wait_for("two consent events and a report", |b| {
                b.iter()
                    .filter(|e| e["event"] == "CONSENT_STATUS_CHANGED")
                    .count()
                    >= 2
                    && b.iter().any(|e| e["event"] == "REPORT_READY")
            })
            .await;
        let got = deliveries(&receiver);
        let mut ids: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), got.len(), "each message has an id of its own");
        for (header_id, body) in &got {
            assert_names_its_delivery(header_id, body);
            assert_eq!(body["externalTrackId"], "order-7", "{body}");
            assert_eq!(body["externalInfo"], info, "{body}");
            assert!(
                body.as_object().unwrap().contains_key("xcUserID") && body["xcUserID"].is_null(),
                "no Server API user opened this link: {body}"
            );
        }
    }
);

both!(
    a_link_without_references_says_so_plainly,
    |db: Db| async move {
        let (ts, receiver) = with_receiver(db).await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let code = ts.institution(&link_token).await;
        let (status, body) = ts
            .post(
                "/data/v1/consents",
                Some(&link_token),
                json!({"institutionCode": code}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        receiver
            .wait_for("the consent event", |b| !b.is_empty())
            .await;
        let (header_id, body) = deliveries(&receiver).remove(0);
        assert_names_its_delivery(&header_id, &body);
        assert_eq!(body["externalTrackId"], Value::Null, "{body}");
        assert_eq!(body["externalInfo"], json!({}), "{body}");
    }
);

both!(
    server_api_users_are_named_by_their_xc_user_id,
    |db: Db| async move {
        let (ts, receiver) = with_receiver(db).await;
        let (_, session) = server_api_common::session_for(&ts, &ts.client, "crm-user-42").await;
        let access = server_api_common::access_of(&session);
        let (consent_id, _) = server_api_common::connect(&ts, &access).await;
        receiver
            .wait_for("the consent's events", |b| {
                b.iter()
                    .any(|e| e["consentId"] == consent_id.as_str() && e["status"] == "AUTHORISED")
            })
            .await;
        let got = deliveries(&receiver);
        assert!(got.len() >= 2, "{got:?}");
        for (header_id, body) in &got {
            assert_names_its_delivery(header_id, body);
            assert_eq!(body["xcUserID"], "crm-user-42", "{body}");
        }
    }
);

both!(
    documents_webhooks_name_their_event_and_user,
    |db: Db| async move {
        let (ts, hook) = support::documents::server(db).await;
        let metadata = json!({"case": "A-17"});
        let (tok, user) = support::documents::token(&ts, json!({"metadata": metadata})).await;
        let (status, started) =
            support::documents::connect(&ts, &tok, "harborline", "user_good", None).await;
        assert_eq!(status, 200, "{started}");
        let id = started["id"].as_i64().unwrap();
        let (headers, body) = webhook_delivery_for(&hook, id).await;
        support::documents::assert_quickstart_shape(&body);
        assert_eq!(body["event"], "documents.ready", "{body}");
        assert_eq!(body["event_id"], headers["webhook-id"].as_str(), "{body}");
        assert_eq!(body["data"]["taiki_user_id"], user.as_str(), "{body}");
        assert_eq!(body["data"]["metadata"], metadata, "{body}");
        // Read back, the retrieval is not an event: no event name, no event id.
        let (status, read) = support::documents::retrieval(&ts, id).await;
        assert_eq!(status, 200, "{read}");
        support::documents::assert_quickstart_shape(&read);
        assert!(read.get("event").is_none(), "{read}");
        assert_eq!(read["data"]["taiki_user_id"], user.as_str(), "{read}");
    }
);
