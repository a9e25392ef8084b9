//! Retrieval requests: validated field by field before any work is queued;
//! retrievals that meet a bank refreshing tokens, throttling, or reporting the
//! consent revoked by the customer.

use crate::support;

use ponte_connect::BankTokens;
use serde_json::{json, Value};
use support::{Db, Receiver, TestServer};

async fn authorised(ts: &TestServer, user: &str) -> (String, String, String) {
    let access = ts.access_token().await;
    let (link_id, consent_id) = ts.authorised(&access, user).await;
    (access, link_id, consent_id)
}

fn request_body(link_id: &str, consent_id: &str, products: &[&str]) -> Value {
    json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": products})
}

both!(requests_are_validated_field_by_field, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (link_id, link_token) = ts.link(&access, json!({})).await;
    let (waiting, _) = ts.consent(&link_token, json!({})).await;
    let path = "/data/personal/institution-data";
    let cases = [
        (
            json!({"linkId": link_id, "consentId": [waiting], "products": ["accounts"]}),
            "taxId",
        ),
        (
            json!({"taxId": "111", "linkId": link_id, "consentId": [waiting], "products": ["accounts"]}),
            "taxId",
        ),
        (
            // A valid CPF, but not the one the link was opened for.
            json!({"taxId": "111.444.777-35", "linkId": link_id, "consentId": [waiting], "products": ["accounts"]}),
            "taxId",
        ),
        (
            json!({"taxId": "52998224725", "linkId": "nope", "consentId": [waiting], "products": ["accounts"]}),
            "linkId",
        ),
        (
            json!({"taxId": "52998224725", "linkId": link_id, "consentId": [], "products": ["accounts"]}),
            "consentId",
        ),
        (
            json!({"taxId": "52998224725", "linkId": link_id, "consentId": ["3f0e0000-0000-7000-8000-000000000000"], "products": ["accounts"]}),
            "consentId[0]",
        ),
        (
            json!({"taxId": "52998224725", "linkId": link_id, "consentId": "x", "products": ["accounts"]}),
            "consentId",
        ),
    ];
    for (body, field) in cases {
        let (status, resp) = ts.post(path, Some(&access), body.clone()).await;
        assert_eq!(
            (status, resp["error"]["field"].as_str()),
            (400, Some(field)),
            "{body} → {resp}"
        );
    }
    let (status, resp) = ts
        .post(
            path,
            Some(&access),
            request_body(&link_id, &waiting, &["accounts"]),
        )
        .await;
    assert_eq!(
        (status, resp["error"]["code"].as_str()),
        (409, Some("CONSENT_NOT_AUTHORISED")),
        "{resp}"
    );

    let (access, link_id, consent_id) = authorised(&ts, "user_good").await;
    let (status, resp) = ts
        .post(
            path,
            Some(&access),
            request_body(&link_id, &consent_id, &["cars"]),
        )
        .await;
    assert_eq!(
        (status, resp["error"]["field"].as_str()),
        (400, Some("products[0]")),
        "{resp}"
    );
    let (status, resp) = ts.post("/data/business/institution-data", Some(&access), json!({"taxId": "11222333000181", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]})).await;
    assert_eq!(
        (status, resp["error"]["field"].as_str()),
        (400, Some("consentId[0]")),
        "a personal consent on the business path: {resp}"
    );
    let (status, _) = ts
        .post(path, Some(&ts.access_token().await), json!({}))
        .await;
    assert_eq!(status, 400);
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (status, _) = ts
        .post(
            path,
            Some(&link_token),
            request_body(&link_id, &consent_id, &["accounts"]),
        )
        .await;
    assert_eq!(status, 403, "a link token cannot request data");
});

/// The consent as Ponte stores it.
async fn stored(ts: &TestServer, consent_id: &str) -> ponte_store::ConsentRow {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::consent_by_id(&mut conn, consent_id)
        .await
        .unwrap()
        .unwrap()
}

async fn bank_tokens(ts: &TestServer, consent_id: &str) -> Option<BankTokens> {
    let row = stored(ts, consent_id).await;
    row.bank_tokens_enc.map(|sealed| {
        let slot = ponte_server::services::slots::consent_bank_tokens(consent_id);
        ts.app().crypto.open_json(slot, &sealed).unwrap()
    })
}

