//! Column types the rows decode into, so no caller compares a status string
//! or an integer flag: a value the code does not know is a decode error
//! naming the column (sqlx adds it) and the value (these add it).
//!
//! The `Any` driver keeps a query's text one for both databases; both
//! schemas store these as TEXT (statuses) and BIGINT 0/1 (flags).
//! ponte-core's enums (`ConsentStatus`, `ReportOutcome`) are read through
//! wrappers (`#[sqlx(try_from = "crate::ConsentStatusText")]`) and bound by
//! `as_str()`. The decode errors are made in the wrappers, not in a
//! `TryFrom`: sqlx's `try_from` path loses a `TryFrom` error's text in
//! generic code ("unprintable error").

mod file_id;
mod retrieval_id;

pub use file_id::FileId;
pub use retrieval_id::RetrievalId;

use sqlx::any::{Any, AnyRow, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Row, Type};

/// A BIGINT 0/1 column read as a `bool` (`#[sqlx(try_from = "Flag")]`);
/// written with `i64::from(bool)`, which both schemas take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<Any>>::decode(value)? {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            other => Err(format!("expected a flag of 0 or 1, found {other}").into()),
        }
    }
}

/// A TEXT column read as one of ponte-core's enums (which the store may not
/// give sqlx impls of its own): read with `#[sqlx(try_from = "crate::<Wrapper>")]`,
/// written with the enum's `as_str()`.
macro_rules! core_text {
    ($(#[$meta:meta])* $wrapper:ident, $core:ty, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $wrapper($core);

        impl From<$wrapper> for $core {
            fn from(text: $wrapper) -> $core {
                text.0
            }
        }

        impl Type<Any> for $wrapper {
            fn type_info() -> AnyTypeInfo {
                <str as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <str as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $wrapper {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let raw = <&str as Decode<Any>>::decode(value)?;
                <$core>::parse(raw)
                    .map($wrapper)
                    .ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), raw).into())
            }
        }
    };
}

core_text!(
    /// `consents.status`, `consent_events.status`.
    ConsentStatusText,
    ponte_core::ConsentStatus,
    "consent status"
);

core_text!(
    /// `reports.status`.
    ReportOutcomeText,
    ponte_core::event::ReportOutcome,
    "report outcome"
);

/// A flag from a row read by hand (`FromRow` fields use `try_from`).
pub(crate) fn flag_at(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<Flag, _>(column)?.into())
}

/// A `ConsentStatus` from a row read by hand.
pub(crate) fn consent_status_at(
    row: &AnyRow,
    column: &str,
) -> Result<ponte_core::ConsentStatus, sqlx::Error> {
    Ok(row.try_get::<ConsentStatusText, _>(column)?.into())
}

/// A status kept as TEXT: its names, its sqlx encoding both ways, and a
/// decode error that names an unknown value.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database (and printed on the wire).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|s| s.as_str() == raw)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let raw = <&str as sqlx::Decode<sqlx::Any>>::decode(value)?;
                $name::parse(raw).ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), raw).into())
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Any>>::encode(self.as_str(), buf)
            }
        }
    };
}

text_enum!(
    /// Where an update-mode reauthorisation stands (`consent_reauthorisations.status`).
    ReauthorisationStatus, "reauthorisation status" {
        /// The link is open; no consent was asked of the institution yet.
        Open = "OPEN",
        AwaitingAuthorisation = "AWAITING_AUTHORISATION",
        Authorised = "AUTHORISED",
        Rejected = "REJECTED",
    }
);

text_enum!(
    /// Where a durable job stands (`jobs.status`).
    JobStatus, "job status" {
        /// Due, or running under a lease, or waiting to be tried again.
        Pending = "pending",
        Done = "done",
        /// Its tries ran out (or it gave up): it is not run again.
        Failed = "failed",
    }
);

text_enum!(
    /// Where a webhook message stands (`webhook_messages.status`).
    WebhookStatus, "webhook message status" {
        /// Due, or being attempted, or waiting for its next attempt.
        Pending = "pending",
        Delivered = "delivered",
        /// No more attempts (schedule exhausted, 410 Gone, endpoint disabled); replayable.
        Dead = "dead",
    }
);

text_enum!(
    /// Where a documents retrieval stands (`document_retrievals.status`):
    /// `awaiting_login` -> `retrieving` -> `success` | `failed`, or
    /// `awaiting_login` -> `expired` (and back, when the sign-in is reopened).
    RetrievalStatus, "document retrieval status" {
        /// The end user has not signed in at the portal yet.
        AwaitingLogin = "awaiting_login",
        /// Signed in; the portal's documents are being read.
        Retrieving = "retrieving",
        /// Ended with at least one file stored.
        Success = "success",
        /// Ended with no file stored (or the portal refused).
        Failed = "failed",
        /// The end user never signed in within the login window.
        Expired = "expired",
    }
);

text_enum!(
    /// Where one listed document stands (`document_files.status`).
    FileStatus, "document file status" {
        /// Listed at the portal, not downloaded yet.
        Pending = "pending",
        /// Downloaded and stored.
        Success = "success",
        /// Its download failed.
        Failed = "failed",
        /// Its bytes were erased after the retention period; it stays listed.
        Expired = "expired",
    }
);

/// A job's kind (`jobs.kind`): the name its `Job` type registers under, a
/// lowercase name of `a-z`, `0-9`, `_` and `.` (at most 64). The job runner
/// dispatches on it through the registry, never by comparing strings; a row
/// whose kind is no such name is a decode error naming the value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobKind(std::borrow::Cow<'static, str>);

impl JobKind {
    /// A kind named in code. A malformed name is a programming error: in a
    /// `const` it does not compile, elsewhere it panics at start (where the
    /// registry makes its kinds).
    pub const fn new(name: &'static str) -> JobKind {
        assert!(
            is_job_kind(name),
            "a job kind is a lowercase name of a-z, 0-9, _ and ."
        );
        JobKind(std::borrow::Cow::Borrowed(name))
    }

    pub fn parse(raw: &str) -> Option<JobKind> {
        is_job_kind(raw).then(|| JobKind(std::borrow::Cow::Owned(raw.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const fn is_job_kind(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > 64 {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

impl std::fmt::Display for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Type<Any> for JobKind {
    fn type_info() -> AnyTypeInfo {
        <str as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <str as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for JobKind {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let raw = <&str as Decode<Any>>::decode(value)?;
        JobKind::parse(raw).ok_or_else(|| format!("malformed job kind {raw:?}").into())
    }
}

impl<'q> sqlx::Encode<'q, Any> for JobKind {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, BoxDynError> {
        // Owned: the buffer outlives `self`.
        <String as sqlx::Encode<Any>>::encode(self.as_str().to_owned(), buf)
    }
}

#[cfg(test)]
mod documents_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod work_tests;
