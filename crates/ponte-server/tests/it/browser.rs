//! The hosted widget in a real browser: headless Chromium, driven by the
//! journeys in `tests/browser/` (Node + playwright-core), against a live
//! server in sandbox mode. Screenshots land in `target/browser-screenshots/`.
//!
//! Needs `/usr/bin/chromium`, `node` and `tests/browser/node_modules`
//! (`.ci/run` installs them). Without them the test fails under CI and
//! otherwise says what is missing and passes.

use crate::support;
use crate::support::server_api;

use ponte_server::services::clients::{self, BrandingChange, NewCredentials};
use serde_json::{json, Value};
use std::time::Duration;
use support::browser::{browser_available, repo_root};
use support::{Db, TestServer};

/// Runs `node tests/browser/<script> <args…>`, prints what it said, and
/// fails the test unless it exited 0.
async fn journeys(script: &str, args: &[String]) {
    support::browser::journeys(script, args, "the journeys").await
}

/// A fresh link whose end user comes back to the integrator's page.
async fn link(ts: &TestServer, access: &str) -> (String, String) {
    let (_, body) = ts
        .post(
            "/data/v1/links",
            Some(access),
            json!({"personalTaxId": "529.982.247-25", "redirectUrl": "https://app.example.com/done"}),
        )
        .await;
    (
        body["linkId"].as_str().expect("linkId").to_string(),
        body["linkUrl"].as_str().expect("linkUrl").to_string(),
    )
}

