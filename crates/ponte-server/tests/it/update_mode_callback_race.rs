//! An update mode's answer from the institution submitted twice at the same
//! instant (double click, browser retry) is traded once: the second request
//! is told the renewal's one outcome (or refused as a replay), and the
//! consent is renewed once, round after round.

use crate::support;

use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use support::browser_flow::{deliver, params, redirect_back};
use support::Db;

both!(
    the_same_renewal_answer_twice_at_once_renews_once,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, id) = ts.authorised(&access, "user_good").await;
        for round in 0..5 {
            let (status, body) = ts
                .post(
                    "/data/v1/links",
                    Some(&access),
                    json!({"consentId": id, "redirectUrl": "https://app.example.com/done"}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
            let token = body["linkToken"].as_str().unwrap().to_string();
            let (status, started) = ts
                .post("/data/v1/links/renewal", Some(&token), json!({}))
                .await;
            assert_eq!(status, 200, "{started}");
            let start = started["consentRedirectUrl"].as_str().unwrap();
            let callback = redirect_back(&ts, start, "user_good").await;

            let barrier = Arc::new(tokio::sync::Barrier::new(2));
            let mut racers = Vec::new();
            for _ in 0..2 {
                let (http, base, barrier) = (ts.http.clone(), ts.base.clone(), barrier.clone());
                let p = params(&callback);
                racers.push(tokio::spawn(async move {
                    barrier.wait().await;
                    let resp = deliver(&http, &base, &p).send().await.unwrap();
                    let to: BTreeMap<String, String> = resp
                        .headers()
                        .get("location")
                        .map(|l| params(l.to_str().unwrap()))
                        .unwrap_or_default();
                    (resp.status().as_u16(), to)
                }));
            }
            let mut answers = Vec::new();
            for r in racers {
                answers.push(r.await.unwrap());
            }
            for (status, to) in &answers {
                // The second may come after the first finished: a replay,
                // refused as one (400), never a second outcome.
                if *status == 400 {
                    continue;
                }
                assert_eq!(*status, 303, "round {round}: {answers:?}");
                assert_eq!(to.get("consentId"), Some(&id), "round {round}: {answers:?}");
                assert_eq!(
                    (
                        to.get("status").map(String::as_str),
                        to.get("renewal").map(String::as_str)
                    ),
                    (Some("AUTHORISED"), Some("true")),
                    "round {round}: both are told the one outcome: {answers:?}"
                );
            }
            assert!(
                answers.iter().any(|(s, _)| *s == 303),
                "round {round}: {answers:?}"
            );
            let (status, list) = ts
                .get(&format!("/data/v1/consents/{id}/extensions"), Some(&access))
                .await;
            assert_eq!(status, 200, "{list}");
            assert_eq!(
                list["extensions"].as_array().map(Vec::len),
                Some(round + 1),
                "round {round}: renewed once: {list}"
            );
        }
    }
);
