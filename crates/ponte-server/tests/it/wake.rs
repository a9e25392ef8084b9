//! Committed work wakes its worker: with the fallback poll set to an hour,
//! a webhook or a job committed while the workers idle still goes out, so
//! nothing but the wake-up can have found it. On PostgreSQL a commit made
//! through another connection to the database (another node, or the `ponte`
//! CLI replaying webhooks) wakes this node's dispatcher too: any node may
//! deliver any message, so every node listens.

use crate::support;

use serde_json::{json, Value};
use support::{Db, Receiver, TestServer};

/// Long enough that a test relying on the poll times out instead.
const NO_POLL: &str = "1h";

async fn idle_server(db: Db, receiver: &Receiver) -> TestServer {
    support::spawn_with(
        db,
        support::Options {
            webhook_url: Some(receiver.url.clone()),
            env: vec![("PONTE_WORKER_POLL", NO_POLL.to_string())],
            ..Default::default()
        },
    )
    .await
}

fn consent_events(bodies: &[Value], consent_id: &str) -> usize {
    bodies
        .iter()
        .filter(|b| b["consentId"] == consent_id)
        .count()
}

both!(
    events_committed_while_the_dispatcher_idles_are_delivered_without_its_poll,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        let ts = idle_server(db, &receiver).await;
        assert_eq!(
            ts.app().config.worker_poll,
            std::time::Duration::from_secs(3600)
        );
        let access = ts.access_token().await;
        // Twice: the dispatcher goes back to idling after the first, and the
        // second commit must wake it again.
        for round in 0..2 {
            let (_, link_token) = ts.link(&access, json!({})).await;
            let (consent_id, _) = ts.consent(&link_token, json!({})).await;
            let bodies = receiver
                .wait_for("the new consent's event", |b| {
                    consent_events(b, &consent_id) > 0
                })
                .await;
            assert_eq!(consent_events(&bodies, &consent_id), 1, "round {round}");
        }
    }
);

both!(
    a_job_committed_while_the_runner_idles_runs_without_its_poll,
    |db: Db| async move {
        let receiver = Receiver::start().await;
        let ts = idle_server(db, &receiver).await;
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
        let request_id = resp["requestId"].as_str().unwrap().to_string();
        // The retrieval job runs, then its report's webhook goes out: both
        // woken by their commits.
        let bodies = receiver
            .wait_for("the report", |b| {
                b.iter()
                    .any(|e| e["event"] == "REPORT_READY" && e["requestId"] == request_id)
            })
            .await;
        let report = bodies
            .iter()
            .find(|e| e["event"] == "REPORT_READY" && e["requestId"] == request_id)
            .unwrap();
        assert_eq!(report["status"], "SUCCESS", "{report}");
    }
);

/// A message written through a connection of its own, as another node (or
/// the CLI) would, to the test client's event URL.
async fn enqueue_elsewhere(ts: &TestServer, id: &str) {
    let other = ponte_store::Store::open(&ts.database_url)
        .await
        .expect("a second connection to the database");
    let client_id = ponte_server::services::clients::client_id(&ts.client.client_id);
    let now = ts.clock.now_ms();
    let mut tx = other.begin().await.unwrap();
    ponte_store::insert_message(
        &mut tx,
        &ponte_store::WebhookMessageRow {
            id: id.to_string(),
            client_id: client_id.to_string(),
            event_type: "CONSENT_STATUS_CHANGED".into(),
            target: "event".into(),
            target_url: None,
            payload: json!({"event": "CONSENT_STATUS_CHANGED", "consentId": id}).to_string(),
            status: ponte_store::WebhookStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            locked_until: None,
            last_error: None,
            created_at: now,
            finished_at: None,
            dialect: "data_api".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_commit_by_another_node_wakes_this_nodes_dispatcher() {
    if support::postgres_base().is_none() {
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return;
    }
    let receiver = Receiver::start().await;
    let ts = idle_server(Db::Postgres, &receiver).await;
    // Twice, so the second is not the listener's first wake-up on connecting.
    for id in ["msg_from_another_node_1", "msg_from_another_node_2"] {
        enqueue_elsewhere(&ts, id).await;
        let bodies = receiver
            .wait_for("the other node's message", |b| consent_events(b, id) > 0)
            .await;
        assert_eq!(consent_events(&bodies, id), 1, "{id}");
    }
}
