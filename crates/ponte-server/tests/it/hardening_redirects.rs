//! Registered redirect URLs: once a client registers any, every
//! `redirectUrl` on its links and consents must be one of them exactly, so
//! Ponte cannot be used as an open redirect; Ponte's own widget page stays
//! allowed, and a client that registers none is not checked.

use crate::support;

use ponte_server::services::redirect_urls;
use serde_json::{json, Value};
use support::Db;

fn error(body: &Value) -> (&str, &str) {
    (
        body["error"]["code"].as_str().unwrap_or_default(),
        body["error"]["field"].as_str().unwrap_or_default(),
    )
}

both!(
    a_client_with_registered_redirect_urls_accepts_only_those,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let client_id = ts.client.client_id.clone();
        // Nothing registered: any http(s) URL, as before.
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"personalTaxId": "52998224725", "redirectUrl": "https://elsewhere.example.com/x"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");

        let now = redirect_urls::update(
            ts.app(),
            &client_id,
            &[
                "https://shop.example.com/back".into(),
                "https://shop.example.com/other".into(),
            ],
            false,
        )
        .await
        .unwrap();
        assert_eq!(now.len(), 2);
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"personalTaxId": "52998224725", "redirectUrl": "https://evil.example.com/steal"}),
            )
            .await;
        assert_eq!(
            (status, error(&body)),
            (400, ("INVALID_FIELD", "redirectUrl")),
            "{body}"
        );
        // Exact match: a longer path or another query is another URL.
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"personalTaxId": "52998224725", "redirectUrl": "https://shop.example.com/back/../x"}),
            )
            .await;
        assert_eq!(
            (status, error(&body)),
            (400, ("INVALID_FIELD", "redirectUrl")),
            "{body}"
        );
        let (_, link_token) = ts
            .link(
                &access,
                json!({"redirectUrl": "https://shop.example.com/back"}),
            )
            .await;
        // A link with no redirectUrl: its consents are checked too.
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"personalTaxId": "52998224725", "redirectUrl": null}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let open_token = body["linkToken"].as_str().unwrap().to_string();
        let code = ts.institution(&open_token).await;
        let (status, body) = ts
            .post(
                "/data/v1/consents",
                Some(&open_token),
                json!({"institutionCode": code, "redirectUrl": "https://evil.example.com/steal"}),
            )
            .await;
        assert_eq!(
            (status, error(&body)),
            (400, ("INVALID_FIELD", "redirectUrl")),
            "{body}"
        );
        let (status, body) = ts
            .post(
                "/data/v1/consents",
                Some(&open_token),
                json!({"institutionCode": code, "redirectUrl": "https://shop.example.com/other"}),
            )
            .await;
        assert_eq!(status, 200, "a registered URL: {body}");
        // Ponte's own widget page may stand in.
        let (status, body) = ts
            .post(
                "/data/v1/consents",
                Some(&link_token),
                json!({"institutionCode": code, "redirectUrl": format!("{}/link", ts.base)}),
            )
            .await;
        assert_eq!(status, 200, "the widget page: {body}");

        // Cleared: no check again.
        let now = redirect_urls::update(ts.app(), &client_id, &[], true)
            .await
            .unwrap();
        assert!(now.is_empty());
        let (status, body) = ts
            .post(
                "/data/v1/links",
                Some(&access),
                json!({"personalTaxId": "52998224725", "redirectUrl": "https://evil.example.com/steal"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
);

both!(registering_a_bad_url_names_the_flag, |db: Db| async move {
    let ts = support::spawn(db).await;
    let err = redirect_urls::update(
        ts.app(),
        &ts.client.client_id.clone(),
        &["javascript:alert(1)".into()],
        false,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("--redirect-url"), "{err}");
    let err = redirect_urls::update(ts.app(), "cli_unknown", &[], true)
        .await
        .unwrap_err();
    assert!(matches!(err, ponte_server::Error::NotFound(_)), "{err}");
});
