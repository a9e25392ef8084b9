//! The one helper every integration test starts Ponte with: the real router
//! on a random loopback port, a temp data dir, and SQLite or PostgreSQL.
//!
//! `Db::Postgres` tests need `PONTE_TEST_POSTGRES_URL` (`.ci/run` starts a
//! server and sets it); each test gets a database of its own.

use ponte_server::clock::Clock;
use ponte_server::config::Config;
use ponte_server::services::clients::{self, NewCredentials};
use ponte_server::Server;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub mod browser;
pub mod browser_flow;
pub mod console;
pub mod demo;
pub mod documents;
pub mod injected;
pub mod server_api;
pub mod signatures;

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs a test body on both databases: `both!(name, |db| async move { … })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::support::Db::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::support::postgres_base().is_none() {
                    eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
                    return;
                }
                ($body)($crate::support::Db::Postgres).await
            }
        }
    };
}

pub fn postgres_base() -> Option<String> {
    let url = std::env::var("PONTE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("CI").is_ok() {
        panic!("CI must set PONTE_TEST_POSTGRES_URL so the suite runs on PostgreSQL too");
    }
    url
}

async fn fresh_postgres_url() -> String {
    let base = postgres_base().expect("PONTE_TEST_POSTGRES_URL");
    ponte_store::fresh_postgres_database(&base, "it")
        .await
        .expect("a database on the PostgreSQL test server")
}

pub struct TestServer {
    pub base: String,
    pub server: Option<Server>,
    pub dir: Arc<tempfile::TempDir>,
    pub database_url: String,
    pub clock: Clock,
    pub http: reqwest::Client,
    pub client: NewCredentials,
    /// The `Options::env` this server started with (a restart keeps it).
    pub env: Vec<(&'static str, String)>,
}

pub struct Options {
    pub retry_schedule: &'static str,
    pub webhook_url: Option<String>,
    /// `PONTE_ALLOW_PRIVATE_WEBHOOKS` (tests' receivers are on loopback).
    pub private_webhooks: bool,
    /// More `PONTE_*` variables, over the defaults above.
    pub env: Vec<(&'static str, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            retry_schedule: "1s,1s,1s",
            webhook_url: None,
            private_webhooks: true,
            env: Vec::new(),
        }
    }
}

pub async fn spawn(db: Db) -> TestServer {
    spawn_with(db, Options::default()).await
}

/// A server whose client's webhooks go to a receiver started for it.
pub async fn spawn_receiving(db: Db) -> (TestServer, Receiver) {
    let events = Receiver::start().await;
    let options = Options {
        webhook_url: Some(events.url.clone()),
        ..Default::default()
    };
    (spawn_with(db, options).await, events)
}

pub async fn spawn_with(db: Db, options: Options) -> TestServer {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let database_url = match db {
        Db::Sqlite => format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display()),
        Db::Postgres => fresh_postgres_url().await,
    };
    let seeded = seed_sandbox_identity(&database_url).await;
    let clock = Clock::default();
    let server = start(
        &dir,
        &database_url,
        options.retry_schedule,
        options.private_webhooks,
        clock.clone(),
        &options.env,
    )
    .await;
    if !seeded {
        keep_sandbox_identity(&server).await;
    }
    let new = clients::parse_new_client("Test client", options.webhook_url.as_deref(), None, false)
        .expect("valid client");
    let client = clients::create(&server.app, new)
        .await
        .expect("create client");
    TestServer {
        base: format!("http://{}", server.addr),
        server: Some(server),
        dir,
        database_url,
        clock,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // The server ends a keep-alive connection idle for its header timeout
            // (10 s): reusing one at that instant is a reset, not an answer.
            .pool_idle_timeout(std::time::Duration::from_secs(5))
            .build()
            .expect("http client"),
        client,
        env: options.env,
    }
}

/// Where this test binary keeps the sandbox's Open Finance identity (the CA,
/// Ponte's transport certificate, its signing and encryption keys: five RSA
/// keys), sealed as the database holds it, once its first server made it.
/// Named after the binary's build, so a rebuilt binary makes its own.
fn sandbox_identity_file() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let built = std::fs::metadata(&exe).ok()?.modified().ok()?;
    let stamp = built.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    let name = exe.file_name()?.to_string_lossy().into_owned();
    Some(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{stamp}.sandbox-identity")),
    )
}

/// Starts a fresh database with the identity an earlier server of this test
/// binary made, as a second node finds it. Nextest runs each test in a process
/// of its own, where the server's own reuse (`sandbox_pki::materialise`) does
/// not reach: the five key generations were most of a test server's start
/// (about 0.8 s of CPU of a simple test's 1.2). Tests of the first start itself (`fresh_nodes`,
/// `node`, and the `ponte` binary's) start without it. Whether it was seeded.
async fn seed_sandbox_identity(database_url: &str) -> bool {
    let Some(sealed) = sandbox_identity_file().and_then(|f| std::fs::read_to_string(f).ok()) else {
        return false;
    };
    let store = ponte_store::Store::open(database_url)
        .await
        .expect("the test database opens");
    let mut tx = store.begin().await.expect("a transaction");
    ponte_store::init_setting(
        &mut tx,
        ponte_server::services::sandbox_pki::SETTING,
        &sealed,
    )
    .await
    .expect("the sandbox identity stored");
    tx.commit().await.expect("committed");
    store.close().await;
    true
}

/// Keeps the identity `server` made for the next tests of this binary.
async fn keep_sandbox_identity(server: &Server) {
    let Some(file) = sandbox_identity_file() else {
        return;
    };
    if file.exists() {
        return;
    }
    let mut conn = server.app.store.read().await.expect("a connection");
    let Ok(Some(sealed)) =
        ponte_store::get_setting(&mut conn, ponte_server::services::sandbox_pki::SETTING).await
    else {
        return;
    };
    // Written whole, then renamed: a test reading it never sees half of it.
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, sealed).is_ok() && std::fs::rename(&tmp, &file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// `n` nodes on one fresh database and data dir, with no client created:
/// what several `ponte serve` processes see on their very first start.
pub async fn fresh_nodes(db: Db, n: usize) -> (Arc<tempfile::TempDir>, Vec<Server>) {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let database_url = match db {
        Db::Sqlite => format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display()),
        Db::Postgres => fresh_postgres_url().await,
    };
    let mut nodes = Vec::new();
    for _ in 0..n {
        nodes.push(start(&dir, &database_url, "1s", true, Clock::default(), &[]).await);
    }
    (dir, nodes)
}

/// A fresh database for `db` (SQLite in `dir`), for [`node`].
pub async fn fresh_database(db: Db, dir: &tempfile::TempDir) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display()),
        Db::Postgres => fresh_postgres_url().await,
    }
}

/// One `ponte serve` node on `dir` and `database_url`, with `env` over the
/// defaults (e.g. the `PONTE_PUBLIC_URL` several nodes share).
pub async fn node(
    dir: &tempfile::TempDir,
    database_url: &str,
    env: &[(&'static str, String)],
) -> Server {
    start(dir, database_url, "1s", true, Clock::default(), env).await
}

async fn start(
    dir: &tempfile::TempDir,
    database_url: &str,
    schedule: &str,
    private_webhooks: bool,
    clock: Clock,
    env: &[(&'static str, String)],
) -> Server {
    let mut vars = BTreeMap::new();
    vars.insert("PONTE_LISTEN".to_string(), "127.0.0.1:0".to_string());
    vars.insert(
        "PONTE_DATA_DIR".to_string(),
        dir.path().display().to_string(),
    );
    vars.insert("PONTE_DATABASE_URL".to_string(), database_url.to_string());
    vars.insert(
        "PONTE_WEBHOOK_RETRY_SCHEDULE".to_string(),
        schedule.to_string(),
    );
    vars.insert(
        "PONTE_ALLOW_PRIVATE_WEBHOOKS".to_string(),
        private_webhooks.to_string(),
    );
    vars.insert(
        "PONTE_MASTER_KEY".to_string(),
        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".to_string(),
    );
    for (name, value) in env {
        vars.insert(name.to_string(), value.clone());
    }
    let config = Config::from_map(&vars).expect("test config");
    Server::start(config, clock).await.expect("server starts")
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops this node and starts another on the same database and data dir
    /// (a new port: URLs handed out before point at the old one).
    pub async fn restart(&mut self, schedule: &'static str) {
        let private = self.app().config.allow_private_webhooks;
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
        let server = start(
            &self.dir,
            &self.database_url,
            schedule,
            private,
            self.clock.clone(),
            &self.env,
        )
        .await;
        self.base = format!("http://{}", server.addr);
        self.server = Some(server);
    }

    pub fn app(&self) -> &ponte_server::App {
        &self.server.as_ref().expect("running").app
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    pub async fn access_token_for(&self, creds: &NewCredentials) -> String {
        let (status, body) = self
            .post(
                "/data/v1/auth",
                None,
                json!({"accessKey": creds.api_key, "secretKey": creds.api_secret}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["accessToken"]
            .as_str()
            .expect("accessToken")
            .to_string()
    }

    pub async fn access_token(&self) -> String {
        self.access_token_for(&self.client).await
    }

    /// An access token of a second client, "Other", made now: for checking
    /// that one client never sees another's data.
    pub async fn another_client_access(&self) -> String {
        let new = clients::parse_new_client("Other", None, None, false).expect("valid client");
        let other = clients::create(self.app(), new)
            .await
            .expect("create client");
        self.access_token_for(&other).await
    }

    /// A link for a valid CPF; returns (linkId, linkToken).
    pub async fn link(&self, access: &str, extra: Value) -> (String, String) {
        let mut body = json!({"personalTaxId": "529.982.247-25", "email": "ana@example.com", "redirectUrl": "https://app.example.com/done"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let (status, body) = self.post("/data/v1/links", Some(access), body).await;
        assert_eq!(status, 200, "{body}");
        (
            body["linkId"].as_str().unwrap().to_string(),
            body["linkToken"].as_str().unwrap().to_string(),
        )
    }

    /// The first institution that is up.
    pub async fn institution(&self, link_token: &str) -> String {
        let (_, list) = self
            .get("/data/v1/links/institutions", Some(link_token))
            .await;
        list.as_array()
            .unwrap()
            .iter()
            .find(|i| i["isOutage"] == false)
            .expect("an institution up")["institutionCode"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Creates a consent; returns (consentId, consentRedirectUrl).
    pub async fn consent(&self, link_token: &str, extra: Value) -> (String, String) {
        let code = self.institution(link_token).await;
        let mut body = json!({"institutionCode": code, "externalTrackId": "track-1"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let (status, body) = self.post("/data/v1/consents", Some(link_token), body).await;
        assert_eq!(status, 200, "{body}");
        (
            body["consentId"].as_str().unwrap().to_string(),
            body["consentRedirectUrl"].as_str().unwrap().to_string(),
        )
    }

    pub async fn authorise(&self, token: &str, consent_id: &str, creds: Value) -> (u16, Value) {
        self.post(
            &format!("/sandbox/v1/consents/{consent_id}/authorise"),
            Some(token),
            creds,
        )
        .await
    }

    /// A new link with one consent that `user` (password `pass_good`)
    /// authorised at the sandbox bank; returns (linkId, consentId).
    pub async fn authorised(&self, access: &str, user: &str) -> (String, String) {
        let (link_id, link_token) = self.link(access, json!({})).await;
        let (consent_id, _) = self.consent(&link_token, json!({})).await;
        let (status, body) = self
            .authorise(
                &link_token,
                &consent_id,
                json!({"username": user, "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("AUTHORISED")),
            "{body}"
        );
        (link_id, consent_id)
    }
}

/// One request the receiver got: its headers and body.
pub type Delivery = (BTreeMap<String, String>, String);

/// A local webhook receiver: records every request; answers with the
/// statuses queued in `answers` (then 200).
#[derive(Clone, Default)]
pub struct Receiver {
    pub received: Arc<Mutex<Vec<Delivery>>>,
    pub answers: Arc<Mutex<Vec<u16>>>,
    pub url: String,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind receiver");
        let addr = listener.local_addr().expect("addr");
        Receiver::serve(listener, format!("http://{addr}/hook"))
    }

    pub fn serve(listener: tokio::net::TcpListener, url: String) -> Receiver {
        let r = Receiver {
            url,
            ..Default::default()
        };
        let state = r.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let state = state.clone();
                async move {
                    let h = headers
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                        .collect();
                    state.received.lock().unwrap().push((h, body));
                    let mut answers = state.answers.lock().unwrap();
                    let code = if answers.is_empty() {
                        200
                    } else {
                        answers.remove(0)
                    };
                    axum::http::StatusCode::from_u16(code).unwrap()
                }
            }),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        r
    }

    pub fn bodies(&self) -> Vec<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| serde_json::from_str(b).unwrap())
            .collect()
    }

    /// Waits until `pred` holds for the received bodies, or fails the test.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        for _ in 0..600 {
            let bodies = self.bodies();
            if pred(&bodies) {
                return bodies;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting for {what}; received {:?}", self.bodies());
    }
}
