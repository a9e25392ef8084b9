//! The real `ponte` binary: first start, the sandbox credentials, and client
//! management while a server runs on the same database.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::support;

use support::fresh_postgres_database;

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

struct Running {
    child: Child,
    url: String,
    banner: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &std::path::Path) -> Running {
    serve_with(dir, &[])
}

/// `ponte serve` on a free port with extra variables; returns once it listens.
fn serve_with(dir: &std::path::Path, vars: &[(&str, &str)]) -> Running {
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
    let mut banner = String::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("ponte prints its address").unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if let Some(url) = line.strip_prefix("ponte listening on ") {
            break url.trim().to_string();
        }
    };
    Running { child, url, banner }
}

fn ponte(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    ponte_with(dir, &[], args)
}

fn ponte_with(
    dir: &std::path::Path,
    vars: &[(&str, &str)],
    args: &[&str],
) -> (bool, String, String) {
    let out = Command::new(PONTE)
        .args(args)
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn auth(url: &str, key: &str, secret: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{url}/data/v1/auth"))
        .json(&json!({"accessKey": key, "secretKey": secret}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn first_start_and_client_management_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());
    let file = dir.path().join("sandbox-client.json");
    assert!(
        server.banner.contains("apiSecret")
            && server.banner.contains("/demo")
            && server.banner.contains("/docs"),
        "{}",
        server.banner
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let sandbox: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        auth(
            &server.url,
            sandbox["apiKey"].as_str().unwrap(),
            sandbox["apiSecret"].as_str().unwrap()
        )
        .await,
        200
    );
    assert!(server
        .banner
        .contains(sandbox["apiSecret"].as_str().unwrap()));

    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "clients",
            "create",
            "--name",
            "Acme",
            "--webhook-url",
            "https://hooks.example.com/x",
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let created: Value = serde_json::from_str(&out).unwrap();
    for field in ["clientId", "apiKey", "apiSecret", "webhookSecret"] {
        assert!(created[field].is_string(), "{field} in {out}");
    }
    assert!(created["webhookSecret"]
        .as_str()
        .unwrap()
        .starts_with("whsec_"));
    let (key, old) = (
        created["apiKey"].as_str().unwrap(),
        created["apiSecret"].as_str().unwrap(),
    );
    assert_eq!(
        auth(&server.url, key, old).await,
        200,
        "a client made by the CLI works on the running server"
    );

    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "clients",
            "rotate-secret",
            "--client",
            created["clientId"].as_str().unwrap(),
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let rotated: Value = serde_json::from_str(&out).unwrap();
    let new = rotated["apiSecret"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(auth(&server.url, key, new).await, 200);
    assert_eq!(
        auth(&server.url, key, old).await,
        200,
        "the old secret works during its 24-hour grace"
    );

    let (ok, _, err) = ponte(
        dir.path(),
        &[
            "clients",
            "create",
            "--name",
            "Bad",
            "--webhook-url",
            "ftp://x",
            "--json",
        ],
    );
    assert!(!ok && err.contains("--webhook-url"), "{err}");
    let (ok, _, err) = ponte(
        dir.path(),
        &["clients", "rotate-secret", "--client", "nobody", "--json"],
    );
    assert!(!ok && err.contains("--client"), "{err}");

    // Both lists print the same kind of table, or JSON with --json.
    let id = created["clientId"].as_str().unwrap();
    let (ok, out, err) = ponte(dir.path(), &["clients", "list"]);
    assert!(ok, "{err}");
    let header = out.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("CLIENT ID") && out.contains("Acme"),
        "{out}"
    );
    let (ok, out, err) = ponte(dir.path(), &["clients", "list", "--json"]);
    assert!(ok, "{err}");
    let listed: Value = serde_json::from_str(&out).unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["clientId"] == id));
    let (ok, out, err) = ponte(dir.path(), &["webhooks", "list", "--client-id", id]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "no messages");
    let (ok, out, err) = ponte(
        dir.path(),
        &["webhooks", "list", "--client-id", id, "--json"],
    );
    assert!(ok, "{err}");
    let page: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(page["data"], json!([]), "{out}");

    // The webhook secret rotates from the command line: a new whsec_, the old
    // one still signing until the printed time.
    let id = created["clientId"].as_str().unwrap();
    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "clients",
            "rotate-webhook-secret",
            "--client-id",
            id,
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let rotated: Value = serde_json::from_str(&out).unwrap();
    let secret = rotated["webhookSecret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_") && secret != created["webhookSecret"].as_str().unwrap());
    assert!(rotated["previousSecretExpiresAt"].is_string(), "{out}");
    let (ok, _, err) = ponte(
        dir.path(),
        &["clients", "rotate-webhook-secret", "--client-id", "nobody"],
    );
    assert!(!ok && err.contains("--client-id"), "{err}");
    let (ok, _, err) = ponte(
        dir.path(),
        &[
            "webhooks",
            "enable-endpoint",
            "--client-id",
            id,
            "--url",
            "hooks",
        ],
    );
    assert!(!ok && err.contains("--url"), "{err}");
    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "webhooks",
            "enable-endpoint",
            "--client-id",
            id,
            "--url",
            "https://hooks.example.com/x",
        ],
    );
    assert!(ok && out.contains("enabled"), "{out}{err}");

    // A second start on the same data dir creates no second sandbox client.
    drop(server);
    let again = serve(dir.path());
    assert!(!again.banner.contains("apiSecret"), "{}", again.banner);
}

