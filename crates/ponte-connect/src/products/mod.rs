//! How each product's Open Finance calls ([`plan`]) are read and their
//! `data` assembled into a report unchanged (see the contract's product table).

mod out;
pub mod plan;

use crate::session::DataSession;
use crate::ConnectError;
use out::Out;
pub use plan::{
    endpoints, plan, synced, transaction_listing, BillListing, Current, Dates, Part, Plan, Tally,
    TransactionListing,
};
use ponte_core::Product;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};
use std::io::Write;

/// How far back transactions are asked for; institutions return what they hold.
pub const HISTORY_DAYS: i64 = 5 * 366;

pub struct Window {
    pub from: String,
    pub to: String,
}

impl Window {
    /// `today` as `YYYY-MM-DD` (UTC) and the date `HISTORY_DAYS` before it.
    pub fn ending(today_ms: i64) -> Window {
        let day = |ms: i64| {
            let d = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
                .date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        };
        Window {
            from: day(today_ms - HISTORY_DAYS * 86_400_000),
            to: day(today_ms),
        }
    }

    /// A dated listing's query for this window.
    fn query(&self, dates: &Dates) -> [(&'static str, String); 2] {
        [(dates.from, self.from.clone()), (dates.to, self.to.clone())]
    }
}

fn id_of(item: &Value, field: &str) -> Result<String, ConnectError> {
    item[field]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ConnectError::Protocol(format!("an item without {field}")))
}

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// What a report holds, counted as it is written: its webhook's `summary`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Identifications, accounts, contracts or investments.
    pub records: usize,
    pub transactions: usize,
    pub bills: usize,
}

impl Counts {
    /// The webhook's `summary` for `product`, named as its [`plan`] counts:
    /// the records as the plan's `counted_as`, then each tallied part under
    /// its key, in the plan's order. A derived product reads what it is
    /// derived from, and this is that one's summary (insights count what
    /// Ponte derives, themselves).
    pub fn summary(&self, product: Product) -> Value {
        let mut out = Map::new();
        let parts = match plan(product) {
            Plan::Root { parts, .. } => parts,
            Plan::Each {
                counted_as, parts, ..
            } => {
                out.insert((*counted_as).into(), json!(self.records));
                parts
            }
        };
        for part in *parts {
            let (key, n) = match part {
                Part::One { .. }
                | Part::Current { .. }
                | Part::Every {
                    tally: Tally::Nothing,
                    ..
                } => continue,
                Part::Every {
                    key,
                    tally: Tally::Records,
                    ..
                } => (*key, self.records),
                Part::Bills { .. } => (plan::BILLS.0, self.bills),
                Part::Transactions { .. } => (plan::TRANSACTIONS.0, self.transactions),
            };
            out.insert(key.into(), json!(n));
        }
        Value::Object(out)
    }
}

/// `"key": [every item of the paginated resource]`; how many there were.
async fn list<W: Write + Send>(
    out: &mut Out<'_, W>,
    s: &mut DataSession<'_>,
    key: &str,
    path: &str,
    query: &[(&str, String)],
) -> Result<usize, ConnectError> {
    out.key(key);
    out.open(b'[');
    let mut n = 0;
    s.for_each_item(path, query, &mut |item| {
        n += 1;
        out.item(item)
    })
    .await?;
    out.close(b']');
    Ok(n)
}

/// The members `parts` of one object, read under `base`.
async fn read_parts<W: Write + Send>(
    o: &mut Out<'_, W>,
    s: &mut DataSession<'_>,
    n: &mut Counts,
    base: &str,
    parts: &[Part],
    window: &Window,
) -> Result<(), ConnectError> {
    for part in parts {
        match part {
            Part::One { key, suffix }
            | Part::Current {
                key,
                suffix,
                every: false,
                ..
            } => {
                o.field(key, &s.get_data(&format!("{base}{suffix}")).await?)?;
            }
            Part::Current {
                key,
                suffix,
                every: true,
                ..
            } => {
                list(o, s, key, &format!("{base}{suffix}"), &[]).await?;
            }
            Part::Every {
                key,
                suffix,
                dates,
                tally,
            } => {
                let query = dates.map(|d| window.query(&d));
                let query = query.as_ref().map_or(&[][..], |q| &q[..]);
                let read = list(o, s, key, &format!("{base}{suffix}"), query).await?;
                match tally {
                    Tally::Nothing => {}
                    Tally::Records => n.records += read,
                }
            }
            Part::Bills { dates, .. } => {
                let (key, suffix) = plan::BILLS;
                let path = format!("{base}{suffix}");
                n.bills += list(o, s, key, &path, &window.query(dates)).await?;
            }
            Part::Transactions { dates, .. } => {
                let (key, suffix) = plan::TRANSACTIONS;
                let path = format!("{base}{suffix}");
                n.transactions += list(o, s, key, &path, &window.query(dates)).await?;
            }
        }
    }
    Ok(())
}

/// Fetches one product; `data` as the report carries it, as JSON text.
pub async fn fetch(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
) -> Result<Box<RawValue>, ConnectError> {
    let mut text = Vec::with_capacity(64 * 1024);
    fetch_into(s, product, business, window, &mut text).await?;
    let text = String::from_utf8(text).map_err(|e| ConnectError::Protocol(e.to_string()))?;
    RawValue::from_string(text).map_err(|e| ConnectError::Protocol(e.to_string()))
}

/// Fetches one product and writes `data`, as the report carries it, to `w`
/// as it arrives (the same text [`fetch`] gives); what it holds, counted.
pub async fn fetch_into<W: Write + Send>(
    s: &mut DataSession<'_>,
    product: Product,
    business: bool,
    window: &Window,
    w: &mut W,
) -> Result<Counts, ConnectError> {
    let mut o = Out::new(w);
    let mut n = Counts::default();
    o.object();
    match plan(product) {
        Plan::Root {
            personal,
            business: company,
            parts,
        } => {
            let root = if business { company } else { personal };
            read_parts(&mut o, s, &mut n, root, parts, window).await?;
        }
        Plan::Each {
            key,
            list,
            id_field,
            item,
            parts,
            ..
        } => {
            o.key(key);
            o.open(b'[');
            for record in s.get_all(list, &[]).await? {
                let id = enc(&id_of(&record, id_field)?);
                let base = format!("{list}/{id}");
                o.object();
                n.records += 1;
                o.field(item, &record)?;
                read_parts(&mut o, s, &mut n, &base, parts, window).await?;
                o.close(b'}');
            }
            o.close(b']');
        }
    }
    o.close(b'}');
    o.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_names_what_the_plan_counts_as_the_webhooks_always_did() {
        let n = Counts {
            records: 2,
            transactions: 30,
            bills: 4,
        };
        let summaries: Vec<String> = Product::ALL
            .into_iter()
            .map(|p| n.summary(p).to_string())
            .collect();
        assert_eq!(
            summaries,
            [
                r#"{"identifications":2}"#,
                r#"{"accounts":2,"transactions":30}"#,
                r#"{"accounts":2,"bills":4,"transactions":30}"#,
                r#"{"contracts":2}"#,
                r#"{"investments":2}"#,
                // Insights read the accounts; what Ponte derives counts itself.
                r#"{"accounts":2,"transactions":30}"#,
            ]
        );
    }
}
