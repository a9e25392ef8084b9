//! What the benches that run the release `ponte serve` as its own process
//! share (`flow`, `memory`): the binary, the server's child process, a free
//! port, a fresh PostgreSQL database and a JSON POST that must succeed.

use serde_json::Value;
use std::process::Child;

pub const PONTE: &str = env!("CARGO_BIN_EXE_ponte");
pub const MASTER_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
pub const CPF: &str = "52998224725";

/// `ponte serve`, killed when dropped.
pub struct Serve(pub Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A new empty database named `{prefix}_…` on the server `base` names.
pub async fn fresh_postgres(base: &str, prefix: &str) -> String {
    ponte_store::fresh_postgres_database(base, prefix)
        .await
        .expect("a database on PONTE_BENCH_POSTGRES_URL's server")
}

pub async fn post_json(http: &reqwest::Client, url: &str, token: &str, body: Value) -> Value {
    let resp = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let value: Value = resp.json().await.expect("JSON answer");
    assert!(status.is_success(), "POST {url}: {status} {value}");
    value
}
