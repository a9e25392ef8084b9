//! The end user's own connections: opening the widget for themselves,
//! listing, revoking (as the Data API's DELETE, with its webhook), and
//! isolation from other end users and other clients.

use crate::support::server_api::*;
use crate::support::{self, Receiver};
use ponte_server::services::clients;
use reqwest::Method;
use serde_json::{json, Value};

both!(
    the_end_user_lists_and_revokes_their_own_connections_and_the_client_hears_of_it,
    |db| async move {
        let receiver = Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(receiver.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let (_, s) = session_for(&ts, &ts.client, "6").await;
        let access = access_of(&s);
        assert!(list(&ts, &access).await.is_empty());
        let (first, institution) = connect(&ts, &access).await;
        let (second, _) = connect(&ts, &access).await;

        let connections = list(&ts, &access).await;
        let ids: Vec<&str> = connections
            .iter()
            .map(|c| c["consentID"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [first.as_str(), second.as_str()]);
        let c = &connections[0];
        assert_eq!(c["status"], "AUTHORISED");
        assert_eq!(c["institution"]["code"], institution.as_str());
        assert!(!c["institution"]["name"].as_str().unwrap().is_empty());
        assert!(
            c["products"]
                .as_array()
                .unwrap()
                .contains(&json!("accounts")),
            "{c}"
        );
        assert!(c["expiry"].as_i64().unwrap() > c["created"].as_i64().unwrap());

        // The integrator's backend sees the same consent through the Data API.
        let backend = ts.access_token().await;
        let (status, seen) = ts
            .get(&format!("/data/v1/consents/{first}"), Some(&backend))
            .await;
        assert_eq!(
            (status, seen["status"].as_str()),
            (200, Some("AUTHORISED")),
            "{seen}"
        );

        let path = format!("{CONNECTIONS_PATH}/{first}");
        let (status, v) = with_bearer(&ts, Method::DELETE, &path, &access).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["data"]["status"], "REVOKED");
        assert_eq!(v["data"]["statusReason"], "END_USER_REVOKED");
        let statuses: Vec<Value> = list(&ts, &access)
            .await
            .iter()
            .map(|c| c["status"].clone())
            .collect();
        assert_eq!(statuses, [json!("REVOKED"), json!("AUTHORISED")]);
        let (_, seen) = ts
            .get(&format!("/data/v1/consents/{first}"), Some(&backend))
            .await;
        assert_eq!(
            seen["status"], "REVOKED",
            "exactly as the Data API's DELETE"
        );

        let bodies = receiver
            .wait_for("the end user's revocation", |b| {
                b.iter()
                    .any(|m| m["consentId"] == first.as_str() && m["status"] == "REVOKED")
            })
            .await;
        let event = bodies
            .iter()
            .find(|m| m["consentId"] == first.as_str() && m["status"] == "REVOKED")
            .unwrap();
        assert_eq!(event["event"], "CONSENT_STATUS_CHANGED");
        assert_eq!(event["previousStatus"], "AUTHORISED");
        assert_eq!(event["reason"], "END_USER_REVOKED");

        // Revoking again changes nothing; an unknown or malformed id is not found.
        let (status, again) = with_bearer(&ts, Method::DELETE, &path, &access).await;
        assert_eq!(
            (status, again["data"]["status"].as_str()),
            (200, Some("REVOKED"))
        );
        let unknown = format!("{CONNECTIONS_PATH}/{}", uuid::Uuid::now_v7());
        assert_refused(
            &with_bearer(&ts, Method::DELETE, &unknown, &access).await,
            404,
            "40401",
            "",
        );
        let junk = format!("{CONNECTIONS_PATH}/not-an-id");
        assert_refused(
            &with_bearer(&ts, Method::DELETE, &junk, &access).await,
            404,
            "40401",
            "",
        );
        assert_refused(
            &send(&ts, Method::DELETE, &path, &[], None).await,
            400,
            "40001",
            "",
        );
    }
);

both!(
    another_end_user_or_another_client_sees_nothing_and_cannot_revoke,
    |db| async move {
        let ts = support::spawn(db).await;
        let (_, s) = session_for(&ts, &ts.client, "6").await;
        let owner = access_of(&s);
        let (consent_id, _) = connect(&ts, &owner).await;
        let path = format!("{CONNECTIONS_PATH}/{consent_id}");

        // Another user of the same client.
        let (_, s) = session_for(&ts, &ts.client, "7").await;
        let neighbour = access_of(&s);
        assert!(list(&ts, &neighbour).await.is_empty());
        assert_refused(
            &with_bearer(&ts, Method::DELETE, &path, &neighbour).await,
            404,
            "40401",
            "",
        );

        // The same xcUserID at another client is another person.
        let other = clients::create(
            ts.app(),
            clients::parse_new_client("Other", None, None, false).unwrap(),
        )
        .await
        .unwrap();
        let (_, s) = session_for(&ts, &other, "6").await;
        let stranger = access_of(&s);
        assert!(list(&ts, &stranger).await.is_empty());
        assert_refused(
            &with_bearer(&ts, Method::DELETE, &path, &stranger).await,
            404,
            "40401",
            "",
        );
        // Nor may the other client's backend touch it through the Data API.
        let other_backend = ts.access_token_for(&other).await;
        let (status, _) = ts
            .call(
                Method::DELETE,
                &format!("/data/v1/consents/{consent_id}"),
                Some(&other_backend),
                None,
            )
            .await;
        assert_eq!(status, 404);

        let mine = list(&ts, &owner).await;
        assert_eq!(mine.len(), 1);
        assert_eq!(
            mine[0]["status"], "AUTHORISED",
            "nobody else could revoke it"
        );
    }
);
