//! What the headless-Chromium journeys need, shared by every `*browser*.rs`
//! test: where the repository is, and whether Chromium, node and
//! playwright-core are here (CI must have them; elsewhere the journeys skip).

use std::path::{Path, PathBuf};
use std::time::Duration;

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A hang guard, not a timing assertion: a stuck browser fails the test
/// instead of holding CI forever.
const JOURNEYS_AT_MOST: Duration = Duration::from_secs(900);

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether the browser journeys named by `what` can run here.
pub fn browser_available(what: &str) -> bool {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        missing.push("node".to_string());
    }
    if !repo_root()
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        missing.push("tests/browser/node_modules (npm ci in tests/browser)".to_string());
    }
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the browser tests; missing: {}",
        missing.join(", ")
    );
    eprintln!("skipping {what}; missing: {}", missing.join(", "));
    false
}

/// Runs `node tests/browser/<script> <args…>` from the repository root
/// (screenshots under `target/browser-screenshots`), prints what it said,
/// and fails the test unless it exited 0; `what` names the run in the
/// failure when one script runs several times.
pub async fn journeys<I, S>(script: &str, args: I, what: &str)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let root = repo_root();
    let run = tokio::process::Command::new("node")
        .arg(root.join("tests/browser").join(script))
        .args(args)
        .current_dir(&root)
        .env("PONTE_SCREENSHOTS", root.join("target/browser-screenshots"))
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(JOURNEYS_AT_MOST, run)
        .await
        .unwrap_or_else(|_| panic!("{script} ({what}) still running after {JOURNEYS_AT_MOST:?}"))
        .expect("start node");
    println!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "{script} ({what}) failed: {}",
        out.status
    );
}
