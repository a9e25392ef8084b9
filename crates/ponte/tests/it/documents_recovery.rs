//! A documents retrieval survives `kill -9`: the real binary is killed while
//! its retrieval job is half-way through a portal's files (`user_flaky`, whose
//! portal fails each download twice, so the job takes seconds), restarted on
//! the same database, and the retrieval completes (files stored before the
//! kill are kept) with its one webhook. On SQLite and on PostgreSQL.

use crate::support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::{
    create_client, documents_token, free_port, fresh_postgres_database, recording_receiver,
    sandbox_connect, webhook_of, Node,
};

async fn killed_mid_retrieval_completes(database_url: Option<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = database_url.unwrap_or_else(|| support::sqlite_in(dir.path()));
    // The same address after the restart, so the portal and the download
    // URLs stay where they were.
    let listen = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{listen}");
    let vars = [
        ("PONTE_DATABASE_URL", database_url.as_str()),
        ("PONTE_MASTER_KEY", support::MASTER_KEY),
        ("PONTE_ALLOW_PRIVATE_WEBHOOKS", "true"),
        ("PONTE_LISTEN", listen.as_str()),
    ];
    let (url, bodies) = recording_receiver();
    let creds = create_client(dir.path(), &vars, "Crash Docs", &url);
    let http = reqwest::Client::new();

    let node = Node::start(dir.path(), &vars, "first");
    let token = &documents_token(&http, &base, &creds).await;
    let id = sandbox_connect(&http, &base, token, "harborline", "user_flaky").await;

    // Half-way: some files stored, others still waiting for the portal.
    let deadline = Instant::now() + Duration::from_secs(60);
    let stored_before = loop {
        let progress: Value = http
            .get(format!("{base}/app/progress"))
            .bearer_auth(token)
            .send()
            .await
            .expect("progress")
            .json()
            .await
            .expect("progress JSON");
        let files = progress["files"].as_array().cloned().unwrap_or_default();
        let stored = files.iter().filter(|f| f["status"] == "success").count();
        let pending = files.iter().filter(|f| f["status"] == "pending").count();
        assert_ne!(
            progress["status"], "success",
            "the retrieval ended before the kill: {progress}"
        );
        if progress["status"] == "retrieving" && stored > 0 && pending > 0 {
            break stored;
        }
        assert!(Instant::now() < deadline, "never half-way: {progress}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    drop(node);
    assert!(
        bodies.lock().unwrap().is_empty(),
        "a webhook went out before the retrieval ended"
    );

    let _node = Node::start(dir.path(), &vars, "second");
    // The job's lease (15 s) lapses, another run picks it up.
    let body = webhook_of(
        &bodies,
        id,
        Duration::from_secs(120),
        "the retrieval never completed after the restart",
    )
    .await;
    assert_eq!(body["status"], "success", "{body}");
    let files = body["files"].as_array().expect("files");
    let arrived = files.iter().filter(|f| f["status"] == "success").count();
    assert!(
        arrived > stored_before,
        "{arrived} files, {stored_before} before the kill"
    );
    // user_flaky's latest year-end summary always fails; every other file arrived.
    assert_eq!(arrived, files.len() - 1, "{body}");
    for f in files.iter().filter(|f| f["status"] == "success") {
        let resp = http
            .get(f["download_url"].as_str().expect("url"))
            .send()
            .await
            .expect("download");
        assert_eq!(resp.status(), 200);
        let bytes = resp.bytes().await.expect("bytes");
        assert_eq!(Some(bytes.len() as u64), f["total_size_bytes"].as_u64());
    }
    let ours = bodies
        .lock()
        .unwrap()
        .iter()
        .filter(|b| b["data"]["id"] == id)
        .count();
    assert_eq!(ours, 1, "one webhook for the retrieval");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_documents_retrieval_killed_half_way_completes_after_a_restart_sqlite() {
    killed_mid_retrieval_completes(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_documents_retrieval_killed_half_way_completes_after_a_restart_postgres() {
    let Some(url) = fresh_postgres_database().await else {
        return;
    };
    killed_mid_retrieval_completes(Some(url)).await;
}
