//! Crash recovery in seconds: a node killed with SIGKILL while a webhook
//! target hangs delivers that webhook within 30 s of its restart (its claim's
//! lease is short), on SQLite and on PostgreSQL. Prints the measured time.

use crate::support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{create_client, fresh_postgres_database, seed_queue, serve_on_thread, Node};

/// A receiver that holds every request while `hang` is set, and otherwise
/// answers 200, noting when each `webhook-id` was answered.
#[derive(Default)]
struct Shared {
    hang: AtomicBool,
    arrived: AtomicUsize,
    answered: Mutex<Vec<(String, Instant)>>,
}

async fn hook(
    axum::extract::State(s): axum::extract::State<Arc<Shared>>,
    headers: axum::http::HeaderMap,
) -> axum::http::StatusCode {
    s.arrived.fetch_add(1, Ordering::SeqCst);
    if s.hang.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    s.answered.lock().unwrap().push((id, Instant::now()));
    axum::http::StatusCode::OK
}

fn receiver() -> (String, Arc<Shared>) {
    let shared = Arc::new(Shared::default());
    shared.hang.store(true, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(shared.clone());
    (format!("http://{}/hook", serve_on_thread(app)), shared)
}

async fn killed_mid_delivery_recovers_within_30_s(database_url: Option<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = database_url.unwrap_or_else(|| support::sqlite_in(dir.path()));
    let vars = [
        ("PONTE_DATABASE_URL", database_url.as_str()),
        ("PONTE_MASTER_KEY", support::MASTER_KEY),
        ("PONTE_ALLOW_PRIVATE_WEBHOOKS", "true"),
    ];
    let (url, shared) = receiver();
    let creds = create_client(dir.path(), &vars, "Crash Inc", &url);
    let client_id = creds["clientId"].as_str().expect("client id");
    let id = seed_queue(&database_url, client_id, 1).await.remove(0);

    let node = Node::start(dir.path(), &vars, "first");
    let deadline = Instant::now() + Duration::from_secs(60);
    while shared.arrived.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the webhook never went out");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The attempt hangs at the receiver: kill -9 with the message claimed.
    drop(node);
    shared.hang.store(false, Ordering::SeqCst);
    let restarted = Instant::now();
    let _node = Node::start(dir.path(), &vars, "second");
    let deadline = restarted + Duration::from_secs(90);
    let delivered_at = loop {
        if let Some((_, at)) = shared
            .answered
            .lock()
            .unwrap()
            .iter()
            .find(|(m, _)| *m == id)
        {
            break *at;
        }
        assert!(
            Instant::now() < deadline,
            "never delivered after the restart"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = delivered_at.duration_since(restarted);
    println!(
        "webhook delivered {:.1} s after the restart",
        took.as_secs_f64()
    );
    assert!(took < Duration::from_secs(30), "took {took:?}, over 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_nodes_webhook_goes_out_within_30_s_of_its_restart_sqlite() {
    killed_mid_delivery_recovers_within_30_s(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_nodes_webhook_goes_out_within_30_s_of_its_restart_postgres() {
    let Some(url) = fresh_postgres_database().await else {
        return;
    };
    killed_mid_delivery_recovers_within_30_s(Some(url)).await;
}
