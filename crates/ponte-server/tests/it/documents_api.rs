//! The Documents API (Taiki's quickstart) over HTTP, on both databases: the
//! token and its errors, the portals, the whole retrieval for each portal
//! and test user through the sandbox helper, the webhook compared key by key
//! with the quickstart's, signed downloads (bytes, range, tampered, expired
//! on the injected clock), another client's retrieval, and erasure.

use crate::support;

use serde_json::{json, Value};
use std::time::Duration;
use support::documents::{
    assert_quickstart_shape, basic, connect, keys, retrieval, server, token, webhook_for,
};
use support::TestServer;

const PORTALS: [&str; 3] = ["harborline", "summitridge", "lumen"];

async fn fetch(ts: &TestServer, url: &str, range: Option<&str>) -> reqwest::Response {
    let mut req = ts.http.get(url);
    if let Some(r) = range {
        req = req.header("range", r);
    }
    req.send().await.unwrap()
}

both!(token_errors_name_the_field, |db| async move {
    let ts = support::spawn(db).await;
    let (key, secret) = (ts.client.api_key.clone(), ts.client.api_secret.clone());
    let cases = [
        (
            json!({"api_secret": secret}),
            400,
            "invalid_field",
            Some("api_key"),
        ),
        (
            json!({"api_key": key}),
            400,
            "invalid_field",
            Some("api_secret"),
        ),
        (
            json!({"api_key": key, "api_secret": "wrong"}),
            401,
            "invalid_credentials",
            Some("api_secret"),
        ),
        (
            json!({"api_key": key, "api_secret": secret, "metadata": [1]}),
            400,
            "invalid_field",
            Some("metadata"),
        ),
        (
            json!({"api_key": key, "api_secret": secret, "metadata": {"a": "x".repeat(5000)}}),
            400,
            "invalid_field",
            Some("metadata"),
        ),
        (
            json!({"api_key": key, "api_secret": secret, "taiki_user_id": "nobody"}),
            400,
            "invalid_field",
            Some("taiki_user_id"),
        ),
        (
            json!({"api_key": 5, "api_secret": secret}),
            400,
            "invalid_field",
            Some("api_key"),
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, answer) = ts.post("/api/token", None, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        assert_eq!(answer["error"]["field"], json!(field), "{body}: {answer}");
        assert!(answer["error"]["message"].is_string());
    }
    // Not JSON at all, an unknown path, a wrong method: the same shape.
    let resp = ts
        .http
        .post(ts.url("/api/token"))
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "invalid_field", "{answer}");
    let (status, answer) = ts.get("/api/nothing-here", None).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("not_found")),
        "{answer}"
    );
    let (status, answer) = ts.get("/api/token", None).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (405, Some("method_not_allowed")),
        "{answer}"
    );
    let resp = ts
        .http
        .post(ts.url("/api/token"))
        // One byte over the limit: small enough to sit in the socket buffers
        // when the server answers 413 without reading it (a 2 MiB body could
        // meet a closed socket mid-write, a broken pipe instead of the answer).
        .body(vec![b' '; ponte_server::http::BODY_LIMIT + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "payload_too_large", "{answer}");

    // A user is made once and named again; another client cannot name them.
    let (_, user) = token(&ts, json!({})).await;
    let (_, again) = token(&ts, json!({"taiki_user_id": user})).await;
    assert_eq!(again, user);
    let other = ponte_server::services::clients::create(
        ts.app(),
        ponte_server::services::clients::parse_new_client("Other", None, None, false).unwrap(),
    )
    .await
    .unwrap();
    let (status, answer) = ts
        .post(
            "/api/token",
            None,
            json!({"api_key": other.api_key, "api_secret": other.api_secret, "taiki_user_id": user}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["field"], "taiki_user_id");
});

