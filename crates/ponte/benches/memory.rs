//! How much memory Ponte holds, measured, not tested (issue 29):
//!
//! ```sh
//! cargo bench -p ponte --bench memory
//! PONTE_BENCH_POSTGRES_URL=postgres://… cargo bench -p ponte --bench memory
//! ```
//!
//! Runs the release `ponte serve` as its own process (sandbox on, SQLite in a
//! temporary data dir, or a fresh database of the PostgreSQL server
//! `PONTE_BENCH_POSTGRES_URL` names), one process per sandbox user, and reads
//! its `/proc/<pid>/status`: `VmRSS` once started and idle, then `VmHWM` (the
//! peak) after each phase, the peak reset before the next one by writing `5`
//! to `/proc/<pid>/clear_refs`. The phases: a link, consent and authorisation
//! of the user at `itau`; the accounts report (`REPORT_READY`); the insights
//! report; the accounts report's JSON download and its PDF download, each
//! read to the end. Users: `user_big` (five years) and `user_huge` (four times
//! its transactions). Figures (MiB) go to stdout and `target/bench-memory.json`.
//!
//! The idle figure is split as the kernel counts it: `RssAnon` (the heap and
//! stacks: what Ponte allocates) and `RssFile` (the executable's and shared
//! libraries' pages, mapped in large folios: what the binary's size costs).
//!
//! `PONTE_BENCH_BIN=<path>` measures another `ponte` binary (an earlier build,
//! or the debug one) instead of the one built with the bench.

mod common;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use common::{free_port, fresh_postgres, post_json, Serve, CPF, MASTER_KEY, PONTE};
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const USERS: [&str; 2] = ["user_big", "user_huge"];
/// A report not ready by then is reported and stops the bench.
const REPORT_TIMEOUT: Duration = Duration::from_secs(600);
/// Long enough for start-up work (migrations, first worker polls) to settle.
const IDLE_WAIT: Duration = Duration::from_secs(3);

/// The `ponte` measured: `PONTE_BENCH_BIN`, else the one built with the bench.
fn ponte() -> String {
    std::env::var("PONTE_BENCH_BIN").unwrap_or_else(|_| PONTE.to_string())
}

/// Resident memory at idle, in MiB, as `/proc/<pid>/status` splits it.
struct Idle {
    rss: f64,
    anon: f64,
    file: f64,
}

impl Serve {
    /// One `/proc/<pid>/status` field in kB, as MiB.
    fn status(&self, name: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id()))
            .expect("/proc/<pid>/status (Linux only)");
        status
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or_else(|| panic!("{name} in /proc/<pid>/status"))
    }

    /// `VmRSS` and `VmHWM` in MiB.
    fn memory(&self) -> (f64, f64) {
        (self.status("VmRSS"), self.status("VmHWM"))
    }

    fn idle(&self) -> Idle {
        Idle {
            rss: self.status("VmRSS"),
            anon: self.status("RssAnon"),
            file: self.status("RssFile"),
        }
    }

    /// Starts a new peak from what is resident now.
    fn reset_peak(&self) {
        std::fs::write(format!("/proc/{}/clear_refs", self.0.id()), "5")
            .expect("writing /proc/<pid>/clear_refs (needed to reset the peak)");
    }
}

async fn receive(State(tx): State<mpsc::UnboundedSender<Value>>, body: String) {
    if let Ok(v) = serde_json::from_str(&body) {
        let _ = tx.send(v);
    }
}

/// Reads a download to the end without keeping it; its size in bytes.
async fn drain(http: &reqwest::Client, url: &str) -> u64 {
    let mut resp = http.get(url).send().await.expect("download");
    assert!(resp.status().is_success(), "GET {url}: {}", resp.status());
    let mut n = 0u64;
    while let Some(chunk) = resp.chunk().await.expect("download body") {
        n += chunk.len() as u64;
    }
    n
}

async fn report_ready(events: &mut mpsc::UnboundedReceiver<Value>, consent_id: &str) -> Value {
    let deadline = Instant::now() + REPORT_TIMEOUT;
    loop {
        let event = tokio::time::timeout_at(deadline.into(), events.recv())
            .await
            .unwrap_or_else(|_| panic!("no REPORT_READY within {REPORT_TIMEOUT:?}"))
            .expect("receiver running");
        if event["event"] == "REPORT_READY" && event["consentId"] == consent_id {
            assert_eq!(event["status"], "SUCCESS", "{event}");
            return event;
        }
    }
}

