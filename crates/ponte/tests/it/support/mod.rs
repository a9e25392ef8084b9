//! The real `ponte` binary, started as an operator would.

mod documents;
mod node;
mod outbox;
mod receiver;
mod sandbox;
mod signatures;
pub use documents::*;
pub use node::*;
pub use outbox::*;
pub use receiver::*;
pub use sandbox::*;
pub use signatures::*;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// A `ponte serve` that a failing test does not leave behind.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ponte serve` and returns it with the address it listens on.
pub fn serve(dir: &std::path::Path, database_url: &str, env: &[(&str, &str)]) -> (Running, String) {
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

/// Runs `ponte <args>` on the same data dir and database; (success, stdout, stderr).
pub fn ponte(dir: &std::path::Path, database_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ponte"))
        .args(args)
        .env_clear()
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_DATABASE_URL", database_url)
        .env("PONTE_MASTER_KEY", MASTER_KEY)
        .env("PONTE_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The database a test runs on: SQLite in `dir`, or a fresh PostgreSQL
/// database when `postgres` (None when PONTE_TEST_POSTGRES_URL is unset).
pub fn database(dir: &std::path::Path, postgres: bool) -> Option<String> {
    if !postgres {
        return Some(format!("sqlite://{}/ponte.db?mode=rwc", dir.display()));
    }
    let base = postgres_base()?;
    Some(
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(fresh_postgres(&base)),
    )
}

/// The PostgreSQL server `PONTE_TEST_POSTGRES_URL` names; None (the
/// PostgreSQL run is skipped, saying so) when it is unset, which CI forbids.
pub fn postgres_base() -> Option<String> {
    let base = std::env::var("PONTE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if base.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must set PONTE_TEST_POSTGRES_URL so the binary is tested on PostgreSQL too"
        );
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
    }
    base
}

pub async fn fresh_postgres(base: &str) -> String {
    ponte_store::fresh_postgres_database(base, "serve")
        .await
        .expect("a database on the PostgreSQL test server")
}
