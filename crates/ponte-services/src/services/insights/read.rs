//! The few fields of a transaction that insights read, borrowed from the
//! text when it is at hand (and owned, briefly, when it is streamed). Each leaf is lenient, as a `Value` was: a field of an
//! unexpected type reads as absent, so one odd record is skipped rather than
//! failing all.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

// Open Finance Brasil's own spelling of the records read here.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct RawTx<'a> {
    #[serde(borrow)]
    pub transaction_date_time: Text<'a>,
    #[serde(borrow)]
    pub transaction_amount: Amount<'a>,
    #[serde(borrow)]
    pub credit_debit_type: Text<'a>,
    #[serde(borrow)]
    pub transaction_name: Text<'a>,
    #[serde(borrow, rename = "type")]
    pub kind: Text<'a>,
    #[serde(borrow)]
    pub partie_cnpj_cpf: Text<'a>,
}

/// A JSON string, or `None` for any other value (skipped, not kept).
#[derive(Default)]
pub(super) struct Text<'a>(pub Option<Cow<'a, str>>);

impl Text<'_> {
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// `{"amount": "12.30", …}`: its `amount` when that is a string.
#[derive(Default)]
pub(super) struct Amount<'a>(pub Option<Cow<'a, str>>);

impl Amount<'_> {
    // The stream takes the amount itself (owned); the tests read it.
    #[cfg(test)]
    pub fn amount(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(v))))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Text(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Text(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Text(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut amount = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "amount" {
                // The last `amount` wins, as in a `Value`.
                amount = map.next_value::<Text<'de>>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Amount(amount))
    }

    // Anything but an object has no amount.
    fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Amount(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Amount(None))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Amount<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_of_another_type_read_as_absent() {
        let t: Vec<RawTx> = serde_json::from_str(
            r#"[
                {"transactionDateTime":"2026-01-02T10:00:00Z","transactionAmount":{"amount":"1.50","currency":"BRL"},
                 "creditDebitType":"CREDITO","transactionName":"Sal\u00e1rio","type":"PIX","partieCnpjCpf":null},
                {"transactionDateTime":7,"transactionAmount":"1.50","creditDebitType":["x"],"transactionName":{"a":1}}
            ]"#,
        )
        .expect("reads");
        assert_eq!(
            t[0].transaction_date_time.as_str(),
            Some("2026-01-02T10:00:00Z")
        );
        assert_eq!(t[0].transaction_amount.amount(), Some("1.50"));
        assert_eq!(t[0].transaction_name.as_str(), Some("Salário"));
        assert_eq!(t[0].partie_cnpj_cpf.as_str(), None);
        assert_eq!(t[1].transaction_date_time.as_str(), None);
        assert_eq!(t[1].transaction_amount.amount(), None);
        assert_eq!(t[1].credit_debit_type.as_str(), None);
        assert_eq!(t[1].transaction_name.as_str(), None);
        assert_eq!(t[1].kind.as_str(), None);
    }

    #[test]
    fn a_value_tree_reads_the_same_as_text() {
        let v = serde_json::json!({"transactionAmount":{"amount":"2.00"},"type":"TED"});
        let t = RawTx::deserialize(&v).expect("reads");
        assert_eq!(t.transaction_amount.amount(), Some("2.00"));
        assert_eq!(t.kind.as_str(), Some("TED"));
    }
}
