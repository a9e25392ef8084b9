//! Incremental transaction sync (migration 0020): the transactions a consent's refreshes
//! have seen, the numbered changes a sync cursor pages through, and each consent's sync
//! state (its last change, the day it read through, whether a refresh is queued).

use crate::consents::COLUMNS;
use crate::{consents::ConsentRow, db::Conn, db::Result};

/// One stored transaction: the last version the institution listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncTxRow {
    pub account_id: String,
    pub transaction_id: String,
    pub product: String,
    pub booked_on: String,
    #[sqlx(try_from = "crate::typed::Flag")]
    pub pending: bool,
    /// A card purchase without a `billId` yet (migration 0026).
    #[sqlx(try_from = "crate::typed::Flag")]
    pub unbilled: bool,
    pub data_enc: String,
}

/// One change, as a cursor reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncChangeRow {
    pub seq: i64,
    pub kind: String,
    pub account_id: String,
    pub transaction_id: String,
    pub data_enc: Option<String>,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncStateRow {
    pub consent_id: String,
    pub last_seq: i64,
    pub synced_through: Option<String>,
    pub accounts: Option<String>,
    #[sqlx(try_from = "crate::typed::Flag")]
    pub refresh_queued: bool,
    pub next_due_at: Option<i64>,
    pub updated_at: i64,
}

/// A change to record; `seq` is assigned when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSyncChange {
    pub kind: &'static str,
    pub account_id: String,
    pub transaction_id: String,
    pub data_enc: Option<String>,
}

pub const SYNC_ADDED: &str = "added";

/// Rows per INSERT: 8 parameters each stays far below both databases' limits.
const BATCH: usize = 500;

/// `($1, …, $cols), ($cols+1, …)` for `rows` rows.
fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
pub const SYNC_MODIFIED: &str = "modified";
pub const SYNC_REMOVED: &str = "removed";

pub async fn sync_state(conn: &mut Conn, consent_id: &str) -> Result<Option<SyncStateRow>> {
    Ok(sqlx::query_as(
        "SELECT consent_id, last_seq, synced_through, accounts, refresh_queued, next_due_at, updated_at
         FROM sync_state WHERE consent_id = $1",
    )
    .bind(consent_id)
    .fetch_optional(conn)
    .await?)
}

