//! Retrieval requests: validated field by field before any work is queued.

mod support;

use serde_json::{json, Value};
use support::{Db, TestServer};

async fn authorised(ts: &TestServer, user: &str) -> (String, String, String) {
    let access = ts.access_token().await;
    let (link_id, link_token) = ts.link(&access, json!({})).await;
    let (consent_id, _) = ts.consent(&link_token, json!({})).await;
    let (status, body) = ts
        .authorise(
            &link_token,
            &consent_id,
            json!({"username": user, "password": "pass_good"}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("AUTHORISED")),
        "{body}"
    );
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
