//! What `ponte serve` makes sure of around its start: one process per SQLite
//! database (SQLite is one node: two servers would both run the workers and
//! race on one file), and a start that fails leaves nothing behind that it
//! made, so the next attempt starts as fresh as the first.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use ponte_server::config::Config;

/// Held for as long as `ponte serve` runs; the operating system releases the
/// lock when the process ends, however it ends (`kill -9` included).
pub struct ServeGuard {
    _lock: Option<File>,
    made: Vec<PathBuf>,
}

impl ServeGuard {
    /// Makes the data folder when there is none, then takes the SQLite
    /// database's lock, refusing (and naming the process that holds it) when
    /// another `ponte serve` has it.
    pub fn take(config: &Config) -> anyhow::Result<ServeGuard> {
        let mut made = Vec::new();
        if !config.data_dir.exists() {
            made.push(config.data_dir.clone());
        } else if config.master_key.is_none() && !config.data_dir.join("master.key").exists() {
            made.push(config.data_dir.join("master.key"));
        }
        ponte_server::crypto::create_private_dir(&config.data_dir)?;
        let mut guard = ServeGuard { _lock: None, made };
        if let Some(db) = crate::database::sqlite_file(&config.database_url) {
            if db
                .parent()
                .is_none_or(|p| p.as_os_str().is_empty() || p.is_dir())
            {
                guard._lock = Some(lock(&db).inspect_err(|_| guard.forget_made())?);
            }
        }
        Ok(guard)
    }

    /// The start failed: removes the data folder (or master key) this start
    /// made, so no half-made `ponte-data/` or unused key is left behind.
    pub fn failed(mut self) {
        self.forget_made();
    }

    fn forget_made(&mut self) {
        for path in self.made.drain(..) {
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            match removed {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "removed what the failed start made")
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot remove what the failed start made")
                }
            }
        }
    }
}

/// `<database>.serve-lock`, beside the database: an advisory lock held while
/// serving, with the holder's process id written in it for the refusal.
fn lock(db: &Path) -> anyhow::Result<File> {
    let mut path = db.as_os_str().to_owned();
    path.push(".serve-lock");
    let path = PathBuf::from(path);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    // Private like the rest of the data folder.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "another process".to_string(),
                pid => format!("process {pid}"),
            };
            anyhow::bail!(
                "another `ponte serve` ({holder}) is already serving the SQLite database {}: \
                 SQLite is one node, so stop that one first, or move to PostgreSQL \
                 (PONTE_DATABASE_URL=postgres://…) to run several nodes",
                db.display()
            );
        }
        Err(TryLockError::Error(e)) => {
            anyhow::bail!("cannot lock {}: {e}", path.display())
        }
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    file.flush()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_database_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ponte.db");
        let first = lock(&db).unwrap();
        let e = lock(&db).unwrap_err().to_string();
        assert!(
            e.contains(&format!("process {}", std::process::id())),
            "{e}"
        );
        assert!(e.contains("SQLite is one node"), "{e}");
        drop(first);
        // Released with its holder: the next server starts.
        lock(&db).unwrap();
    }
}