both!(the_portals_are_listed_for_the_token, |db| async move {
    let ts = support::spawn(db).await;
    let (status, answer) = ts.get("/api/institutions", None).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (401, Some("invalid_token")),
        "{answer}"
    );
    let access = ts.access_token().await;
    let (status, _) = ts.get("/api/institutions", Some(&access)).await;
    assert_eq!(
        status, 403,
        "a Data API token does not open the documents app"
    );
    let (tok, _) = token(&ts, json!({})).await;
    let (status, list) = ts.get("/api/institutions", Some(&tok)).await;
    assert_eq!(status, 200, "{list}");
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["institutionCode"].as_str().unwrap())
        .collect();
    assert_eq!(codes, PORTALS);
    for p in list.as_array().unwrap() {
        assert_eq!(
            keys(p),
            [
                "avatar",
                "documentTypes",
                "institutionCode",
                "isOutage",
                "name"
            ],
            "{p}"
        );
        assert!(!p["documentTypes"].as_array().unwrap().is_empty());
    }
    // The browser's way in: the portal's own sign-in page.
    let (status, started) = ts
        .post(
            "/api/connections",
            Some(&tok),
            json!({"institutionCode": "harborline"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let login = started["login_url"].as_str().unwrap();
    assert!(
        login.contains("/sandbox/banks/portals/harborline/login?"),
        "{login}"
    );
    let page = ts.http.get(login).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let (status, answer) = ts
        .post(
            "/api/connections",
            Some(&tok),
            json!({"institutionCode": "nope"}),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("institutionCode")),
        "{answer}"
    );
    let (status, progress) = ts.get("/api/retrievals/current", Some(&tok)).await;
    assert_eq!(
        (status, progress["status"].as_str()),
        (200, Some("awaiting_login")),
        "{progress}"
    );
});

both!(every_portal_delivers_its_documents, |db| async move {
    let (ts, hook) = server(db).await;
    let metadata = json!({"case": "A-17", "nested": {"n": 1}});
    let (tok, user) = token(&ts, json!({"metadata": metadata})).await;
    for portal in PORTALS {
        let (status, started) = connect(&ts, &tok, portal, "user_good", None).await;
        assert_eq!(status, 200, "{portal}: {started}");
        let id = started["id"].as_i64().unwrap();
        let body = webhook_for(&hook, id).await;
        assert_quickstart_shape(&body);
        assert_eq!(body["status"], "success", "{body}");
        assert_eq!(body["data"]["client_id"], user.as_str());
        assert_eq!(body["data"]["metadata"], metadata);
        let files = body["files"].as_array().unwrap();
        assert!(!files.is_empty());
        // Every file is served whole: exactly total_size_bytes, a PDF.
        for f in files {
            assert_eq!(f["status"], "success", "{f}");
            let resp = fetch(&ts, f["download_url"].as_str().unwrap(), None).await;
            assert_eq!(resp.status(), 200);
            assert_eq!(resp.headers()["content-type"], "application/pdf");
            let disposition = resp.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(
                disposition.starts_with("attachment; filename="),
                "{disposition}"
            );
            let bytes = resp.bytes().await.unwrap();
            assert_eq!(
                bytes.len() as u64,
                f["total_size_bytes"].as_u64().unwrap(),
                "{f}"
            );
            assert!(bytes.starts_with(b"%PDF-"));
        }
        let (status, progress) = ts.get("/api/retrievals/current", Some(&tok)).await;
        assert_eq!((status, progress["id"].as_i64()), (200, Some(id)));
        assert_eq!(progress["status"], "success");
    }
});

