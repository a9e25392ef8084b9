//! Walks a stored report's `{"accounts": [{…, "transactions": […]}]}` as it
//! is read, one record at a time: a statement is laid out from a stream of
//! the report, never from its whole text and a parse of it.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// What a layout does with each part of the report, in the text's order.
pub(crate) trait Walk {
    /// One transaction (or other record of an account's `transactions`).
    type Record: DeserializeOwned;
    /// Whether an account's other fields are wanted (read as values) or skipped.
    const FIELDS: bool;
    fn account_start(&mut self, index: usize);
    fn field(&mut self, key: &str, value: Value);
    fn record(&mut self, record: Self::Record);
    fn account_end(&mut self);
}

/// Reads `text` to its end, telling `walk` what it finds. Anything but
/// a top-level object (and lists of objects under `accounts`) is an error.
pub(crate) fn walk<R: Read, W: Walk>(text: R, walk: &mut W) -> serde_json::Result<()> {
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(64 * 1024, text));
    de::Deserializer::deserialize_map(&mut de, Top(walk))?;
    de.end()
}

struct Top<'w, W>(&'w mut W);

impl<'de, W: Walk> Visitor<'de> for Top<'_, W> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a report's data object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key != "accounts" {
                map.next_value::<IgnoredAny>()?;
            } else if std::mem::replace(&mut seen, true) {
                return Err(de::Error::duplicate_field("accounts"));
            } else {
                map.next_value_seed(Accounts(&mut *self.0))?;
            }
        }
        Ok(())
    }
}

struct Accounts<'w, W>(&'w mut W);

impl<'de, W: Walk> DeserializeSeed<'de> for Accounts<'_, W> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, W: Walk> Visitor<'de> for Accounts<'_, W> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(Account {
                walk: &mut *self.0,
                index,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }
}

struct Account<'w, W> {
    walk: &'w mut W,
    index: usize,
}

impl<'de, W: Walk> DeserializeSeed<'de> for Account<'_, W> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, W: Walk> Visitor<'de> for Account<'_, W> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an account")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.walk.account_start(self.index);
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            // As a derived struct reads it: a field given twice is an error.
            if seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            if key == "transactions" {
                map.next_value_seed(Records(&mut *self.walk))?;
            } else if W::FIELDS {
                let value = map.next_value::<Value>()?;
                self.walk.field(&key, value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            seen.push(key);
        }
        self.walk.account_end();
        Ok(())
    }
}

struct Records<'w, W>(&'w mut W);

impl<'de, W: Walk> DeserializeSeed<'de> for Records<'_, W> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, W: Walk> Visitor<'de> for Records<'_, W> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of transactions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<W::Record>()? {
            self.0.record(record);
        }
        Ok(())
    }
}
