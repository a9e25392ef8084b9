//! A `ponte serve` node that a test can kill with SIGKILL and restart on the
//! same database, and the operator's CLI calls around it.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

/// A running `ponte serve`; killed (SIGKILL) when dropped.
pub struct Node {
    pub child: Child,
    /// `http://host:port`, once `listening` has read the banner.
    pub url: String,
    log: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    /// Starts `ponte serve` on a free loopback port (unless `vars` names a
    /// `PONTE_LISTEN`), its stderr in `<dir>/<name>.log`; call `listening`
    /// for its URL.
    pub fn spawn(dir: &Path, vars: &[(&str, &str)], name: &str) -> Node {
        Node::spawn_command(&["serve"], dir, vars, name)
    }

    /// Starts `ponte <args…>` (e.g. `sandbox serve …`) the same way.
    pub fn spawn_command(args: &[&str], dir: &Path, vars: &[(&str, &str)], name: &str) -> Node {
        let log = dir.join(format!("{name}.log"));
        let child = Command::new(PONTE)
            .args(args)
            .env("PONTE_LISTEN", "127.0.0.1:0")
            .env("PONTE_DATA_DIR", dir)
            .env("PONTE_LOG", "warn")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("ponte starts");
        Node {
            child,
            url: String::new(),
            log,
        }
    }

    /// Waits for the address banner. stdout stays drained afterwards.
    pub fn listening(self) -> Node {
        self.listening_after("ponte listening on ")
    }

    /// Waits for the line `<banner><url>`.
    pub fn listening_after(mut self, banner: &str) -> Node {
        let mut lines = BufReader::new(self.child.stdout.take().expect("stdout")).lines();
        self.url = loop {
            let line = match lines.next() {
                Some(Ok(line)) => line,
                _ => panic!("ponte exited before listening: {}", self.log_text()),
            };
            if let Some(url) = line.strip_prefix(banner) {
                break url.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        self
    }

    pub fn start(dir: &Path, vars: &[(&str, &str)], name: &str) -> Node {
        Node::spawn(dir, vars, name).listening()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, as `kill -9` would: no graceful stop, no draining.
    pub fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// `ponte_webhook_attempts_total{result=…}` from this node's `/metrics`.
    pub async fn attempts_metric(&self, result: &str) -> u64 {
        let text = reqwest::get(format!("{}/metrics", self.url))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        let label = format!("result=\"{result}\"");
        text.lines()
            .filter(|l| l.starts_with("ponte_webhook_attempts_total{") && l.contains(&label))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .map(|v| v as u64)
            .sum()
    }
}

/// `ponte --init clients create` with a webhook URL, before any `serve` (nothing
/// exists yet); returns its JSON (ids and secrets).
pub fn create_client(dir: &Path, vars: &[(&str, &str)], name: &str, webhook_url: &str) -> Value {
    let out = Command::new(PONTE)
        .args([
            "--init",
            "clients",
            "create",
            "--name",
            name,
            "--webhook-url",
            webhook_url,
            "--json",
        ])
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ponte clients create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("client JSON")
}

/// A loopback port free right now, for a node that must keep its address
/// across a restart.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A fresh database on the PostgreSQL server `PONTE_TEST_POSTGRES_URL`
/// names, or None (the PostgreSQL run is skipped) when it is unset.
pub async fn fresh_postgres_database() -> Option<String> {
    Some(super::fresh_postgres(&super::postgres_base()?).await)
}

/// The SQLite database in `dir` a node uses by default.
pub fn sqlite_in(dir: &Path) -> String {
    format!("sqlite://{}/ponte.db?mode=rwc", dir.display())
}
