//! `x-fapi-auth-date`: when the end user last signed in with the integrator reaches
//! the institution while they are present. From the Data API link (`x-fapi-auth-date`
//! on `POST /data/v1/links`) and from a Server API session (its sign-in), to the
//! consent the widget creates; the sandbox bank shows what it was told.

use crate::support;

use crate::support::server_api as common;

use serde_json::{json, Value};
use support::{Db, TestServer};

/// What the bank heard about the end user when this Ponte consent was created there.
async fn heard_at_bank(ts: &TestServer, consent_id: &str) -> Value {
    let mut conn = ts.app().store.read().await.unwrap();
    let row = ponte_store::consent_by_id(&mut conn, consent_id)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let resp = ts
        .http
        .get(ts.url(&format!(
            "/sandbox/banks/{}/_test/consents/{}/presence",
            row.institution_code,
            row.bank_consent_id.unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// A real browser's user agent: longer than the 100 characters OFB takes.
const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

/// The widget (its requests come from Ponte's own origin) creates the consent.
async fn consent_from_widget(ts: &TestServer, link_token: &str) -> String {
    let institution = ts.institution(link_token).await;
    let resp = ts
        .http
        .post(ts.url("/data/v1/consents"))
        .bearer_auth(link_token)
        .header("origin", ts.url(""))
        .header("user-agent", BROWSER)
        .json(&json!({"institutionCode": institution}))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["consentId"].as_str().unwrap().to_string()
}

fn seconds_apart(http_date: &str, t: time::OffsetDateTime) -> i64 {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = time::PrimitiveDateTime::parse(http_date, format)
        .unwrap_or_else(|e| panic!("{http_date}: {e}"))
        .assume_utc();
    (at - t).whole_seconds().abs()
}

both!(
    the_integrators_sign_in_date_reaches_the_bank,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let link = |date: Option<&'static str>| {
            let mut req = ts
                .http
                .post(ts.url("/data/v1/links"))
                .bearer_auth(&access)
                .json(&json!({"personalTaxId": "529.982.247-25"}));
            if let Some(d) = date {
                req = req.header("x-fapi-auth-date", d);
            }
            req.send()
        };
        for bad in ["2026-12-07T09:30:00Z", "Tue, 07 Dec 2026 09:30:00 GMT"] {
            let resp = link(Some(bad)).await.unwrap();
            assert_eq!(resp.status(), 400, "{bad}");
            let body: Value = resp.json().await.unwrap();
            assert_eq!(body["error"]["field"], "x-fapi-auth-date", "{body}");
        }
        let resp = link(Some("Sun, 06 Dec 2026 21:15:00 GMT")).await.unwrap();
        let body: Value = resp.json().await.unwrap();
        let consent = consent_from_widget(&ts, body["linkToken"].as_str().unwrap()).await;
        let heard = heard_at_bank(&ts, &consent).await;
        assert_eq!(
            heard["xFapiAuthDate"], "Sun, 06 Dec 2026 21:15:00 GMT",
            "{heard}"
        );
        assert_eq!(heard["xCustomerUserAgent"], &BROWSER[..100], "{heard}");
        assert!(heard["xFapiCustomerIpAddress"].is_string(), "{heard}");

        // Without it the bank hears the rest, not a date Ponte made up.
        let resp = link(None).await.unwrap();
        let body: Value = resp.json().await.unwrap();
        let consent = consent_from_widget(&ts, body["linkToken"].as_str().unwrap()).await;
        let heard = heard_at_bank(&ts, &consent).await;
        assert!(heard["xFapiAuthDate"].is_null(), "{heard}");
    }
);

both!(
    a_server_api_sessions_sign_in_reaches_the_bank,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let signed_in = time::OffsetDateTime::now_utc();
        let (_, session) = common::session_for(&ts, &ts.client, "user-42").await;
        let (status, v) = ts
            .post(
                "/v1/client/connections/link",
                Some(&common::access_of(&session)),
                json!({"personalTaxId": "529.982.247-25"}),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let consent = consent_from_widget(&ts, v["data"]["linkToken"].as_str().unwrap()).await;
        let heard = heard_at_bank(&ts, &consent).await;
        let date = heard["xFapiAuthDate"].as_str().expect("a sign-in date");
        assert!(
            seconds_apart(date, signed_in) <= 5,
            "{date} is not the sign-in"
        );
    }
);
