//! `PONTE_LOG_FORMAT`: how log lines are written.

use super::error::{bad, ConfigError};

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable; coloured only when stderr is a terminal.
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

impl LogFormat {
    pub fn parse(raw: Option<&str>) -> Result<LogFormat, ConfigError> {
        match raw.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(bad(
                "PONTE_LOG_FORMAT",
                format!("{other:?} is not text or json"),
            )),
        }
    }
}
