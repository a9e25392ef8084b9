//! A documents retrieval's id: the integer the database assigns
//! (`document_retrievals.id`), which its files, its refresh schedule, its
//! job and its webhook name. Its own type, so it is never taken for one of
//! the times and counts the same calls carry.

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
// A number on the wire and in job payloads, as before it had a type.
#[serde(transparent)]
pub struct RetrievalId(i64);

impl RetrievalId {
    /// The id the database gave (or one read back from a path or a payload).
    pub const fn new(id: i64) -> RetrievalId {
        RetrievalId(id)
    }

    /// An id from a path segment; `None` when it is not a number.
    pub fn parse(raw: &str) -> Option<RetrievalId> {
        raw.parse().ok().map(RetrievalId)
    }

    /// The number, for the wire and the event (which carry it as one).
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for RetrievalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Type<Any> for RetrievalId {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for RetrievalId {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        <i64 as Decode<Any>>::decode(value).map(RetrievalId)
    }
}

impl<'q> sqlx::Encode<'q, Any> for RetrievalId {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, BoxDynError> {
        <i64 as sqlx::Encode<Any>>::encode_by_ref(&self.0, buf)
    }
}
