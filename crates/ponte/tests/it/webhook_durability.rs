//! The webhook outbox under the real `ponte` binary: a node killed with
//! SIGKILL in the middle of a thousand deliveries loses none of them, and two
//! nodes on one PostgreSQL never send the same attempt twice.
//!
//! Each test seeds its queue with the store's own `ponte_store::insert_message`
//! against the server's database before the server starts. Through the API a
//! message costs one consent (a PAR call to the sandbox bank, about 30 ms of
//! CPU in a debug build), so 1,000 of them would take half a minute on a
//! 2-core machine on top of the 60 s lease a killed node's claims must wait
//! out; and the two-node tests need the backlog to exist before both nodes
//! race for it. The kill test also sends a few consent events through the
//! real API (`POST /data/v1/consents`), so the outbox's own write path is
//! part of the run.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::support;

use support::{
    create_client, fresh_postgres_database, now_ms, seed_queue, serve_on_thread, Node, MASTER_KEY,
    PONTE,
};

// ---------------------------------------------------------------------------
// The integrator's receiver.

#[derive(Clone, Copy)]
enum Answers {
    /// 200 to everything.
    Ok,
    /// 500 to every seventh request, whatever message it carries.
    EverySeventhFails,
    /// 500 to the first arrival of each `webhook-id`, 200 to the later ones.
    FirstArrivalFails,
}

/// One request as the receiver handled it (recorded once it answered).
#[derive(Clone, Debug)]
struct Arrival {
    id: String,
    code: u16,
    started: Instant,
    ended: Instant,
}

struct Shared {
    answers: Answers,
    delay: Duration,
    secret: OnceLock<String>,
    open: tokio::sync::watch::Receiver<bool>,
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    bad_signatures: AtomicUsize,
    arrivals_per_id: Mutex<HashMap<String, u32>>,
    arrivals: Mutex<Vec<Arrival>>,
}

/// A webhook receiver on 127.0.0.1, on a thread and runtime of its own so the
/// test's blocking calls never stall it. It holds every request until `open`,
/// verifies the Standard Webhooks signature (401 if wrong), waits `delay`,
/// and answers as `answers` says.
struct Receiver {
    url: String,
    shared: Arc<Shared>,
    gate: tokio::sync::watch::Sender<bool>,
}

struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Receiver {
    fn start(answers: Answers, delay: Duration) -> Receiver {
        let (gate, open) = tokio::sync::watch::channel(false);
        let shared = Arc::new(Shared {
            answers,
            delay,
            secret: OnceLock::new(),
            open,
            requests: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            bad_signatures: AtomicUsize::new(0),
            arrivals_per_id: Mutex::new(HashMap::new()),
            arrivals: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(shared.clone());
        let addr = serve_on_thread(app);
        Receiver {
            url: format!("http://{addr}/hook"),
            shared,
            gate,
        }
    }

    fn set_secret(&self, secret: &str) {
        let _ = self.shared.secret.set(secret.to_string());
    }

    fn open(&self) {
        let _ = self.gate.send(true);
    }

    fn arrivals(&self) -> Vec<Arrival> {
        self.shared.arrivals.lock().unwrap().clone()
    }

    /// The ids answered with a 2xx at least once.
    fn delivered(&self) -> BTreeSet<String> {
        self.shared
            .arrivals
            .lock()
            .unwrap()
            .iter()
            .filter(|a| (200..300).contains(&a.code))
            .map(|a| a.id.clone())
            .collect()
    }

    fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    fn bad_signatures(&self) -> usize {
        self.shared.bad_signatures.load(Ordering::SeqCst)
    }
}

async fn hook(
    axum::extract::State(s): axum::extract::State<Arc<Shared>>,
    headers: axum::http::HeaderMap,
    body: String,
) -> axum::http::StatusCode {
    let started = Instant::now();
    s.in_flight.fetch_add(1, Ordering::SeqCst);
    let _guard = InFlight(&s.in_flight);
    let _ = s.open.clone().wait_for(|open| *open).await;
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let n = s.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let earlier = {
        let mut per_id = s.arrivals_per_id.lock().unwrap();
        let count = per_id.entry(id.clone()).or_insert(0);
        *count += 1;
        *count - 1
    };
    let signed = s.secret.get().is_some_and(|secret| {
        support::verify(
            secret,
            |n| {
                headers
                    .get(n)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            },
            &body,
        )
    });
    let code = if !signed {
        s.bad_signatures.fetch_add(1, Ordering::SeqCst);
        401
    } else {
        match s.answers {
            Answers::Ok => 200,
            Answers::EverySeventhFails if n % 7 == 0 => 500,
            Answers::EverySeventhFails => 200,
            Answers::FirstArrivalFails if earlier == 0 => 500,
            Answers::FirstArrivalFails => 200,
        }
    };
    tokio::time::sleep(s.delay).await;
    s.arrivals.lock().unwrap().push(Arrival {
        id,
        code,
        started,
        ended: Instant::now(),
    });
    axum::http::StatusCode::from_u16(code).expect("status code")
}

// ---------------------------------------------------------------------------
// The Data API, as the integrator reads its deliveries.

async fn access_token(http: &reqwest::Client, url: &str, creds: &Value) -> String {
    let auth: Value = http
        .post(format!("{url}/data/v1/auth"))
        .json(&json!({"accessKey": creds["apiKey"], "secretKey": creds["apiSecret"]}))
        .send()
        .await
        .expect("auth")
        .json()
        .await
        .expect("auth JSON");
    auth["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("no access token: {auth}"))
        .to_string()
}

/// Every message of `status`, through `GET /data/v1/webhooks/messages` page by page.
async fn list_messages(http: &reqwest::Client, url: &str, token: &str, status: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("status", status.to_string()), ("limit", "100".into())];
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let page: Value = http
            .get(format!("{url}/data/v1/webhooks/messages"))
            .bearer_auth(token)
            .query(&query)
            .send()
            .await
            .expect("list webhooks")
            .json()
            .await
            .expect("list JSON");
        out.extend(page["data"].as_array().expect("data").iter().cloned());
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

fn ids_of(messages: &[Value]) -> BTreeSet<String> {
    messages
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_string())
        .collect()
}

/// Creates `n` consents through `POST /data/v1/consents`: each writes a
/// `CONSENT_STATUS_CHANGED` message in the same transaction.
async fn consents_through_the_api(http: &reqwest::Client, url: &str, access: &str, n: usize) {
    let link: Value = http
        .post(format!("{url}/data/v1/links"))
        .bearer_auth(access)
        .json(&json!({"personalTaxId": "52998224725"}))
        .send()
        .await
        .expect("link")
        .json()
        .await
        .expect("link JSON");
    let link_token = link["linkToken"].as_str().expect("link token").to_string();
    for i in 0..n {
        let resp = http
            .post(format!("{url}/data/v1/consents"))
            .bearer_auth(&link_token)
            .json(&json!({"institutionCode": "itau", "externalTrackId": format!("api-{i}")}))
            .send()
            .await
            .expect("consent");
        assert_eq!(
            resp.status(),
            200,
            "{}",
            resp.text().await.unwrap_or_default()
        );
    }
}

/// Fails the test once `limit` has passed since `start`.
fn within(start: Instant, limit: Duration, what: &str) {
    assert!(
        start.elapsed() < limit,
        "gave up after {limit:?} waiting for {what}"
    );
}

// ---------------------------------------------------------------------------
// kill -9 with a thousand pending messages.

const SEEDED: usize = 1_100;
const THROUGH_THE_API: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_with_1000_pending_webhooks_delivers_every_one_after_a_restart() {
    let began = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    // Slow answers and some 500s, so that the kill lands with attempts in flight.
    let receiver = Receiver::start(Answers::EverySeventhFails, Duration::from_millis(100));
    let creds = create_client(dir.path(), &[], "Durable Inc", &receiver.url);
    receiver.set_secret(creds["webhookSecret"].as_str().expect("webhook secret"));
    let client_id = creds["clientId"].as_str().expect("client id").to_string();
    let database_url = format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display());
    let seeded = seed_queue(&database_url, &client_id, SEEDED).await;
    assert_eq!(seeded.len(), SEEDED);

    let vars = [
        ("PONTE_WEBHOOK_RETRY_SCHEDULE", "1s,1s,1s,1s,1s,1s,1s,1s"),
        // Its API consents share one link.
        ("PONTE_MAX_CONSENTS_PER_LINK", "1000"),
    ];
    let node = Node::start(dir.path(), &vars, "first");
    let http = reqwest::Client::new();
    let access = access_token(&http, &node.url, &creds).await;
    consents_through_the_api(&http, &node.url, &access, THROUGH_THE_API).await;

    // The receiver still holds every request: nothing is delivered yet, and
    // the queue is the whole set the test expects to see delivered.
    let expected = ids_of(&list_messages(&http, &node.url, &access, "pending").await);
    assert_eq!(
        expected.len(),
        SEEDED + THROUGH_THE_API,
        "the queue holds the seeded and the API's messages"
    );
    assert!(seeded.iter().all(|id| expected.contains(id)));

    receiver.open();
    let opened = Instant::now();
    while receiver.delivered().len() < 60 || receiver.in_flight() < 4 {
        within(opened, Duration::from_secs(60), "the first deliveries");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let in_flight_at_kill = receiver.in_flight();
    let answered_before_kill = receiver.delivered().len();
    node.kill_9();

    // The node died mid-delivery, a thousand messages still to go.
    let store = ponte_store::Store::open(&database_url)
        .await
        .expect("reopen");
    let (pending, leased): (i64, i64) = {
        let mut conn = store.read().await.expect("read");
        sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN locked_until > $1 THEN 1 ELSE 0 END), 0)
             FROM webhook_messages WHERE status = 'pending'",
        )
        .bind(now_ms())
        .fetch_one(&mut *conn)
        .await
        .expect("count")
    };
    store.close().await;
    assert!(
        pending >= 1_000,
        "killed with {pending} pending (1,000 wanted)"
    );
    assert!(leased > 0, "killed while holding claims");
    assert!(
        in_flight_at_kill > 0,
        "killed while attempts were in flight"
    );

    // A restart on the same data dir picks the queue up; the dead node's
    // claims come back when their 60 s lease lapses.
    let restarted_at = Instant::now();
    let node = Node::start(dir.path(), &vars, "second");
    let access = access_token(&http, &node.url, &creds).await;
    while !receiver.delivered().is_superset(&expected)
        || !list_messages(&http, &node.url, &access, "pending")
            .await
            .is_empty()
    {
        within(
            restarted_at,
            Duration::from_secs(100),
            "every message to be delivered after the restart",
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let delivered_at_receiver = receiver.delivered();
    let missing: Vec<_> = expected.difference(&delivered_at_receiver).collect();
    assert!(missing.is_empty(), "never answered 2xx: {missing:?}");
    let strangers: Vec<_> = delivered_at_receiver.difference(&expected).collect();
    assert!(strangers.is_empty(), "unknown webhook-ids: {strangers:?}");
    assert_eq!(receiver.bad_signatures(), 0, "every request was signed");

    let delivered = list_messages(&http, &node.url, &access, "delivered").await;
    assert_eq!(ids_of(&delivered), expected, "each message ends delivered");
    assert!(delivered.iter().all(|m| m["status"] == "delivered"));
    assert!(list_messages(&http, &node.url, &access, "dead")
        .await
        .is_empty());
    // The CLI agrees, while the node runs on the same database.
    let out = Command::new(PONTE)
        .args([
            "webhooks", "list", "--client", &client_id, "--status", "pending", "--json",
        ])
        .env("PONTE_DATA_DIR", dir.path())
        .env("PONTE_LOG", "warn")
        .output()
        .expect("ponte webhooks list");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).expect("CLI JSON");
    assert_eq!(listed["data"], json!([]), "nothing left pending");

    let arrivals = receiver.arrivals();
    let mut oks: HashMap<&str, usize> = HashMap::new();
    for a in arrivals.iter().filter(|a| a.code == 200) {
        *oks.entry(a.id.as_str()).or_default() += 1;
    }
    eprintln!(
        "kill -9 with {pending} pending ({leased} leased, {in_flight_at_kill} in flight, \
         {answered_before_kill} answered 2xx before): {} requests, {} answered 500, \
         {} messages answered 2xx more than once (at least once); \
         restart to all delivered {:?}; whole test {:?}",
        arrivals.len(),
        arrivals.iter().filter(|a| a.code == 500).count(),
        oks.values().filter(|n| **n > 1).count(),
        restarted_at.elapsed(),
        began.elapsed()
    );
}

