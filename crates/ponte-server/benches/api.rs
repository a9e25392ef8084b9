//! Requests per second of the Data API's hot endpoints, measured, not tested:
//!
//! ```sh
//! cargo bench -p ponte-server --bench api
//! PONTE_BENCH_POSTGRES_URL=postgres://… cargo bench -p ponte-server --bench api
//! ```
//!
//! Starts Ponte in-process (the real `Server`, every worker running) on
//! SQLite, and on a fresh database of the PostgreSQL server
//! `PONTE_BENCH_POSTGRES_URL` names when it is set. For each endpoint, a
//! closed loop: `CONNECTIONS` keep-alive HTTP/1.1 connections on loopback,
//! each sending its next request as soon as the last answer is read, for
//! `WARM_UP` (not counted) and then `MEASURE`, or until `MAX_REQUESTS`.
//! The load generator is a few lines over a raw socket rather than a full
//! HTTP client so that most of the CPU goes to the server; it still shares
//! the machine with it, so the absolute figures are lower than an outside
//! tool's, and the ratios to `GET /healthz` are the figures to compare.
//!
//! Endpoints: `GET /healthz` (the floor: routing and middleware only),
//! `GET /readyz` (the floor of a request that reads the database: one
//! `SELECT 1` on a pooled connection),
//! `POST /data/v1/auth` (key lookup, secret check, token signing) and an
//! authenticated `GET /data/v1/links/{id}` (token check, one link and its
//! consents read). Figures go to stdout and to `target/bench-api.json`.

mod common;
use common::{drop_postgres_database, fresh_postgres_database};

use ponte_server::clock::Clock;
use ponte_server::config::Config;
use ponte_server::services::clients;
use ponte_server::Server;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 32;
const WARM_UP: Duration = Duration::from_secs(1);
const MEASURE: Duration = Duration::from_secs(5);
const MAX_REQUESTS: usize = 2_000_000;
/// One answer slower than this counts as an error and the connection is redone.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// One endpoint under load: its label and the exact bytes of its request.
struct Endpoint {
    name: &'static str,
    request: Vec<u8>,
}

fn request(method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: bench\r\n");
    if let Some(t) = token {
        head.push_str(&format!("authorization: Bearer {t}\r\n"));
    }
    let body = body.map(Value::to_string).unwrap_or_default();
    if !body.is_empty() {
        head.push_str("content-type: application/json\r\n");
    }
    head.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    head.into_bytes()
}

/// Sends one request on a kept-alive connection and reads the whole answer;
/// returns its status. The server answers with `content-length` bodies.
async fn exchange(conn: &mut BufReader<TcpStream>, request: &[u8]) -> anyhow::Result<u16> {
    conn.get_mut().write_all(request).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("not an HTTP status line: {line:?}"))?;
    let mut length = None;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            anyhow::bail!("connection closed mid-answer");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse::<usize>()?);
            }
        }
    }
    let length = length.ok_or_else(|| anyhow::anyhow!("an answer without content-length"))?;
    let mut body = vec![0; length];
    conn.read_exact(&mut body).await?;
    Ok(status)
}

#[derive(Default)]
struct Tally {
    ok: usize,
    errors: usize,
    /// Microseconds per answered request, in the measured window only.
    latencies: Vec<u32>,
}

