//! The Data API from credentials to links: tokens, their kinds and expiry,
//! validation that names the field, and one client never seeing another's data.

use crate::support;

use reqwest::Method;
use serde_json::{json, Value};
use support::Db;

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

fn error_field(body: &Value) -> &str {
    body["error"]["field"].as_str().unwrap_or("")
}

both!(credentials_and_token_kinds, |db: Db| async move {
    let ts = support::spawn(db).await;

    let (status, body) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": ts.client.api_key, "secretKey": "sk_wrong"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (401, "INVALID_CREDENTIALS"),
        "{body}"
    );
    let (status, body) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": "pk_nobody", "secretKey": ts.client.api_secret}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (401, "INVALID_CREDENTIALS"),
        "{body}"
    );
    let (status, body) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": ts.client.api_key}),
        )
        .await;
    assert_eq!((status, error_field(&body)), (400, "secretKey"), "{body}");
    let (status, body) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": 5, "secretKey": "x"}),
        )
        .await;
    assert_eq!((status, error_field(&body)), (400, "accessKey"), "{body}");

    let (status, body) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": ts.client.api_key, "secretKey": ts.client.api_secret}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expireIn"], 1800);
    let access = body["accessToken"].as_str().unwrap().to_string();

    let (status, body) = ts
        .post("/data/v1/auth/refresh", Some(&access), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(body["accessToken"], access.as_str());

    let (_, link_token) = ts.link(&access, json!({})).await;
    // A link token cannot do what an access token does, and vice versa.
    let (status, body) = ts
        .post(
            "/data/v1/links",
            Some(&link_token),
            json!({"personalTaxId": "52998224725"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "INVALID_TOKEN"),
        "{body}"
    );
    let (status, body) = ts
        .post("/data/v1/auth/refresh", Some(&link_token), json!({}))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "INVALID_TOKEN"),
        "{body}"
    );
    let (status, body) = ts.get("/data/v1/links/institutions", Some(&access)).await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "INVALID_TOKEN"),
        "{body}"
    );

    for bad in ["", "garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
        let (status, body) = ts
            .get(
                "/data/v1/links/institutions",
                Some(bad).filter(|b| !b.is_empty()),
            )
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (401, "INVALID_TOKEN"),
            "{bad}: {body}"
        );
    }
    // A token signed by Ponte but altered is refused.
    let mut tampered = access.clone();
    tampered.insert(access.len() / 2, 'x');
    let (status, _) = ts
        .post("/data/v1/auth/refresh", Some(&tampered), json!({}))
        .await;
    assert_eq!(status, 401);

    ts.clock.advance(std::time::Duration::from_secs(1801));
    let (status, body) = ts
        .post(
            "/data/v1/links",
            Some(&access),
            json!({"personalTaxId": "52998224725"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (401, "TOKEN_EXPIRED"),
        "{body}"
    );
    let (status, body) = ts
        .get("/data/v1/links/institutions", Some(&link_token))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (401, "TOKEN_EXPIRED"),
        "{body}"
    );
});

both!(
    links_validate_and_belong_to_their_client,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let cases = [
            (json!({}), "personalTaxId"),
            (json!({"personalTaxId": "529.982.247-24"}), "personalTaxId"),
            (
                json!({"businessTaxId": "11.222.333/0001-80"}),
                "businessTaxId",
            ),
            (
                json!({"personalTaxId": "52998224725", "email": "not-an-email"}),
                "email",
            ),
            (
                json!({"personalTaxId": "52998224725", "phone": "call me"}),
                "phone",
            ),
            (
                json!({"personalTaxId": "52998224725", "redirectUrl": "javascript:alert(1)"}),
                "redirectUrl",
            ),
            (
                json!({"personalTaxId": "52998224725", "productsCallbackUrl": {"accounts": "notaurl"}}),
                "productsCallbackUrl.accounts",
            ),
            (
                json!({"personalTaxId": "52998224725", "externalInfo": [1]}),
                "externalInfo",
            ),
        ];
        for (body, field) in cases {
            let (status, resp) = ts.post("/data/v1/links", Some(&access), body.clone()).await;
            assert_eq!(
                (status, error_code(&resp), error_field(&resp)),
                (400, "INVALID_FIELD", field),
                "{body} → {resp}"
            );
            assert!(
                resp["error"]["message"].as_str().unwrap().contains(field),
                "{resp}"
            );
        }
        let resp = ts
            .http
            .post(ts.url("/data/v1/links"))
            .bearer_auth(&access)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);

        let (status, created) = ts
        .post(
            "/data/v1/links",
            Some(&access),
            json!({"personalTaxId": "529.982.247-25", "businessTaxId": "11222333000181", "email": "ana@example.com", "phone": "(11) 91234-5678",
                   "redirectUrl": "https://app.example.com/done", "productsCallbackUrl": {"accounts": "https://hooks.example.com/acc"}, "externalInfo": {"customer": 42}}),
        )
        .await;
        assert_eq!(status, 200, "{created}");
        assert_eq!(created["expireIn"], 1800);
        let link_id = created["linkId"].as_str().unwrap();
        assert_eq!(
            created["linkUrl"],
            format!(
                "{}/link?v={}",
                ts.base,
                created["linkToken"].as_str().unwrap()
            )
        );

        let (status, link) = ts
            .get(&format!("/data/v1/links/{link_id}"), Some(&access))
            .await;
        assert_eq!(status, 200, "{link}");
        assert_eq!(link["status"], "PENDING");
        assert_eq!(link["personalTaxId"], "52998224725");
        assert_eq!(link["phone"], "+5511912345678");
        assert_eq!(link["externalInfo"]["customer"], 42);
        assert_eq!(
            link["productsCallbackUrl"]["accounts"],
            "https://hooks.example.com/acc"
        );
        assert_eq!(link["consents"], json!([]));

        // Another client cannot see it, and an unknown id is simply not found.
        let other_access = ts.another_client_access().await;
        let (status, body) = ts
            .get(&format!("/data/v1/links/{link_id}"), Some(&other_access))
            .await;
        assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"), "{body}");
        let (status, _) = ts.get("/data/v1/links/not-a-uuid", Some(&access)).await;
        assert_eq!(status, 404);
    }
);

