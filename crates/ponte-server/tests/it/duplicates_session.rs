//! What the widget learns before the end user picks a bank (`GET
//! /link/session`, `alreadyConnected`): the institutions this person already
//! connected for the client and the client's policy, when it warns or
//! refuses; nothing for an `allow` client, a link that names no person, or
//! another person. Only codes and the policy reach the page.

use crate::support;

use ponte_server::services::duplicates::{self, DuplicatePolicy};
use serde_json::{json, Value};
use support::{Db, TestServer};

async fn session(ts: &TestServer, link_token: &str) -> Value {
    let (status, s) = ts.get("/link/session", Some(link_token)).await;
    assert_eq!(status, 200, "{s}");
    s
}

both!(
    the_session_lists_connected_banks_for_warn_and_refuse_only,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let client = ts.client.client_id.to_string();
        let (_, first) = ts.authorised(&access, "user_good").await;
        let (_, c) = ts
            .get(&format!("/data/v1/consents/{first}"), Some(&access))
            .await;
        let institution = c["institutionCode"].as_str().unwrap().to_string();
        // A consent of the same person still awaiting the bank is no connection.
        let (_, pending_link) = ts.link(&access, json!({})).await;
        let other_code = {
            let (_, list) = ts
                .get("/data/v1/links/institutions", Some(&pending_link))
                .await;
            list.as_array()
                .unwrap()
                .iter()
                .find(|i| i["isOutage"] == false && i["institutionCode"] != institution.as_str())
                .expect("a second institution up")["institutionCode"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let (status, pending) = ts
            .post(
                "/data/v1/consents",
                Some(&pending_link),
                json!({"institutionCode": other_code}),
            )
            .await;
        assert_eq!(status, 200, "{pending}");

        let (_, link_token) = ts.link(&access, json!({})).await;
        // allow is the default: the page hears nothing.
        let s = session(&ts, &link_token).await;
        assert_eq!(s["alreadyConnected"], Value::Null, "{s}");

        for policy in [DuplicatePolicy::Warn, DuplicatePolicy::Refuse] {
            duplicates::set_policy(ts.app(), &client, policy)
                .await
                .unwrap();
            let s = session(&ts, &link_token).await;
            assert_eq!(
                s["alreadyConnected"],
                json!({"policy": policy.as_str(), "institutionCodes": [institution]}),
                "{s}"
            );
            // Nothing that names the person or the other consent.
            let text = s.to_string();
            assert!(!text.contains(&first), "no consent id: {text}");
            assert!(
                !text.contains("529.982.247-25") && !text.contains("52998224725"),
                "no tax id: {text}"
            );
        }

        // Another person, and a business link that names no person (who
        // logs in is only known at the bank): nothing to warn of.
        let (_, stranger) = ts
            .link(&access, json!({"personalTaxId": "111.444.777-35"}))
            .await;
        let s = session(&ts, &stranger).await;
        assert_eq!(s["alreadyConnected"], Value::Null, "{s}");
        let (_, nobody) = ts
            .link(
                &access,
                json!({"personalTaxId": null, "businessTaxId": "11.222.333/0001-81"}),
            )
            .await;
        let s = session(&ts, &nobody).await;
        assert_eq!(s["alreadyConnected"], Value::Null, "{s}");

        duplicates::set_policy(ts.app(), &client, DuplicatePolicy::Allow)
            .await
            .unwrap();
        let s = session(&ts, &link_token).await;
        assert_eq!(s["alreadyConnected"], Value::Null, "{s}");
    }
);
