//! The sandbox as its own process, and the directory that points Ponte at it.

use super::{Node, PONTE};
use std::path::{Path, PathBuf};

pub const SANDBOX_SECRET_VAR: &str = "PONTE_TEST_SANDBOX_CLIENT_SECRET";
pub const SANDBOX_SECRET: &str = "sandbox-client-secret-for-this-test-only";

/// `ponte sandbox serve` on a port of its own choosing, registered for a
/// Ponte at `ponte_url`, and the `PONTE_INSTITUTIONS` file
/// `ponte sandbox directory` prints for it (the secret stays in
/// `SANDBOX_SECRET_VAR`, which Ponte needs set too).
pub fn external_sandbox(dir: &Path, ponte_url: &str) -> (Node, PathBuf) {
    let callback = format!("{ponte_url}/callback/open-finance");
    let database = format!("sqlite://{}/sandbox.db?mode=rwc", dir.display());
    let args = [
        "sandbox",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        &database,
        "--client-id",
        "ponte-external",
        "--client-secret-env",
        SANDBOX_SECRET_VAR,
        "--redirect-uri",
        &callback,
    ];
    let vars = [(SANDBOX_SECRET_VAR, SANDBOX_SECRET)];
    let sandbox = Node::spawn_command(&args, dir, &vars, "sandbox")
        .listening_after("ponte sandbox listening on ");
    let out = std::process::Command::new(PONTE)
        .args(["sandbox", "directory", "--base-url", &sandbox.url])
        .args(["--client-id", "ponte-external"])
        .args(["--client-secret-env", SANDBOX_SECRET_VAR])
        .env("PONTE_LOG", "warn")
        .output()
        .expect("ponte sandbox directory");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let institutions = dir.join("institutions.toml");
    std::fs::write(&institutions, &out.stdout).expect("write the directory");
    (sandbox, institutions)
}
