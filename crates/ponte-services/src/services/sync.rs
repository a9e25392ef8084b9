//! Incremental transaction sync: refreshes (on demand, and once a day on the client's
//! clock), the webhook that says there is something new, and the cursor that pages
//! through every change exactly once.
//!
//! A cursor is a position in the consent's change log (its last `seq` read), so paging
//! while a refresh lands neither skips nor repeats: the refresh appends after it.

use crate::error::{Error, Result};
use crate::services::job;
use crate::services::sync_items::{self, open_item, synced_products};
use crate::services::sync_refresh::{Payload, SyncTransactions};
use crate::services::{consent_lifecycle, consents};
use crate::tokens::Bearer;
use crate::App;
use base64::Engine;
use ponte_core::{ConsentStatus, FieldError};
use ponte_store::ConsentRow;
use serde_json::Value;

const DAY_MS: i64 = 86_400_000;
pub const MAX_COUNT: i64 = 500;
pub const DEFAULT_COUNT: i64 = 100;

/// What `POST …/refresh` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshQueued {
    pub consent_id: String,
    /// False when a refresh was already queued or running: this request joined it.
    pub queued: bool,
}

/// Queues a refresh of the consent's transactions, or joins the one queued.
pub async fn request_refresh(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
) -> Result<RefreshQueued> {
    let consent = consents::load_for(app, bearer, consent_id).await?;
    authorised_with_transactions(&consent)?;
    let queued = queue(app, &consent, None).await?;
    Ok(RefreshQueued {
        consent_id: consent.id,
        queued,
    })
}

fn authorised_with_transactions(consent: &ConsentRow) -> Result<()> {
    if consent.status != ConsentStatus::Authorised {
        return Err(Error::ConsentNotAuthorised(format!(
            "consent {} is {}: only an AUTHORISED consent is refreshed",
            consent.id, consent.status
        )));
    }
    if synced_products(consent).is_empty() {
        return Err(Error::Conflict(format!(
            "consent {} grants no transactions ({})",
            consent.id,
            sync_items::sync_permissions().join(" or ")
        )));
    }
    Ok(())
}

/// Claims the consent's refresh and queues its job in one transaction. A scheduled one
/// (`schedule`: the client's now and the next due time) is claimed only when due; one on
/// demand always is, and puts the next scheduled refresh at the start of the client's
/// next day: it has just read the data (without this, a first pull left the schedule
/// due at once and a second refresh followed it straight away).
async fn queue(app: &App, consent: &ConsentRow, schedule: Option<(i64, i64)>) -> Result<bool> {
    let now = app.clock.now_ms();
    let claim = match schedule {
        Some(due) => due,
        None => {
            let client_now = consent_lifecycle::client_now(app, &consent.client_id).await?;
            // i64::MAX: no due-time condition on an on-demand claim.
            (i64::MAX, (client_now.div_euclid(DAY_MS) + 1) * DAY_MS)
        }
    };
    let mut tx = app.store.begin().await?;
    if !ponte_store::claim_sync_refresh(&mut tx, &consent.id, Some(claim), now).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    let payload = Payload {
        consent_id: consent.id.clone(),
        scheduled: schedule.is_some(),
    };
    job::queue::<SyncTransactions>(&mut tx, &payload, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Queues the daily refresh of every consent due on its client's clock (among those
/// whose sync was started); answers how many.
pub async fn schedule_due(app: &App) -> Result<usize> {
    let now = app.clock.now_ms();
    let mut after = String::new();
    let mut queued = 0;
    loop {
        let due = {
            let mut conn = app.store.read().await?;
            ponte_store::consents_due_for_sync(
                &mut conn,
                now,
                &after,
                100,
                &sync_items::sync_permissions(),
            )
            .await?
        };
        let Some(last) = due.last() else {
            return Ok(queued);
        };
        after = last.id.clone();
        for consent in &due {
            let client_now = consent_lifecycle::client_now(app, &consent.client_id).await?;
            // Due again at the start of the client's next day.
            let next = (client_now.div_euclid(DAY_MS) + 1) * DAY_MS;
            if queue(app, consent, Some((client_now, next))).await? {
                queued += 1;
            }
        }
    }
}

/// One change as the cursor returns it: the institution's item plus `accountId`.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncItem {
    Added(Value),
    Modified(Value),
    Removed {
        transaction_id: String,
        account_id: String,
    },
}

/// One page of changes.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncPage {
    pub items: Vec<SyncItem>,
    pub next_cursor: String,
    pub has_more: bool,
    /// The client's day the last refresh read through (none before the first pull).
    pub synced_through: Option<String>,
    /// A refresh is queued or running: more may come.
    pub refreshing: bool,
    /// Each synced account's and card's latest balances, as the last refresh that
    /// could read them left them.
    pub balances: Vec<crate::services::sync_balances::AccountBalances>,
}

