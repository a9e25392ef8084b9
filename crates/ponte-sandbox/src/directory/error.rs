//! What can go wrong reading, creating or using the directory.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("software {field}: {reason}")]
    InvalidSoftware { field: &'static str, reason: String },
    #[error("{field}: {reason}")]
    Config { field: &'static str, reason: String },
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("key: {0}")]
    Key(String),
    #[error("no software {software_id:?} enrolled for organisation {org_id:?}")]
    UnknownSoftware { org_id: String, software_id: String },
}
