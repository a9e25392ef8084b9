//! Newtype ids, so a `LinkId` can never be passed where a `ConsentId` is meant.

use std::fmt;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new random id (UUID v7: time-ordered, so indexes stay compact).
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }
            /// Wraps an id read back from storage or a token Ponte itself signed.
            pub fn from_trusted(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// Parses an id received from a caller; only UUIDs are ids.
            pub fn parse(value: &str) -> Option<Self> {
                uuid::Uuid::parse_str(value).ok().map(|u| Self(u.hyphenated().to_string()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

id_type!(ClientId, EndUserId, LinkId, ConsentId, MessageId, RequestId, ReportId, JobId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_uuids_only_and_normalises_case() {
        let id = LinkId::generate();
        assert_eq!(LinkId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(
            LinkId::parse(&id.as_str().to_uppercase()).map(|l| l.to_string()),
            Some(id.to_string())
        );
        assert_eq!(LinkId::parse("not-a-uuid"), None);
        assert_eq!(LinkId::parse("' or 1=1 --"), None);
    }
}
