//! Webhook delivery throughput and end-to-end latency, measured, not tested:
//!
//! ```sh
//! cargo bench -p ponte-server --bench webhooks
//! PONTE_BENCH_POSTGRES_URL=postgres://… cargo bench -p ponte-server --bench webhooks
//! ```
//!
//! Starts Ponte in-process (the real `Server`: HTTP surfaces, dispatcher,
//! job runner) on SQLite, and on a fresh database of the PostgreSQL server
//! `PONTE_BENCH_POSTGRES_URL` names when it is set. Ten receivers on loopback
//! ports, one per client, answer 200 at once. Messages go through the outbox's
//! own `enqueue`, in transactions of 100; latency runs from the commit that
//! makes a message visible to its first receipt.
//!
//! Two scenarios per database, each on a fresh server and database:
//! - `burst`: 10,000 messages enqueued as fast as the store takes them. Gives
//!   the drain rate; its latency is mostly time spent queued behind the others.
//! - `steady`: 2,000 messages at 500 a second (100 per transaction every
//!   200 ms), below the drain rate, so the latency is that of one delivery
//!   through the queue.
//! - `steady100`: 1,000 messages at 100 a second, one per transaction every
//!   10 ms, as a service commits its events: the latency from a commit to
//!   the receiver when the dispatcher is mostly idle.
//!
//! Each run stops after its messages are received or 5 minutes. Figures go to
//! stdout and to `target/bench-webhooks.json`.

mod common;
use common::{drop_postgres_database, fresh_postgres_database};

use ponte_core::ClientId;
use ponte_server::clock::Clock;
use ponte_server::config::Config;
use ponte_server::services::clients;
use ponte_server::Server;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ENDPOINTS: usize = 10;
const TIME_LIMIT: Duration = Duration::from_secs(300);
const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

struct Scenario {
    name: &'static str,
    messages: usize,
    /// Messages per enqueuing transaction.
    transaction: usize,
    /// `None`: as fast as possible; else one transaction every this long.
    pace: Option<Duration>,
}

const SCENARIOS: [Scenario; 3] = [
    Scenario {
        name: "burst",
        messages: 10_000,
        transaction: 100,
        pace: None,
    },
    Scenario {
        name: "steady",
        messages: 2_000,
        transaction: 100,
        // 100 messages every 200 ms: 500 a second.
        pace: Some(Duration::from_millis(200)),
    },
    Scenario {
        name: "steady100",
        messages: 1_000,
        transaction: 1,
        // One message every 10 ms: 100 a second.
        pace: Some(Duration::from_millis(10)),
    },
];

/// First receipt of each `webhook-id`, and every request.
#[derive(Default)]
struct Receipts {
    first: Mutex<HashMap<String, Instant>>,
    requests: std::sync::atomic::AtomicUsize,
}

impl Receipts {
    fn delivered(&self) -> usize {
        self.first.lock().map(|m| m.len()).unwrap_or(0)
    }
}

