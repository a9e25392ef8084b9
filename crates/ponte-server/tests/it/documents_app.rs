//! The documents app (`/app`) over HTTP, on both databases: the page in
//! documents mode for a good token and a page in words for a bad, missing or
//! expired one (the injected clock); who receives the documents; the portal's
//! pages in pt-BR or English; a locked account cancelled back to the app,
//! which learns why (`/app/progress`), with the failed webhook.

use crate::support;

use regex::Regex;
use serde_json::{json, Value};
use std::time::Duration;
use support::documents::server;
use support::TestServer;

async fn token(ts: &TestServer) -> String {
    support::documents::token(ts, json!({})).await.0
}

async fn page(ts: &TestServer, path: &str, language: &str) -> (u16, String) {
    let resp = ts
        .http
        .get(ts.url(path))
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

both!(the_app_opens_only_with_a_live_token, |db| async move {
    let ts = support::spawn(db).await;
    let tok = token(&ts).await;
    let resp = ts
        .http
        .get(ts.url(&format!("/app?access_token={tok}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"data-mode="documents""#), "{html}");

    let (status, session) = ts.get("/app/session", Some(&tok)).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["clientName"], "Test client");

    // A bad or missing token: words, in the browser's language, never an API message.
    for (path, lang, words) in [
        (
            "/app?access_token=nope",
            "pt-BR,pt;q=0.9",
            "Este link não é válido",
        ),
        ("/app", "en-US,en;q=0.9", "This link is not valid"),
    ] {
        let (status, html) = page(&ts, path, lang).await;
        assert_eq!(status, 401, "{path}");
        assert!(
            html.contains(words) && html.contains(r#"role="alert""#),
            "{html}"
        );
        assert!(
            !html.contains("invalid_token") && !html.contains("Bearer"),
            "{html}"
        );
    }
    // An hour later the same token has expired, and the page says so.
    // The pages in words follow the one language rule: the switch (kept in
    // the `ponte_lang` cookie) beats the browser's language.
    let switched = ts
        .http
        .get(ts.url("/app?access_token=nope&lang=en"))
        .header("accept-language", "pt-BR")
        .send()
        .await
        .unwrap();
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("ponte_lang=en;"), "{cookie}");
    let html = switched.text().await.unwrap();
    assert!(html.contains("This link is not valid"), "{html}");
    assert!(
        html.contains(r#"href="/app?access_token=nope&amp;lang=pt-BR""#),
        "the switch keeps the token: {html}"
    );
    let remembered = ts
        .http
        .get(ts.url("/app"))
        .header("accept-language", "pt-BR")
        .header("cookie", "ponte_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        remembered.contains("This link is not valid"),
        "{remembered}"
    );

    ts.clock.advance(Duration::from_secs(3601));
    let (status, html) = page(&ts, &format!("/app?access_token={tok}"), "pt-BR").await;
    assert_eq!(status, 401);
    assert!(html.contains("Este link expirou"), "{html}");
    let (status, body) = ts.get("/app/session", Some(&tok)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("token_expired")),
        "{body}"
    );
});

fn cancel_href(html: &str) -> String {
    let re = Regex::new(r#"href="([^"]+/cancel\?[^"]+)""#).unwrap();
    html_escape::decode_html_entities(&re.captures(html).unwrap_or_else(|| panic!("{html}"))[1])
        .to_string()
}

both!(
    a_locked_account_comes_back_to_the_app_saying_so,
    |db| async move {
        let (ts, hook) = server(db).await;
        let tok = token(&ts).await;
        let (status, started) = ts
            .post(
                "/api/connections",
                Some(&tok),
                json!({"institutionCode": "harborline"}),
            )
            .await;
        assert_eq!(status, 200, "{started}");
        let id = started["id"].as_i64().unwrap();
        let login = started["login_url"].as_str().unwrap().to_string();

        // The portal speaks Portuguese by default, English when asked.
        let pt = ts
            .http
            .get(&login)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            pt.contains(r#"<html lang="pt-BR""#) && pt.contains("Senha"),
            "{pt}"
        );
        let en = ts
            .http
            .get(format!("{login}&ui_locales=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            en.contains(r#"<html lang="en""#) && en.contains("Password"),
            "{en}"
        );

        // user_locked is refused at the portal, then goes back to the app.
        let txn = Regex::new(r#"name="txn" value="([^"]+)""#)
            .unwrap()
            .captures(&pt)
            .unwrap()[1]
            .to_string();
        let origin = url::Url::parse(&login).unwrap();
        let action = Regex::new(r#"action="([^"]+/login)""#)
            .unwrap()
            .captures(&pt)
            .unwrap()[1]
            .to_string();
        let refused = ts
            .http
            .post(origin.join(&action).unwrap())
            .form(&[
                ("txn", txn.as_str()),
                ("lang", "pt-BR"),
                ("username", "user_locked"),
                ("password", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let html = refused.text().await.unwrap();
        assert!(html.contains(r#"data-error="locked""#), "{html}");
        let back = ts
            .http
            .get(origin.join(&cancel_href(&html)).unwrap())
            .send()
            .await
            .unwrap();
        assert!(back.status().is_redirection(), "{}", back.status());
        let callback = back.headers()["location"].to_str().unwrap().to_string();
        assert!(
            callback.contains("error_description=account_locked"),
            "{callback}"
        );
        let resp = ts.http.get(&callback).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.unwrap();
        assert!(html.contains("url=/app?returned=declined"), "{html}");

        let (status, progress) = ts.get("/app/progress", Some(&tok)).await;
        assert_eq!(status, 200, "{progress}");
        assert_eq!(progress["id"], id);
        assert_eq!(progress["status"], "failed", "{progress}");
        assert_eq!(progress["reason"], "locked", "{progress}");
        let bodies = hook
            .wait_for("the failed retrieval's webhook", |b| {
                b.iter().any(|w| w["data"]["id"] == id)
            })
            .await;
        let body: &Value = bodies.iter().find(|w| w["data"]["id"] == id).unwrap();
        assert_eq!(body["status"], "failed", "{body}");
        // The cancelled sign-in cannot be walked again.
        let again = ts
            .http
            .get(&callback)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(again.contains("returned=invalid"), "{again}");
    }
);

both!(the_app_follows_a_retrieval_file_by_file, |db| async move {
    let (ts, hook) = server(db).await;
    let tok = token(&ts).await;
    let (status, body) = ts.get("/app/progress", Some(&tok)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, started) = ts
        .post(
            "/sandbox/v1/documents/connect",
            Some(&tok),
            json!({"institutionCode": "summitridge", "username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let id = started["id"].as_i64().unwrap();
    let bodies = hook
        .wait_for("the webhook", |b| b.iter().any(|w| w["data"]["id"] == id))
        .await;
    let hooked: &Value = bodies.iter().find(|w| w["data"]["id"] == id).unwrap();
    let (status, progress) = ts.get("/app/progress", Some(&tok)).await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(progress["status"], "success");
    assert!(progress["reason"].is_null(), "{progress}");
    // The same files, names and sizes, as the client was told.
    let mut shown: Vec<(String, u64)> = progress["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file_name"].as_str().unwrap().to_string(),
                f["total_size_bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut told: Vec<(String, u64)> = hooked["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file_name"].as_str().unwrap().to_string(),
                f["total_size_bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    shown.sort();
    told.sort();
    assert_eq!(shown, told);
});
