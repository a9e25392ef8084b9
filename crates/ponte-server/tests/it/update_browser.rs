//! Update mode in a real browser (headless Chromium, `tests/browser/update.mjs`):
//! two connections of `user_good` renewed through links opened with their
//! consentId, one full page in Portuguese, one in the SDK's modal in English.
//! Afterwards each keeps its consentId with a new expiry, its data is still
//! retrievable, and the replaced consent is revoked at the bank.

use crate::support;

use ponte_server::services::clients::{self, BrandingChange};
use serde_json::{json, Value};
use std::time::Duration;
use support::browser::browser_available;
use support::{Receiver, TestServer};

async fn journeys(script: &str, args: &[String]) {
    support::browser::journeys(script, args, "the journeys").await
}

struct Connection {
    consent_id: String,
    link_id: String,
    expiry: String,
    bank_consent_id: String,
    update_url: String,
}

async fn bank_consent_id(ts: &TestServer, id: &str) -> String {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::consent_by_id(&mut conn, id)
        .await
        .unwrap()
        .unwrap()
        .bank_consent_id
        .unwrap()
}

/// An authorised connection of `user_good` and its update-mode link.
async fn connection(ts: &TestServer, access: &str) -> Connection {
    let (link_id, consent_id) = ts.authorised(access, "user_good").await;
    let (_, view) = ts
        .get(&format!("/data/v1/consents/{consent_id}"), Some(access))
        .await;
    let (status, link) = ts
        .post(
            "/data/v1/links",
            Some(access),
            json!({"consentId": consent_id, "redirectUrl": "https://app.example.com/done"}),
        )
        .await;
    assert_eq!(status, 200, "{link}");
    Connection {
        bank_consent_id: bank_consent_id(ts, &consent_id).await,
        expiry: view["expirationDateTime"].as_str().unwrap().to_string(),
        update_url: link["linkUrl"].as_str().unwrap().to_string(),
        consent_id,
        link_id,
    }
}

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
    resp.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_mode_renews_the_same_consent_in_a_real_browser() {
    if !browser_available("the update-mode journeys") {
        return;
    }
    let receiver = Receiver::start().await;
    let ts = support::spawn_with(
        support::Db::Sqlite,
        support::Options {
            webhook_url: Some(receiver.url.clone()),
            ..Default::default()
        },
    )
    .await;
    // The SDK's page is another origin on loopback: the client lets it frame the widget.
    let port = ts.base.rsplit(':').next().unwrap_or_default().to_string();
    clients::update_branding(
        ts.app(),
        &ts.client.client_id,
        &BrandingChange {
            frame_origins: Some(&format!("http://localhost:{port}")),
            ..Default::default()
        },
    )
    .await
    .expect("frame origins");
    let access = ts.access_token().await;
    let full_page = connection(&ts, &access).await;
    let modal = connection(&ts, &access).await;
    let (_, view) = ts
        .get(
            &format!("/data/v1/consents/{}", full_page.consent_id),
            Some(&access),
        )
        .await;
    let institution = view["institutionCode"].as_str().unwrap().to_string();
    let bank = ts
        .app()
        .directory
        .get(&institution)
        .expect("the bank")
        .name
        .clone();

    journeys(
        "update.mjs",
        &[json!({
            "base": ts.base,
            "bank": bank,
            "redirect": {"linkUrl": full_page.update_url, "consentId": full_page.consent_id},
            "sdk": {"linkUrl": modal.update_url, "consentId": modal.consent_id},
        })
        .to_string()],
    )
    .await;

    for c in [&full_page, &modal] {
        let (_, view) = ts
            .get(
                &format!("/data/v1/consents/{}", c.consent_id),
                Some(&access),
            )
            .await;
        assert_eq!(view["status"], "AUTHORISED", "{view}");
        let expiry = view["expirationDateTime"].as_str().unwrap();
        assert!(expiry > c.expiry.as_str(), "{expiry} after {}", c.expiry);
        let now_bank_id = bank_consent_id(&ts, &c.consent_id).await;
        assert_ne!(now_bank_id, c.bank_consent_id, "a new consent at the bank");
        // The replaced consent is revoked at the bank (a job, retried).
        let mut old = at_bank(&ts, &institution, &c.bank_consent_id).await;
        for _ in 0..400 {
            if old["data"]["status"] == "REJECTED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            old = at_bank(&ts, &institution, &c.bank_consent_id).await;
        }
        assert_eq!(old["data"]["status"], "REJECTED", "{old}");
        assert_eq!(
            at_bank(&ts, &institution, &now_bank_id).await["data"]["status"],
            "AUTHORISED"
        );
        // The data still comes under the same consentId.
        let (status, resp) = ts
            .post(
                "/data/personal/institution-data",
                Some(&access),
                json!({"taxId": "52998224725", "linkId": c.link_id, "consentId": [c.consent_id], "products": ["accounts"]}),
            )
            .await;
        assert_eq!(status, 200, "{resp}");
        let bodies = receiver
            .wait_for("the report", |b| {
                b.iter().any(|e| {
                    e["event"] == "REPORT_READY" && e["consentId"] == c.consent_id.as_str()
                })
            })
            .await;
        let report = bodies
            .iter()
            .find(|e| e["event"] == "REPORT_READY" && e["consentId"] == c.consent_id.as_str())
            .unwrap();
        assert_eq!(report["status"], "SUCCESS", "{report}");
    }
}