fn encode_cursor(consent_id: &str, seq: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{consent_id}:{seq}"))
}

fn bad_cursor() -> Error {
    FieldError::new(
        "cursor",
        "is not a cursor of this consent: pass a nextCursor it returned, or none to start",
    )
    .into()
}

fn decode_cursor(consent_id: &str, cursor: &str, last_seq: i64) -> Result<i64> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad_cursor())?;
    let text = String::from_utf8(raw).map_err(|_| bad_cursor())?;
    let (id, seq) = text.rsplit_once(':').ok_or_else(bad_cursor)?;
    let seq: i64 = seq.parse().map_err(|_| bad_cursor())?;
    if id != consent_id || !(0..=last_seq).contains(&seq) {
        return Err(bad_cursor());
    }
    Ok(seq)
}

/// Parses `count` (1..=500, default 100).
pub fn parse_count(count: Option<&str>) -> Result<i64> {
    match count {
        None => Ok(DEFAULT_COUNT),
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_COUNT).contains(n))
            .ok_or_else(|| {
                FieldError::new(
                    "count",
                    format!("must be a whole number from 1 to {MAX_COUNT}"),
                )
                .into()
            }),
    }
}

/// The changes after `cursor` (none: from the start), up to `count`. A page holds each
/// transaction at most once (it ends before a second change of one), so its added,
/// modified and removed lists can be applied in any order.
pub async fn page(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
    cursor: Option<&str>,
    count: i64,
) -> Result<SyncPage> {
    let consent = consents::load_for(app, bearer, consent_id).await?;
    let mut conn = app.store.read().await?;
    let mut state = ponte_store::sync_state(&mut conn, &consent.id).await?;
    if state.is_none() && authorised_with_transactions(&consent).is_ok() {
        // The first read of a consent's sync starts it: the first pull now, then
        // the daily refreshes; the webhook says when there is something to read.
        drop(conn);
        queue(app, &consent, None).await?;
        conn = app.store.read().await?;
        state = ponte_store::sync_state(&mut conn, &consent.id).await?;
    }
    let last_seq = state.as_ref().map_or(0, |s| s.last_seq);
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => decode_cursor(&consent.id, c, last_seq)?,
    };
    let rows = ponte_store::sync_changes_after(&mut conn, &consent.id, after, count + 1).await?;
    drop(conn);
    let mut seen = std::collections::HashSet::new();
    let mut items = Vec::new();
    let mut next = after;
    let mut has_more = false;
    for (i, row) in rows.iter().enumerate() {
        let fresh = seen.insert((row.account_id.clone(), row.transaction_id.clone()));
        if i as i64 == count || !fresh {
            has_more = true;
            break;
        }
        let item = match (row.kind.as_str(), &row.data_enc) {
            ("removed", _) => SyncItem::Removed {
                transaction_id: row.transaction_id.clone(),
                account_id: row.account_id.clone(),
            },
            (kind, Some(sealed)) => {
                let mut data = open_item(
                    app,
                    &consent.id,
                    &row.account_id,
                    &row.transaction_id,
                    sealed,
                )?;
                data["accountId"] = Value::String(row.account_id.clone());
                if kind == "added" {
                    SyncItem::Added(data)
                } else {
                    SyncItem::Modified(data)
                }
            }
            (kind, None) => {
                return Err(
                    anyhow::anyhow!("sync change {} ({kind}) without its item", row.seq).into(),
                )
            }
        };
        items.push(item);
        next = row.seq;
    }
    let balances = crate::services::sync_balances::latest(app, &consent.id).await?;
    Ok(SyncPage {
        balances,
        items,
        next_cursor: encode_cursor(&consent.id, next),
        has_more,
        synced_through: state.as_ref().and_then(|s| s.synced_through.clone()),
        refreshing: state.is_some_and(|s| s.refresh_queued),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_name_their_consent_and_a_seen_position() {
        let c = encode_cursor("cns_1", 7);
        assert_eq!(decode_cursor("cns_1", &c, 9).ok(), Some(7));
        assert!(decode_cursor("cns_2", &c, 9).is_err(), "another consent's");
        assert!(decode_cursor("cns_1", &c, 6).is_err(), "past the log");
        assert!(decode_cursor("cns_1", "not base64!", 9).is_err());
        assert!(decode_cursor("cns_1", &encode_cursor("cns_1", -1), 9).is_err());
    }

    #[test]
    fn counts_are_whole_numbers_from_one_to_five_hundred() {
        assert_eq!(parse_count(None).ok(), Some(100));
        assert_eq!(parse_count(Some("500")).ok(), Some(500));
        for bad in ["0", "501", "-1", "ten", "1.5", ""] {
            let e = parse_count(Some(bad)).unwrap_err();
            assert!(
                matches!(e, Error::Field(ref f) if f.field == "count"),
                "{bad}"
            );
        }
    }
}
