//! `ponte sandbox serve` keeps its data directory to its owner: the folder
//! 0700, the database and SQLite's side files 0600.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_standalone_sandbox_data_dir_is_private() {
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("sandbox-data");
    let mut child = Command::new(PONTE)
        .args([
            "sandbox",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().expect("UTF-8 path"),
            "--client-id",
            "ponte-external",
            "--client-secret-env",
            "PONTE_TEST_SANDBOX_FILES_SECRET",
            "--redirect-uri",
            "http://127.0.0.1:1/callback/open-finance",
        ])
        .env(
            "PONTE_TEST_SANDBOX_FILES_SECRET",
            "sandbox-secret-for-this-test",
        )
        .env("PONTE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("ponte starts");
    let stdout = child.stdout.take().expect("stdout");
    let listening = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("ponte sandbox listening on "));
    let files: Vec<_> = std::fs::read_dir(&data)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(listening, "the sandbox started");
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert!(files.iter().any(|f| f.ends_with("sandbox.db")), "{files:?}");
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
}