/// The bank's own counters for the consent, read in its customer app as `user`.
async fn bank_activity(ts: &TestServer, consent_id: &str, user: &str) -> Value {
    let row = stored(ts, consent_id).await;
    let resp = ts
        .http
        .get(ts.url(&format!(
            "/sandbox/banks/{}/customer/consents/{}",
            row.institution_code,
            row.bank_consent_id.unwrap()
        )))
        .basic_auth(user, Some("pass_good"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["activity"].clone()
}

async fn retrieve(
    ts: &TestServer,
    access: &str,
    link_id: &str,
    consent_id: &str,
    products: &[&str],
) -> String {
    let (status, resp) = ts
        .post(
            "/data/personal/institution-data",
            Some(access),
            request_body(link_id, consent_id, products),
        )
        .await;
    assert_eq!(status, 200, "{resp}");
    resp["requestId"].as_str().unwrap().to_string()
}

/// The `REPORT_READY` webhooks of one request, once all `n` arrived.
async fn reports_of(events: &Receiver, request_id: &str, n: usize) -> Vec<Value> {
    let mine = |b: &[Value]| -> Vec<Value> {
        b.iter()
            .filter(|e| e["event"] == "REPORT_READY" && e["requestId"] == request_id)
            .cloned()
            .collect()
    };
    mine(&events.wait_for("the reports", |b| mine(b).len() >= n).await)
}

async fn events_to(db: Db) -> (TestServer, Receiver) {
    let (ts, events) = support::spawn_receiving(db).await;
    (ts, events)
}

both!(
    a_consent_revoked_in_the_bank_is_revoked_here_at_the_next_retrieval,
    |db: Db| async move {
        let (ts, events) = events_to(db).await;
        let (access, link_id, consent_id) = authorised(&ts, "user_good").await;
        let first = retrieve(&ts, &access, &link_id, &consent_id, &["accounts"]).await;
        let report = reports_of(&events, &first, 1).await.remove(0);
        assert_eq!(report["status"], "SUCCESS", "{report}");
        let download = report["downloadUrl"].as_str().unwrap().to_string();
        assert_eq!(ts.http.get(&download).send().await.unwrap().status(), 200);

        // The end user withdraws the consent in their bank's app.
        let revoke = format!("/sandbox/v1/consents/{consent_id}/revoke-at-institution");
        let (status, body) = ts
            .post(
                &revoke,
                Some(&access),
                json!({"username": "user_good", "password": "wrong"}),
            )
            .await;
        assert!(
            status >= 400,
            "a wrong password revokes nothing: {status} {body}"
        );
        let (status, body) = ts
            .post(&revoke, Some(&access), json!({"username": "user_good"}))
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("password")),
            "{body}"
        );
        let (status, body) = ts
            .post(
                &revoke,
                Some(&access),
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        // Nobody told Ponte: the bank only refuses its tokens from now on.
        let (_, view) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(view["status"], "AUTHORISED", "{view}");

        let second = retrieve(&ts, &access, &link_id, &consent_id, &["accounts"]).await;
        let failed = reports_of(&events, &second, 1).await.remove(0);
        assert_eq!(failed["status"], "FAILED", "{failed}");
        let why = failed["reason"].as_str().unwrap();
        assert!(
            why.starts_with("INSTITUTION_REVOKED") && why.contains("CUSTOMER_MANUALLY_REVOKED"),
            "{why}"
        );
        let changed = events
            .wait_for("the revocation event", |b| {
                b.iter()
                    .any(|e| e["event"] == "CONSENT_STATUS_CHANGED" && e["status"] == "REVOKED")
            })
            .await
            .into_iter()
            .find(|e| e["event"] == "CONSENT_STATUS_CHANGED" && e["status"] == "REVOKED")
            .unwrap();
        assert_eq!(
            (
                changed["consentId"].as_str(),
                changed["linkId"].as_str(),
                changed["previousStatus"].as_str(),
                changed["reason"].as_str(),
            ),
            (
                Some(consent_id.as_str()),
                Some(link_id.as_str()),
                Some("AUTHORISED"),
                Some("INSTITUTION_REVOKED")
            ),
            "{changed}"
        );

        // As after DELETE: revoked, data erased, tokens gone, no more requests.
        let (_, view) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(view["status"], "REVOKED", "{view}");
        let history: Vec<(&str, Option<&str>)> = view["statusHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["status"].as_str().unwrap(), h["reason"].as_str()))
            .collect();
        assert_eq!(
            history.last(),
            Some(&("REVOKED", Some("INSTITUTION_REVOKED"))),
            "{view}"
        );
        assert_eq!(ts.http.get(&download).send().await.unwrap().status(), 410);
        let (status, _) = ts
            .get(
                &format!("/data/v1/reports/{}", report["reportId"].as_str().unwrap()),
                Some(&access),
            )
            .await;
        assert_eq!(status, 410);
        assert!(bank_tokens(&ts, &consent_id).await.is_none());
        let (_, req) = ts
            .get(&format!("/data/v1/requests/{second}"), Some(&access))
            .await;
        assert_eq!(req["status"], "COMPLETED", "{req}");
        assert_eq!(req["reports"][0]["status"], "FAILED", "{req}");
        assert_eq!(req["reports"][0]["reason"].as_str(), Some(why), "{req}");
        let (status, resp) = ts
            .post(
                "/data/personal/institution-data",
                Some(&access),
                request_body(&link_id, &consent_id, &["accounts"]),
            )
            .await;
        assert_eq!(
            (status, resp["error"]["code"].as_str()),
            (409, Some("CONSENT_NOT_AUTHORISED")),
            "{resp}"
        );
    }
);

both!(
    tokens_the_bank_ends_early_are_refreshed_and_the_rotation_is_kept,
    |db: Db| async move {
        let (ts, events) = events_to(db).await;
        let (access, link_id, consent_id) = authorised(&ts, "user_expiring").await;
        let before = bank_tokens(&ts, &consent_id).await.unwrap();
        // Three products at once: their jobs share, and rotate, the same tokens.
        let products = ["accounts", "creditCards", "registration"];
        let first = retrieve(&ts, &access, &link_id, &consent_id, &products).await;
        for r in reports_of(&events, &first, 3).await {
            assert_eq!(r["status"], "SUCCESS", "{r}");
        }
        let activity = bank_activity(&ts, &consent_id, "user_expiring").await;
        let refreshes = activity["tokenRefreshes"].as_u64().unwrap();
        assert!(
            refreshes >= 2 && activity["expiredTokens"].as_u64().unwrap() >= 1,
            "{activity}"
        );
        let after = bank_tokens(&ts, &consent_id).await.unwrap();
        assert_ne!(
            after.refresh_token, before.refresh_token,
            "the rotated refresh token is stored"
        );

        // The next retrieval needs a refresh too, with the refresh token stored last:
        // every earlier one is spent.
        let second = retrieve(&ts, &access, &link_id, &consent_id, &["accounts"]).await;
        let report = reports_of(&events, &second, 1).await.remove(0);
        assert_eq!(report["status"], "SUCCESS", "{report}");
        let again = bank_activity(&ts, &consent_id, "user_expiring").await;
        assert!(
            again["tokenRefreshes"].as_u64().unwrap() > refreshes,
            "{again}"
        );
        let (_, view) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(view["status"], "AUTHORISED");
    }
);

both!(
    a_throttling_bank_is_waited_out_as_it_asks,
    |db: Db| async move {
        let (ts, events) = events_to(db).await;
        let (access, link_id, consent_id) = authorised(&ts, "user_throttled").await;
        let request = retrieve(&ts, &access, &link_id, &consent_id, &["accounts"]).await;
        let report = reports_of(&events, &request, 1).await.remove(0);
        assert_eq!(report["status"], "SUCCESS", "{report}");
        assert!(report["summary"]["transactions"].as_u64().unwrap() > 100);
        // The account list, then each account, its balances, overdraft limits and
        // transactions: each resource answered 429 once, then served.
        let activity = bank_activity(&ts, &consent_id, "user_throttled").await;
        assert_eq!(activity["throttledCalls"], 5, "{activity}");
        assert_eq!(activity["tokenRefreshes"], 0, "{activity}");
    }
);
