//! "Renew" on the end user's `/me` page (issue 26), over HTTP: offered only
//! for a connection inside the client's lead time, in both languages;
//! renewed without leaving the page when the bank allows it, else on to the
//! widget in update mode for the same connection, which comes back to `/me`.

use crate::support;
use crate::support::server_api as common;

use common::*;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::{json, Value};
use support::{Db, TestServer};

async fn browse(
    ts: &TestServer,
    method: reqwest::Method,
    path: &str,
    cookie: &str,
    form: Option<&[(&str, &str)]>,
) -> (u16, reqwest::header::HeaderMap, String) {
    // A browser always names itself; the bank requires it for a renewal.
    let mut req = ts
        .http
        .request(method, ts.url(path))
        .header("cookie", cookie)
        .header(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) me-renew-test",
        );
    if let Some(f) = form {
        req = req.form(f);
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    (status, headers, resp.text().await.unwrap())
}

/// Opens `/me?ticket=…` for `xc_user_id`: the session cookie.
async fn open_page(ts: &TestServer, xc_user_id: &str) -> String {
    let (_, ticket) = ticket_for(ts, &ts.client, xc_user_id).await;
    let resp = ts
        .http
        .get(ts.url(&format!("/me?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let set = resp.headers()[SET_COOKIE].to_str().unwrap().to_string();
    set.split(';').next().unwrap().to_string()
}

fn csrf(html: &str) -> String {
    regex::Regex::new(r#"name="csrf" value="([^"]+)""#)
        .unwrap()
        .captures(html)
        .expect("a csrf field")[1]
        .to_string()
}

async fn expiry(ts: &TestServer, id: &str) -> String {
    let access = ts.access_token().await;
    let (status, v) = ts
        .get(&format!("/data/v1/consents/{id}"), Some(&access))
        .await;
    assert_eq!(status, 200, "{v}");
    v["expirationDateTime"].as_str().unwrap().to_string()
}

async fn advance(ts: &TestServer, days: i64) {
    let access = ts.access_token().await;
    let (status, v) = ts
        .post(
            "/sandbox/v1/clock/advance",
            Some(&access),
            json!({"days": days}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
}

both!(
    an_expiring_connection_is_renewed_from_me_without_leaving_the_page,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let (_, s) = session_for(&ts, &ts.client, "renew-1").await;
        let (id, _) = connect(&ts, &access_of(&s)).await;
        let cookie = open_page(&ts, "renew-1").await;
        let renew_path = format!("/me/connections/{id}/renew");

        // A year ahead: nothing to renew yet.
        let (_, _, html) = browse(&ts, reqwest::Method::GET, "/me", &cookie, None).await;
        assert!(!html.contains(&renew_path), "{html}");

        // Five days before it ends (the client's lead time is 7): offered.
        advance(&ts, 360).await;
        let (status, _, html) =
            browse(&ts, reqwest::Method::GET, "/me?lang=pt-BR", &cookie, None).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(&renew_path), "{html}");
        assert!(
            html.contains("Renovar") && html.contains("Termina em 5 dias"),
            "{html}"
        );
        let (_, _, en) = browse(&ts, reqwest::Method::GET, "/me?lang=en", &cookie, None).await;
        assert!(
            en.contains(">Renew<") && en.contains("Ends in 5 days"),
            "{en}"
        );

        // A post without the page's token is refused; with it, renewed at the bank.
        let before = expiry(&ts, &id).await;
        let (status, _, _) = browse(
            &ts,
            reqwest::Method::POST,
            &renew_path,
            &cookie,
            Some(&[("csrf", "forged")]),
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(expiry(&ts, &id).await, before);
        let token = csrf(&en);
        let (status, headers, _) = browse(
            &ts,
            reqwest::Method::POST,
            &renew_path,
            &cookie,
            Some(&[("csrf", &token)]),
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(headers[LOCATION], "/me?renewed=1");
        let after = expiry(&ts, &id).await;
        assert!(after > before, "{after} after {before}");
        let (_, _, html) = browse(
            &ts,
            reqwest::Method::GET,
            "/me?renewed=1&lang=en",
            &cookie,
            None,
        )
        .await;
        assert!(html.contains("Connection renewed."), "{html}");
        assert!(!html.contains(&renew_path), "renewed: no longer offered");

        // Another end user's connection is not theirs to renew.
        let (_, s2) = session_for(&ts, &ts.client, "renew-2").await;
        let (other, _) = connect(&ts, &access_of(&s2)).await;
        let (status, _, _) = browse(
            &ts,
            reqwest::Method::POST,
            &format!("/me/connections/{other}/renew"),
            &cookie,
            Some(&[("csrf", &token)]),
        )
        .await;
        assert_eq!(status, 404);
    }
);

both!(
    when_the_bank_will_not_renew_in_place_me_sends_the_end_user_to_update_mode,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let (_, s) = session_for(&ts, &ts.client, "renew-3").await;
        let (id, _) = connect(&ts, &access_of(&s)).await;
        let cookie = open_page(&ts, "renew-3").await;
        advance(&ts, 360).await;
        // The end user withdrew the consent in the bank's own app: the bank
        // no longer renews it without them, so the widget takes over.
        let access = ts.access_token().await;
        let (status, body) = ts
            .post(
                &format!("/sandbox/v1/consents/{id}/revoke-at-institution"),
                Some(&access),
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, _, html) = browse(&ts, reqwest::Method::GET, "/me", &cookie, None).await;
        let token = csrf(&html);
        let (status, headers, body) = browse(
            &ts,
            reqwest::Method::POST,
            &format!("/me/connections/{id}/renew"),
            &cookie,
            Some(&[("csrf", &token)]),
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let to = headers[LOCATION].to_str().unwrap().to_string();
        assert!(to.contains("/link?v="), "{to}");
        let link_token = url::Url::parse(&to)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "v")
            .unwrap()
            .1
            .to_string();
        // The widget's link renews this very connection and returns to /me.
        let (status, renewal) = ts.get("/data/v1/links/renewal", Some(&link_token)).await;
        assert_eq!(status, 200, "{renewal}");
        assert_eq!(renewal["consentId"], id.as_str());
        let (_, session): (u16, Value) = ts.get("/link/session", Some(&link_token)).await;
        assert!(
            session["redirectUrl"].as_str().unwrap().ends_with("/me"),
            "{session}"
        );
        assert_eq!(session["renewal"]["consentId"], id.as_str(), "{session}");
        let before = expiry(&ts, &id).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("AUTHORISED")),
            "{body}"
        );
        let after = expiry(&ts, &id).await;
        assert!(after > before, "{after} after {before}");
        let (_, _, html) = browse(
            &ts,
            reqwest::Method::GET,
            &format!("/me?consentId={id}&status=AUTHORISED&renewal=true&lang=en"),
            &cookie,
            None,
        )
        .await;
        assert!(html.contains("Connection renewed."), "{html}");
    }
);
