//! The directory's files: private material is written 0600 and atomically (a crash
//! never leaves half a key that the next start would load), and read back with the
//! path in every error.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::DirectoryError;

/// Creates `dir` (0700: it holds private keys) if it does not exist yet.
pub fn ensure_dir(dir: &Path) -> Result<(), DirectoryError> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io(dir, e))
}

/// Writes `contents` to `path` with mode 0600 through a temporary file and a rename.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<(), DirectoryError> {
    let tmp = write_tmp(path, contents)?;
    fs::rename(&tmp, path).map_err(|e| io(path, e))
}

/// Creates `path` (0600) with `contents` unless it exists already, and returns what the
/// file holds afterwards: when two processes create the same directory at once, both
/// end up with the one key that won instead of each keeping its own.
pub(crate) fn create_private(path: &Path, contents: &str) -> Result<String, DirectoryError> {
    let tmp = write_tmp(path, contents.as_bytes())?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(contents.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            fs::read_to_string(path).map_err(|e| io(path, e))
        }
        Err(e) => Err(io(path, e)),
    }
}

/// A fully written and synced 0600 temporary file next to `path`, unique to this call.
fn write_tmp(path: &Path, contents: &[u8]) -> Result<PathBuf, DirectoryError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        ".{}.{:08x}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    let tmp = path.with_file_name(name);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io(&tmp, e))?;
    let written = file.write_all(contents).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io(&tmp, e));
    }
    Ok(tmp)
}

/// The file's contents, or `None` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, DirectoryError> {
    match fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, e)),
    }
}

pub(crate) fn io(path: &Path, source: std::io::Error) -> DirectoryError {
    DirectoryError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn corrupt(path: &Path, reason: impl std::fmt::Display) -> DirectoryError {
    DirectoryError::Corrupt {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}
