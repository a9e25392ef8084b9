//! Jobs' and webhook messages' typed columns on SQLite and PostgreSQL: every
//! status and kind goes in and comes back as itself, and a value the code
//! does not know is an error that names the column and the value.

use crate::testing::{client, stores};
use crate::{JobEnd, JobKind, JobStatus, WebhookMessageRow, WebhookStatus};
use sqlx::Executor;

const RETRIEVE: JobKind = JobKind::new("retrieve");
const REFRESH: JobKind = JobKind::new("documents.refresh");

fn message(id: &str, status: WebhookStatus) -> WebhookMessageRow {
    WebhookMessageRow {
        id: id.into(),
        client_id: "c1".into(),
        event_type: "CONSENT_STATUS_CHANGED".into(),
        target: "event".into(),
        target_url: None,
        payload: "{}".into(),
        status,
        attempts: 0,
        next_attempt_at: 1,
        locked_until: None,
        last_error: None,
        created_at: 1,
        finished_at: None,
        dialect: "data_api".into(),
    }
}

#[tokio::test]
async fn every_job_status_and_kind_comes_back_as_written() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        let mut tx = store.begin().await.unwrap();
        crate::insert_job(&mut tx, "j1", &RETRIEVE, "{}", 100)
            .await
            .unwrap();
        crate::insert_job(&mut tx, "j2", &REFRESH, "{}", 100)
            .await
            .unwrap();
        crate::insert_job(&mut tx, "j3", &RETRIEVE, "{}", 100)
            .await
            .unwrap();
        let claimed = crate::claim_jobs(&mut tx, b, 100, 1_000, 10).await.unwrap();
        assert!(claimed.iter().all(|j| j.status == JobStatus::Pending));
        let lease = |id: &str| claimed.iter().find(|j| j.id == id).unwrap().lease();
        assert!(
            crate::finish_job(&mut tx, &lease("j1"), JobEnd::Done, None, 200)
                .await
                .unwrap()
        );
        assert!(
            crate::finish_job(&mut tx, &lease("j2"), JobEnd::Failed, Some("x"), 200)
                .await
                .unwrap()
        );
        for (id, kind, status) in [
            ("j1", &RETRIEVE, JobStatus::Done),
            ("j2", &REFRESH, JobStatus::Failed),
            ("j3", &RETRIEVE, JobStatus::Pending),
        ] {
            let row = crate::job_by_id(&mut tx, id).await.unwrap().unwrap();
            assert_eq!((&row.kind, row.status), (kind, status), "{id}");
        }
        for status in JobStatus::ALL {
            assert_eq!(crate::count_jobs(&mut tx, *status).await.unwrap(), 1);
        }
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn an_unknown_job_status_or_a_malformed_kind_is_an_error_naming_the_value() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        crate::insert_job(&mut tx, "j", &RETRIEVE, "{}", 100)
            .await
            .unwrap();
        tx.execute("UPDATE jobs SET status = 'running' WHERE id = 'j'")
            .await
            .unwrap();
        let err = crate::job_by_id(&mut tx, "j")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"status\"") && err.contains("unknown job status \"running\""),
            "{err}"
        );
        tx.execute("UPDATE jobs SET status = 'pending', kind = 'Retrieve Now' WHERE id = 'j'")
            .await
            .unwrap();
        let err = crate::job_by_id(&mut tx, "j")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"kind\"") && err.contains("malformed job kind \"Retrieve Now\""),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn every_webhook_status_comes_back_as_written_and_filters_the_list() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        for status in WebhookStatus::ALL {
            let id = format!("m_{status}");
            crate::insert_message(&mut tx, &message(&id, *status))
                .await
                .unwrap();
            let back = crate::message_for_client(&mut tx, "c1", &id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(back.status, *status);
            assert_eq!(crate::count_messages(&mut tx, *status).await.unwrap(), 1);
            let listed = crate::list_messages(&mut tx, "c1", Some(*status), None, 10)
                .await
                .unwrap();
            let ids: Vec<&str> = listed.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(ids, [id.as_str()]);
        }
        let all = crate::list_messages(&mut tx, "c1", None, None, 10)
            .await
            .unwrap();
        assert_eq!(all.len(), WebhookStatus::ALL.len());
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn an_unknown_webhook_status_is_an_error_naming_the_column_and_the_value() {
    for (store, _dir) in stores().await {
        let mut tx = store.begin().await.unwrap();
        client(&mut tx, "c1").await;
        crate::insert_message(&mut tx, &message("m", WebhookStatus::Pending))
            .await
            .unwrap();
        tx.execute("UPDATE webhook_messages SET status = 'sent' WHERE id = 'm'")
            .await
            .unwrap();
        let err = crate::message_for_client(&mut tx, "c1", "m")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"status\"") && err.contains("unknown webhook message status \"sent\""),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
}

#[test]
fn job_kinds_are_lowercase_names() {
    for good in ["retrieve", "documents.refresh", "sync_transactions", "a1"] {
        assert_eq!(
            JobKind::parse(good).map(|k| k.to_string()),
            Some(good.into())
        );
    }
    let long = "a".repeat(65);
    for bad in ["", "Retrieve", "retrieve now", "job-1", long.as_str()] {
        assert_eq!(JobKind::parse(bad), None, "{bad:?}");
    }
}

#[test]
#[should_panic(expected = "a job kind is a lowercase name")]
fn a_malformed_kind_in_code_stops_the_start() {
    let name: &'static str = Box::leak("Ping Job".to_string().into_boxed_str());
    let _ = JobKind::new(name);
}
