//! `ponte serve` as an operator runs it: the real binary, stopped by SIGTERM.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// A `ponte serve` that a failing test does not leave behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ponte serve` and returns it with the address it listens on.
fn serve(dir: &std::path::Path, database_url: &str, env: &[(&str, &str)]) -> (Running, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ponte"));
    cmd.arg("serve")
        .env_clear()
        .env("PONTE_LISTEN", "127.0.0.1:0")
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_DATABASE_URL", database_url)
        .env("PONTE_MASTER_KEY", MASTER_KEY)
        .env("PONTE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = Running(cmd.spawn().expect("ponte starts"));
    let stdout = child.0.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("ponte listening on http://") {
                let _ = tx.send(url.trim().to_string());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("ponte says where it listens");
    (child, addr)
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits for the process to exit, at most `limit`; the time it took.
fn exit_within(child: &mut Child, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "ponte exited with {status}");
            return started.elapsed();
        }
        if started.elapsed() > limit {
            panic!("ponte still running {limit:?} after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stops_within_the_drain_time_whatever_clients_hold_open(
    database_url: &str,
    dir: &std::path::Path,
) {
    // Header and request timeouts far beyond the test's patience: only the
    // drain can end the held connections.
    let (mut child, addr) = serve(
        dir,
        database_url,
        &[
            ("PONTE_DRAIN_TIMEOUT", "1s"),
            ("PONTE_HEADER_TIMEOUT", "10m"),
            ("PONTE_REQUEST_TIMEOUT", "10m"),
        ],
    );
    // One client stalls halfway through its headers, another halfway
    // through its body, a third sits on an idle keep-alive connection.
    let mut in_headers = TcpStream::connect(&addr).expect("connect");
    in_headers
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .expect("write");
    let mut in_body = TcpStream::connect(&addr).expect("connect");
    in_body
        .write_all(b"POST /data/v1/auth HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .expect("write");
    let mut idle = TcpStream::connect(&addr).expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("write");
    let mut answer = [0u8; 12];
    std::io::Read::read_exact(&mut idle, &mut answer).expect("an answer");
    assert_eq!(&answer, b"HTTP/1.1 200");

    sigterm(&child.0);
    // The drain is 1 s; the bound only has to be far below the 10 minutes
    // the held connections would otherwise last (a busy machine is slow).
    exit_within(&mut child.0, Duration::from_secs(60));
    drop((in_headers, in_body, idle));
}

#[test]
fn sigterm_stops_within_the_drain_time_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/ponte.db?mode=rwc", dir.path().display());
    stops_within_the_drain_time_whatever_clients_hold_open(&url, dir.path());
}

#[test]
fn sigterm_stops_within_the_drain_time_on_postgres() {
    let Some(base) = std::env::var("PONTE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must set PONTE_TEST_POSTGRES_URL"
        );
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return;
    };
    let url = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(fresh_postgres(&base));
    let dir = tempfile::tempdir().expect("temp dir");
    stops_within_the_drain_time_whatever_clients_hold_open(&url, dir.path());
}

async fn fresh_postgres(base: &str) -> String {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let name = format!("serve_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(base)
        .await
        .expect("connect to the PostgreSQL test server");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let (head, _) = base.rsplit_once('/').expect("URL with a database name");
    format!("{head}/{name}")
}
