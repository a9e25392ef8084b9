//! `ponte sandbox serve` keeps its data directory to its owner: the folders
//! 0700, the database, SQLite's side files, the directory's CA and keys and
//! Ponte's credentials 0600.

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
    let files = tree(&data);
    let _ = child.kill();
    let _ = child.wait();
    assert!(listening, "the sandbox started");
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert!(files.iter().any(|f| f.ends_with("sandbox.db")), "{files:?}");
    for key in ["ca.key", "ponte/signing.key", "ponte/transport.key"] {
        assert!(
            files
                .iter()
                .any(|f| f.ends_with(format!("sandbox-directory/{key}"))),
            "{key} in {files:?}"
        );
    }
    for f in &files {
        let want = if f.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(f), want, "{}", f.display());
    }
}

/// Every file and folder under `dir`.
fn tree(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(tree(&path));
        }
        out.push(path);
    }
    out
}