// ---------------------------------------------------------------------------
// Two nodes on one PostgreSQL.

struct TwoNodes {
    receiver: Receiver,
    expected: BTreeSet<String>,
    database_url: String,
    /// Per node: (attempts answered 2xx, other attempts), from its `/metrics`.
    attempts: [(u64, u64); 2],
    logs: String,
    /// (message, attempt, status code) as the nodes recorded them.
    recorded: Vec<(String, i64, Option<i64>)>,
}

/// Seeds a backlog in a fresh PostgreSQL database, starts two nodes on it at
/// once (each with its own data dir), and lets them drain it.
async fn two_nodes_drain_one_queue(
    messages: usize,
    answers: Answers,
    delay: Duration,
) -> Option<TwoNodes> {
    use sqlx::Connection;
    let database_url = fresh_postgres_database().await?;
    let vars = [
        ("PONTE_DATABASE_URL", database_url.as_str()),
        ("PONTE_MASTER_KEY", MASTER_KEY),
        ("PONTE_WEBHOOK_RETRY_SCHEDULE", "1s,1s,1s"),
    ];
    let receiver = Receiver::start(answers, delay);
    let admin_dir = tempfile::tempdir().expect("temp dir");
    let creds = create_client(admin_dir.path(), &vars, "Durable Inc", &receiver.url);
    receiver.set_secret(creds["webhookSecret"].as_str().expect("webhook secret"));
    let client_id = creds["clientId"].as_str().expect("client id");
    let expected: BTreeSet<String> = seed_queue(&database_url, client_id, messages)
        .await
        .into_iter()
        .collect();

    // Both start together and race for the same backlog; the receiver holds
    // their first requests until both are up, so neither drains it alone.
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("temp dir"),
        tempfile::tempdir().expect("temp dir"),
    );
    let a = Node::spawn(dir_a.path(), &vars, "a");
    let b = Node::spawn(dir_b.path(), &vars, "b");
    let (a, b) = (a.listening(), b.listening());
    receiver.open();

    let mut db = sqlx::PgConnection::connect(&database_url)
        .await
        .expect("connect");
    let mut left = i64::MAX;
    let opened = Instant::now();
    while left > 0 || !receiver.delivered().is_superset(&expected) {
        assert!(
            opened.elapsed() < Duration::from_secs(90),
            "{left} messages still undelivered after 90 s\n{}\n{}",
            a.log_text(),
            b.log_text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        left =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_messages WHERE status <> 'delivered'")
                .fetch_one(&mut db)
                .await
                .expect("count");
    }
    // A duplicate sent late would still be on its way: give it time to land.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let mut attempts = [(0, 0); 2];
    for (i, node) in [&a, &b].into_iter().enumerate() {
        attempts[i] = (
            node.attempts_metric("delivered").await,
            node.attempts_metric("failed").await,
        );
    }
    let recorded: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT message_id, attempt, status_code FROM webhook_attempts ORDER BY message_id, attempt",
    )
    .fetch_all(&mut db)
    .await
    .expect("attempts");
    let logs = format!("{}{}", a.log_text(), b.log_text());
    Some(TwoNodes {
        receiver,
        expected,
        database_url,
        attempts,
        logs,
        recorded,
    })
}

