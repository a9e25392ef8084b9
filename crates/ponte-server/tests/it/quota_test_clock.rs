//! The quota month on the sandbox test clock: a consent that spent its full
//! transaction histories for the month is refused `QUOTA_EXHAUSTED` naming
//! the endpoint and the reset; once its client's test clock moves past the
//! month's end, the same request succeeds (Ponte's budget and the bank's
//! start again together) and `GET …/quota` shows the new month, while the
//! server's own clock never left the old one.

use crate::quota::{bank_activity, endpoint, quota, request_body, TRANSACTIONS};
use crate::support;
use crate::transactions_sync::{advance, synced_through, today};

use ponte_server::services::quota::{month_of, resets_at};
use serde_json::{json, Value};
use support::{Db, Receiver, TestServer};

const DAY_MS: i64 = 86_400_000;

fn transactions(quota: &Value) -> &Value {
    endpoint(quota, TRANSACTIONS)
}

/// Posts an accounts request; answers the status and body, and for an
/// accepted one waits for its `REPORT_READY` and checks it succeeded.
async fn request(
    ts: &TestServer,
    events: &Receiver,
    access: &str,
    link_id: &str,
    consent_id: &str,
) -> (u16, Value) {
    let (status, resp) = ts
        .post(
            "/data/personal/institution-data",
            Some(access),
            request_body(link_id, consent_id),
        )
        .await;
    if status != 200 {
        return (status, resp);
    }
    let request_id = resp["requestId"].as_str().unwrap().to_string();
    let ready = events
        .wait_for("the report", |b| {
            b.iter()
                .any(|e| e["event"] == "REPORT_READY" && e["requestId"] == request_id.as_str())
        })
        .await;
    let report = ready
        .iter()
        .find(|e| e["requestId"] == request_id.as_str())
        .unwrap();
    assert_eq!(report["status"], "SUCCESS", "{report}");
    (status, resp)
}

both!(
    the_quota_month_resets_on_the_test_clock,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
        let day = today(&ts, &access).await;
        synced_through(&ts, &access, &consent_id, day).await;
        let server_now = ts.app().clock.now_ms();
        let old_month = month_of(server_now);
        let old_reset = resets_at(server_now);
        let old_reset_text = ponte_server::clock::rfc3339(old_reset);

        // Spend what is left of the month's full histories.
        let left = transactions(&quota(&ts, &access, &consent_id).await)["remaining"]
            .as_u64()
            .unwrap();
        assert!(left >= 1, "nothing left to spend");
        for _ in 0..left {
            let (status, resp) = request(&ts, &events, &access, &link_id, &consent_id).await;
            assert_eq!(status, 200, "{resp}");
        }
        let (status, refused) = request(&ts, &events, &access, &link_id, &consent_id).await;
        assert_eq!(
            (status, refused["error"]["code"].as_str()),
            (429, Some("QUOTA_EXHAUSTED")),
            "{refused}"
        );
        let message = refused["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(TRANSACTIONS) && message.contains(&old_reset_text),
            "{message}"
        );

        // The client's clock moves into the next month; the server's does not.
        let days = (old_reset - server_now).div_euclid(DAY_MS) + 1;
        let new_day = advance(&ts, &access, days).await;
        assert_eq!(month_of(ts.app().clock.now_ms()), old_month);
        // The refresh the new day queued lands first (its window reaches back
        // past the last refresh, so it may read one full history of the new
        // month); what is spent after it is only the request's.
        synced_through(&ts, &access, &consent_id, new_day).await;

        let next = quota(&ts, &access, &consent_id).await;
        // A day at most past the reset: in the month that began there.
        assert_eq!(next["month"], month_of(old_reset).as_str(), "{next}");
        assert_ne!(next["month"], old_month.as_str(), "{next}");
        let tx = transactions(&next);
        let used = tx["used"].as_u64().unwrap();
        let new_reset = ponte_server::clock::rfc3339(resets_at(old_reset));
        assert!(used <= 1, "the refresh alone spent {used}: {next}");
        assert_eq!(
            (&tx["remaining"], tx["resetsAt"].as_str()),
            (&json!(4 - used), Some(new_reset.as_str())),
            "{next}"
        );

        // The same request now goes through, at Ponte and at the bank.
        let (status, resp) = request(&ts, &events, &access, &link_id, &consent_id).await;
        assert_eq!(status, 200, "{resp}");
        let after = quota(&ts, &access, &consent_id).await;
        assert_eq!(
            (
                &transactions(&after)["used"],
                &transactions(&after)["remaining"]
            ),
            (&json!(used + 1), &json!(3 - used)),
            "{after}"
        );
        assert_eq!(bank_activity(&ts, &consent_id).await["throttledCalls"], 0);
    }
);
