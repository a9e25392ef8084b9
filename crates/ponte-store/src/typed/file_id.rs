//! A stored document file's id (`document_files.id`): `file_` and a UUIDv7
//! in hex, minted when a portal's document is first listed, and what its
//! download URL, its storage key and the webhook name it by. Its own type,
//! so it is never taken for the portal's id of the same document or for
//! the storage key the same calls carry.

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
// A string on the wire and in a refresh's remembered files, as before it had a type.
#[serde(transparent)]
pub struct FileId(String);

const PREFIX: &str = "file_";

impl FileId {
    /// A new id, for a document listed for the first time.
    pub fn mint() -> FileId {
        FileId(format!("{PREFIX}{}", uuid::Uuid::now_v7().simple()))
    }

    /// An id from a path segment or a stored payload; `None` when it is not
    /// one `mint` makes.
    pub fn parse(raw: &str) -> Option<FileId> {
        let hex = raw.strip_prefix(PREFIX)?;
        let well_formed =
            hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        well_formed.then(|| FileId(raw.to_string()))
    }

    /// The text, for the wire, the event and the signature (which carry it as one).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for FileId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FileId, D::Error> {
        let raw = String::deserialize(d)?;
        FileId::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("malformed document file id {raw:?}")))
    }
}

impl Type<Any> for FileId {
    fn type_info() -> AnyTypeInfo {
        <str as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <str as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for FileId {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let raw = <&str as Decode<Any>>::decode(value)?;
        FileId::parse(raw).ok_or_else(|| format!("malformed document file id {raw:?}").into())
    }
}

impl<'q> sqlx::Encode<'q, Any> for FileId {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, BoxDynError> {
        <String as sqlx::Encode<Any>>::encode_by_ref(&self.0, buf)
    }
}
