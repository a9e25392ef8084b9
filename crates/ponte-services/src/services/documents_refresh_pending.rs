//! What a documents refresh has recorded and not yet announced, kept on its
//! schedule (`pending_file_ids`) so that a try that crashes announces it once
//! on the next try.

use crate::error::Result;
use ponte_store::{FileId, RefreshScheduleRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    /// Files of documents the portal listed for the first time: the webhook
    /// names each, arrived or not.
    new: BTreeSet<FileId>,
    /// Files whose download failed before (announced then as failed), tried
    /// again: named only once they arrive.
    #[serde(default)]
    retried: BTreeSet<FileId>,
}

/// The stored text: an object now, a plain array of new file ids before.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Pending(Pending),
    NewIds(BTreeSet<FileId>),
}

impl Pending {
    pub(crate) fn of(schedule: &RefreshScheduleRow) -> Pending {
        Self::parse(schedule.pending_file_ids.as_deref())
    }

    fn parse(text: Option<&str>) -> Pending {
        match text.and_then(|s| serde_json::from_str(s).ok()) {
            Some(Stored::Pending(p)) => p,
            Some(Stored::NewIds(new)) => Pending {
                new,
                retried: BTreeSet::new(),
            },
            None => Pending::default(),
        }
    }

    pub(crate) fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(self).map_err(anyhow::Error::from)?)
    }

    pub(crate) fn add_new(&mut self, file_id: FileId) {
        self.retried.remove(&file_id);
        self.new.insert(file_id);
    }

    /// A failed file to try again (one recorded new by a crashed try stays new).
    pub(crate) fn retry(&mut self, file_id: &FileId) {
        if !self.new.contains(file_id) {
            self.retried.insert(file_id.clone());
        }
    }

    pub(crate) fn holds(&self, file_id: &FileId) -> bool {
        self.new.contains(file_id) || self.retried.contains(file_id)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.new.is_empty() && self.retried.is_empty()
    }

    /// Whether the refresh's webhook names the file: a new one always, a
    /// retried one only once it arrived (its failure was told already).
    pub(crate) fn names(&self, file_id: &FileId, arrived: bool) -> bool {
        self.new.contains(file_id) || (arrived && self.retried.contains(file_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file id spelled with one hex digit (`a` is `file_aaa…a`).
    fn id(digit: &str) -> FileId {
        FileId::parse(&format!("file_{}", digit.repeat(32))).unwrap()
    }

    #[test]
    fn the_older_array_reads_as_new_files() {
        let text = serde_json::to_string(&[id("a"), id("b")]).unwrap();
        assert!(text.starts_with(r#"["file_aaaa"#), "{text}");
        let p = Pending::parse(Some(&text));
        assert!(p.names(&id("a"), false) && p.names(&id("b"), true));
        assert!(!p.holds(&id("c")));
        assert!(Pending::parse(None).is_empty());
        assert!(Pending::parse(Some("not json")).is_empty());
    }

    #[test]
    fn a_retried_file_is_named_only_once_it_arrives() {
        let (new, old) = (id("1"), id("0"));
        let mut p = Pending::default();
        p.add_new(new.clone());
        p.retry(&old);
        p.retry(&new);
        assert!(p.names(&new, false), "a new one is named, failed or not");
        assert!(!p.names(&old, false), "its failure was told already");
        assert!(p.names(&old, true));
        let json = p.to_json().unwrap();
        assert!(
            json.contains(&format!("\"{new}\"")),
            "ids stored as their text: {json}"
        );
        let again = Pending::parse(Some(&json));
        assert_eq!(again, p, "kept across a crashed try");
    }
}