both!(institution_directory, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (status, list) = ts
        .get("/data/v1/links/institutions", Some(&link_token))
        .await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap().clone();
    assert!(list.len() >= 12, "{} institutions", list.len());
    assert_eq!(list.iter().filter(|i| i["isOutage"] == true).count(), 1);
    for i in &list {
        for field in ["institutionCode", "name", "avatar", "businessType"] {
            assert!(
                i[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} in {i}"
            );
        }
        assert!(
            i["institutionType"].is_number() && i["availableResources"].is_array(),
            "{i}"
        );
    }
    let avatar = ts
        .http
        .get(list[0]["avatar"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(avatar.status(), 200);
    assert_eq!(avatar.headers()["content-type"], "image/svg+xml");
    assert!(avatar.text().await.unwrap().contains("<svg"));
});

both!(consent_errors, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;

    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": "nope"}),
        )
        .await;
    assert_eq!(
        (status, error_field(&body)),
        (400, "institutionCode"),
        "{body}"
    );
    let (status, body) = ts
        .post("/data/v1/consents", Some(&link_token), json!({}))
        .await;
    assert_eq!(
        (status, error_field(&body)),
        (400, "institutionCode"),
        "{body}"
    );
    let code = ts.institution(&link_token).await;
    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": code, "personalTaxId": "123"}),
        )
        .await;
    assert_eq!(
        (status, error_field(&body)),
        (400, "personalTaxId"),
        "{body}"
    );
    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": code, "redirectUrl": "ftp://x"}),
        )
        .await;
    assert_eq!((status, error_field(&body)), (400, "redirectUrl"), "{body}");

    // The link token is the end user's: it cannot change what the backend
    // fixed on the link (its CPF 529.982.247-25 and its redirectUrl), only
    // repeat it, as existing integrations do.
    for (changed, field) in [
        (json!({"personalTaxId": "111.444.777-35"}), "personalTaxId"),
        (
            json!({"redirectUrl": "https://evil.example/steal"}),
            "redirectUrl",
        ),
    ] {
        let mut body = json!({"institutionCode": code});
        body.as_object_mut()
            .unwrap()
            .extend(changed.as_object().unwrap().clone());
        let (status, body) = ts.post("/data/v1/consents", Some(&link_token), body).await;
        assert_eq!(
            (status, error_code(&body), error_field(&body)),
            (400, "INVALID_FIELD", field),
            "{body}"
        );
    }
    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": code, "personalTaxId": "52998224725",
                   "redirectUrl": "https://app.example.com/done"}),
        )
        .await;
    assert_eq!(status, 200, "the link's own values are fine: {body}");
    let widget = format!("{}/link", ts.base);
    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": code, "redirectUrl": widget}),
        )
        .await;
    assert_eq!(status, 200, "Ponte's own widget page may stand in: {body}");

    let (_, list) = ts
        .get("/data/v1/links/institutions", Some(&link_token))
        .await;
    let down = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["isOutage"] == true)
        .unwrap()["institutionCode"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = ts
        .post(
            "/data/v1/consents",
            Some(&link_token),
            json!({"institutionCode": down}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (503, "INSTITUTION_OUTAGE"),
        "{body}"
    );

    // A consent is visible to its client and its link only.
    let (consent_id, _) = ts.consent(&link_token, json!({})).await;
    let other_access = ts.another_client_access().await;
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = ts
            .call(
                method.clone(),
                &format!("/data/v1/consents/{consent_id}"),
                Some(&other_access),
                None,
            )
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (404, "NOT_FOUND"),
            "{method} {body}"
        );
    }
    let (status, _) = ts
        .authorise(
            &other_access,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 404);
    let (_, other_link_token) = ts.link(&access, json!({})).await;
    let (status, _) = ts
        .get(
            &format!("/data/v1/consents/{consent_id}"),
            Some(&other_link_token),
        )
        .await;
    assert_eq!(status, 404, "another link's token");
    let (status, body) = ts
        .get(
            &format!("/data/v1/consents/{consent_id}"),
            Some(&link_token),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "AWAITING_AUTHORISATION");
    assert_eq!(body["externalTrackId"], "track-1");
    assert!(body["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "ACCOUNTS_READ"));
});

