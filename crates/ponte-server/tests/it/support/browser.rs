//! What the headless-Chromium journeys need, shared by every `*browser*.rs`
//! test: where the repository is, and whether Chromium, node and
//! playwright-core are here (CI must have them; elsewhere the journeys skip).

use std::path::{Path, PathBuf};

pub const CHROMIUM: &str = "/usr/bin/chromium";

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