both!(downloads_are_signed_ranged_and_expire, |db| async move {
    let (ts, hook) = server(db).await;
    let (tok, _) = token(&ts, json!({})).await;
    let (_, started) = connect(&ts, &tok, "harborline", "user_good", None).await;
    let id = started["id"].as_i64().unwrap();
    let body = webhook_for(&hook, id).await;
    let file = &body["files"][0];
    let url = file["download_url"].as_str().unwrap().to_string();
    let whole = fetch(&ts, &url, None).await.bytes().await.unwrap();

    let part = fetch(&ts, &url, Some("bytes=10-109")).await;
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-length"], "100");
    assert_eq!(
        part.headers()["content-range"].to_str().unwrap(),
        format!("bytes 10-109/{}", whole.len())
    );
    assert_eq!(part.bytes().await.unwrap(), whole[10..110]);
    let tail = fetch(&ts, &url, Some("bytes=-7")).await;
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap(), whole[whole.len() - 7..]);
    let past = fetch(&ts, &url, Some(&format!("bytes={}-", whole.len()))).await;
    assert_eq!(past.status(), 416);

    // A changed signature, file or expiry is refused.
    let tampered = [
        url.replace("signature=", "signature=x"),
        url.replace("/files/file_", "/files/file_0"),
        // Another well-formed id under this one's signature.
        {
            let id = url
                .split("/files/")
                .nth(1)
                .unwrap()
                .split('?')
                .next()
                .unwrap();
            let digit = if id.as_bytes()[5] == b'0' { "1" } else { "0" };
            url.replace(id, &format!("file_{digit}{}", &id[6..]))
        },
        {
            let (head, rest) = url.split_once("expires=").unwrap();
            let (secs, tail) = rest.split_once('&').unwrap();
            format!("{head}expires={}&{tail}", secs.parse::<i64>().unwrap() + 60)
        },
        url.split_once('?').unwrap().0.to_string(),
        // A parameter given twice counts once, the last: a changed expiry.
        format!("{url}&expires=1"),
    ];
    for bad in tampered {
        let resp = fetch(&ts, &bad, None).await;
        assert_eq!(resp.status(), 403, "{bad}");
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["error"]["code"], "forbidden");
    }

    // The API gives fresh URLs for the same bytes; another client sees nothing.
    let (status, again) = retrieval(&ts, id).await;
    assert_eq!(status, 200, "{again}");
    assert_quickstart_shape(&again);
    assert_eq!(again["data"], body["data"]);
    assert_eq!(
        again["files"][0]["total_size_bytes"],
        file["total_size_bytes"]
    );
    let other = ponte_server::services::clients::create(
        ts.app(),
        ponte_server::services::clients::parse_new_client("Other", None, None, false).unwrap(),
    )
    .await
    .unwrap();
    let resp = ts
        .http
        .get(ts.url(&format!("/api/retrievals/{id}")))
        .header("authorization", basic(&other.api_key, &other.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let resp = ts
        .http
        .get(ts.url(&format!("/api/retrievals/{id}")))
        .header("authorization", basic(&ts.client.api_key, "wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // Fifteen minutes later the URL is dead (the injected clock, no sleeping).
    ts.clock.advance(Duration::from_secs(15 * 60 + 1));
    let resp = fetch(&ts, &url, None).await;
    assert_eq!(resp.status(), 403);
});

both!(mfa_locked_and_flaky_users, |db| async move {
    let (ts, hook) = server(db).await;
    let (tok, _) = token(&ts, json!({})).await;

    let (status, answer) = connect(&ts, &tok, "summitridge", "user_mfa", None).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("otp")),
        "{answer}"
    );
    let (status, answer) = connect(&ts, &tok, "summitridge", "user_mfa", Some("000000")).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("otp")),
        "{answer}"
    );
    let (status, started) = connect(&ts, &tok, "summitridge", "user_mfa", Some("123456")).await;
    assert_eq!(status, 200, "{started}");
    let body = webhook_for(&hook, started["id"].as_i64().unwrap()).await;
    assert_eq!(body["status"], "success", "{body}");

    let (status, answer) = connect(&ts, &tok, "lumen", "user_locked", None).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (502, Some("institution_error")),
        "{answer}"
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("locked"),
        "{answer}"
    );
    let (status, progress) = ts.get("/api/retrievals/current", Some(&tok)).await;
    assert_eq!(
        (status, progress["status"].as_str()),
        (200, Some("failed")),
        "{progress}"
    );
    let failed = webhook_for(&hook, progress["id"].as_i64().unwrap()).await;
    assert_quickstart_shape(&failed);
    assert_eq!(
        (
            failed["status"].as_str(),
            failed["files"].as_array().map(Vec::len)
        ),
        (Some("failed"), Some(0))
    );

    let (status, answer) = ts
        .post(
            "/sandbox/v1/documents/connect",
            Some(&tok),
            json!({"institutionCode": "lumen", "username": "user_good", "password": "bad"}),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("password")),
        "{answer}"
    );

    // The flaky portal fails each download twice, and one file for good:
    // that file fails alone.
    let (status, started) = connect(&ts, &tok, "harborline", "user_flaky", None).await;
    assert_eq!(status, 200, "{started}");
    let body = webhook_for(&hook, started["id"].as_i64().unwrap()).await;
    assert_quickstart_shape(&body);
    assert_eq!(body["status"], "success", "{body}");
    let files = body["files"].as_array().unwrap();
    let failed: Vec<&Value> = files.iter().filter(|f| f["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{body}");
    assert!(failed[0]["download_url"].is_null());
    assert_eq!(failed[0]["total_size_bytes"], 0);
    assert!(files.len() > 10);
    for f in files.iter().filter(|f| f["status"] == "success").take(3) {
        let bytes = fetch(&ts, f["download_url"].as_str().unwrap(), None)
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.len() as u64, f["total_size_bytes"].as_u64().unwrap());
    }
});