both!(guessing_secrets_is_throttled, |db: Db| async move {
    let ts = support::spawn(db).await;
    for _ in 0..10 {
        let (status, _) = ts
            .post(
                "/data/v1/auth",
                None,
                json!({"accessKey": ts.client.api_key, "secretKey": "sk_guess"}),
            )
            .await;
        assert_eq!(status, 401);
    }
    let resp = ts
        .http
        .post(ts.url("/data/v1/auth"))
        .json(&json!({"accessKey": ts.client.api_key, "secretKey": ts.client.api_secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        429,
        "even the right secret waits once the key is throttled"
    );
    assert!(
        resp.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), "RATE_LIMITED");
    ts.clock.advance(std::time::Duration::from_secs(61));
    let (status, _) = ts
        .post(
            "/data/v1/auth",
            None,
            json!({"accessKey": ts.client.api_key, "secretKey": ts.client.api_secret}),
        )
        .await;
    assert_eq!(status, 200, "the window passed");
});

both!(
    a_polled_link_shows_every_change_at_once,
    |db: Db| async move {
        // A link read while nothing was written is kept and read again
        // without the database (SQLite): each change below must show on the
        // very next poll all the same.
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (link_id, link_token) = ts.link(&access, json!({})).await;
        let path = format!("/data/v1/links/{link_id}");
        let kept = || ts.app().link_reads.len();
        // Background work uses the writer now and then, which drops what
        // was kept; a poll soon finds it quiet (on a loaded machine, within
        // seconds).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let (status, link) = ts.get(&path, Some(&access)).await;
            assert_eq!((status, link["status"].as_str()), (200, Some("PENDING")));
            let never = matches!(db, Db::Postgres);
            if kept() > 0 || never || std::time::Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        match db {
            Db::Sqlite => assert!(kept() > 0, "the link was never kept"),
            Db::Postgres => assert_eq!(kept(), 0, "other nodes write PostgreSQL"),
        }
        let (status, link) = ts.get(&path, Some(&access)).await;
        assert_eq!((status, link["status"].as_str()), (200, Some("PENDING")));

        // Kept or not, it is its own client's only.
        let other_access = ts.another_client_access().await;
        let (status, body) = ts.get(&path, Some(&other_access)).await;
        assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"), "{body}");

        let (consent_id, _) = ts.consent(&link_token, json!({})).await;
        let (_, link) = ts.get(&path, Some(&access)).await;
        assert_eq!(link["status"], "IN_PROGRESS", "{link}");
        assert_eq!(link["consents"][0]["consentId"], consent_id.as_str());
        assert_eq!(
            link["consents"][0]["status"], "AWAITING_AUTHORISATION",
            "{link}"
        );

        let (status, _) = ts
            .authorise(
                &link_token,
                &consent_id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, link) = ts.get(&path, Some(&access)).await;
        assert_eq!(link["status"], "COMPLETED", "{link}");
        assert_eq!(link["consents"][0]["status"], "AUTHORISED", "{link}");
        assert_eq!(
            link["consents"][0]["statusHistory"]
                .as_array()
                .map(Vec::len),
            Some(2),
            "{link}"
        );

        // What a link's status owes to the time is worked out per poll.
        let (quiet_id, _) = ts.link(&access, json!({})).await;
        let quiet = format!("/data/v1/links/{quiet_id}");
        for _ in 0..3 {
            let (_, link) = ts.get(&quiet, Some(&access)).await;
            assert_eq!(link["status"], "PENDING");
        }
        ts.clock.advance(std::time::Duration::from_secs(31 * 60));
        let access = ts.access_token().await;
        let (_, link) = ts.get(&quiet, Some(&access)).await;
        assert_eq!(link["status"], "EXPIRED", "{link}");
    }
);
