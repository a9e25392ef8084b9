//! Durable jobs against a database that fails for real: a trigger the test
//! creates makes every insert of a `SUCCESS` report abort, as a database blip
//! would. The job is retried with backoff (the test moves the server's clock
//! past each wait) and either succeeds once the failure goes, or ends with a
//! `FAILED` report the integrator is told about.

use crate::support;

use serde_json::{json, Value};
use support::injected::{self, skip_backoff, Injected, Job};
use support::{Db, Receiver, TestServer};

const KIND: &str = ponte_server::services::retrieval_job::JOB_KIND;

/// Every insert of a `SUCCESS` report aborts.
async fn inject(ts: &TestServer, db: Db) -> Injected {
    Injected::start(ts, db, "reports", "NEW.status = 'SUCCESS'").await
}

async fn job(ts: &TestServer) -> Job {
    injected::job(ts, KIND).await
}

async fn after_try(ts: &TestServer, attempt: i64) -> Job {
    injected::after_try(ts, KIND, attempt).await
}

/// An authorised consent and a request for its loans; returns (access, requestId).
/// Loans have no built-in monthly operational limit: each try reads the bank
/// again, and five tries of accounts would spend the account list's four a month.
async fn one_retrieval(ts: &TestServer) -> (String, String) {
    let access = ts.access_token().await;
    let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
    let (status, resp) = ts
        .post(
            "/data/personal/institution-data",
            Some(&access),
            json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": ["loans"]}),
        )
        .await;
    assert_eq!(status, 200, "{resp}");
    (access, resp["requestId"].as_str().unwrap().to_string())
}

async fn events_to(db: Db) -> (TestServer, Receiver) {
    let (ts, events) = support::spawn_receiving(db).await;
    (ts, events)
}

fn reports_of(bodies: &[Value], request_id: &str) -> Vec<Value> {
    bodies
        .iter()
        .filter(|e| e["event"] == "REPORT_READY" && e["requestId"] == request_id)
        .cloned()
        .collect()
}

both!(
    a_job_meeting_a_database_error_is_retried_and_succeeds_once_it_goes,
    |db: Db| async move {
        let (ts, events) = events_to(db).await;
        // Only reports are refused: the consent is authorised as usual.
        let injected = inject(&ts, db).await;
        let (access, request_id) = one_retrieval(&ts).await;

        let first = after_try(&ts, 1).await;
        assert_eq!(
            first.status, "pending",
            "not failed on the first blip: {first:?}"
        );
        assert!(first.last_error.is_some(), "{first:?}");
        let (_, view) = ts
            .get(&format!("/data/v1/requests/{request_id}"), Some(&access))
            .await;
        assert_eq!(view["status"], "PROCESSING", "{view}");
        skip_backoff(&ts, &first);
        let second = after_try(&ts, 2).await;
        assert_eq!(second.status, "pending", "{second:?}");
        assert!(
            second.run_at > first.run_at,
            "each try waits again: {first:?} {second:?}"
        );

        injected.stop().await;
        skip_backoff(&ts, &second);
        let bodies = events
            .wait_for("the report", |b| !reports_of(b, &request_id).is_empty())
            .await;
        let reports = reports_of(&bodies, &request_id);
        assert_eq!(reports.len(), 1, "{reports:?}");
        assert_eq!(reports[0]["status"], "SUCCESS", "{}", reports[0]);
        let done = job(&ts).await;
        assert_eq!(
            (done.status.as_str(), done.attempts),
            ("done", 3),
            "{done:?}"
        );
        let (_, view) = ts
            .get(
                &format!("/data/v1/requests/{request_id}"),
                Some(&ts.access_token().await),
            )
            .await;
        assert_eq!(
            (
                view["status"].as_str(),
                view["reports"][0]["status"].as_str()
            ),
            (Some("COMPLETED"), Some("SUCCESS")),
            "{view}"
        );
    }
);

both!(
    a_job_whose_error_persists_ends_with_a_failed_report_its_owner_is_told_of,
    |db: Db| async move {
        let (ts, events) = events_to(db).await;
        let injected = inject(&ts, db).await;
        let (_, request_id) = one_retrieval(&ts).await;

        let last = injected::tries_until_settled(&ts, KIND, 1).await;
        assert_eq!(
            (last.status.as_str(), last.attempts),
            (
                "failed",
                ponte_server::services::retrieval_job::MAX_JOB_ATTEMPTS
            ),
            "{last:?}"
        );

        let bodies = events
            .wait_for("the failed report", |b| {
                !reports_of(b, &request_id).is_empty()
            })
            .await;
        let reports = reports_of(&bodies, &request_id);
        assert_eq!(reports.len(), 1, "{reports:?}");
        let report = &reports[0];
        assert_eq!(report["status"], "FAILED", "{report}");
        let reason = report["reason"].as_str().unwrap_or_default();
        assert!(reason.starts_with("INTERNAL_ERROR: "), "{report}");
        assert!(
            !reason.contains("injected"),
            "the database's own words stay in the logs: {report}"
        );
        let (_, view) = ts
            .get(
                &format!("/data/v1/requests/{request_id}"),
                Some(&ts.access_token().await),
            )
            .await;
        assert_eq!(
            (
                view["status"].as_str(),
                view["reports"][0]["status"].as_str(),
                view["reports"][0]["reason"].as_str()
            ),
            (Some("COMPLETED"), Some("FAILED"), Some(reason)),
            "{view}"
        );
        injected.stop().await;
    }
);
