//! From a link to an authorised consent, for every sandbox user, through the
//! headless helper and through the institution's pages as a browser would.

use crate::support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use support::browser_flow::{deliver, params, redirect_back};
use support::{Db, TestServer};

fn statuses(consent: &Value) -> Vec<String> {
    consent["statusHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap().to_string())
        .collect()
}

async fn fresh_consent(ts: &TestServer) -> (String, String, String) {
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (consent_id, _) = ts.consent(&link_token, json!({})).await;
    (access, link_token, consent_id)
}

both!(
    every_sandbox_user_behaves_as_the_contract_lists,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        for user in ["user_good", "user_flaky", "user_big"] {
            let (_, link_token, id) = fresh_consent(&ts).await;
            let (status, body) = ts
                .authorise(
                    &link_token,
                    &id,
                    json!({"username": user, "password": "pass_good"}),
                )
                .await;
            assert_eq!(status, 200, "{user}: {body}");
            assert_eq!(body["status"], "AUTHORISED", "{user}");
            assert_eq!(
                statuses(&body),
                ["AWAITING_AUTHORISATION", "AUTHORISED"],
                "{user}"
            );
        }

        let (access, _, id) = fresh_consent(&ts).await;
        let (status, body) = ts
            .authorise(
                &access,
                &id,
                json!({"username": "user_deny", "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (
                status,
                body["status"].as_str(),
                body["statusReason"].as_str()
            ),
            (200, Some("REJECTED"), Some("CUSTOMER_MANUALLY_REJECTED")),
            "{body}"
        );

        let (_, link_token, id) = fresh_consent(&ts).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_mfa", "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("otp")),
            "no code: {body}"
        );
        let (_, link_token, id) = fresh_consent(&ts).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_mfa", "password": "pass_good", "otp": "000000"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("otp")),
            "wrong code: {body}"
        );
        let (_, link_token, id) = fresh_consent(&ts).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_mfa", "password": "pass_good", "otp": "123456"}),
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("AUTHORISED")),
            "{body}"
        );

        let (_, link_token, id) = fresh_consent(&ts).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_locked", "password": "whatever"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (502, Some("INSTITUTION_ERROR")),
            "{body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("locked"),
            "{body}"
        );
        for (user, password) in [("user_good", "wrong"), ("someone", "pass_good")] {
            let (status, body) = ts
                .authorise(
                    &link_token,
                    &id,
                    json!({"username": user, "password": password}),
                )
                .await;
            assert_eq!(
                (status, body["error"]["field"].as_str()),
                (400, Some("password")),
                "{user}: {body}"
            );
        }
        let (status, body) = ts
            .authorise(&link_token, &id, json!({"password": "pass_good"}))
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("username")),
            "{body}"
        );
        // Refused logins leave the consent waiting for a successful one.
        let (_, body) = ts
            .get(&format!("/data/v1/consents/{id}"), Some(&link_token))
            .await;
        assert_eq!(body["status"], "AWAITING_AUTHORISATION");
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
        let (status, body) = ts
            .authorise(
                &link_token,
                &id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("CONFLICT")),
            "already authorised: {body}"
        );
    }
);

