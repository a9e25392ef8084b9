//! Several nodes under load, measured and checked, not tested:
//!
//! ```sh
//! scripts/bench-nodes.sh                 # 1,000 flows; starts moto, needs PONTE_BENCH_POSTGRES_URL
//! scripts/bench-nodes.sh --flows 150     # fewer
//! ```
//!
//! Three release `ponte serve` processes on one fresh PostgreSQL database
//! (`PONTE_BENCH_POSTGRES_URL` names the server) and one fresh bucket of the
//! S3-compatible server `PONTE_BENCH_S3_ENDPOINT`, with the same master key
//! and the same public URL: a round-robin proxy in front of them (the
//! bench's own, `proxy.rs`). `--flows N` end-user flows (default 1,000) run
//! all at once, a third each: a Data API consent to its `REPORT_READY`
//! (link, consent, the sandbox's headless authorisation, the accounts
//! report), a documents retrieval to its webhook (`POST /api/token`, the
//! sandbox portal login), and a Server API ticket exchanged twice at once
//! (one wins) and once more later. When half of the flows have ended, one
//! node is killed with SIGKILL; the flows it cut start again, as a client
//! would retry, and the other two must finish its leased work.
//!
//! `--no-kill` keeps all three; `--event-timeout SECS` (300) is how long a
//! flow waits for its webhook.
//!
//! Figures (throughput, p50/p99 per dialect, how long after the kill the
//! leased work and the flows in flight then ended) and the checks go to
//! stdout and `target/bench-nodes.json`; a failed check exits non-zero.

mod checks;
mod cluster;
mod flows;
mod proxy;
mod receiver;
mod takeover;

use flows::{Ctx, Done, Kind};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The leased work of a dead node must be taken over within this.
const RECOVERY_LIMIT: Duration = Duration::from_secs(30);

struct Args {
    flows: usize,
    kill: bool,
    event_timeout: Duration,
}

fn args() -> Args {
    let mut a = Args {
        flows: 1000,
        kill: true,
        event_timeout: Duration::from_secs(300),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--flows" => a.flows = number(it.next(), "--flows").max(3),
            "--event-timeout" => {
                a.event_timeout = Duration::from_secs(number(it.next(), "--event-timeout") as u64)
            }
            "--no-kill" => a.kill = false,
            "--bench" => {} // cargo bench adds it
            other => {
                panic!("unknown argument {other:?}: --flows N, --event-timeout SECS, --no-kill")
            }
        }
    }
    a
}

fn number(v: Option<String>, name: &str) -> usize {
    v.and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} wants a number"))
}

