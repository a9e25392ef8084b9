//! Ending a consent: `DELETE` answers at once and the institution is told by
//! a job; a `DELETE` racing the institution's callback never leaves a
//! consent authorised without tokens, or ended with them.

use crate::support;

use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, TestServer};

async fn stored(ts: &TestServer, consent_id: &str) -> ponte_store::ConsentRow {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::consent_by_id(&mut conn, consent_id)
        .await
        .unwrap()
        .unwrap()
}

async fn delete(ts: &TestServer, access: &str, consent_id: &str) -> (u16, Value) {
    ts.call(
        reqwest::Method::DELETE,
        &format!("/data/v1/consents/{consent_id}"),
        Some(access),
        None,
    )
    .await
}

/// The consent as the customer sees it in their bank's app.
async fn at_bank(ts: &TestServer, consent_id: &str) -> Value {
    let row = stored(ts, consent_id).await;
    let resp = ts
        .http
        .get(ts.url(&format!(
            "/sandbox/banks/{}/customer/consents/{}",
            row.institution_code,
            row.bank_consent_id.unwrap()
        )))
        .basic_auth("user_good", Some("pass_good"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()
}

both!(
    delete_answers_revoked_at_once_and_a_job_revokes_at_the_bank,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (id, _) = ts.consent(&link_token, json!({})).await;
        let (_, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(body["status"], "AUTHORISED", "{body}");
        assert_eq!(at_bank(&ts, &id).await["data"]["status"], "AUTHORISED");

        let (status, body) = delete(&ts, &access, &id).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("REVOKED")),
            "{body}"
        );
        let mut bank = Value::Null;
        for _ in 0..200 {
            bank = at_bank(&ts, &id).await;
            if bank["data"]["status"] != "AUTHORISED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(
            (
                bank["data"]["status"].as_str(),
                bank["data"]["rejection"]["reason"]["code"].as_str()
            ),
            (Some("REJECTED"), Some("CUSTOMER_MANUALLY_REVOKED")),
            "{bank}"
        );
    }
);

both!(
    a_delete_racing_the_callback_leaves_a_consistent_consent,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        for round in 0..4 {
            let (_, link_token) = ts.link(&access, json!({})).await;
            let (id, _) = ts.consent(&link_token, json!({})).await;
            // The sandbox helper logs in at the bank, which calls Ponte back.
            let ((_, authorised), (deleted, _)) = tokio::join!(
                ts.authorise(
                    &link_token,
                    &id,
                    json!({"username": "user_good", "password": "pass_good"}),
                ),
                async {
                    // Half the rounds give the login a head start into its callback.
                    if round % 2 == 1 {
                        tokio::time::sleep(Duration::from_millis(30 * round)).await;
                    }
                    delete(&ts, &access, &id).await
                }
            );
            assert_eq!(deleted, 200, "round {round}");
            let row = stored(&ts, &id).await;
            let tokens = row.bank_tokens_enc.is_some();
            match row.status.as_str() {
                "AUTHORISED" => assert!(tokens, "round {round}: authorised without tokens"),
                "REVOKED" | "REJECTED" => {
                    assert!(!tokens, "round {round}: {} with tokens", row.status)
                }
                other => panic!("round {round}: {other} ({authorised})"),
            }
            let (_, view) = ts
                .get(&format!("/data/v1/consents/{id}"), Some(&access))
                .await;
            assert_eq!(view["status"].as_str(), Some(row.status.as_str()), "{view}");
        }
    }
);
