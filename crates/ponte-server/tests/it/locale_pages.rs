//! One language rule on every server-rendered end-user page: a choice made
//! on any Ponte page (`?lang=`, then the `ponte_lang` cookie), else the
//! link's locale, else the client's (`ponte clients update --locale`), else
//! the browser's `Accept-Language`, else pt-BR. Over HTTP, on `/me` (and its
//! forms), the bank's answer (`/callback/open-finance`), the documents app's
//! session and the portal's return (`/callback/documents`).

use crate::support;
use crate::support::browser_flow::{deliver, params, redirect_back};
use crate::support::server_api;

use ponte_server::services::client_locale;
use ponte_server::web::lang::Locale;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::{json, Value};
use support::{Db, TestServer};

/// A page's language as it says it: the header and `<html lang>` agree.
async fn language_of(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let header = resp
        .headers()
        .get(CONTENT_LANGUAGE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"<html lang="{header}">"#)),
        "Content-Language {header} but {html}"
    );
    (status, header, html)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `/me`'s session cookie for a fresh end user of the test client.
async fn me_session(ts: &TestServer, user: &str) -> String {
    let (_, ticket) = server_api::ticket_for(ts, &ts.client, user).await;
    let resp = no_redirects()
        .get(ts.url(&format!("/me?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let cookie = resp.headers()[SET_COOKIE].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

async fn set_client_locale(ts: &TestServer, locale: Option<Locale>) {
    client_locale::set(ts.app(), ts.client.client_id.as_str(), locale)
        .await
        .unwrap();
}

both!(
    me_speaks_the_client_s_language_before_the_browser_s,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let session = me_session(&ts, "locale-me").await;
        let me = |path: &str, browser: &str, cookies: String| {
            ts.http
                .get(ts.url(path))
                .header(ACCEPT_LANGUAGE, browser)
                .header(COOKIE, cookies)
                .send()
        };

        // No client locale: the browser decides.
        let (_, lang, html) = language_of(me("/me", "pt-BR", session.clone()).await.unwrap()).await;
        assert_eq!(lang, "pt-BR");
        assert!(html.contains("Seus bancos conectados"), "{html}");

        set_client_locale(&ts, Some(Locale::En)).await;
        let (status, lang, html) =
            language_of(me("/me", "pt-BR,pt;q=0.9", session.clone()).await.unwrap()).await;
        assert_eq!(
            (status, lang.as_str()),
            (200, "en"),
            "the client's before the browser's"
        );
        assert!(html.contains("Your connected banks"), "{html}");
        // Every page of the session, its refusals too.
        let (status, lang, html) = language_of(
            me("/me/connections/nope/revoke", "pt-BR", session.clone())
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, lang.as_str()), (404, "en"));
        assert!(html.contains("Connection not found."), "{html}");

        // A choice made on any Ponte page beats the client's.
        let chosen = format!("{session}; ponte_lang=pt-BR");
        let (_, lang, _) = language_of(me("/me", "en", chosen).await.unwrap()).await;
        assert_eq!(lang, "pt-BR");
        // The switch chooses, and is remembered.
        let resp = me("/me?lang=pt-BR", "en", session.clone()).await.unwrap();
        let remembered = resp.headers()[SET_COOKIE].to_str().unwrap().to_string();
        assert!(remembered.starts_with("ponte_lang=pt-BR;"), "{remembered}");
        assert_eq!(language_of(resp).await.1, "pt-BR");

        // Without a session nothing tells whose page it is: the browser's.
        let (status, lang, _) = language_of(me("/me", "pt-BR", String::new()).await.unwrap()).await;
        assert_eq!((status, lang.as_str()), (401, "pt-BR"));

        set_client_locale(&ts, None).await;
        let (_, lang, _) = language_of(me("/me", "en-GB", session).await.unwrap()).await;
        assert_eq!(lang, "en", "`none`: the browser again");
    }
);

both!(
    me_s_forms_answer_in_the_page_s_language,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        set_client_locale(&ts, Some(Locale::En)).await;
        let session = me_session(&ts, "locale-forms").await;
        let page = ts
            .http
            .get(ts.url("/me"))
            .header(COOKIE, &session)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = regex::Regex::new(r#"name="csrf" value="([^"]+)""#)
            .unwrap()
            .captures(&page)
            .expect("the form's token")[1]
            .to_string();
        let post = |path: &str| {
            ts.http
                .post(ts.url(path))
                .header(COOKIE, &session)
                .header(ACCEPT_LANGUAGE, "pt-BR")
        };

        // A bad CPF: the page again, saying so, in the client's language.
        let resp = post("/me/connections/new")
            .form(&[("csrf", csrf.as_str()), ("cpf", "529.982.247-24")])
            .send()
            .await
            .unwrap();
        let (status, lang, html) = language_of(resp).await;
        assert_eq!((status, lang.as_str()), (400, "en"));
        assert!(html.contains("This CPF is not valid"), "{html}");
        assert!(
            html.contains(r#"aria-invalid="true""#),
            "the field is marked"
        );

        // The form's own language choice (`lang`) is a choice.
        let resp = post("/me/connections/new")
            .form(&[("csrf", csrf.as_str()), ("cpf", "1"), ("lang", "pt-BR")])
            .send()
            .await
            .unwrap();
        let (status, lang, html) = language_of(resp).await;
        assert_eq!((status, lang.as_str()), (400, "pt-BR"));
        assert!(html.contains("Este CPF não é válido"), "{html}");

        // A body that is no form is refused with a page, never axum's plain text.
        for path in [
            "/me/connections/new",
            "/me/connections/c-1/revoke",
            "/me/connections/c-1/renew",
        ] {
            let resp = post(path)
                .header(CONTENT_TYPE, "application/json")
                .body(format!(r#"{{"csrf":"{csrf}"}}"#))
                .send()
                .await
                .unwrap();
            let (status, lang, html) = language_of(resp).await;
            assert_eq!((status, lang.as_str()), (403, "en"), "{path}");
            assert!(html.contains("could not be completed"), "{path}: {html}");
        }
        // A revocation of a connection that is not theirs: in the same language.
        let resp = post("/me/connections/c-1/revoke")
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        let (status, lang, _) = language_of(resp).await;
        assert_eq!((status, lang.as_str()), (404, "en"));
    }
);

/// A consent authorised at the sandbox bank through a link without a
/// `redirectUrl`, answered as the callback page's script would, from a
/// browser that asks for `browser` and carries `cookie`.
async fn outcome_page(
    ts: &TestServer,
    access: &str,
    link_extra: Value,
    browser: &str,
    cookie: &str,
) -> (u16, String, String) {
    let mut body = json!({"personalTaxId": "529.982.247-25"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), link_extra.as_object()) {
        b.extend(e.clone());
    }
    let (status, link) = ts.post("/data/v1/links", Some(access), body).await;
    assert_eq!(status, 200, "{link}");
    let token = link["linkToken"].as_str().unwrap();
    let (_, redirect) = ts.consent(token, json!({})).await;
    let callback = redirect_back(ts, &redirect, "user_good").await;
    let resp = deliver(&ts.http, &ts.base, &params(&callback))
        .header(ACCEPT_LANGUAGE, browser)
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    language_of(resp).await
}

both!(
    the_bank_s_answer_speaks_the_link_s_then_the_client_s_language,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        set_client_locale(&ts, Some(Locale::En)).await;

        let (status, lang, html) = outcome_page(&ts, &access, json!({}), "pt-BR", "").await;
        assert_eq!(
            (status, lang.as_str()),
            (200, "en"),
            "the client's before the browser's"
        );
        assert!(html.contains("Your account is connected"), "{html}");
        assert!(html.contains(r#"data-status="AUTHORISED""#), "{html}");

        let portuguese = json!({"externalInfo": {"locale": "pt-BR"}});
        let (_, lang, html) = outcome_page(&ts, &access, portuguese, "en-US", "").await;
        assert_eq!(lang, "pt-BR", "the link's before the client's");
        assert!(html.contains("Sua conta está conectada"), "{html}");

        let (_, lang, _) = outcome_page(&ts, &access, json!({}), "en", "ponte_lang=pt-BR").await;
        assert_eq!(lang, "pt-BR", "the end user's choice before all");
    }
);

both!(
    the_documents_app_and_the_portal_s_return_speak_the_client_s_language,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let (status, got) = ts
            .post(
                "/api/token",
                None,
                json!({"api_key": ts.client.api_key, "api_secret": ts.client.api_secret}),
            )
            .await;
        assert_eq!(status, 200, "{got}");
        let token = got["access_token"].as_str().unwrap().to_string();

        let (status, session) = ts.get("/app/session", Some(&token)).await;
        assert_eq!(
            (status, &session["locale"]),
            (200, &Value::Null),
            "{session}"
        );
        set_client_locale(&ts, Some(Locale::En)).await;
        let (_, session) = ts.get("/app/session", Some(&token)).await;
        assert_eq!(session["locale"], "en", "{session}");

        // The portal declines; its return lands on a page in the client's
        // language, in its brand, on its way back to the app.
        let (status, started) = ts
            .post(
                "/api/connections",
                Some(&token),
                json!({"institutionCode": "harborline"}),
            )
            .await;
        assert_eq!(status, 200, "{started}");
        let login = url::Url::parse(started["login_url"].as_str().unwrap()).unwrap();
        let state = login
            .query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .expect("the portal's URL carries Ponte's state");
        let back = |state: &str| {
            ts.http
                .get(ts.url("/callback/documents"))
                .query(&[("state", state), ("error", "access_denied")])
                .header(ACCEPT_LANGUAGE, "pt-BR")
                .send()
        };
        let (status, lang, html) = language_of(back(&state).await.unwrap()).await;
        assert_eq!((status, lang.as_str()), (200, "en"));
        assert!(html.contains("Not connected"), "{html}");
        assert!(html.contains("url=/app?returned=declined"), "{html}");
        assert!(!html.contains("Não conectado"), "one language only: {html}");

        // A state Ponte does not know: nothing tells whose; the browser's.
        let (_, lang, html) = language_of(back("nope").await.unwrap()).await;
        assert_eq!(lang, "pt-BR");
        assert!(html.contains("Este acesso não pode ser usado"), "{html}");
        assert!(html.contains("url=/app?returned=invalid"), "{html}");
    }
);