both!(
    browser_flow_returns_to_the_integrator_and_cannot_be_replayed,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let back = json!({"redirectUrl": "https://shop.example.com/back?x=1"});
        let (_, link_token) = ts.link(&access, back.clone()).await;
        // The consent repeats the link's redirectUrl, as Klavi integrations do.
        let (consent_id, redirect) = ts.consent(&link_token, back).await;
        assert!(
            redirect.starts_with(&format!("{}/sandbox/banks/", ts.base)),
            "the institution's own URL: {redirect}"
        );

        let callback = redirect_back(&ts, &redirect, "user_good").await;
        // FAPI-BR's hybrid flow: the answer is in the fragment, which the
        // callback page's script posts back.
        assert!(
            callback.starts_with(&format!("{}/callback/open-finance#", ts.base)),
            "{callback}"
        );
        let params = params(&callback);
        for key in ["code", "id_token", "state", "iss"] {
            assert!(params.contains_key(key), "{key} in {callback}");
        }
        let page = ts
            .http
            .get(format!("{}/callback/open-finance", ts.base))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap_or_default();
        assert!(
            script_src.starts_with("script-src 'sha256-") && !script_src.contains("unsafe"),
            "only the page's own script runs: {csp}"
        );
        let html = page.text().await.unwrap();
        assert!(
            html.contains("location.hash") && html.contains(r#"method="post""#),
            "{html}"
        );

        // A tampered state is refused and changes nothing.
        let mut wrong = params.clone();
        wrong.insert("state".into(), "forged".into());
        let resp = deliver(&ts.http, &ts.base, &wrong).send().await.unwrap();
        assert_eq!(resp.status(), 400);
        // So is an answer claiming to come from another institution (mix-up).
        let mut mixed = params.clone();
        mixed.insert("iss".into(), "https://evil.example.com".into());
        let resp = deliver(&ts.http, &ts.base, &mixed).send().await.unwrap();
        assert_eq!(resp.status(), 400);
        let (_, c) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(c["status"], "AWAITING_AUTHORISATION");

        let resp = deliver(&ts.http, &ts.base, &params).send().await.unwrap();
        assert_eq!(resp.status(), 303);
        let back = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
        assert_eq!(back.host_str(), Some("shop.example.com"));
        let back: BTreeMap<String, String> = back.query_pairs().into_owned().collect();
        assert_eq!(back.get("x").map(String::as_str), Some("1"));
        assert_eq!(back.get("consentId"), Some(&consent_id));
        assert_eq!(back.get("status").map(String::as_str), Some("AUTHORISED"));

        // The same code and state again: refused, and the consent stays authorised.
        let resp = deliver(&ts.http, &ts.base, &params)
            .header("accept-language", "en-US,en;q=0.8")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.headers()["content-language"], "en");
        assert!(resp.text().await.unwrap().contains("already completed"));
        let (_, c) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(statuses(&c), ["AWAITING_AUTHORISATION", "AUTHORISED"]);

        let (_, link) = ts
            .get(
                &format!("/data/v1/links/{}", c["linkId"].as_str().unwrap()),
                Some(&access),
            )
            .await;
        assert_eq!(link["status"], "COMPLETED");
        assert_eq!(link["consents"][0]["consentId"], consent_id.as_str());
    }
);

both!(
    denied_in_the_browser_returns_rejected,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (consent_id, redirect) = ts.consent(&link_token, json!({})).await;
        let callback = redirect_back(&ts, &redirect, "user_deny").await;
        assert_eq!(
            params(&callback).get("error").map(String::as_str),
            Some("access_denied"),
            "{callback}"
        );
        let resp = deliver(&ts.http, &ts.base, &params(&callback))
            .send()
            .await
            .unwrap();
        let location = resp.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("https://app.example.com/done?")
                && location.contains("status=REJECTED"),
            "{location}"
        );
        let (_, c) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(
            (c["status"].as_str(), c["statusReason"].as_str()),
            (Some("REJECTED"), Some("CUSTOMER_MANUALLY_REJECTED"))
        );
    }
);