/// One connection's closed loop until `stop` or the shared request budget.
async fn connection(
    addr: SocketAddr,
    request: std::sync::Arc<Vec<u8>>,
    measure_from: Instant,
    stop: Instant,
    budget: usize,
) -> Tally {
    let mut tally = Tally::default();
    let mut conn: Option<BufReader<TcpStream>> = None;
    while Instant::now() < stop && tally.ok + tally.errors < budget {
        if conn.is_none() {
            match TcpStream::connect(addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn = Some(BufReader::new(s));
                }
                Err(_) => {
                    tally.errors += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        let started = Instant::now();
        let answer = tokio::time::timeout(REQUEST_TIMEOUT, exchange(c, &request)).await;
        let counted = started >= measure_from;
        match answer {
            Ok(Ok(200)) => {
                if counted {
                    tally.ok += 1;
                    let micros = started.elapsed().as_micros();
                    tally
                        .latencies
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                }
            }
            Ok(Ok(_)) => {
                if counted {
                    tally.errors += 1;
                }
            }
            Ok(Err(_)) | Err(_) => {
                if counted {
                    tally.errors += 1;
                }
                conn = None;
            }
        }
    }
    tally
}

fn percentile_ms(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let micros = sorted[rank.clamp(1, sorted.len()) - 1];
    (f64::from(micros) / 100.0).round() / 10.0
}

async fn load(addr: SocketAddr, endpoint: &Endpoint) -> Value {
    let request = std::sync::Arc::new(endpoint.request.clone());
    let measure_from = Instant::now() + WARM_UP;
    let stop = measure_from + MEASURE;
    let budget = MAX_REQUESTS / CONNECTIONS;
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            tokio::spawn(connection(
                addr,
                request.clone(),
                measure_from,
                stop,
                budget,
            ))
        })
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        if let Ok(t) = task.await {
            total.ok += t.ok;
            total.errors += t.errors;
            total.latencies.extend(t.latencies);
        }
    }
    // The window ends at `stop` unless the budget ran out first.
    let seconds = (Instant::now().min(stop) - measure_from).as_secs_f64();
    total.latencies.sort_unstable();
    json!({
        "endpoint": endpoint.name,
        "connections": CONNECTIONS,
        "requests": total.ok,
        "errors": total.errors,
        "seconds": (seconds * 100.0).round() / 100.0,
        "requestsPerSecond": if seconds > 0.0 { (total.ok as f64 / seconds).round() } else { 0.0 },
        "latencyMs": {
            "p50": percentile_ms(&total.latencies, 50.0),
            "p99": percentile_ms(&total.latencies, 99.0),
        },
    })
}

/// A JSON answer to one setup call on a fresh connection.
async fn setup_call(addr: SocketAddr, request: &[u8]) -> anyhow::Result<Value> {
    let mut conn = BufReader::new(TcpStream::connect(addr).await?);
    conn.get_mut().write_all(request).await?;
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line).await? == 0 {
            anyhow::bail!("connection closed");
        }
        if line.trim_end().is_empty() {
            break;
        }
        if let Some(v) = line
            .to_ascii_lowercase()
            .strip_prefix("content-length:")
            .map(|v| v.trim().to_string())
        {
            length = v.parse()?;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).await?;
    if !head.starts_with("HTTP/1.1 200") {
        anyhow::bail!(
            "setup call refused: {head}{}",
            String::from_utf8_lossy(&body)
        );
    }
    Ok(serde_json::from_slice(&body)?)
}