fn env(name: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("{name} must be set (scripts/bench-nodes.sh sets it up)"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Throughput and latency of one dialect's flows.
fn figures(done: &[Done], kind: Kind) -> Value {
    let ours: Vec<&Done> = done.iter().filter(|d| d.kind == kind).collect();
    let ok: Vec<&&Done> = ours.iter().filter(|d| d.result.is_ok()).collect();
    let mut ms: Vec<f64> = ok
        .iter()
        .map(|d| d.ended.duration_since(d.started).as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let first = ours.iter().map(|d| d.started).min();
    let last = ours.iter().map(|d| d.ended).max();
    let span = match (first, last) {
        (Some(f), Some(l)) => l.duration_since(f).as_secs_f64(),
        _ => 0.0,
    };
    let errors: Vec<&String> = ours
        .iter()
        .filter_map(|d| d.result.as_ref().err())
        .collect();
    json!({
        "flows": ours.len(),
        "ok": ok.len(),
        "failed": errors.len(),
        "restarted": ours.iter().filter(|d| d.restarts > 0).count(),
        "per_s": if span > 0.0 { ok.len() as f64 / span } else { 0.0 },
        "p50_ms": percentile(&ms, 0.50).round(),
        "p99_ms": percentile(&ms, 0.99).round(),
        "max_ms": percentile(&ms, 1.0).round(),
        "errors": errors.iter().take(5).collect::<Vec<_>>(),
    })
}

/// How many restarts each reason caused (its first words, long ids left out).
fn reasons(done: &[Done]) -> Value {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for why in done.iter().flat_map(|d| &d.restarted_by) {
        let short: String = why
            .split_whitespace()
            .filter(|w| w.len() < 20 || !w.chars().any(|c| c.is_ascii_digit()))
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        *counts.entry(short).or_default() += 1;
    }
    json!(counts)
}

#[tokio::main]
async fn main() {
    let args = args();
    let endpoint = env("PONTE_BENCH_S3_ENDPOINT")
        .trim_end_matches('/')
        .to_string();
    let database = cluster::fresh_postgres(&env("PONTE_BENCH_POSTGRES_URL")).await;
    let bucket = cluster::fresh_bucket(&endpoint).await;

    let addrs: Vec<_> = (0..3).map(|_| cluster::free_addr()).collect();
    let public = proxy::start(addrs.clone()).await;
    let cluster = cluster::Cluster::new(&database, &endpoint, bucket, public);
    let events = receiver::Receiver::default();
    let hook = events.start().await;
    let creds = cluster.create_client(&hook);
    // One at a time: the first runs the migrations and provisions the
    // sandbox's shared keys, the others find them.
    let mut nodes = Vec::new();
    for addr in &addrs {
        nodes.push(cluster.start(*addr).await);
    }

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0) // a connection per request: the proxy spreads requests
        .timeout(Duration::from_secs(120))
        .build()
        .expect("HTTP client");
    let base = format!("http://{public}");
    let auth: Value = http
        .post(format!("{base}/data/v1/auth"))
        .json(&json!({"accessKey": creds["apiKey"], "secretKey": creds["apiSecret"]}))
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
    let ctx = Arc::new(Ctx {
        http,
        base,
        creds,
        access,
        events: events.clone(),
        event_timeout: args.event_timeout,
    });

    println!(
        "{} flows across 3 nodes {addrs:?} behind {public} (database {database}, bucket {})",
        args.flows, cluster.bucket
    );
    let ended = Arc::new(AtomicUsize::new(0));
    let wake = Arc::new(tokio::sync::Notify::new());
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(args.flows);
    for n in 0..args.flows {
        let (ctx, ended, wake) = (ctx.clone(), ended.clone(), wake.clone());
        tasks.push(tokio::spawn(async move {
            let done = flows::run(&ctx, Kind::ALL[n % 3], n).await;
            ended.fetch_add(1, Ordering::Relaxed);
            wake.notify_one();
            done
        }));
    }
    let mut takeover_watch = None;
    let killed_at = if args.kill {
        while ended.load(Ordering::Relaxed) < args.flows / 2 {
            wake.notified().await;
        }
        nodes[1].kill();
        let at = Instant::now();
        let work = takeover::leased(&database).await;
        let leased = (work.0.len(), work.1.len());
        let db = database.clone();
        let watch =
            tokio::spawn(
                async move { takeover::ended(&db, work, at, Duration::from_secs(600)).await },
            );
        takeover_watch = Some((leased, watch));
        println!(
            "killed node 2 (SIGKILL) at {:.1} s, {} flows ended",
            at.duration_since(t0).as_secs_f64(),
            ended.load(Ordering::Relaxed)
        );
        Some(at)
    } else {
        None
    };
    let mut done = Vec::with_capacity(args.flows);
    for task in tasks {
        done.push(task.await.expect("flow task"));
    }
    let wall = t0.elapsed().as_secs_f64();

    let takeover = match takeover_watch {
        Some(((jobs, messages), watch)) => {
            let after = watch.await.ok().flatten();
            Some(json!({
                "leased_at_kill": {"jobs": jobs, "webhook_messages": messages},
                "last_ended_after_s": after.map(|a| a.as_secs_f64()),
                "ok": after.is_some_and(|a| a <= RECOVERY_LIMIT),
            }))
        }
        None => None,
    };
    let recovery = killed_at.map(|k| {
        let in_flight: Vec<&Done> = done
            .iter()
            .filter(|d| d.started <= k && d.ended > k)
            .collect();
        let last = in_flight.iter().map(|d| d.ended.duration_since(k)).max();
        json!({
            "in_flight_at_kill": in_flight.len(),
            "cut_and_restarted": done.iter().filter(|d| d.restarts > 0).count(),
            "last_in_flight_ended_after_s": last.map(|l| l.as_secs_f64()),
            "restart_reasons": reasons(&done),
            "leased_work": takeover,
        })
    });

    // Whatever is still queued (events no flow waited for) ends before counting.
    let pending = checks::drain(&database, Duration::from_secs(60)).await;
    let keys = checks::bucket_keys(&endpoint, &cluster.bucket).await;
    let expected: Vec<String> = done
        .iter()
        .filter_map(|d| d.result.as_ref().ok())
        .flat_map(|o| o.expected_events.iter().cloned())
        .collect();
    let refused = done
        .iter()
        .filter_map(|d| d.result.as_ref().ok()?.ticket_refused_again)
        .collect::<Vec<_>>();
    let arrived = |k: &str| events.arrived(k);
    let deliveries = events.deliveries();
    let checks = checks::run(checks::Inputs {
        database: &database,
        deliveries: &deliveries,
        expected: &expected,
        arrived: &arrived,
        keys: &keys,
        tickets: (refused.len(), refused.iter().filter(|r| **r).count()),
        killed_at,
    })
    .await;

    let failed_flows = done.iter().filter(|d| d.result.is_err()).count();
    let mut report = json!({
        "flows": args.flows,
        "wall_s": wall,
        "flows_per_s": done.iter().filter(|d| d.result.is_ok()).count() as f64 / wall,
        "failed_flows": failed_flows,
        "pending_after_drain": {"webhook_messages": pending.0, "jobs": pending.1},
        "kill": recovery,
        "checks": checks,
    });
    for kind in Kind::ALL {
        report[kind.name()] = figures(&done, kind);
    }
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    println!("{text}");
    let out =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-nodes.json");
    let _ = std::fs::write(&out, &text);

    let held = ["webhooks", "events", "documents", "tickets"]
        .iter()
        .all(|c| report["checks"][c]["ok"] == true)
        && report["kill"]["leased_work"]["ok"] != false
        && failed_flows == 0
        && pending == (0, 0);
    drop(nodes);
    if !held {
        eprintln!("a check failed: see above");
        std::process::exit(1);
    }
}
