//! Crash recovery in seconds: a node killed with SIGKILL while a webhook
//! target hangs delivers that webhook within 30 s of its restart (its claim's
//! lease is short), on SQLite and on PostgreSQL. Prints the measured time.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");
const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// A running `ponte serve`; killed (SIGKILL) when dropped.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path, vars: &[(&str, &str)]) -> Node {
    let mut child = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_LISTEN", "127.0.0.1:0")
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ponte starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let node = Node(child);
    loop {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("ponte listening on ") => break,
            Some(Ok(_)) => {}
            _ => panic!("ponte exited before listening"),
        }
    }
    std::thread::spawn(move || for _ in lines {});
    node
}

fn create_client(dir: &Path, vars: &[(&str, &str)], webhook_url: &str) -> Value {
    let out = Command::new(PONTE)
        .args([
            // The client is made before the first `serve`: nothing exists yet.
            "--init",
            "clients",
            "create",
            "--name",
            "Crash Inc",
            "--webhook-url",
            webhook_url,
            "--json",
        ])
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ponte clients create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("client JSON")
}

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
    let state = shared.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("receiver runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("address");
            let app = axum::Router::new()
                .route("/hook", axum::routing::post(hook))
                .with_state(state);
            let _ = axum::serve(listener, app).await;
        });
    });
    (
        format!("http://{}/hook", rx.recv().expect("address")),
        shared,
    )
}

async fn seed_message(database_url: &str, client_id: &str) -> String {
    let store = ponte_store::Store::open(database_url)
        .await
        .expect("database");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    let payload = json!({
        "event": "CONSENT_STATUS_CHANGED",
        "consentId": uuid::Uuid::new_v4().to_string(),
        "linkId": uuid::Uuid::new_v4().to_string(),
        "externalTrackId": "crash-1",
        "institutionCode": "itau",
        "status": "AWAITING_AUTHORISATION",
        "previousStatus": null,
        "reason": null,
        "occurredAt": ponte_server::clock::rfc3339(now),
    });
    let row = ponte_store::WebhookMessageRow {
        id: id.clone(),
        client_id: client_id.to_string(),
        event_type: "CONSENT_STATUS_CHANGED".into(),
        target: "event".into(),
        target_url: None,
        payload: payload.to_string(),
        status: ponte_store::PENDING.into(),
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
        dialect: "data_api".into(),
    };
    let mut tx = store.begin().await.expect("transaction");
    ponte_store::insert_message(&mut tx, &row)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    store.close().await;
    id
}

async fn fresh_postgres_database() -> Option<String> {
    use sqlx::{Connection, Executor};
    let base = std::env::var("PONTE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = format!("crash_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("PostgreSQL");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let (head, _) = base.rsplit_once('/').expect("URL with a database");
    Some(format!("{head}/{name}"))
}

async fn killed_mid_delivery_recovers_within_30_s(database_url: Option<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display());
    let database_url = database_url.unwrap_or(sqlite);
    let vars = [
        ("PONTE_DATABASE_URL", database_url.as_str()),
        ("PONTE_MASTER_KEY", MASTER_KEY),
        ("PONTE_ALLOW_PRIVATE_WEBHOOKS", "true"),
    ];
    let (url, shared) = receiver();
    let creds = create_client(dir.path(), &vars, &url);
    let client_id = creds["clientId"].as_str().expect("client id");
    let id = seed_message(&database_url, client_id).await;

    let node = serve(dir.path(), &vars);
    let deadline = Instant::now() + Duration::from_secs(60);
    while shared.arrived.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the webhook never went out");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The attempt hangs at the receiver: kill -9 with the message claimed.
    drop(node);
    shared.hang.store(false, Ordering::SeqCst);
    let restarted = Instant::now();
    let _node = serve(dir.path(), &vars);
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
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return;
    };
    killed_mid_delivery_recovers_within_30_s(Some(url)).await;
}
