//! At most `PONTE_MAX_CONSENTS_PER_LINK` (default 10) consents per link: a
//! leaked link token cannot open consents at the institution without end.

use crate::support;

use serde_json::json;
use support::Db;

both!(
    the_eleventh_consent_on_one_link_is_refused,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (link_id, link_token) = ts.link(&access, json!({})).await;
        for _ in 0..10 {
            ts.consent(&link_token, json!({})).await;
        }
        let code = ts.institution(&link_token).await;
        let (status, body) = ts
            .post(
                "/data/v1/consents",
                Some(&link_token),
                json!({"institutionCode": code}),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "LINK_CONSENT_LIMIT", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("(10)") && message.contains("new link"),
            "{message}"
        );
        let (_, link) = ts
            .get(&format!("/data/v1/links/{link_id}"), Some(&access))
            .await;
        assert_eq!(
            link["consents"].as_array().map(Vec::len),
            Some(10),
            "nothing was opened: {link}"
        );

        // Another link of the same end user has room of its own.
        let (_, other) = ts.link(&access, json!({})).await;
        ts.consent(&other, json!({})).await;
    }
);

both!(the_limit_is_configurable, |db: Db| async move {
    let ts = support::spawn_with(
        db,
        support::Options {
            env: vec![("PONTE_MAX_CONSENTS_PER_LINK", "2".into())],
            ..Default::default()
        },
    )
    .await;
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    ts.consent(&link_token, json!({})).await;
    ts.consent(&link_token, json!({})).await;
    let code = ts.institution(&link_token).await;
    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": code}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("LINK_CONSENT_LIMIT")),
        "{body}"
    );
});

both!(
    consents_made_at_the_same_instant_never_pass_the_limit,
    |db: Db| async move {
        let ts = support::spawn_with(
            db,
            support::Options {
                env: vec![("PONTE_MAX_CONSENTS_PER_LINK", "2".into())],
                ..Default::default()
            },
        )
        .await;
        let access = ts.access_token().await;
        let (link_id, link_token) = ts.link(&access, json!({})).await;
        let code = ts.institution(&link_token).await;
        let body = json!({"institutionCode": code});
        let answers = futures::future::join_all(
            (0..6).map(|_| ts.post("/data/v1/consents", Some(&link_token), body.clone())),
        )
        .await;
        let made = answers.iter().filter(|(s, _)| *s < 300).count();
        assert!(
            answers
                .iter()
                .all(|(s, b)| *s < 300 || (*s == 409 && b["error"]["code"] == "LINK_CONSENT_LIMIT")),
            "{answers:?}"
        );
        let (_, link) = ts
            .get(&format!("/data/v1/links/{link_id}"), Some(&access))
            .await;
        let held = link["consents"].as_array().map(Vec::len);
        assert_eq!((made, held), (2, Some(2)), "{link}");
    }
);