/// `ENDPOINTS` receivers on loopback, each on a port of its own.
async fn receivers(receipts: Arc<Receipts>) -> anyhow::Result<Vec<String>> {
    let mut urls = Vec::new();
    for _ in 0..ENDPOINTS {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        urls.push(format!("http://{}/hook", listener.local_addr()?));
        let receipts = receipts.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap| {
                let receipts = receipts.clone();
                async move {
                    let at = Instant::now();
                    receipts
                        .requests
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if let Some(id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) {
                        if let Ok(mut first) = receipts.first.lock() {
                            first.entry(id.to_string()).or_insert(at);
                        }
                    }
                    axum::http::StatusCode::OK
                }
            }),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
    }
    Ok(urls)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    ms(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

async fn run(database: &str, database_url: &str, scenario: &Scenario) -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let mut vars = BTreeMap::new();
    for (k, v) in [
        ("PONTE_LISTEN", "127.0.0.1:0".to_string()),
        ("PONTE_DATA_DIR", dir.path().display().to_string()),
        ("PONTE_DATABASE_URL", database_url.to_string()),
        ("PONTE_MASTER_KEY", MASTER_KEY.to_string()),
        ("PONTE_ALLOW_PRIVATE_WEBHOOKS", "true".to_string()),
    ] {
        vars.insert(k.to_string(), v);
    }
    let config = Config::from_map(&vars)?;
    let server = Server::start(config, Clock::default()).await?;
    let app = server.app.clone();

    let receipts = Arc::new(Receipts::default());
    let mut targets: Vec<ClientId> = Vec::new();
    for (i, url) in receivers(receipts.clone()).await?.iter().enumerate() {
        let new = clients::parse_new_client(&format!("Bench {i}"), Some(url), None, false)?;
        let created = clients::create(&app, new).await?;
        targets.push(clients::client_id(&created.client_id));
    }

    let mut committed: Vec<(String, Instant)> = Vec::with_capacity(scenario.messages);
    let started = Instant::now();
    let mut next_batch = started;
    while committed.len() < scenario.messages && started.elapsed() < TIME_LIMIT {
        if let Some(pace) = scenario.pace {
            tokio::time::sleep_until(next_batch.into()).await;
            next_batch += pace;
        }
        let mut tx = app.store.begin().await?;
        let mut ids = Vec::with_capacity(scenario.transaction);
        for _ in 0..scenario
            .transaction
            .min(scenario.messages - committed.len())
        {
            let n = committed.len() + ids.len();
            let now = app.clock.now_ms();
            let payload = json!({
                "event": "CONSENT_STATUS_CHANGED",
                "consentId": uuid::Uuid::new_v4().to_string(),
                "linkId": uuid::Uuid::new_v4().to_string(),
                "externalTrackId": format!("bench-{n}"),
                "institutionCode": "itau",
                "status": "AUTHORISED",
                "previousStatus": "AWAITING_AUTHORISATION",
                "reason": null,
                "occurredAt": ponte_server::clock::rfc3339(now),
            });
            // Straight into the outbox as a dialect renders it: these
            // messages stand for links that the benchmark does not create.
            let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
            ponte_store::insert_message(
                &mut tx,
                &ponte_store::WebhookMessageRow {
                    id: id.clone(),
                    client_id: targets[n % ENDPOINTS].to_string(),
                    event_type: "CONSENT_STATUS_CHANGED".into(),
                    target: "event".into(),
                    target_url: None,
                    payload: payload.to_string(),
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
            .await?;
            ids.push(id);
        }
        let at = Instant::now();
        tx.commit().await?;
        committed.extend(ids.into_iter().map(|id| (id, at)));
    }
    let enqueue_seconds = started.elapsed().as_secs_f64();

    while receipts.delivered() < committed.len() && started.elapsed() < TIME_LIMIT {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop().await;

    let first = receipts
        .first
        .lock()
        .map_err(|_| anyhow::anyhow!("receipts poisoned"))?
        .clone();
    let mut latencies: Vec<Duration> = committed
        .iter()
        .filter_map(|(id, at)| first.get(id).map(|got| got.saturating_duration_since(*at)))
        .collect();
    latencies.sort();
    let last = first.values().max().copied().unwrap_or(started);
    let seconds = last.saturating_duration_since(started).as_secs_f64();
    let delivered = latencies.len();
    let requests = receipts.requests.load(std::sync::atomic::Ordering::Relaxed);
    Ok(json!({
        "database": database,
        "scenario": scenario.name,
        "messages": scenario.messages,
        "endpoints": ENDPOINTS,
        "enqueued": committed.len(),
        "delivered": delivered,
        "requests": requests,
        "complete": delivered == scenario.messages,
        "enqueueSeconds": (enqueue_seconds * 100.0).round() / 100.0,
        "seconds": (seconds * 100.0).round() / 100.0,
        "deliveriesPerSecond": if seconds > 0.0 { (delivered as f64 / seconds).round() as u64 } else { 0 },
        "latencyMs": {
            "p50": percentile(&latencies, 50.0),
            "p95": percentile(&latencies, 95.0),
            "p99": percentile(&latencies, 99.0),
            "max": latencies.last().map(|d| ms(*d)).unwrap_or(f64::NAN),
        },
    }))
}

fn print(r: &Value) {
    println!(
        "{:<9} {:<9} {:>6}/{:<6} enqueued in {:>6.2} s, received in {:>6.2} s: {:>5} deliveries/s, latency ms p50 {:>7} p95 {:>7} p99 {:>7} max {:>7}{}",
        r["database"].as_str().unwrap_or(""),
        r["scenario"].as_str().unwrap_or(""),
        r["delivered"],
        r["messages"],
        r["enqueueSeconds"].as_f64().unwrap_or(0.0),
        r["seconds"].as_f64().unwrap_or(0.0),
        r["deliveriesPerSecond"],
        r["latencyMs"]["p50"],
        r["latencyMs"]["p95"],
        r["latencyMs"]["p99"],
        r["latencyMs"]["max"],
        if r["complete"] == true {
            ""
        } else {
            "  INCOMPLETE (time limit)"
        },
    );
}

/// `target/bench-webhooks.json`, under `CARGO_TARGET_DIR` when set.
fn output_path() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("bench-webhooks.json")
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; with no harness there is nothing to filter.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "webhook delivery: {ENDPOINTS} loopback receivers answering 200, {cpus} CPUs, release build"
    );
    let mut results = Vec::new();
    for scenario in &SCENARIOS {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
        let r = runtime.block_on(run("sqlite", &url, scenario))?;
        print(&r);
        results.push(r);
    }
    if let Some(base) = std::env::var("PONTE_BENCH_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        for scenario in &SCENARIOS {
            let r = runtime.block_on(async {
                let url = fresh_postgres_database(&base).await?;
                let r = run("postgres", &url, scenario).await;
                drop_postgres_database(&base, &url).await;
                r
            })?;
            print(&r);
            results.push(r);
        }
    } else {
        println!("(set PONTE_BENCH_POSTGRES_URL to measure PostgreSQL too)");
    }
    let path = output_path();
    let path = match path.parent() {
        Some(parent) => {
            std::fs::create_dir_all(parent)?;
            std::fs::canonicalize(parent)?.join("bench-webhooks.json")
        }
        None => path,
    };
    let report = json!({"cpus": cpus, "endpoints": ENDPOINTS, "runs": results});
    std::fs::write(&path, serde_json::to_string_pretty(&report)?)?;
    println!("figures written to {}", path.display());
    Ok(())
}