/// Marks a refresh of the consent queued; false when one already is (the caller joins
/// it). A scheduled refresh (`schedule` = (the client's now, when the next is due)) is
/// claimed only when it is due, and moves the due time on.
pub async fn claim_sync_refresh(
    conn: &mut Conn,
    consent_id: &str,
    schedule: Option<(i64, i64)>,
    now: i64,
) -> Result<bool> {
    let (client_now, next_due) = schedule.unzip();
    let claimed = sqlx::query(
        "INSERT INTO sync_state (consent_id, last_seq, synced_through, refresh_queued, next_due_at, updated_at)
         VALUES ($1, 0, NULL, 1, $3, $4)
         ON CONFLICT (consent_id) DO UPDATE
           SET refresh_queued = 1, updated_at = $4,
               next_due_at = COALESCE($3, sync_state.next_due_at)
         WHERE sync_state.refresh_queued = 0
           AND ($2 IS NULL OR sync_state.next_due_at IS NULL OR sync_state.next_due_at <= $2)",
    )
    .bind(consent_id)
    .bind(client_now)
    .bind(next_due)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Ends a queued refresh that recorded nothing (it failed, or the consent ended).
pub async fn release_sync_refresh(conn: &mut Conn, consent_id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE sync_state SET refresh_queued = 0, updated_at = $2 WHERE consent_id = $1")
        .bind(consent_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The oldest day a stored transaction is still pending on (it must stay in the window
/// until it settles or goes).
pub async fn oldest_pending_day(conn: &mut Conn, consent_id: &str) -> Result<Option<String>> {
    let row: (Option<String>,) = sqlx::query_as(
        "SELECT MIN(booked_on) FROM sync_transactions WHERE consent_id = $1 AND pending = 1",
    )
    .bind(consent_id)
    .fetch_one(conn)
    .await?;
    Ok(row.0)
}

/// The stored transactions of `product` booked on or after `from` (YYYY-MM-DD).
pub async fn sync_transactions_from(
    conn: &mut Conn,
    consent_id: &str,
    product: &str,
    from: &str,
) -> Result<Vec<SyncTxRow>> {
    Ok(sqlx::query_as(
        "SELECT account_id, transaction_id, product, booked_on, pending, unbilled, data_enc
         FROM sync_transactions WHERE consent_id = $1 AND product = $2 AND booked_on >= $3
         ORDER BY account_id, transaction_id",
    )
    .bind(consent_id)
    .bind(product)
    .bind(from)
    .fetch_all(conn)
    .await?)
}

/// Writes one refresh's outcome: the stored transactions (`upserts`, `removals` by
/// account and id), its changes numbered after the consent's last one, the day it read
/// through (and the accounts it listed, when it did), and the end of the queued refresh. Answers the consent's new last seq.
/// Call inside a transaction that holds the consent (e.g. `lock_if_authorised`).
pub async fn record_sync(
    conn: &mut Conn,
    consent_id: &str,
    upserts: &[SyncTxRow],
    changes: &[NewSyncChange],
    synced_through: &str,
    accounts: Option<&str>,
    now: i64,
) -> Result<i64> {
    let state = sync_state(&mut *conn, consent_id).await?;
    let mut seq = state.as_ref().map_or(0, |s| s.last_seq);
    // Rows go in batches: a first pull of five years is tens of thousands of them.
    for batch in upserts.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO sync_transactions (consent_id, account_id, transaction_id, product, booked_on, pending, unbilled, data_enc)
             VALUES {}
             ON CONFLICT (consent_id, account_id, transaction_id) DO UPDATE
               SET product = excluded.product, booked_on = excluded.booked_on,
                   pending = excluded.pending, unbilled = excluded.unbilled,
                   data_enc = excluded.data_enc",
            placeholders(batch.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for t in batch {
            q = q
                .bind(consent_id)
                .bind(&t.account_id)
                .bind(&t.transaction_id)
                .bind(&t.product)
                .bind(&t.booked_on)
                .bind(i64::from(t.pending))
                .bind(i64::from(t.unbilled))
                .bind(&t.data_enc);
        }
        q.execute(&mut *conn).await?;
    }
    for c in changes.iter().filter(|c| c.kind == SYNC_REMOVED) {
        sqlx::query(
            "DELETE FROM sync_transactions WHERE consent_id = $1 AND account_id = $2 AND transaction_id = $3",
        )
        .bind(consent_id)
        .bind(&c.account_id)
        .bind(&c.transaction_id)
        .execute(&mut *conn)
        .await?;
    }
    for batch in changes.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO sync_changes (consent_id, seq, kind, account_id, transaction_id, data_enc, recorded_at)
             VALUES {}",
            placeholders(batch.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for c in batch {
            seq += 1;
            q = q
                .bind(consent_id)
                .bind(seq)
                .bind(c.kind)
                .bind(&c.account_id)
                .bind(&c.transaction_id)
                .bind(&c.data_enc)
                .bind(now);
        }
        q.execute(&mut *conn).await?;
    }
    sqlx::query(
        "INSERT INTO sync_state (consent_id, last_seq, synced_through, accounts, refresh_queued, next_due_at, updated_at)
         VALUES ($1, $2, $3, $4, 0, NULL, $5)
         ON CONFLICT (consent_id) DO UPDATE
           SET last_seq = $2, synced_through = $3, refresh_queued = 0, updated_at = $5,
               accounts = COALESCE($4, sync_state.accounts)",
    )
    .bind(consent_id)
    .bind(seq)
    .bind(synced_through)
    .bind(accounts)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

/// Up to `limit` changes after `after_seq`, in order.
pub async fn sync_changes_after(
    conn: &mut Conn,
    consent_id: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<SyncChangeRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, kind, account_id, transaction_id, data_enc, recorded_at
         FROM sync_changes WHERE consent_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(consent_id)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Erases what sync kept of a consent (revocation: like its reports' data).
pub async fn erase_consent_sync(conn: &mut Conn, consent_id: &str) -> Result<()> {
    for table in [
        "sync_transactions",
        "sync_changes",
        "sync_balances",
        "sync_bills",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE consent_id = $1"))
            .bind(consent_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The consent's client's sandbox test-clock offset, inside a query on `consents`.
const OFFSET: &str = "COALESCE((SELECT k.offset_ms FROM sandbox_client_clocks k WHERE k.client_id = consents.client_id), 0)";

/// Authorised consents granting one of `permissions` (the transaction
/// listings' the sync follows: accounts, credit cards), already synced
/// (the integrator asked for a refresh or read the sync once: nobody else's quota is
/// spent on a sync they never use), whose scheduled refresh is due at `now` (real
/// time; each is judged on its client's clock) and none queued, after `after_id`, up
/// to `limit`.
pub async fn consents_due_for_sync(
    conn: &mut Conn,
    now: i64,
    after_id: &str,
    limit: i64,
    permissions: &[&str],
) -> Result<Vec<ConsentRow>> {
    if permissions.is_empty() {
        return Ok(Vec::new());
    }
    let granting = (0..permissions.len())
        .map(|i| format!("permissions LIKE ${}", i + 4))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT {COLUMNS} FROM consents
         WHERE status = 'AUTHORISED' AND id > $2
           AND ({granting})
           AND EXISTS (SELECT 1 FROM sync_state s WHERE s.consent_id = consents.id
                       AND s.refresh_queued = 0
                       AND (s.next_due_at IS NULL OR s.next_due_at <= $1 + {OFFSET}))
         ORDER BY id LIMIT $3"
    );
    let mut query = sqlx::query_as(&sql).bind(now).bind(after_id).bind(limit);
    for permission in permissions {
        query = query.bind(format!("%{permission}%"));
    }
    Ok(query.fetch_all(conn).await?)
}