async fn run(database: &str, database_url: &str) -> anyhow::Result<Vec<Value>> {
    let dir = tempfile::tempdir()?;
    let mut vars = BTreeMap::new();
    for (k, v) in [
        ("PONTE_LISTEN", "127.0.0.1:0".to_string()),
        ("PONTE_DATA_DIR", dir.path().display().to_string()),
        ("PONTE_DATABASE_URL", database_url.to_string()),
        ("PONTE_MASTER_KEY", MASTER_KEY.to_string()),
        // The bench measures the server, not the per-client rate limit.
        ("PONTE_RATE_LIMIT", "off".to_string()),
    ] {
        vars.insert(k.to_string(), v);
    }
    let config = Config::from_map(&vars)?;
    let server = Server::start(config, Clock::default()).await?;
    let addr = server.addr;
    let creds = clients::create(
        &server.app,
        clients::parse_new_client("Bench", None, None, false)?,
    )
    .await?;

    let auth_body = json!({"accessKey": creds.api_key, "secretKey": creds.api_secret});
    let auth = request("POST", "/data/v1/auth", None, Some(&auth_body));
    let token = setup_call(addr, &auth).await?["accessToken"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no accessToken"))?;
    let link_body = json!({"personalTaxId": "529.982.247-25", "email": "ana@example.com", "redirectUrl": "https://app.example.com/done"});
    let link = setup_call(
        addr,
        &request("POST", "/data/v1/links", Some(&token), Some(&link_body)),
    )
    .await?;
    let link_id = link["linkId"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no linkId"))?;

    let endpoints = [
        Endpoint {
            name: "GET /healthz",
            request: request("GET", "/healthz", None, None),
        },
        // The floor of anything that reads the database: one `SELECT 1`.
        Endpoint {
            name: "GET /readyz",
            request: request("GET", "/readyz", None, None),
        },
        Endpoint {
            name: "POST /data/v1/auth",
            request: auth,
        },
        Endpoint {
            name: "GET /data/v1/links/{id}",
            request: request(
                "GET",
                &format!("/data/v1/links/{link_id}"),
                Some(&token),
                None,
            ),
        },
    ];
    let mut results = Vec::new();
    for endpoint in &endpoints {
        let mut r = load(addr, endpoint).await;
        r["database"] = json!(database);
        print_row(&r);
        results.push(r);
    }
    server.stop().await;
    Ok(results)
}

fn print_row(r: &Value) {
    println!(
        "{:<9} {:<26} {:>9.0} req/s  {:>8} ok {:>6} errors in {:>5.2} s  latency ms p50 {:>6} p99 {:>6}",
        r["database"].as_str().unwrap_or(""),
        r["endpoint"].as_str().unwrap_or(""),
        r["requestsPerSecond"].as_f64().unwrap_or(0.0),
        r["requests"],
        r["errors"],
        r["seconds"].as_f64().unwrap_or(0.0),
        r["latencyMs"]["p50"],
        r["latencyMs"]["p99"],
    );
}

/// `auth/healthz` and `get-link/healthz` for one database's runs.
fn ratios(runs: &[Value]) -> Value {
    let rate = |name: &str| {
        runs.iter()
            .find(|r| r["endpoint"] == name)
            .and_then(|r| r["requestsPerSecond"].as_f64())
            .unwrap_or(0.0)
    };
    let floor = rate("GET /healthz");
    let ratio = |x: f64| {
        if floor > 0.0 {
            (x / floor * 1000.0).round() / 1000.0
        } else {
            f64::NAN
        }
    };
    json!({
        "auth/healthz": ratio(rate("POST /data/v1/auth")),
        "get-link/healthz": ratio(rate("GET /data/v1/links/{id}")),
        "readyz/healthz": ratio(rate("GET /readyz")),
    })
}

/// `target/bench-api.json`, under `CARGO_TARGET_DIR` when set.
fn output_path() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("bench-api.json")
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; with no harness there is nothing to filter.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "Data API throughput: {CONNECTIONS} keep-alive connections, {} s warm-up + {} s per endpoint, {cpus} CPUs shared by server and load, release build",
        WARM_UP.as_secs(),
        MEASURE.as_secs()
    );
    let mut runs = Vec::new();
    let mut summary = serde_json::Map::new();
    {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
        let r = runtime.block_on(run("sqlite", &url))?;
        summary.insert("sqlite".into(), ratios(&r));
        runs.extend(r);
    }
    if let Some(base) = std::env::var("PONTE_BENCH_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let r = runtime.block_on(async {
            let url = fresh_postgres_database(&base).await?;
            let r = run("postgres", &url).await;
            drop_postgres_database(&base, &url).await;
            r
        })?;
        summary.insert("postgres".into(), ratios(&r));
        runs.extend(r);
    } else {
        println!("(set PONTE_BENCH_POSTGRES_URL to measure PostgreSQL too)");
    }
    println!();
    println!(
        "{:<9} {:>13} {:>17}",
        "database", "auth/healthz", "get-link/healthz"
    );
    for (database, r) in &summary {
        println!(
            "{:<9} {:>13.3} {:>17.3}",
            database,
            r["auth/healthz"].as_f64().unwrap_or(f64::NAN),
            r["get-link/healthz"].as_f64().unwrap_or(f64::NAN)
        );
    }
    let path = output_path();
    let path = match path.parent() {
        Some(parent) => {
            std::fs::create_dir_all(parent)?;
            std::fs::canonicalize(parent)?.join("bench-api.json")
        }
        None => path,
    };
    let report = json!({
        "cpus": cpus,
        "connections": CONNECTIONS,
        "warmUpSeconds": WARM_UP.as_secs(),
        "measureSeconds": MEASURE.as_secs(),
        "runs": runs,
        "ratios": summary,
    });
    std::fs::write(&path, serde_json::to_string_pretty(&report)?)?;
    println!("figures written to {}", path.display());
    Ok(())
}
