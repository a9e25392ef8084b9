//! One outcome per authorisation: the institution's answer submitted twice
//! at the same instant (double click, browser retry) is traded once, and the
//! second request is told the first one's outcome; an answer without the
//! `iss` the institution always sends is refused.

use crate::support;

use ponte_connect::BankTokens;
use ponte_server::services::slots;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
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

/// A consent whose end user approved at the institution; returns its id and
/// the institution's redirect back to Ponte, not yet sent.
async fn approved(ts: &TestServer, access: &str) -> (String, String) {
    let back = json!({"redirectUrl": "https://shop.example.com/back"});
    let (_, link_token) = ts.link(access, back.clone()).await;
    let (consent_id, redirect) = ts.consent(&link_token, back).await;
    let callback = redirect_back(ts, &redirect, "user_good").await;
    (consent_id, callback)
}

/// Where the callback sent the browser, as (status, consentId, status there).
async fn answer(resp: reqwest::Response) -> (u16, BTreeMap<String, String>) {
    let status = resp.status().as_u16();
    let to = resp
        .headers()
        .get("location")
        .map(|l| params(l.to_str().unwrap()))
        .unwrap_or_default();
    (status, to)
}

both!(
    the_same_answer_twice_at_once_is_traded_once,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        for round in 0..10 {
            let (consent_id, callback) = approved(&ts, &access).await;
            let barrier = Arc::new(tokio::sync::Barrier::new(2));
            let mut racers = Vec::new();
            for _ in 0..2 {
                let (http, base, barrier) = (ts.http.clone(), ts.base.clone(), barrier.clone());
                let p = params(&callback);
                racers.push(tokio::spawn(async move {
                    barrier.wait().await;
                    answer(deliver(&http, &base, &p).send().await.unwrap()).await
                }));
            }
            let mut answers = Vec::new();
            for r in racers {
                answers.push(r.await.unwrap());
            }
            for (status, to) in &answers {
                // The second may also come after the first finished: then it
                // is a replay, refused as one (400), never a second outcome.
                if *status == 400 {
                    continue;
                }
                assert_eq!(*status, 303, "round {round}: {answers:?}");
                assert_eq!(to.get("consentId"), Some(&consent_id), "round {round}");
                assert_eq!(
                    to.get("status").map(String::as_str),
                    Some("AUTHORISED"),
                    "round {round}: both are told the one outcome: {answers:?}"
                );
            }
            assert!(
                answers.iter().any(|(s, _)| *s == 303),
                "round {round}: {answers:?}"
            );
            let (_, c) = ts
                .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
                .await;
            assert_eq!(
                statuses(&c),
                ["AWAITING_AUTHORISATION", "AUTHORISED"],
                "round {round}: {c}"
            );
            // The code was traded once: a second trade makes the institution
            // revoke every token the code bought, so the stored pair would
            // no longer refresh.
            let app = ts.app();
            let mut conn = app.store.read().await.unwrap();
            let row = ponte_store::consent_by_id(&mut conn, &consent_id)
                .await
                .unwrap()
                .unwrap();
            drop(conn);
            let tokens: BankTokens = app
                .crypto
                .open_json(
                    slots::consent_bank_tokens(&consent_id),
                    row.bank_tokens_enc
                        .as_deref()
                        .expect("AUTHORISED keeps tokens"),
                )
                .unwrap();
            let institution = app.directory.get(&row.institution_code).unwrap();
            app.open_finance
                .refresh(
                    &institution.endpoint,
                    tokens.refresh_token.as_deref().expect("a refresh token"),
                    ts.clock.now_ms(),
                )
                .await
                .unwrap_or_else(|e| panic!("round {round}: the tokens are live: {e}"));
        }
    }
);

both!(
    an_answer_without_the_institutions_iss_is_refused_and_changes_nothing,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (consent_id, callback) = approved(&ts, &access).await;
        let p = params(&callback);
        assert!(p.contains_key("iss"), "the sandbox sends iss: {callback}");

        let mut without = p.clone();
        without.remove("iss");
        // An English browser: the page speaks the end user's language.
        let resp = deliver(&ts.http, &ts.base, &without)
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        let page = resp.text().await.unwrap();
        assert!(page.contains("could not read your bank"), "{page}");
        let (_, c) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(c["status"], "AWAITING_AUTHORISATION", "{c}");

        // The institution's own answer, with its iss, still completes it.
        let (status, to) = answer(deliver(&ts.http, &ts.base, &p).send().await.unwrap()).await;
        assert_eq!(status, 303);
        assert_eq!(to.get("status").map(String::as_str), Some("AUTHORISED"));
    }
);
