//! The consent lifecycle on the sandbox test clock: warned ahead of its
//! expiry, renewed without a redirect (same consent), then let expire:
//! `EXPIRED`, its webhook, the consent ended at the bank, no more data calls.

use crate::support;

use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, TestServer};

async fn advance(ts: &TestServer, access: &str, days: i64) -> Value {
    let (status, body) = ts
        .post(
            "/sandbox/v1/clock/advance",
            Some(access),
            json!({"days": days}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn consent(ts: &TestServer, access: &str, id: &str) -> Value {
    let (status, body) = ts
        .get(&format!("/data/v1/consents/{id}"), Some(access))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Webhook messages of `event` written for the client (delivered or not).
async fn messages(ts: &TestServer, event: &str) -> i64 {
    use sqlx::Row;
    let mut conn = ts.app().store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM webhook_messages WHERE event_type = $1")
        .bind(event)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get("n")
}

/// The consent as the customer sees it in their bank's app.
async fn at_bank(ts: &TestServer, id: &str) -> Value {
    let mut conn = ts.app().store.read().await.unwrap();
    let row = ponte_store::consent_by_id(&mut conn, id)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
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
    resp.json().await.unwrap()
}

fn events<'a>(bodies: &'a [Value], event: &str) -> Vec<&'a Value> {
    bodies.iter().filter(|b| b["event"] == event).collect()
}

both!(
    warned_renewed_without_redirect_then_expired,
    |db: Db| async move {
        let (ts, receiver) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, id) = ts.authorised(&access, "user_good").await;

        let view = consent(&ts, &access, &id).await;
        let expiry = view["expirationDateTime"].as_str().unwrap().to_string();
        assert_eq!(view["expireAt"], expiry.as_str());
        assert!(!view["permissions"].as_array().unwrap().is_empty());
        assert!(view.get("rejectedBy").is_none(), "{view}");
        let (_, clock) = ts.get("/sandbox/v1/clock", Some(&access)).await;
        assert_eq!(clock["offsetMs"], 0, "{clock}");

        // 357 days on, 8 days are left: no warning yet. One more day: warned.
        advance(&ts, &access, 357).await;
        assert_eq!(messages(&ts, "CONSENT_EXPIRING").await, 0);
        let clock = advance(&ts, &access, 1).await;
        assert_eq!(clock["offsetMs"], 358 * 86_400_000_i64, "{clock}");
        let bodies = receiver
            .wait_for("CONSENT_EXPIRING", |b| {
                !events(b, "CONSENT_EXPIRING").is_empty()
            })
            .await;
        let warning = events(&bodies, "CONSENT_EXPIRING")[0];
        assert_eq!(warning["consentId"], id.as_str());
        assert_eq!(warning["linkId"], link_id.as_str());
        assert_eq!(warning["expirationDateTime"], expiry.as_str());
        // Once per consent and expiry date, however often the clock moves.
        advance(&ts, &access, 1).await;
        assert_eq!(messages(&ts, "CONSENT_EXPIRING").await, 1);

        // Renewed without a redirect: same consent, new expiry, listed.
        let (status, renewed) = ts
            .post(
                &format!("/data/v1/consents/{id}/renew"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{renewed}");
        assert_eq!(renewed["consentId"], id.as_str());
        assert_eq!(renewed["status"], "AUTHORISED");
        assert_eq!(renewed["previousExpirationDateTime"], expiry.as_str());
        let new_expiry = renewed["expirationDateTime"].as_str().unwrap().to_string();
        assert!(new_expiry > expiry, "{new_expiry} after {expiry}");
        assert_eq!(
            consent(&ts, &access, &id).await["expirationDateTime"],
            new_expiry.as_str()
        );
        let (status, list) = ts
            .get(&format!("/data/v1/consents/{id}/extensions"), Some(&access))
            .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["extensions"].as_array().unwrap().len(), 1, "{list}");
        assert_eq!(
            list["extensions"][0]["expirationDateTime"],
            new_expiry.as_str()
        );
        assert_eq!(
            list["extensions"][0]["previousExpirationDateTime"],
            expiry.as_str()
        );
        let bodies = receiver
            .wait_for("CONSENT_RENEWED", |b| {
                !events(b, "CONSENT_RENEWED").is_empty()
            })
            .await;
        assert_eq!(
            events(&bodies, "CONSENT_RENEWED")[0]["expirationDateTime"],
            new_expiry.as_str()
        );
        // The bank holds the new expiry too, and the consent stays usable there.
        let bank = at_bank(&ts, &id).await;
        assert_eq!(bank["data"]["status"], "AUTHORISED", "{bank}");
        assert_eq!(
            bank["data"]["expirationDateTime"]
                .as_str()
                .map(|s| &s[..19]),
            Some(&new_expiry[..19])
        );

        // Refusals say which field and why.
        let (status, refused) = ts
            .post(
                &format!("/data/v1/consents/{id}/renew"),
                Some(&access),
                json!({"expirationDateTime": expiry}),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["error"]["field"], "expirationDateTime");

        // Past the new expiry: EXPIRED, its webhook, ended at the bank.
        advance(&ts, &access, 366).await;
        assert_eq!(consent(&ts, &access, &id).await["status"], "EXPIRED");
        receiver
            .wait_for("EXPIRED", |b| {
                b.iter()
                    .any(|e| e["event"] == "CONSENT_STATUS_CHANGED" && e["status"] == "EXPIRED")
            })
            .await;
        let mut job = support::injected::job(&ts, "revoke_at_institution").await;
        for _ in 0..400 {
            if job.status != "pending" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            job = support::injected::job(&ts, "revoke_at_institution").await;
        }
        assert_eq!(job.status, "done", "{job:?}");
        let bank = at_bank(&ts, &id).await;
        assert_eq!(bank["data"]["status"], "REJECTED", "{bank}");

        // No more data calls, and no renewal of an expired consent.
        let (status, body) = ts
            .post(
                "/data/personal/institution-data",
                Some(&access),
                json!({"taxId": "52998224725", "linkId": link_id, "consentId": [id], "products": ["accounts"]}),
            )
            .await;
        assert_eq!(
            body["error"]["code"], "CONSENT_NOT_AUTHORISED",
            "{status} {body}"
        );
        let (status, body) = ts
            .post(
                &format!("/data/v1/consents/{id}/renew"),
                Some(&access),
                json!({}),
            )
            .await;
        assert_eq!(
            body["error"]["code"], "CONSENT_NOT_AUTHORISED",
            "{status} {body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("new consent"),
            "{body}"
        );
    }
);

both!(a_rejected_consent_says_why_and_who, |db: Db| async move {
    let ts = support::spawn(db).await;
    let access = ts.access_token().await;
    let (_, link_token) = ts.link(&access, json!({})).await;
    let (id, _) = ts.consent(&link_token, json!({})).await;
    // Awaiting authorisation: nothing to renew.
    let (status, body) = ts
        .post(
            &format!("/data/v1/consents/{id}/renew"),
            Some(&access),
            json!({}),
        )
        .await;
    assert_eq!(
        body["error"]["code"], "CONSENT_NOT_AUTHORISED",
        "{status} {body}"
    );

    let (_, body) = ts
        .authorise(
            &link_token,
            &id,
            json!({"username": "user_deny", "password": "pass_good"}),
        )
        .await;
    assert_eq!(body["status"], "REJECTED", "{body}");
    let view = consent(&ts, &access, &id).await;
    assert_eq!(
        view["rejectionReason"], "CUSTOMER_MANUALLY_REJECTED",
        "{view}"
    );
    assert_eq!(view["rejectedBy"], "USER", "{view}");
});

both!(
    the_test_clock_is_per_client_and_bounded,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        for bad in [json!({}), json!({"days": 0}), json!({"days": "7"})] {
            let (status, body) = ts
                .post("/sandbox/v1/clock/advance", Some(&access), bad.clone())
                .await;
            assert_eq!(status, 400, "{bad}: {body}");
            assert_eq!(body["error"]["field"], "days", "{bad}: {body}");
        }
        advance(&ts, &access, 30).await;
        let other_access = ts.another_client_access().await;
        let (_, clock) = ts.get("/sandbox/v1/clock", Some(&other_access)).await;
        assert_eq!(clock["offsetMs"], 0, "{clock}");
        let (status, _) = ts.get("/sandbox/v1/clock", None).await;
        assert_eq!(status, 401);
    }
);

both!(
    renewal_passes_the_end_users_headers_and_refuses_malformed_ones,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, id) = ts.authorised(&access, "user_good").await;
        // A month on, a renewal (12 months from then) moves the expiry later.
        advance(&ts, &access, 30).await;
        let renew = |name: &'static str, value: String| {
            ts.http
                .post(ts.url(&format!("/data/v1/consents/{id}/renew")))
                .bearer_auth(&access)
                .header(name, value)
                .json(&json!({}))
                .send()
        };
        let future = ponte_connect::headers::http_date(
            time::OffsetDateTime::now_utc() + time::Duration::days(1),
        );
        for (name, value) in [
            ("x-fapi-auth-date", "2026-12-07T09:30:00Z".to_string()),
            ("x-fapi-auth-date", future),
            ("x-fapi-customer-ip-address", "the-users-laptop".to_string()),
        ] {
            let resp = renew(name, value.clone()).await.unwrap();
            assert_eq!(resp.status(), 400, "{name}: {value}");
            let body: Value = resp.json().await.unwrap();
            assert_eq!(body["error"]["code"], "INVALID_FIELD", "{body}");
            assert_eq!(body["error"]["field"], name, "{body}");
        }
        // Sent as the caller gave it, the bank (which checks the format) renews.
        let logged_in = ponte_connect::headers::http_date(
            time::OffsetDateTime::now_utc() - time::Duration::minutes(20),
        );
        let resp = renew("x-fapi-auth-date", logged_in).await.unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["consentId"], id.as_str());
    }
);
