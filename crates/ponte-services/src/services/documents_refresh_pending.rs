//! What a documents refresh has recorded and not yet announced, kept on its
//! schedule (`pending_file_ids`) so that a try that crashes announces it once
//! on the next try.

use crate::error::Result;
use ponte_store::RefreshScheduleRow;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    /// Files of documents the portal listed for the first time: the webhook
    /// names each, arrived or not.
    new: BTreeSet<String>,
    /// Files whose download failed before (announced then as failed), tried
    /// again: named only once they arrive.
    #[serde(default)]
    retried: BTreeSet<String>,
}

/// The stored text: an object now, a plain array of new file ids before.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Pending(Pending),
    NewIds(BTreeSet<String>),
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

    pub(crate) fn add_new(&mut self, file_id: String) {
        self.retried.remove(&file_id);
        self.new.insert(file_id);
    }

    /// A failed file to try again (one recorded new by a crashed try stays new).
    pub(crate) fn retry(&mut self, file_id: &str) {
        if !self.new.contains(file_id) {
            self.retried.insert(file_id.to_string());
        }
    }

    pub(crate) fn holds(&self, file_id: &str) -> bool {
        self.new.contains(file_id) || self.retried.contains(file_id)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.new.is_empty() && self.retried.is_empty()
    }

    /// Whether the refresh's webhook names the file: a new one always, a
    /// retried one only once it arrived (its failure was told already).
    pub(crate) fn names(&self, file_id: &str, arrived: bool) -> bool {
        self.new.contains(file_id) || (arrived && self.retried.contains(file_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_older_array_reads_as_new_files() {
        let p = Pending::parse(Some(r#"["file_a","file_b"]"#));
        assert!(p.names("file_a", false) && p.names("file_b", true));
        assert!(!p.holds("file_c"));
        assert!(Pending::parse(None).is_empty());
        assert!(Pending::parse(Some("not json")).is_empty());
    }

    #[test]
    fn a_retried_file_is_named_only_once_it_arrives() {
        let mut p = Pending::default();
        p.add_new("file_new".into());
        p.retry("file_old");
        p.retry("file_new");
        assert!(
            p.names("file_new", false),
            "a new one is named, failed or not"
        );
        assert!(!p.names("file_old", false), "its failure was told already");
        assert!(p.names("file_old", true));
        let again = Pending::parse(Some(&p.to_json().unwrap()));
        assert_eq!(again, p, "kept across a crashed try");
    }
}
