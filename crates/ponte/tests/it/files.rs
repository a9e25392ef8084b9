//! What `ponte serve` leaves on disk is readable by its own account only.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ponte serve` on SQLite in `dir`; returns once it listens.
fn serve(dir: &Path) -> Running {
    let mut child = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_LISTEN", "127.0.0.1:0")
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .env_remove("PONTE_DATABASE_URL")
        .env_remove("PONTE_MASTER_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ponte starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    for line in BufReader::new(stdout).lines() {
        if line
            .expect("ponte prints")
            .starts_with("ponte listening on ")
        {
            return running;
        }
    }
    panic!("ponte exited before listening");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn assert_private(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "the data folder");
    for file in [
        "ponte.db",
        "ponte.db-wal",
        "ponte.db-shm",
        "master.key",
        "sandbox-client.json",
    ] {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
    }
}

#[test]
fn the_data_folder_and_database_are_private() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("ponte-data");
    let server = serve(&dir);
    assert_private(&dir);
    drop(server);

    // A folder and database an older version left open are tightened.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    for file in ["ponte.db", "ponte.db-wal", "ponte.db-shm"] {
        let path = dir.join(file);
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let _server = serve(&dir);
    assert_private(&dir);
}
