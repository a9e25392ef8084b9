//! The transactions a refresh reads, per account: the whole history on a consent's first
//! pull, afterwards only the recent window.
//!
//! OFB budgets the two endpoints very differently (accounts `/transactions` 4 calls a
//! month, `/transactions-current` 240), so a window that fits in the last 7 days always
//! goes to `-current`; only a longer gap (a consent not refreshed for a week) spends a
//! `/transactions` call, and then only from the gap's start.

use crate::session::DataSession;
use crate::ConnectError;
use ponte_core::Product;
use serde_json::Value;
use time::{Date, Duration};

/// Days `transactions-current` covers, today included.
pub const CURRENT_DAYS: i64 = 7;

/// What a refresh asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// Everything the institution holds (up to `products::HISTORY_DAYS`): the first pull.
    History,
    /// Booked on or after this day.
    Since(Date),
}

/// The call a span is read with: the endpoint (`transactions` or `transactions-current`)
/// and the first day asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub endpoint: &'static str,
    pub from: Date,
}

impl Span {
    pub fn plan(self, today: Date) -> Plan {
        let current_from = today - Duration::days(CURRENT_DAYS - 1);
        match self {
            Span::Since(from) if from >= current_from => Plan {
                endpoint: "transactions-current",
                from: from.min(today),
            },
            Span::Since(from) => Plan {
                endpoint: "transactions",
                from,
            },
            Span::History => Plan {
                endpoint: "transactions",
                from: today - Duration::days(crate::products::HISTORY_DAYS),
            },
        }
    }
}

/// One account's transactions in the window, as the institution listed them.
#[derive(Debug)]
pub struct Listed {
    pub account_id: String,
    pub transactions: Vec<Value>,
}

pub fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The transactions of every account of `product` (one with a
/// `products::transaction_listing`: accounts, credit cards; any other has
/// none) in `span`, ending `today`. With `known` account ids (from an
/// earlier pull) the accounts are not listed again: OFB allows 4 lists a month.
pub async fn transactions(
    s: &mut DataSession<'_>,
    product: Product,
    span: Span,
    today: Date,
    known: Option<&[String]>,
) -> Result<Vec<Listed>, ConnectError> {
    let Some(crate::products::TransactionListing {
        list,
        id_field,
        dates,
        ..
    }) = crate::products::transaction_listing(product)
    else {
        return Ok(Vec::new());
    };
    let plan = span.plan(today);
    let query = [(dates.from, ymd(plan.from)), (dates.to, ymd(today))];
    let accounts = match known {
        Some(ids) => ids.to_vec(),
        None => s
            .get_all(list, &[])
            .await?
            .iter()
            .map(|a| {
                a[id_field].as_str().map(str::to_string).ok_or_else(|| {
                    ConnectError::Protocol(format!("{list}: an item without {id_field}"))
                })
            })
            .collect::<Result<Vec<String>, ConnectError>>()?,
    };
    let mut out = Vec::new();
    for account_id in accounts {
        let id: String = url::form_urlencoded::byte_serialize(account_id.as_bytes()).collect();
        let transactions = s
            .get_all(&format!("{list}/{id}/{}", plan.endpoint), &query)
            .await?;
        out.push(Listed {
            account_id,
            transactions,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_window_within_seven_days_reads_transactions_current() {
        let today = date!(2026 - 12 - 07);
        let p = Span::Since(date!(2026 - 12 - 01)).plan(today);
        assert_eq!(p.endpoint, "transactions-current");
        assert_eq!(p.from, date!(2026 - 12 - 01));
        // A clock that moved back never asks for days after today.
        let p = Span::Since(date!(2026 - 12 - 09)).plan(today);
        assert_eq!((p.endpoint, p.from), ("transactions-current", today));
    }

    #[test]
    fn a_longer_gap_reads_transactions_from_the_gap_only() {
        let today = date!(2026 - 12 - 07);
        let p = Span::Since(date!(2026 - 11 - 30)).plan(today);
        assert_eq!(p.endpoint, "transactions");
        assert_eq!(p.from, date!(2026 - 11 - 30));
        let p = Span::History.plan(today);
        assert_eq!(p.endpoint, "transactions");
        assert!(p.from < date!(2022 - 01 - 01));
    }
}
