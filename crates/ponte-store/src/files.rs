//! The SQLite database holds every end user's data and every secret Ponte
//! keeps: only the account running Ponte may read it. SQLite gives its
//! `-wal` and `-shm` files the database file's mode, so the file is made
//! 0600 before the first connection opens it, and tightened if an older
//! version left it wider.

use sqlx::sqlite::SqliteConnectOptions;
use std::path::PathBuf;
use std::str::FromStr;

pub(crate) fn restrict_sqlite_files(url: &str) -> std::io::Result<()> {
    // In memory, or a URL sqlx cannot read (reported by the connection
    // that follows): no file to restrict.
    let Some(database) = sqlite_file(url) else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if url.contains("mode=rwc") {
            // Created empty (SQLite takes an empty file for a new database),
            // never truncated.
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&database);
            match created {
                Ok(_) => {}
                // A missing folder is the connection's to report.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut path = database.clone().into_os_string();
            path.push(suffix);
            let path = PathBuf::from(path);
            match std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = database;
    Ok(())
}

/// The file of a SQLite database URL; none for a database in memory.
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}
