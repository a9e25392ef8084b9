//! The directory's files: private material is written 0600 and atomically (a crash
//! never leaves half a key that the next start would load), and read back with the
//! path in every error.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::DirectoryError;

/// Creates `dir` (0700: it holds private keys) if it does not exist yet.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), DirectoryError> {
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
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> Result<(), DirectoryError> {
    let tmp = tmp_path(path);
    // A temporary file left by a crash would make `create_new` fail forever.
    let _ = fs::remove_file(&tmp);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io(&tmp, e))?;
    file.write_all(contents).map_err(|e| io(&tmp, e))?;
    file.sync_all().map_err(|e| io(&tmp, e))?;
    drop(file);
    fs::rename(&tmp, path).map_err(|e| io(path, e))
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

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}
