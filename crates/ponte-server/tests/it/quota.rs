//! Quota budgets: a consent's monthly OFB operational limits counted call by
//! call. When its full transaction history has been read the allowed four
//! times this month, the next data request is refused `QUOTA_EXHAUSTED`
//! naming the endpoint and the reset time, `GET …/quota` shows the spend,
//! and the bank was never called past its limit. Past the month's end (on
//! Ponte's clock) the budget is whole again; `quota_test_clock` moves the
//! client's sandbox test clock instead, which resets the banks' side too.

use crate::support;

use serde_json::{json, Value};
use support::{Db, TestServer};

pub(crate) const TRANSACTIONS: &str = "/open-banking/accounts/v2/accounts/{accountId}/transactions";
const BALANCES: &str = "/open-banking/accounts/v2/accounts/{accountId}/balances";

pub(crate) fn request_body(link_id: &str, consent_id: &str) -> Value {
    json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]})
}

pub(crate) async fn quota(ts: &TestServer, access: &str, consent_id: &str) -> Value {
    let (status, body) = ts
        .get(
            &format!("/data/v1/consents/{consent_id}/quota"),
            Some(access),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

pub(crate) fn endpoint<'a>(quota: &'a Value, name: &str) -> &'a Value {
    quota["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint"] == name)
        .unwrap_or_else(|| panic!("{name} not in {quota}"))
}

/// The bank's own counters for the consent, read in its customer app.
pub(crate) async fn bank_activity(ts: &TestServer, consent_id: &str) -> Value {
    let mut conn = ts.app().store.read().await.unwrap();
    let row = ponte_store::consent_by_id(&mut conn, consent_id)
        .await
        .unwrap()
        .unwrap();
    let resp = ts
        .http
        .get(ts.url(&format!(
            "/sandbox/banks/{}/customer/consents/{}",
            row.institution_code,
            row.bank_consent_id.unwrap()
        )))
        .basic_auth("user_good", Some("pass_good"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["activity"].clone()
}

both!(
    a_spent_transactions_budget_refuses_the_next_request,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
        let resets_at = ponte_server::clock::rfc3339(ponte_server::services::quota::resets_at(
            ts.app().clock.now_ms(),
        ));

        let fresh = quota(&ts, &access, &consent_id).await;
        assert_eq!(fresh["consentId"], consent_id.as_str());
        let tx = endpoint(&fresh, TRANSACTIONS);
        assert_eq!(
            (
                &tx["limit"],
                &tx["used"],
                &tx["remaining"],
                tx["resetsAt"].as_str()
            ),
            (&json!(4), &json!(0), &json!(4), Some(resets_at.as_str())),
            "{fresh}"
        );

        for n in 1..=4 {
            let (status, resp) = ts
                .post(
                    "/data/personal/institution-data",
                    Some(&access),
                    request_body(&link_id, &consent_id),
                )
                .await;
            assert_eq!(status, 200, "request {n}: {resp}");
            let request_id = resp["requestId"].as_str().unwrap().to_string();
            let ready = events
                .wait_for("the report", |b| {
                    b.iter().any(|e| {
                        e["event"] == "REPORT_READY" && e["requestId"] == request_id.as_str()
                    })
                })
                .await;
            let report = ready
                .iter()
                .find(|e| e["requestId"] == request_id.as_str())
                .unwrap();
            assert_eq!(report["status"], "SUCCESS", "request {n}: {report}");
        }

        let spent = quota(&ts, &access, &consent_id).await;
        let tx = endpoint(&spent, TRANSACTIONS);
        assert_eq!(
            (&tx["used"], &tx["remaining"]),
            (&json!(4), &json!(0)),
            "{spent}"
        );
        let balances = endpoint(&spent, BALANCES);
        assert_eq!(
            (
                &balances["limit"],
                &balances["used"],
                &balances["remaining"]
            ),
            (&json!(420), &json!(4), &json!(416)),
            "{spent}"
        );

        let (status, refused) = ts
            .post(
                "/data/personal/institution-data",
                Some(&access),
                request_body(&link_id, &consent_id),
            )
            .await;
        assert_eq!(
            (
                status,
                refused["error"]["code"].as_str(),
                refused["error"]["field"].as_str()
            ),
            (429, Some("QUOTA_EXHAUSTED"), Some("consentId")),
            "{refused}"
        );
        let message = refused["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(TRANSACTIONS) && message.contains(&resets_at),
            "{message}"
        );

        // The bank never refused a call: Ponte stopped at the limit, not the bank.
        assert_eq!(bank_activity(&ts, &consent_id).await["throttledCalls"], 0);
        // Every call is on record for PCM, with its interaction id and status.
        let mut conn = ts.app().store.read().await.unwrap();
        let month = ponte_server::services::quota::month_of(ts.app().clock.now_ms());
        let calls = ponte_store::calls_of_month(&mut conn, &month, 0, 10_000)
            .await
            .unwrap();
        let mine: Vec<_> = calls
            .iter()
            .filter(|c| c.consent_id == consent_id)
            .collect();
        assert!(mine
            .iter()
            .all(|c| c.status == Some(200) && !c.interaction_id.is_empty()));
        let per_account = ponte_store::calls_spent(&mut conn, &consent_id, &month)
            .await
            .unwrap();
        let tx_counts: Vec<i64> = per_account
            .iter()
            .filter(|(e, _, _)| e == TRANSACTIONS)
            .map(|(_, _, n)| *n)
            .collect();
        assert!(
            !tx_counts.is_empty() && tx_counts.iter().all(|n| *n == 4),
            "{per_account:?}"
        );

        // Ponte's side of the month's end: its clock moved past the reset, the
        // budget is whole again. (The sandbox banks follow once the sandbox test
        // clock moves them too.)
        let now = ts.app().clock.now_ms();
        let reset_ms = ponte_server::services::quota::resets_at(now);
        ts.app().clock.advance(std::time::Duration::from_millis(
            (reset_ms - now + 1000) as u64,
        ));
        let access = ts.access_token().await;
        let next = quota(&ts, &access, &consent_id).await;
        let tx = endpoint(&next, TRANSACTIONS);
        assert_eq!(
            (&tx["used"], &tx["remaining"]),
            (&json!(0), &json!(4)),
            "{next}"
        );
        assert_ne!(tx["resetsAt"].as_str(), Some(resets_at.as_str()), "{next}");
        assert_ne!(next["month"], spent["month"]);

        // Another client's token sees no such consent.
        let (status, _) = ts
            .get(
                &format!("/data/v1/consents/{consent_id}/quota"),
                Some("nope"),
            )
            .await;
        assert_eq!(status, 401);
    }
);