both!(erasing_a_user_leaves_nothing_in_storage, |db| async move {
    let (ts, hook) = server(db).await;
    let (tok, user) = token(&ts, json!({})).await;
    let (_, started) = connect(&ts, &tok, "lumen", "user_good", None).await;
    let id = started["id"].as_i64().unwrap();
    let body = webhook_for(&hook, id).await;
    let url = body["files"][0]["download_url"]
        .as_str()
        .unwrap()
        .to_string();
    let storage = &ts.app().storage;
    assert!(!storage.keys("documents").await.unwrap().is_empty());

    let erase = |key: String, secret: String, who: String| {
        let ts = &ts;
        async move {
            ts.http
                .delete(ts.url(&format!("/api/users/{who}")))
                .header("authorization", basic(&key, &secret))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let (key, secret) = (ts.client.api_key.clone(), ts.client.api_secret.clone());
    assert_eq!(erase(key.clone(), "wrong".into(), user.clone()).await, 401);
    assert_eq!(erase(key.clone(), secret.clone(), user.clone()).await, 204);
    assert!(
        storage.keys("documents").await.unwrap().is_empty(),
        "files left in storage"
    );
    assert_eq!(fetch(&ts, &url, None).await.status(), 404);
    assert_eq!(retrieval(&ts, id).await.0, 404);
    assert_eq!(erase(key.clone(), secret.clone(), user.clone()).await, 404);
    let (status, answer) = ts
        .post(
            "/api/token",
            None,
            json!({"api_key": key, "api_secret": secret, "taiki_user_id": user}),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("taiki_user_id"))
    );
});

both!(old_documents_are_swept, |db| async move {
    let (ts, hook) = server(db).await;
    let (tok, _) = token(&ts, json!({})).await;
    let (_, started) = connect(&ts, &tok, "lumen", "user_good", None).await;
    let id = started["id"].as_i64().unwrap();
    webhook_for(&hook, id).await;
    let app = ts.app();
    assert_eq!(
        ponte_server::workers::retention::sweep_documents(app)
            .await
            .unwrap(),
        0
    );
    ts.clock.advance(Duration::from_secs(91 * 24 * 3600));
    let swept = ponte_server::workers::retention::sweep_documents(app)
        .await
        .unwrap();
    assert!(swept > 0);
    assert!(app.storage.keys("documents").await.unwrap().is_empty());
    let (status, body) = retrieval(&ts, id).await;
    assert_eq!(status, 200);
    assert!(
        body["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["download_url"].is_null()),
        "{body}"
    );
});

both!(deleting_the_client_leaves_no_document, |db| async move {
    let (ts, hook) = server(db).await;
    let (tok, _) = token(&ts, json!({})).await;
    let (_, started) = connect(&ts, &tok, "harborline", "user_good", None).await;
    webhook_for(&hook, started["id"].as_i64().unwrap()).await;
    let app = ts.app();
    assert!(!app.storage.keys("documents").await.unwrap().is_empty());

    ponte_server::services::clients::delete(app, &ts.client.client_id)
        .await
        .unwrap();
    assert!(
        app.storage.keys("documents").await.unwrap().is_empty(),
        "a deleted client's files are left in storage"
    );
});

both!(
    the_portal_sign_in_comes_in_the_asked_language,
    |db| async move {
        let ts = support::spawn(db).await;
        let (tok, _) = token(&ts, json!({})).await;
        // The portal's page with no browser language: its own default, or
        // what `ui_locales` in the URL Ponte made asks for.
        let page = |url: String| {
            let http = ts.http.clone();
            async move { http.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let cases = [
            (
                json!({"institutionCode": "harborline", "ui_locales": "en"}),
                Some("en"),
                "Sign in to",
            ),
            (
                json!({"institutionCode": "lumen", "ui_locales": "pt-BR"}),
                Some("pt-BR"),
                "Entrar em",
            ),
            (json!({"institutionCode": "summitridge"}), None, "Entrar em"),
        ];
        for (body, asked, words) in cases {
            let (status, started) = ts.post("/api/connections", Some(&tok), body.clone()).await;
            assert_eq!(status, 200, "{body}: {started}");
            let login = url::Url::parse(started["login_url"].as_str().unwrap()).unwrap();
            let locales: Vec<String> = login
                .query_pairs()
                .filter(|(k, _)| k == "ui_locales")
                .map(|(_, v)| v.into_owned())
                .collect();
            assert_eq!(
                locales,
                asked.map(String::from).into_iter().collect::<Vec<_>>()
            );
            let html = page(login.to_string()).await;
            assert!(html.contains(words), "{body}: {html}");
        }

        for bad in [json!("fr"), json!("EN"), json!(""), json!(["en"]), json!(7)] {
            let body = json!({"institutionCode": "harborline", "ui_locales": bad});
            let (status, answer) = ts.post("/api/connections", Some(&tok), body.clone()).await;
            assert_eq!(status, 400, "{body}: {answer}");
            assert_eq!(answer["error"]["code"], "invalid_field", "{answer}");
            assert_eq!(answer["error"]["field"], "ui_locales", "{body}: {answer}");
        }
    }
);

both!(
    a_sign_in_never_finished_expires_and_a_later_connect_reuses_it,
    |db| async move {
        let (ts, hook) = server(db).await;
        let (tok, _) = token(&ts, json!({})).await;
        let start = || {
            ts.post(
                "/api/connections",
                Some(&tok),
                json!({"institutionCode": "harborline"}),
            )
        };
        let (status, first) = start().await;
        assert_eq!(status, 200, "{first}");
        let id = first["id"].as_i64().unwrap();
        // Started again before the end user signed in: the same retrieval, a new sign-in.
        let (_, again) = start().await;
        assert_eq!(again["id"], id, "{again}");
        assert_ne!(again["login_url"], first["login_url"]);

        // Nobody signs in for 31 minutes: it says so, to the app and the integrator.
        ts.clock.advance(Duration::from_secs(31 * 60));
        let (_, current) = ts.get("/api/retrievals/current", Some(&tok)).await;
        assert_eq!(current["status"], "expired", "{current}");
        let (_, by_id) = retrieval(&ts, id).await;
        assert_eq!(by_id["status"], "expired", "{by_id}");
        let (_, progress) = ts.get("/app/progress", Some(&tok)).await;
        assert_eq!(
            (progress["status"].as_str(), progress["reason"].as_str()),
            (Some("expired"), Some("expired")),
            "{progress}"
        );
        // The sweep records it; a second sweep finds nothing more.
        let app = ts.app();
        assert_eq!(
            ponte_server::services::documents::expire_abandoned(app)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            ponte_server::services::documents::expire_abandoned(app)
                .await
                .unwrap(),
            0
        );

        // A later headless connect for the same user and portal reuses it and finishes.
        let (status, done) = connect(&ts, &tok, "harborline", "user_good", None).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["id"], id, "{done}");
        let hooked = webhook_for(&hook, id).await;
        assert_eq!(hooked["status"], "success", "{hooked}");
        // Another portal is another retrieval.
        let (_, other) = ts
            .post(
                "/api/connections",
                Some(&tok),
                json!({"institutionCode": "lumen"}),
            )
            .await;
        assert_ne!(other["id"], id, "{other}");
    }
);