#[test]
fn a_bad_setting_stops_the_start_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_DATA_DIR", dir.path())
        .env("PONTE_SANDBOX", "maybe")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PONTE_SANDBOX"));
    let out = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_DATA_DIR", dir.path())
        .env("PONTE_LISTEN", "nowhere")
        .output()
        .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("PONTE_LISTEN"));

    // The same checks apply to ponte.toml.
    std::fs::write(dir.path().join("ponte.toml"), "sandbox = \"maybe\"\n").unwrap();
    let out = Command::new(PONTE)
        .arg("serve")
        .current_dir(dir.path())
        .env("PONTE_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("PONTE_SANDBOX"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A local webhook receiver on a plain thread: collects bodies.
fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Value>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = Vec::new();
            let mut chunk = [0u8; 65536];
            // Read headers, then the body by Content-Length.
            loop {
                let n = stream.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        if let Ok(v) = serde_json::from_slice::<Value>(&buf[end + 4..end + 4 + len])
                        {
                            sink.lock().unwrap().push(v);
                        }
                        break;
                    }
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, got)
}

fn serve_on(dir: &std::path::Path, port: u16) -> Running {
    let mut child = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_LISTEN", format!("127.0.0.1:{port}"))
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ponte starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("ponte prints its address").unwrap();
        if let Some(url) = line.strip_prefix("ponte listening on ") {
            break url.trim().to_string();
        }
    };
    Running {
        child,
        url,
        banner: String::new(),
    }
}

