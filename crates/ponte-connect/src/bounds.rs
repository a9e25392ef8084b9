//! The bounds every connector keeps with an institution: how long it waits
//! (production uses [`Timeouts::default`]; tests pass short bounds so a
//! silent institution fails them in milliseconds instead of half a minute),
//! and that a redirect is an answer, never followed: the client credentials,
//! codes and tokens a request carries must not go wherever a 3xx points.

use std::time::Duration;

use crate::ConnectError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening the connection (TCP and TLS).
    pub connect: Duration,
    /// Waiting on the institution once connected. The Open Finance client
    /// bounds each whole exchange by it (its answers are small JSON); the
    /// document-portal client bounds each read instead, since a large PDF may
    /// take longer than this in all but should never stall this long.
    pub answer: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            answer: Duration::from_secs(30),
        }
    }
}

/// What a 3xx answer is reported as: the status, the institution's URL that
/// answered it and where it pointed (without the query, which may carry
/// anything), so an operator can tell a moved institution from a hostile one.
pub(crate) fn redirect_not_followed(resp: &reqwest::Response) -> String {
    let from = &resp.url()[..url::Position::AfterPath];
    let to = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| resp.url().join(v).ok())
        .map(|to| format!(" to {}", &to[..url::Position::AfterPath]))
        .unwrap_or_default();
    format!(
        "{} from {from}: a redirect{to}, not followed",
        resp.status()
    )
}

/// An answer whose body could not be read as `what`. Cut off or stalled
/// (timed out) is the transport's failure, worth retrying; a body that
/// arrived whole but does not parse is the institution's (`Protocol`).
pub(crate) fn unreadable(what: &str, e: reqwest::Error) -> ConnectError {
    let malformed =
        std::error::Error::source(&e).is_some_and(|cause| cause.is::<serde_json::Error>());
    if malformed {
        ConnectError::Protocol(format!("{what}: {}", with_causes(&e)))
    } else {
        ConnectError::Transport(e)
    }
}

/// A reqwest error with its causes (`… : operation timed out`,
/// `… : Connection refused`, `… : expected value at line 1`): reqwest's own
/// text names only the URL or the stage.
pub(crate) fn with_causes(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