async fn consent_statuses(ts: &TestServer, access: &str, link_id: &str) -> Vec<String> {
    let (status, body) = ts
        .get(&format!("/data/v1/links/{link_id}"), Some(access))
        .await;
    assert_eq!(status, 200, "{body}");
    body["consents"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| c["status"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A second client, "Acme Crédito", with a logo, a privacy policy, a
/// yellow too light for white text, and two origins allowed to frame it.
async fn branded_client(ts: &TestServer) -> NewCredentials {
    // The SDK journey's integrator page: another origin on loopback, where
    // Chromium lets a page load scripts from a loopback server.
    let port = ts.base.rsplit(':').next().unwrap_or_default();
    let frame_origins = format!("https://app.example.com http://localhost:{port}");
    let new = clients::parse_new_client("Acme Lending Ltda", None, None, false).expect("valid");
    let creds = clients::create(ts.app(), new).await.expect("client");
    clients::update_branding(
        ts.app(),
        &creds.client_id,
        &BrandingChange {
            display_name: Some("Acme Crédito"),
            logo_url: Some("https://app.example.com/logo.svg"),
            primary_color: Some("#FCFC30"),
            privacy_policy_url: Some("https://app.example.com/privacy"),
            frame_origins: Some(&frame_origins),
        },
    )
    .await
    .expect("branding");
    creds
}

both!(
    the_link_page_is_locked_down_and_framed_only_where_allowed,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, plain) = link(&ts, &access).await;
        let branded = branded_client(&ts).await;
        let (_, framed) = link(&ts, &ts.access_token_for(&branded).await).await;

        let page = ts.http.get(&plain).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let h = page.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-store");
        let html = page.text().await.unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "no inline code"
        );

        // The app's script is content-addressed: cached for good.
        let script = regex::Regex::new(r#"src="(/link/assets/[0-9a-f]{16}/widget/app\.js)""#)
            .unwrap()
            .captures(&html)
            .expect("app.js by version")[1]
            .to_string();
        let js = ts.http.get(ts.url(&script)).send().await.unwrap();
        assert_eq!(js.status(), 200);
        assert!(js.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript"));
        assert!(js.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        // So is the shared catalogue its language module imports.
        let catalogue = script.replace("/widget/app.js", "/i18n/pt-BR.js");
        let strings = ts.http.get(ts.url(&catalogue)).send().await.unwrap();
        assert_eq!(strings.status(), 200);
        assert!(strings.text().await.unwrap().contains("'picker.title'"));
        let missing = ts
            .http
            .get(ts.url("/link/assets/0/nothing.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);

        // A client that allows an origin: that origin may frame its links.
        let page = ts.http.get(&framed).send().await.unwrap();
        let csp = page.headers()["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors https://app.example.com"),
            "{csp}"
        );
        assert!(page.headers().get("x-frame-options").is_none());

        // What the widget learns with the link token: the display name and a
        // colour white text can sit on.
        let token = framed.split("v=").nth(1).unwrap();
        let (status, session) = ts.get("/link/session", Some(token)).await;
        assert_eq!(status, 200, "{session}");
        assert_eq!(session["clientName"], "Acme Crédito");
        assert_eq!(
            session["privacyPolicyUrl"],
            "https://app.example.com/privacy"
        );
        assert_eq!(session["redirectUrl"], "https://app.example.com/done");
        let color = session["primaryColor"].as_str().unwrap();
        assert!(
            color.starts_with('#') && color != "#fcfc30",
            "darkened: {color}"
        );
        let (status, body) = ts.get("/link/session", Some(&access)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("INVALID_TOKEN"))
        );
        let (status, body) = ts.get("/link/session", None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("INVALID_TOKEN"))
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_in_a_real_browser() {
    if !browser_available("the browser journeys") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    let access = ts.access_token().await;
    // Made first: the clock moves past its expiry before its journey.
    let (_, expired) = link(&ts, &access).await;
    // The Portuguese journey is white-labelled, with a colour too light for
    // white text; the others show Ponte's own look.
    let branded = branded_client(&ts).await;
    let branded_access = ts.access_token_for(&branded).await;

    let mut urls = serde_json::Map::new();
    let mut ids = serde_json::Map::new();
    for name in [
        "good_pt",
        "good_en",
        "deny",
        "mfa",
        "locked",
        "outage",
        "exit",
        "sdk",
        "sdk_blocked",
    ] {
        let token = if ["good_pt", "sdk", "sdk_blocked"].contains(&name) {
            &branded_access
        } else {
            &access
        };
        let (id, url) = link(&ts, token).await;
        urls.insert(name.into(), Value::String(url));
        ids.insert(name.into(), Value::String(id));
    }
    urls.insert("base".into(), Value::String(ts.base.clone()));
    journeys("link.mjs", &[Value::Object(urls).to_string()]).await;

    // What the browser did, as the integrator's backend sees it.
    let id = |name: &str| ids[name].as_str().unwrap_or_default().to_string();
    assert_eq!(
        consent_statuses(&ts, &branded_access, &id("good_pt")).await,
        ["AUTHORISED"]
    );
    assert_eq!(
        consent_statuses(&ts, &access, &id("good_en")).await,
        ["AUTHORISED"]
    );
    assert_eq!(
        consent_statuses(&ts, &branded_access, &id("sdk")).await,
        ["AUTHORISED"],
        "through the SDK's modal"
    );
    // Popups blocked: the modal's consent was left waiting (it expires as
    // any abandoned one) and the page handed over made its own.
    assert_eq!(
        consent_statuses(&ts, &branded_access, &id("sdk_blocked")).await,
        ["AWAITING_AUTHORISATION", "AUTHORISED"],
        "through the SDK, popups blocked: the page went to the bank"
    );
    assert_eq!(
        consent_statuses(&ts, &access, &id("mfa")).await,
        ["AUTHORISED"]
    );
    for name in ["deny", "locked"] {
        assert!(
            consent_statuses(&ts, &access, &id(name))
                .await
                .contains(&"REJECTED".to_string()),
            "{name}: the consent is rejected"
        );
    }
    assert_eq!(
        consent_statuses(&ts, &access, &id("exit")).await,
        ["AWAITING_AUTHORISATION"],
        "left at the hand-off: the consent was never authorised"
    );

    ts.clock.advance(Duration::from_secs(
        ponte_server::tokens::LINK_TOKEN_TTL_SECS as u64 + 60,
    ));
    journeys(
        "expired.mjs",
        &[json!({"base": ts.base, "expired": expired}).to_string()],
    )
    .await;
}

/// Leaving from every screen, and the bank's other answers, in both
/// languages: one link per journey.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_exits_and_the_other_bank_answers_in_a_real_browser() {
    if !browser_available("the browser journeys") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    let access = ts.access_token().await;
    let mut urls = serde_json::Map::new();
    for lang in ["pt", "en"] {
        for journey in [
            "exit_consent",
            "exit_picker",
            "exit_handoff",
            "exit_waiting",
            "exit_failure",
            "exit_success",
            "mfa",
            "locked",
            "outage",
        ] {
            let (_, url) = link(&ts, &access).await;
            urls.insert(format!("{journey}_{lang}"), Value::String(url));
        }
    }
    urls.insert("base".into(), Value::String(ts.base.clone()));
    journeys("exits.mjs", &[Value::Object(urls).to_string()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_in_a_real_browser() {
    if !browser_available("the browser journeys") {
        return;
    }
    // As `ponte serve` starts on an empty database: the sandbox client's
    // webhooks go to the demo's own receiver.
    let ts = support::demo::spawn_sandbox(Db::Sqlite).await;
    // The demo says one name throughout: the widget and the bank show the
    // sandbox client's, which is the demo page's.
    let id = clients::sandbox_client_id(ts.app()).await.unwrap().unwrap();
    let mut conn = ts.app().store.read().await.unwrap();
    let client = ponte_store::client_by_id(&mut conn, id.as_str())
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let demo_page = std::fs::read_to_string(repo_root().join("web/demo/index.html")).unwrap();
    assert!(
        demo_page.contains(&format!(r#"<span class="brand">{} "#, client.name)),
        "the demo page names {}",
        client.name
    );
    journeys("demo.mjs", &[json!({"base": ts.base}).to_string()]).await;
}

/// The signed-in end user authorises a consent at `code` through a link of
/// their own (Server API): the consent id.
async fn connect_at(ts: &TestServer, access: &str, code: &str) -> String {
    let (status, v) = ts
        .post(
            "/v1/client/connections/link",
            Some(access),
            json!({"personalTaxId": "529.982.247-25"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let link_token = v["data"]["linkToken"].as_str().expect("linkToken");
    let (consent_id, _) = ts
        .consent(link_token, json!({"institutionCode": code}))
        .await;
    let (status, c) = ts
        .authorise(
            link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(
        (status, c["status"].as_str()),
        (200, Some("AUTHORISED")),
        "{c}"
    );
    consent_id
}

async fn data_api_status(ts: &TestServer, access: &str, consent_id: &str) -> Value {
    let (status, body) = ts
        .get(&format!("/data/v1/consents/{consent_id}"), Some(access))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_me_page_in_a_real_browser() {
    if !browser_available("the browser journeys") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    // The page carries the client's brand, as the widget does.
    clients::update_branding(
        ts.app(),
        &ts.client.client_id,
        &BrandingChange {
            display_name: Some("Acme Crédito"),
            primary_color: Some("#7c3aed"),
            privacy_policy_url: Some("https://acme.example/privacidade"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let access = ts.access_token().await;
    let mut args = serde_json::Map::new();
    let mut revoked = Vec::new();
    let mut kept = Vec::new();
    for (lang, xc_user_id) in [("pt", "me-ana"), ("en", "me-bob")] {
        let (_, session) = server_api::session_for(&ts, &ts.client, xc_user_id).await;
        let user_access = server_api::access_of(&session);
        let revoke = connect_at(&ts, &user_access, "itau").await;
        let keep = connect_at(&ts, &user_access, "nubank").await;
        // The app opens the page with a fresh ticket from its backend.
        let (_, ticket) = server_api::ticket_for(&ts, &ts.client, xc_user_id).await;
        args.insert(
            lang.into(),
            json!({
                "url": ts.url(&format!("/me?ticket={ticket}")),
                "revoke": revoke,
                "revokeBank": "Itaú Unibanco",
                "keep": keep,
                // Adding a bank from the page: once is enough.
                "add": lang == "pt",
            }),
        );
        revoked.push(revoke);
        kept.push(keep);
    }
    args.insert("base".into(), Value::String(ts.base.clone()));
    args.insert("client".into(), json!("Acme Crédito"));
    args.insert("privacy".into(), json!("https://acme.example/privacidade"));
    journeys("me.mjs", &[Value::Object(args).to_string()]).await;

    // What the end user did, as the integrator's backend sees it.
    for id in &revoked {
        let c = data_api_status(&ts, &access, id).await;
        assert_eq!(c["status"], "REVOKED", "{c}");
    }
    for id in &kept {
        let c = data_api_status(&ts, &access, id).await;
        assert_eq!(c["status"], "AUTHORISED", "{c}");
    }
    // The bank added from the page is the end user's, as the app sees it.
    let (_, session) = server_api::session_for(&ts, &ts.client, "me-ana").await;
    let theirs = server_api::list(&ts, &server_api::access_of(&session)).await;
    let added: Vec<&Value> = theirs
        .iter()
        .filter(|c| c["institution"]["code"] == "bradesco")
        .collect();
    assert_eq!(added.len(), 1, "{theirs:?}");
    assert_eq!(added[0]["status"], "AUTHORISED");
}

// `/me`'s "add a bank" form over HTTP: the CPF is checked before any link
// exists, the form must come from the page, and a good one opens a link of
// the end user's own that comes back to `/me`.
both!(adding_a_bank_from_the_me_page, |db: Db| async move {
    let ts = support::spawn(db).await;
    let (_, ticket) = server_api::ticket_for(&ts, &ts.client, "me-add").await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let opened = no_redirects
        .get(ts.url(&format!("/me?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 303);
    let cookie = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = no_redirects
        .get(ts.url("/me?lang=en"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Add a bank") && page.contains(r#"name="cpf""#),
        "{page}"
    );
    let csrf = regex::Regex::new(r#"name="csrf" value="([^"]+)""#)
        .unwrap()
        .captures(&page)
        .expect("the form's token")[1]
        .to_string();
    let post = |form: Vec<(&'static str, String)>| {
        no_redirects
            .post(ts.url("/me/connections/new"))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };

    let bad = post(vec![
        ("cpf", "529.982.247-24".into()),
        ("csrf", csrf.clone()),
        ("lang", "en".into()),
    ])
    .await
    .unwrap();
    assert_eq!(bad.status(), 400);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains(r#"role="alert""#) && html.contains("This CPF is not valid"),
        "{html}"
    );
    let forged = post(vec![("cpf", "529.982.247-25".into()), ("csrf", "x".into())])
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let anonymous = no_redirects
        .post(ts.url("/me/connections/new"))
        .form(&[("cpf", "529.982.247-25"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let good = post(vec![
        ("cpf", "529.982.247-25".into()),
        ("csrf", csrf.clone()),
        ("lang", "en".into()),
    ])
    .await
    .unwrap();
    assert_eq!(good.status(), 303);
    let to = good.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("/link?v="), "{to}");
    let token = to.split("v=").nth(1).unwrap().to_string();
    let (status, session) = ts.get("/link/session", Some(&token)).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["redirectUrl"], ts.url("/me"));
    // The link keeps the page's language: the widget speaks it.
    assert_eq!(session["locale"], "en");
    // The CPF is remembered (sealed with the end user's profile): the
    // page names it, masked, and does not ask again.
    let again = no_redirects
        .get(ts.url("/me"))
        .header("cookie", &cookie)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        again.contains("***.982.247-**") && !again.contains(r#"name="cpf""#),
        "{again}"
    );
    let from_known = post(vec![("csrf", csrf.clone())]).await.unwrap();
    assert_eq!(from_known.status(), 303, "the known CPF opens a link");
    // A consent through that link is the end user's own.
    let (consent_id, _) = ts.consent(&token, json!({})).await;
    let (_, session) = server_api::session_for(&ts, &ts.client, "me-add").await;
    let theirs = server_api::list(&ts, &server_api::access_of(&session)).await;
    assert!(
        theirs.iter().any(|c| c["consentID"] == consent_id.as_str()),
        "{theirs:?}"
    );
});

// The one language rule over HTTP, on `/me`: the browser's language by its
// preference order, the switch remembered in a cookie that then beats the
// browser's, Brazilian Portuguese when nothing is known; and a Data API
// link's `externalInfo.locale` reaching the widget.
both!(every_page_follows_one_language_rule, |db: Db| async move {
    let ts = support::spawn(db).await;
    let (_, ticket) = server_api::ticket_for(&ts, &ts.client, "me-lang").await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let opened = no_redirects
        .get(ts.url(&format!("/me?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    let session = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let me = |path: &'static str, cookie: String, accept: Option<&'static str>| {
        let mut req = no_redirects.get(ts.url(path)).header("cookie", cookie);
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        req.send()
    };
    let words = |html: &str| {
        if html.contains("Your connected banks") {
            "en"
        } else if html.contains("Seus bancos conectados") {
            "pt-BR"
        } else {
            "neither"
        }
    };

    for (accept, want) in [
        (None, "pt-BR"),
        (Some("en-US,en;q=0.9"), "en"),
        (Some("fr-FR, en;q=0.4, pt-BR;q=0.8"), "pt-BR"),
        (Some("de-DE, en-GB;q=0.5"), "en"),
        (Some("ja"), "pt-BR"),
    ] {
        let resp = me("/me", session.clone(), accept).await.unwrap();
        assert_eq!(resp.headers()["content-language"], want, "{accept:?}");
        assert!(
            resp.headers().get("set-cookie").is_none(),
            "nothing chosen yet"
        );
        let html = resp.text().await.unwrap();
        assert_eq!(words(&html), want, "{accept:?}: {html}");
        assert!(html.contains(&format!(r#"<html lang="{want}">"#)));
    }

    // The switch: a Portuguese page for an English browser, remembered.
    let switched = me("/me?lang=pt-BR", session.clone(), Some("en"))
        .await
        .unwrap();
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.starts_with("ponte_lang=pt-BR; Path=/;") && !cookie.contains("HttpOnly"),
        "the widget and console read it too: {cookie}"
    );
    assert_eq!(words(&switched.text().await.unwrap()), "pt-BR");
    let remembered = format!("{session}; ponte_lang=pt-BR");
    let html = me("/me", remembered, Some("en"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(words(&html), "pt-BR", "the choice beats the browser");
    assert!(
        html.contains(r#"href="/me?lang=en""#),
        "the switch leads back"
    );

    // A Data API link's locale is what the widget is told to speak.
    let access = ts.access_token().await;
    for (info, want) in [
        (json!({"locale": "en-US"}), json!("en")),
        (json!({"locale": "pt-BR"}), json!("pt-BR")),
        (json!({}), Value::Null),
    ] {
        let (_, token) = ts.link(&access, json!({"externalInfo": info})).await;
        let (status, s) = ts.get("/link/session", Some(&token)).await;
        assert_eq!((status, &s["locale"]), (200, &want), "{s}");
    }
});