/// One `ponte serve` for `user`: idle RSS, then each phase's peak.
async fn run(database: &str, user: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let (tx, mut events) = mpsc::unbounded_channel();
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("receiver");
    let hook = format!("http://{}/hook", receiver.local_addr().expect("addr"));
    tokio::spawn(async move {
        let app = Router::new().route("/hook", post(receive)).with_state(tx);
        let _ = axum::serve(receiver, app).await;
    });
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let env = [
        ("PONTE_DATA_DIR", dir.path().display().to_string()),
        ("PONTE_DATABASE_URL", database.to_string()),
        ("PONTE_LISTEN", format!("127.0.0.1:{port}")),
        ("PONTE_PUBLIC_URL", base.clone()),
        ("PONTE_MASTER_KEY", MASTER_KEY.to_string()),
        ("PONTE_LOG", "warn".to_string()),
    ];
    let created = Command::new(ponte())
        .args([
            "clients",
            "create",
            "--init",
            "--name",
            "bench",
            "--webhook-url",
            &hook,
            "--json",
        ])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let client: Value = serde_json::from_slice(&created.stdout).expect("client JSON");
    let serve = Serve(
        Command::new(ponte())
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ponte serve starts"),
    );
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .ok()
        != Some(200)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "ponte serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(IDLE_WAIT).await;
    let at_rest = serve.idle();
    let idle = at_rest.rss;
    let mut phases = serde_json::Map::new();
    let peak = |name: &str, phases: &mut serde_json::Map<String, Value>| {
        let (rss, hwm) = serve.memory();
        println!(
            "  {user:<10} {name:<18} peak {hwm:7.1} MiB (+{:5.1} over idle), then {rss:7.1} MiB",
            hwm - idle
        );
        phases.insert(
            name.into(),
            json!({"peak_mib": hwm, "over_idle_mib": hwm - idle, "after_mib": rss}),
        );
        serve.reset_peak();
    };
    println!(
        "  {user:<10} idle               {idle:7.1} MiB (RssAnon {:.1}, RssFile {:.1})",
        at_rest.anon, at_rest.file
    );
    serve.reset_peak();

    let auth: Value = http
        .post(format!("{base}/data/v1/auth"))
        .json(&json!({"accessKey": client["apiKey"], "secretKey": client["apiSecret"]}))
        .send()
        .await
        .expect("auth")
        .json()
        .await
        .expect("auth JSON");
    let access = auth["accessToken"].as_str().expect("accessToken");
    let link = post_json(
        &http,
        &format!("{base}/data/v1/links"),
        access,
        json!({"personalTaxId": CPF}),
    )
    .await;
    let link_token = link["linkToken"].as_str().expect("linkToken");
    let consent = post_json(
        &http,
        &format!("{base}/data/v1/consents"),
        link_token,
        json!({"personalTaxId": CPF, "institutionCode": "itau"}),
    )
    .await;
    let consent_id = consent["consentId"].as_str().expect("consentId");
    post_json(
        &http,
        &format!("{base}/sandbox/v1/consents/{consent_id}/authorise"),
        link_token,
        json!({"username": user, "password": "pass_good"}),
    )
    .await;
    peak("authorised", &mut phases);

    let mut reports = Vec::new();
    for product in ["accounts", "insights"] {
        post_json(
            &http,
            &format!("{base}/data/personal/institution-data"),
            access,
            json!({"taxId": CPF, "institutionId": "itau", "linkId": link["linkId"],
                   "consentId": [consent_id], "products": [product]}),
        )
        .await;
        let ready = report_ready(&mut events, consent_id).await;
        peak(&format!("{product} report"), &mut phases);
        reports.push(ready);
    }
    let accounts = &reports[0];
    let url = |field: &str| accounts[field].as_str().expect(field).to_string();
    let json_bytes = drain(&http, &url("downloadUrl")).await;
    peak("JSON download", &mut phases);
    let pdf_bytes = drain(&http, &url("pdfUrl")).await;
    peak("PDF download", &mut phases);
    let overall = phases
        .values()
        .filter_map(|p| p["peak_mib"].as_f64())
        .fold(idle, f64::max);
    println!(
        "  {user:<10} {} transactions, JSON {:.1} MiB, PDF {:.1} MiB; highest peak {overall:.1} MiB (+{:.1})",
        accounts["summary"]["transactions"],
        json_bytes as f64 / 1048576.0,
        pdf_bytes as f64 / 1048576.0,
        overall - idle
    );
    json!({
        "idle_rss_mib": idle,
        "idle_rss_anon_mib": at_rest.anon,
        "idle_rss_file_mib": at_rest.file,
        "peak_mib": overall,
        "peak_over_idle_mib": overall - idle,
        "transactions": accounts["summary"]["transactions"],
        "json_bytes": json_bytes,
        "pdf_bytes": pdf_bytes,
        "phases": phases,
    })
}

async fn all_users(database: impl Fn() -> String) -> Value {
    let mut users = serde_json::Map::new();
    for user in USERS {
        users.insert(user.into(), run(&database(), user).await);
    }
    Value::Object(users)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut results = serde_json::Map::new();
    println!("SQLite");
    let n = std::sync::atomic::AtomicUsize::new(0);
    let sqlite = || {
        let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("sqlite://{}/ponte-{i}.db?mode=rwc", dir.path().display())
    };
    results.insert("sqlite".into(), all_users(sqlite).await);
    if let Ok(base) = std::env::var("PONTE_BENCH_POSTGRES_URL") {
        println!("PostgreSQL");
        let mut users = serde_json::Map::new();
        for user in USERS {
            let database = fresh_postgres(&base, "bench_memory").await;
            users.insert(user.into(), run(&database, user).await);
        }
        results.insert("postgres".into(), Value::Object(users));
    }
    let out =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-memory.json");
    let _ = std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(results)).unwrap_or_default(),
    );
}
