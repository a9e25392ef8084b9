//! `/demo/done` shows a consent only to the browser whose demo opened its link.

mod support;

use serde_json::json;
use support::{Db, TestServer};

/// Opens a link through the demo page as a browser would; returns its
/// session cookie (`name=value`) and link token.
async fn open_demo(ts: &TestServer) -> (String, String) {
    let resp = ts
        .http
        .post(ts.url("/demo"))
        .form(&[("cpf", "529.982.247-25")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let location = resp.headers()["location"].to_str().unwrap();
    let link_token = location.split("v=").nth(1).unwrap().to_string();
    (cookie, link_token)
}

async fn done_page(ts: &TestServer, consent_id: &str, cookie: Option<&str>) -> (u16, String) {
    let mut req = ts.http.get(ts.url(&format!(
        "/demo/done?consentId={consent_id}&status=AUTHORISED"
    )));
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

both!(
    the_done_page_needs_the_link_token_of_its_consent,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        {
            let mut tx = ts.app().store.begin().await.unwrap();
            ponte_store::init_setting(
                &mut tx,
                ponte_server::services::clients::SANDBOX_CLIENT_SETTING,
                &ts.client.client_id,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let (cookie, link_token) = open_demo(&ts).await;
        let (consent_id, _) = ts.consent(&link_token, json!({})).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &consent_id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");

        let (status, page) = done_page(&ts, &consent_id, Some(&cookie)).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains(r#"data-status="AUTHORISED""#), "{page}");

        // A stranger who knows the consent id sees nothing of it.
        let (status, page) = done_page(&ts, &consent_id, None).await;
        assert_eq!(status, 403);
        assert!(
            !page.contains(&consent_id) && !page.contains("AUTHORISED"),
            "{page}"
        );
        let (status, page) =
            done_page(&ts, &consent_id, Some("ponte_demo_link=forged.token.value")).await;
        assert_eq!(status, 403);
        assert!(!page.contains("AUTHORISED"), "{page}");

        // Another demo session (another link) does not see this link's consent.
        let (other, _) = open_demo(&ts).await;
        let (status, page) = done_page(&ts, &consent_id, Some(&other)).await;
        assert_eq!(status, 404);
        assert!(!page.contains("AUTHORISED"), "{page}");
    }
);
