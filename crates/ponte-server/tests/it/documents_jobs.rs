//! A documents retrieval job against a database that fails for real (issue
//! 13's rule, for documents): a trigger makes every insert into
//! `document_files` abort, so the job cannot even record the portal's
//! listing. The job is retried with backoff (the test moves the server's
//! clock past each wait) while the retrieval stays in progress; it completes
//! with one `success` webhook once the failure goes, or, when it never goes,
//! `give_up` ends the retrieval `failed` with one webhook that says so.

use crate::support;

use serde_json::json;
use support::documents::{assert_quickstart_shape, connect, retrieval, server, token};
use support::injected::{after_try, job, skip_backoff, tries_until_settled, Injected};
use support::{Db, Receiver, TestServer};

const KIND: &str = ponte_server::services::documents::JOB_KIND;

async fn inject(ts: &TestServer, db: Db) -> Injected {
    Injected::start(ts, db, "document_files", "TRUE").await
}

/// A retrieval of `user_good`'s documents at the bank; its id.
async fn start_retrieval(ts: &TestServer) -> i64 {
    let (tok, _) = token(ts, json!({"metadata": {"case": "db-blip"}})).await;
    let (status, body) = connect(ts, &tok, "harborline", "user_good", None).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("retrieval id")
}

/// The webhook of retrieval `id`, once it came, and that it came once.
async fn the_one_webhook(hook: &Receiver, id: i64) -> serde_json::Value {
    let bodies = hook
        .wait_for("the retrieval's webhook", |b| {
            b.iter().any(|b| b["data"]["id"] == id)
        })
        .await;
    let ours: Vec<_> = bodies.iter().filter(|b| b["data"]["id"] == id).collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    let body = ours[0].clone();
    assert_quickstart_shape(&body);
    assert_eq!(body["data"]["metadata"], json!({"case": "db-blip"}));
    body
}

/// Every webhook of retrieval `id` received so far.
fn webhooks_for(hook: &Receiver, id: i64) -> Vec<serde_json::Value> {
    hook.bodies()
        .into_iter()
        .filter(|b| b["data"]["id"] == id)
        .collect()
}

both!(
    a_documents_job_meeting_a_database_error_is_retried_and_completes_once_it_goes,
    |db: Db| async move {
        let (ts, hook) = server(db).await;
        let injected = inject(&ts, db).await;
        let id = start_retrieval(&ts).await;

        let first = after_try(&ts, KIND, 1).await;
        assert_eq!(first.status, "pending", "not failed on one blip: {first:?}");
        assert!(first.last_error.is_some(), "{first:?}");
        let (status, view) = retrieval(&ts, id).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "retrieving", "still in progress: {view}");
        skip_backoff(&ts, &first);
        let second = after_try(&ts, KIND, 2).await;
        assert_eq!(second.status, "pending", "{second:?}");
        assert!(
            second.run_at > first.run_at,
            "each try waits again: {first:?} {second:?}"
        );
        assert!(
            webhooks_for(&hook, id).is_empty(),
            "no webhook while it retries"
        );

        injected.stop().await;
        skip_backoff(&ts, &second);
        let body = the_one_webhook(&hook, id).await;
        assert_eq!(body["status"], "success", "{body}");
        let files = body["files"].as_array().expect("files");
        assert!(!files.is_empty(), "{body}");
        assert!(files.iter().all(|f| f["status"] == "success"), "{body}");
        let done = job(&ts, KIND).await;
        assert_eq!(
            (done.status.as_str(), done.attempts),
            ("done", 3),
            "{done:?}"
        );
        let (_, view) = retrieval(&ts, id).await;
        assert_eq!(view["status"], "success", "{view}");
        assert_eq!(view["files"].as_array().map(Vec::len), Some(files.len()));
    }
);

both!(
    a_documents_job_whose_error_persists_ends_failed_with_one_webhook,
    |db: Db| async move {
        let (ts, hook) = server(db).await;
        let injected = inject(&ts, db).await;
        let id = start_retrieval(&ts).await;

        let last = tries_until_settled(&ts, KIND, 1).await;
        assert_eq!(
            (last.status.as_str(), last.attempts),
            (
                "failed",
                ponte_server::services::retrieval_job::MAX_JOB_ATTEMPTS
            ),
            "{last:?}"
        );

        let body = the_one_webhook(&hook, id).await;
        assert_eq!(body["status"], "failed", "{body}");
        assert_eq!(body["files"], json!([]), "nothing was stored: {body}");
        let (status, view) = retrieval(&ts, id).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "failed", "never stuck in progress: {view}");
        injected.stop().await;
    }
);
