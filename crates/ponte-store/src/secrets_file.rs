//! How a change to API secrets reaches a server on SQLite from another
//! process: the `ponte` CLI beside a running server rotates, revokes and
//! deletes in the same database file, and SQLite has nothing like
//! PostgreSQL's notifications to carry the news. So every such change,
//! once committed, appends a byte to `<database>-secrets` beside the
//! database, and a server looks at that file (one `stat`: its size, inode
//! and modification time) before it trusts what it remembers of secrets.
//! A change any process has committed is seen by the next request.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    inode: u64,
    modified_ns: i128,
}

pub(crate) struct SecretsFile {
    path: PathBuf,
    /// What the last look saw (`Some(None)`: no file yet).
    seen: Mutex<Option<Option<Stamp>>>,
}

impl SecretsFile {
    /// The announcement file of the SQLite database `database` (a path);
    /// none for a database in memory, which no other process can change.
    pub(crate) fn beside(database: Option<PathBuf>) -> Option<SecretsFile> {
        let database = database.filter(|p| !p.as_os_str().is_empty())?;
        let mut path = database.into_os_string();
        path.push("-secrets");
        Some(SecretsFile {
            path: PathBuf::from(path),
            seen: Mutex::new(None),
        })
    }

    /// Says that secrets changed: call after the change commits. A failure
    /// is logged: other processes then see the change only after
    /// `RECHECK_MS` (the bound on what a server remembers).
    pub(crate) fn announce(&self) {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.path)
            .and_then(|mut f| f.write_all(b"\n"));
        if let Err(e) = appended {
            tracing::warn!(error = %e, path = %self.path.display(), "cannot announce a change of API secrets to other processes");
        }
    }

    /// Whether the file changed since the last look (the first look counts
    /// as a change); an error when it cannot be looked at, so that nothing
    /// remembered is trusted.
    pub(crate) fn changed(&self) -> std::io::Result<bool> {
        let now = match std::fs::metadata(&self.path) {
            Ok(m) => Some(Stamp {
                len: m.len(),
                inode: m.ino(),
                modified_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let changed = *seen != Some(now);
        *seen = Some(now);
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_from_another_handle_is_seen_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ponte.db");
        let server = SecretsFile::beside(Some(db.clone())).unwrap();
        let cli = SecretsFile::beside(Some(db)).unwrap();
        assert!(server.changed().unwrap(), "the first look");
        assert!(!server.changed().unwrap());
        cli.announce();
        assert!(server.changed().unwrap(), "the file appeared");
        assert!(!server.changed().unwrap());
        cli.announce();
        assert!(server.changed().unwrap(), "it grew");
        assert!(!server.changed().unwrap());
        assert_eq!(
            std::fs::read(dir.path().join("ponte.db-secrets")).unwrap(),
            b"\n\n"
        );
    }

    #[test]
    fn only_the_owner_may_read_it_and_a_database_in_memory_has_none() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = SecretsFile::beside(Some(dir.path().join("p.db"))).unwrap();
        file.announce();
        let mode = std::fs::metadata(dir.path().join("p.db-secrets"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(SecretsFile::beside(None).is_none());
        assert!(SecretsFile::beside(Some(PathBuf::new())).is_none());
    }

    #[test]
    fn a_file_that_cannot_be_looked_at_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        // A path through a regular file: stat answers ENOTDIR, not NotFound.
        std::fs::write(dir.path().join("plain"), b"x").unwrap();
        let file = SecretsFile::beside(Some(dir.path().join("plain").join("p.db"))).unwrap();
        assert!(file.changed().is_err());
    }
}