fn arrivals_by_id(arrivals: &[Arrival]) -> BTreeMap<String, Vec<Arrival>> {
    let mut by_id: BTreeMap<String, Vec<Arrival>> = BTreeMap::new();
    for a in arrivals {
        by_id.entry(a.id.clone()).or_default().push(a.clone());
    }
    for list in by_id.values_mut() {
        list.sort_by_key(|a| a.started);
    }
    by_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgresql_send_each_webhook_once() {
    // Two thousand: every claim is a chance for the nodes to collide, and
    // with fewer a broken claim can slip through a run unseen.
    const MESSAGES: usize = 2_000;
    let Some(run) = two_nodes_drain_one_queue(MESSAGES, Answers::Ok, Duration::ZERO).await else {
        return;
    };
    let by_id = arrivals_by_id(&run.receiver.arrivals());
    assert_eq!(
        by_id.keys().cloned().collect::<BTreeSet<_>>(),
        run.expected,
        "every message arrived"
    );
    let twice: Vec<_> = by_id.iter().filter(|(_, a)| a.len() != 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(run.receiver.bad_signatures(), 0);

    let [(a_ok, a_failed), (b_ok, b_failed)] = run.attempts;
    assert!(
        a_ok > 0 && b_ok > 0,
        "both nodes delivered: {a_ok} and {b_ok}"
    );
    assert_eq!(
        (a_ok + b_ok, a_failed + b_failed),
        (MESSAGES as u64, 0),
        "one attempt per message across the nodes"
    );
    assert_eq!(run.recorded.len(), MESSAGES, "one recorded attempt each");
    assert!(run
        .recorded
        .iter()
        .all(|(_, n, code)| *n == 1 && *code == Some(200)));
    assert!(
        !run.logs.contains("raced with another dispatcher"),
        "no attempt was recorded twice:\n{}",
        run.logs
    );
    eprintln!(
        "{MESSAGES} messages on {}: node a delivered {a_ok}, node b {b_ok}",
        run.database_url
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgresql_never_overlap_attempts_of_a_retried_webhook() {
    const MESSAGES: usize = 1_000;
    let Some(run) = two_nodes_drain_one_queue(
        MESSAGES,
        Answers::FirstArrivalFails,
        Duration::from_millis(20),
    )
    .await
    else {
        return;
    };
    let by_id = arrivals_by_id(&run.receiver.arrivals());
    assert_eq!(
        by_id.keys().cloned().collect::<BTreeSet<_>>(),
        run.expected,
        "every message arrived"
    );
    for (id, arrivals) in &by_id {
        let codes: Vec<u16> = arrivals.iter().map(|a| a.code).collect();
        assert_eq!(
            codes,
            [500, 200],
            "{id}: one failed attempt, then one retry"
        );
        for pair in arrivals.windows(2) {
            assert!(
                pair[1].started >= pair[0].ended,
                "{id}: attempt sent while the previous one was still in flight: {arrivals:?}"
            );
        }
    }
    assert_eq!(run.receiver.bad_signatures(), 0);

    // The attempt numbers the nodes recorded match what the receiver saw:
    // 1 then 2 for every message, never one number twice.
    let mut recorded: BTreeMap<&str, Vec<(i64, Option<i64>)>> = BTreeMap::new();
    for (id, n, code) in &run.recorded {
        recorded.entry(id.as_str()).or_default().push((*n, *code));
    }
    assert_eq!(recorded.len(), MESSAGES);
    for (id, attempts) in &recorded {
        assert_eq!(
            attempts,
            &[(1, Some(500)), (2, Some(200))],
            "{id}: recorded attempts"
        );
    }

    let [(a_ok, a_failed), (b_ok, b_failed)] = run.attempts;
    assert!(
        a_ok + a_failed > 0 && b_ok + b_failed > 0,
        "both nodes attempted: {a_ok}+{a_failed} and {b_ok}+{b_failed}"
    );
    assert_eq!(
        (a_ok + b_ok, a_failed + b_failed),
        (MESSAGES as u64, MESSAGES as u64),
        "two attempts per message across the nodes"
    );
    assert!(
        !run.logs.contains("raced with another dispatcher"),
        "no attempt was recorded twice:\n{}",
        run.logs
    );
    eprintln!(
        "{MESSAGES} messages, 500 then 200: node a {a_ok} delivered + {a_failed} failed, \
         node b {b_ok} + {b_failed}"
    );
}
