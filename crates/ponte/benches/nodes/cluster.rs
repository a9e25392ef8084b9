//! The three `ponte serve` processes: one fresh PostgreSQL database, one
//! fresh bucket, the same master key and public URL (the proxy's), a data
//! dir each (each node's own mTLS listener certificate lives there).

use serde_json::Value;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");
const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

pub struct Node {
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl Node {
    /// SIGKILL, as a crashed machine: no drain, no lease given back.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What every node and CLI command shares.
pub struct Cluster {
    pub env: Vec<(&'static str, String)>,
    pub bucket: String,
}

pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// A new database on the server `base` names; its URL.
pub async fn fresh_postgres(base: &str) -> String {
    ponte_store::fresh_postgres_database(base, "bench_nodes")
        .await
        .expect("a database on PONTE_BENCH_POSTGRES_URL's server")
}

/// A new bucket at the S3-compatible `endpoint` (moto takes unsigned requests).
pub async fn fresh_bucket(endpoint: &str) -> String {
    let bucket = format!("ponte-nodes-{}", uuid::Uuid::new_v4().simple());
    let resp = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("S3 endpoint answers");
    assert!(
        resp.status().is_success(),
        "create bucket: {}",
        resp.status()
    );
    bucket
}

impl Cluster {
    pub fn new(database: &str, endpoint: &str, bucket: String, public: SocketAddr) -> Cluster {
        let env = vec![
            ("PONTE_DATABASE_URL", database.to_string()),
            ("PONTE_PUBLIC_URL", format!("http://{public}")),
            ("PONTE_MASTER_KEY", MASTER_KEY.to_string()),
            ("PONTE_LOG", "warn".to_string()),
            ("PONTE_RATE_LIMIT", "off".to_string()),
            ("PONTE_ALLOW_PRIVATE_WEBHOOKS", "true".to_string()),
            ("PONTE_STORAGE_URL", format!("s3://{bucket}")),
            ("AWS_ENDPOINT_URL", endpoint.to_string()),
            ("AWS_ACCESS_KEY_ID", "test".to_string()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_string()),
            ("AWS_REGION", "us-east-1".to_string()),
        ];
        Cluster { env, bucket }
    }

    /// `ponte clients create --init` with `hook` as its webhook URL; its credentials.
    pub fn create_client(&self, hook: &str) -> Value {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new(PONTE)
            .args(["clients", "create", "--init", "--name", "bench-nodes"])
            .args(["--webhook-url", hook, "--json"])
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("PONTE_DATA_DIR", dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("ponte runs");
        assert!(
            out.status.success(),
            "clients create: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("client JSON")
    }

    /// Starts `ponte serve` on `addr` and waits for its `/healthz`.
    pub async fn start(&self, addr: SocketAddr) -> Node {
        let dir = tempfile::tempdir().expect("temp dir");
        let child = Command::new(PONTE)
            .arg("serve")
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("PONTE_DATA_DIR", dir.path())
            .env("PONTE_LISTEN", addr.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ponte serve starts");
        let node = Node {
            child: Some(child),
            _dir: dir,
        };
        let http = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ok = http
                .get(format!("http://{addr}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ok {
                return node;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "ponte serve on {addr} did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