#[tokio::test]
async fn a_retrieval_killed_with_sigkill_is_finished_after_a_restart_and_delivered_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (hook, got) = receiver();
    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "--init",
            "clients",
            "create",
            "--name",
            "Acme",
            "--webhook-url",
            &hook,
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let creds: Value = serde_json::from_str(&out).unwrap();
    let mut server = serve_on(dir.path(), port);
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, token: Option<String>, body: Value| {
        let http = http.clone();
        let url = format!("http://127.0.0.1:{port}{path}");
        async move {
            let mut req = http.request(method, url).json(&body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req.send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let post = reqwest::Method::POST;
    let auth = call(
        post.clone(),
        "/data/v1/auth".into(),
        None,
        json!({"accessKey": creds["apiKey"], "secretKey": creds["apiSecret"]}),
    )
    .await;
    let access = auth["accessToken"].as_str().unwrap().to_string();
    let link = call(
        post.clone(),
        "/data/v1/links".into(),
        Some(access.clone()),
        json!({"personalTaxId": "52998224725"}),
    )
    .await;
    let link_token = link["linkToken"].as_str().unwrap().to_string();
    let consent = call(
        post.clone(),
        "/data/v1/consents".into(),
        Some(link_token.clone()),
        json!({"institutionCode": "itau"}),
    )
    .await;
    let consent_id = consent["consentId"].as_str().unwrap().to_string();
    let done = call(
        post.clone(),
        format!("/sandbox/v1/consents/{consent_id}/authorise"),
        Some(link_token),
        json!({"username": "user_big", "password": "pass_good"}),
    )
    .await;
    assert_eq!(done["status"], "AUTHORISED");
    let req = call(post.clone(), "/data/personal/institution-data".into(), Some(access), json!({"taxId": "52998224725", "linkId": link["linkId"], "consentId": [consent_id], "products": ["accounts"]})).await;
    assert_eq!(req["message"], "ok", "{req}");

    // Five years of history take a while: kill the node in the middle of it.
    std::thread::sleep(std::time::Duration::from_millis(700));
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    assert!(
        got.lock()
            .unwrap()
            .iter()
            .all(|e| e["event"] != "REPORT_READY"),
        "killed before the report"
    );
    drop(server);

    let _again = serve_on(dir.path(), port);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(150);
    loop {
        let reports: Vec<Value> = got
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == "REPORT_READY")
            .cloned()
            .collect();
        if !reports.is_empty() {
            assert_eq!(reports[0]["status"], "SUCCESS", "{}", reports[0]);
            assert!(reports[0]["summary"]["transactions"].as_u64().unwrap() >= 20_000);
            std::thread::sleep(std::time::Duration::from_secs(2));
            let count = got
                .lock()
                .unwrap()
                .iter()
                .filter(|e| e["event"] == "REPORT_READY")
                .count();
            assert_eq!(count, 1, "delivered once");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the interrupted retrieval never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

#[tokio::test]
async fn serve_and_clients_on_postgresql_with_two_nodes() {
    let Some(database_url) = fresh_postgres_database().await else {
        return;
    };
    let master_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let vars = [
        ("PONTE_DATABASE_URL", database_url.as_str()),
        ("PONTE_MASTER_KEY", master_key),
    ];
    // Two nodes with data dirs of their own: they share only the database.
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = serve_with(dir_a.path(), &vars);
    assert!(a.banner.contains("apiSecret"), "{}", a.banner);
    let sandbox: Value = serde_json::from_str(
        &std::fs::read_to_string(dir_a.path().join("sandbox-client.json")).unwrap(),
    )
    .unwrap();
    let b = serve_with(dir_b.path(), &vars);
    assert!(
        !b.banner.contains("apiSecret"),
        "the second node makes no second sandbox client: {}",
        b.banner
    );
    assert!(
        !dir_b.path().join("ponte.db").exists(),
        "nothing went to SQLite"
    );

    let (ok, out, err) = ponte_with(
        tempfile::tempdir().unwrap().path(),
        &vars,
        &[
            "clients",
            "create",
            "--name",
            "Acme PG",
            "--webhook-url",
            "https://hooks.example.com/x",
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let created: Value = serde_json::from_str(&out).unwrap();
    assert!(created["webhookSecret"]
        .as_str()
        .unwrap()
        .starts_with("whsec_"));
    let creds = [
        (
            sandbox["apiKey"].as_str().unwrap(),
            sandbox["apiSecret"].as_str().unwrap(),
        ),
        (
            created["apiKey"].as_str().unwrap(),
            created["apiSecret"].as_str().unwrap(),
        ),
    ];
    for node in [&a.url, &b.url] {
        for (key, secret) in creds {
            assert_eq!(auth(node, key, secret).await, 200, "{key} at {node}");
        }
        assert_eq!(auth(node, creds[1].0, "sk_wrong").await, 401);
    }

    // A token issued by one node is honoured by the other.
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/data/v1/auth", a.url))
        .json(&json!({"accessKey": creds[1].0, "secretKey": creds[1].1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = http
        .post(format!("{}/data/v1/links", b.url))
        .bearer_auth(token["accessToken"].as_str().unwrap())
        .json(&json!({"personalTaxId": "52998224725"}))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 200);

    // The rows are in PostgreSQL.
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&database_url).await.unwrap();
    let names: Vec<(String,)> = sqlx::query_as("SELECT name FROM clients ORDER BY created_at")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert!(names.iter().any(|(n,)| n == "Acme PG"), "{names:?}");
}

/// Peak resident memory of a process, from /proc (Linux), in MiB.
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/pid/status");
    kb / 1024
}

// Five years of history (user_big, 20,000+ transactions) for accounts and
// insights at once: the reports are written as the pages arrive, so the
// whole node, sandbox bank included, stays far below what holding the
// history as JSON values took (230 MiB before; about 75 MiB now, reports
// being deflated before they are sealed).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_five_year_history_is_retrieved_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());
    let sandbox: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("sandbox-client.json")).unwrap(),
    )
    .unwrap();
    let http = reqwest::Client::new();
    let url = server.url.clone();
    let call = |path: &str, token: Option<&str>, body: Option<Value>| {
        let mut req = match &body {
            Some(b) => http.post(format!("{url}{path}")).json(b),
            None => http.get(format!("{url}{path}")),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let auth = call(
        "/data/v1/auth",
        None,
        Some(json!({"accessKey": sandbox["apiKey"], "secretKey": sandbox["apiSecret"]})),
    )
    .await;
    let access = auth["accessToken"].as_str().unwrap().to_string();
    let link = call(
        "/data/v1/links",
        Some(&access),
        Some(json!({"personalTaxId": "52998224725"})),
    )
    .await;
    let link_token = link["linkToken"].as_str().unwrap().to_string();
    let consent = call(
        "/data/v1/consents",
        Some(&link_token),
        Some(json!({"institutionCode": "itau"})),
    )
    .await;
    let consent_id = consent["consentId"].as_str().unwrap().to_string();
    let done = call(
        &format!("/sandbox/v1/consents/{consent_id}/authorise"),
        Some(&link_token),
        Some(json!({"username": "user_big", "password": "pass_good"})),
    )
    .await;
    assert_eq!(done["status"], "AUTHORISED", "{done}");
    let started = peak_mib(server.child.id());
    let req = call(
        "/data/personal/institution-data",
        Some(&access),
        Some(json!({"taxId": "52998224725", "linkId": link["linkId"], "consentId": [consent_id], "products": ["accounts", "insights"]})),
    )
    .await;
    let request_id = req["requestId"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let view = loop {
        let view = call(
            &format!("/data/v1/requests/{request_id}"),
            Some(&access),
            None,
        )
        .await;
        if view["status"] == "COMPLETED" {
            break view;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never completed: {view}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    let peak = peak_mib(server.child.id());
    let accounts = view["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"] == "accounts")
        .unwrap()
        .clone();
    assert_eq!(accounts["status"], "SUCCESS", "{view}");
    let report = call(
        &format!(
            "/data/v1/reports/{}",
            accounts["reportId"].as_str().unwrap()
        ),
        Some(&access),
        None,
    )
    .await;
    let transactions: usize = report["data"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["transactions"].as_array().unwrap().len())
        .sum();
    assert!(transactions >= 20_000, "{transactions} transactions");
    eprintln!("peak resident memory: {started} MiB before, {peak} MiB after retrieving {transactions} transactions twice");
    assert!(
        peak < 128,
        "peak resident memory {peak} MiB for a five-year history"
    );
}
