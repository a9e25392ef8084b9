//! How long an end user's connection takes, measured, not tested:
//!
//! ```sh
//! cargo bench -p ponte --bench flow
//! PONTE_BENCH_POSTGRES_URL=postgres://… cargo bench -p ponte --bench flow
//! ```
//!
//! Runs the release `ponte serve` as its own process (sandbox on, SQLite in
//! a temporary data dir, or a fresh database of the PostgreSQL server
//! `PONTE_BENCH_POSTGRES_URL` names) and a webhook receiver on loopback,
//! then drives `FLOWS` Data API connections one after the other, each timed
//! from the link's creation to the `REPORT_READY` webhook of its accounts
//! report: `POST /data/v1/links`, `POST /data/v1/consents` (Ponte creates the
//! consent at the bank and prepares the authorisation), the sandbox's
//! headless authorisation of `user_good` (the bank's login and consent pages,
//! then Ponte's callback and the code exchange), `POST
//! /data/personal/institution-data` for `accounts`, and the retrieval,
//! report and webhook delivery. The first `WARM_UP` flows are not counted.
//! Figures go to stdout and `target/bench-flow.json`, with the p50 of each
//! step (the four calls, then the wait for the webhook) beside the total.
//! `PONTE_BENCH_LOG` sets the server's `PONTE_LOG` (default `warn`).

mod common;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use common::{free_port, fresh_postgres, post_json, Serve, CPF, MASTER_KEY, PONTE};
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const FLOWS: usize = 40;
const WARM_UP: usize = 5;
/// The timed steps of one flow, in order; the last ends at the webhook.
const STEPS: [&str; 5] = [
    "link",
    "consent",
    "authorise",
    "institution_data",
    "to_webhook",
];
/// A flow that has not ended by then is reported and stops the bench.
const FLOW_TIMEOUT: Duration = Duration::from_secs(60);

fn ponte(env: &[(&str, String)], args: &[&str]) -> std::process::Output {
    Command::new(PONTE)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs")
}

async fn receive(State(tx): State<mpsc::UnboundedSender<(Instant, Value)>>, body: String) {
    if let Ok(v) = serde_json::from_str(&body) {
        let _ = tx.send((Instant::now(), v));
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn run(database: &str) -> Value {
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
    let env = vec![
        ("PONTE_DATA_DIR", dir.path().display().to_string()),
        ("PONTE_DATABASE_URL", database.to_string()),
        ("PONTE_LISTEN", format!("127.0.0.1:{port}")),
        ("PONTE_MASTER_KEY", MASTER_KEY.to_string()),
        (
            "PONTE_LOG",
            std::env::var("PONTE_BENCH_LOG").unwrap_or_else(|_| "warn".to_string()),
        ),
    ];
    let created = ponte(
        &env,
        &[
            "clients",
            "create",
            "--init",
            "--name",
            "bench",
            "--webhook-url",
            &hook,
            "--json",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let client: Value = serde_json::from_slice(&created.stdout).expect("client JSON");
    let _serve = Serve(
        Command::new(PONTE)
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ponte serve starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
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

    let auth: Value = http
        .post(format!("{base}/data/v1/auth"))
        .json(&json!({"accessKey": client["apiKey"], "secretKey": client["apiSecret"]}))
        .send()
        .await
        .expect("auth")
        .json()
        .await
        .expect("auth JSON");
    let access = auth["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_string();

    let mut millis = Vec::with_capacity(FLOWS);
    let mut steps: [Vec<f64>; STEPS.len()] = Default::default();
    for n in 0..FLOWS + WARM_UP {
        let t0 = Instant::now();
        let mut marks = [t0; STEPS.len()];
        let link = post_json(
            &http,
            &format!("{base}/data/v1/links"),
            &access,
            json!({"personalTaxId": CPF}),
        )
        .await;
        marks[0] = Instant::now();
        let link_token = link["linkToken"].as_str().expect("linkToken");
        let consent = post_json(
            &http,
            &format!("{base}/data/v1/consents"),
            link_token,
            json!({"personalTaxId": CPF, "institutionCode": "itau"}),
        )
        .await;
        marks[1] = Instant::now();
        let consent_id = consent["consentId"]
            .as_str()
            .expect("consentId")
            .to_string();
        post_json(
            &http,
            &format!("{base}/sandbox/v1/consents/{consent_id}/authorise"),
            link_token,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
        marks[2] = Instant::now();
        post_json(
            &http,
            &format!("{base}/data/personal/institution-data"),
            &access,
            json!({"taxId": CPF, "institutionId": "itau", "linkId": link["linkId"],
                   "consentId": [consent_id], "products": ["accounts"]}),
        )
        .await;
        marks[3] = Instant::now();
        let ended = loop {
            let (at, event) =
                tokio::time::timeout(FLOW_TIMEOUT.saturating_sub(t0.elapsed()), events.recv())
                    .await
                    .unwrap_or_else(|_| panic!("flow {n}: no REPORT_READY within {FLOW_TIMEOUT:?}"))
                    .expect("receiver running");
            if event["event"] == "REPORT_READY" && event["consentId"] == consent_id.as_str() {
                assert_eq!(event["status"], "SUCCESS", "{event}");
                break at;
            }
        };
        marks[4] = ended;
        if n >= WARM_UP {
            millis.push(ended.duration_since(t0).as_secs_f64() * 1000.0);
            let mut before = t0;
            for (step, at) in steps.iter_mut().zip(marks) {
                step.push(at.duration_since(before).as_secs_f64() * 1000.0);
                before = at;
            }
        }
    }
    millis.sort_by(f64::total_cmp);
    let mut step_p50 = serde_json::Map::new();
    for (name, mut step) in STEPS.iter().zip(steps) {
        step.sort_by(f64::total_cmp);
        step_p50.insert((*name).into(), percentile(&step, 0.50).into());
    }
    json!({
        "flows": millis.len(),
        "p50_ms": percentile(&millis, 0.50),
        "p95_ms": percentile(&millis, 0.95),
        "max_ms": percentile(&millis, 1.0),
        "step_p50_ms": step_p50,
    })
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut results = serde_json::Map::new();
    let sqlite = format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display());
    let figures = run(&sqlite).await;
    println!("SQLite      link → REPORT_READY: {figures}");
    results.insert("sqlite".into(), figures);
    if let Ok(base) = std::env::var("PONTE_BENCH_POSTGRES_URL") {
        let figures = run(&fresh_postgres(&base, "bench_flow").await).await;
        println!("PostgreSQL  link → REPORT_READY: {figures}");
        results.insert("postgres".into(), figures);
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-flow.json");
    let _ = std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(results)).unwrap_or_default(),
    );
}