both!(
    revocation_ends_the_consent_here_and_at_the_institution,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let (access, link_token, id) = fresh_consent(&ts).await;
        ts.authorise(
            &link_token,
            &id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
        let (status, _) = ts
            .call(
                reqwest::Method::DELETE,
                &format!("/data/v1/consents/{id}"),
                Some(&link_token),
                None,
            )
            .await;
        assert_eq!(status, 403, "a link token cannot revoke");
        let (status, body) = ts
            .call(
                reqwest::Method::DELETE,
                &format!("/data/v1/consents/{id}"),
                Some(&access),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "REVOKED");
        assert_eq!(
            statuses(&body),
            ["AWAITING_AUTHORISATION", "AUTHORISED", "REVOKED"]
        );
        // Revoking again changes nothing.
        let (status, body) = ts
            .call(
                reqwest::Method::DELETE,
                &format!("/data/v1/consents/{id}"),
                Some(&access),
                None,
            )
            .await;
        assert_eq!((status, statuses(&body).len()), (200, 3));

        // The institution's side is revoked too, by a job queued with the
        // revocation: its consent ends rejected by the user.
        let row = {
            let mut conn = ts.app().store.read().await.unwrap();
            ponte_store::consent_by_id(&mut conn, &id)
                .await
                .unwrap()
                .unwrap()
        };
        assert!(
            row.bank_tokens_enc.is_none(),
            "the institution's tokens are erased"
        );
        let inst = ts.app().directory.get(&row.institution_code).unwrap();
        let mut at_bank = (String::new(), None);
        for _ in 0..200 {
            at_bank = ts
                .app()
                .open_finance
                .consent_status(&inst.endpoint, row.bank_consent_id.as_deref().unwrap())
                .await
                .unwrap();
            if at_bank.0 != "AUTHORISED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(
            (at_bank.0.as_str(), at_bank.1.as_deref()),
            ("REJECTED", Some("CUSTOMER_MANUALLY_REVOKED"))
        );
    }
);

both!(consents_expire_on_the_clock, |db: Db| async move {
    let ts = support::spawn(db).await;
    let (access, _, waiting) = fresh_consent(&ts).await;
    let (_, link_token, authorised) = fresh_consent(&ts).await;
    ts.authorise(
        &link_token,
        &authorised,
        json!({"username": "user_good", "password": "pass_good"}),
    )
    .await;

    ts.clock.advance(Duration::from_secs(61 * 60));
    let access = {
        let _ = access;
        ts.access_token().await
    };
    let (_, c) = ts
        .get(&format!("/data/v1/consents/{waiting}"), Some(&access))
        .await;
    assert_eq!(
        (c["status"].as_str(), c["statusReason"].as_str()),
        (Some("REJECTED"), Some("CONSENT_EXPIRED")),
        "{c}"
    );
    let (_, c) = ts
        .get(&format!("/data/v1/consents/{authorised}"), Some(&access))
        .await;
    assert_eq!(
        c["status"], "AUTHORISED",
        "an authorised consent lives until expireAt"
    );

    ts.clock.advance(Duration::from_secs(366 * 24 * 3600));
    let access = ts.access_token().await;
    let (_, c) = ts
        .get(&format!("/data/v1/consents/{authorised}"), Some(&access))
        .await;
    assert_eq!(
        (c["status"].as_str(), c["statusReason"].as_str()),
        (Some("EXPIRED"), Some("CONSENT_MAX_DATE_REACHED")),
        "{c}"
    );
    assert_eq!(
        statuses(&c),
        ["AWAITING_AUTHORISATION", "AUTHORISED", "EXPIRED"]
    );
});

both!(
    events_for_a_client_without_a_webhook_url_wait_dead_for_a_replay,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let (_, _, _) = fresh_consent(&ts).await;
        let mut dead = Vec::new();
        for _ in 0..100 {
            let mut conn = ts.app().store.read().await.unwrap();
            dead = ponte_store::list_messages(
                &mut conn,
                &ts.client.client_id,
                Some(ponte_store::WebhookStatus::Dead),
                None,
                10,
            )
            .await
            .unwrap();
            if !dead.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(dead.len(), 1, "the consent's first event");
        assert_eq!(dead[0].attempts, 1, "no pointless retries");
        assert!(
            dead[0]
                .last_error
                .as_deref()
                .unwrap()
                .contains("no webhook URL"),
            "{:?}",
            dead[0].last_error
        );
    }
);
