//! What a refresh keeps besides transactions (migration 0026): each synced account's
//! latest balances (a card's latest limits), and the closed card bills it has seen.

use crate::{db::Conn, db::Result};

/// One account's (or card's) latest balances, sealed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncBalanceRow {
    /// `accounts` (accounts `/balances` data) or `creditCards` (`/limits` data).
    pub product: String,
    pub account_id: String,
    pub data_enc: String,
    /// When they were read, on the client's clock (ms).
    pub as_of: i64,
}

/// One closed card bill a refresh has seen.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncBillRow {
    pub account_id: String,
    pub bill_id: String,
    /// YYYY-MM-DD.
    pub due_date: String,
}

/// The consent's latest balances, accounts before cards, each in id order.
pub async fn sync_balances(conn: &mut Conn, consent_id: &str) -> Result<Vec<SyncBalanceRow>> {
    Ok(sqlx::query_as(
        "SELECT product, account_id, data_enc, as_of FROM sync_balances
         WHERE consent_id = $1 ORDER BY product, account_id",
    )
    .bind(consent_id)
    .fetch_all(conn)
    .await?)
}

/// Replaces the balances a refresh read; the others stay as last read.
pub async fn save_sync_balances(
    conn: &mut Conn,
    consent_id: &str,
    rows: &[SyncBalanceRow],
) -> Result<()> {
    for r in rows {
        sqlx::query(
            "INSERT INTO sync_balances (consent_id, product, account_id, data_enc, as_of)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (consent_id, product, account_id) DO UPDATE
               SET data_enc = excluded.data_enc, as_of = excluded.as_of",
        )
        .bind(consent_id)
        .bind(&r.product)
        .bind(&r.account_id)
        .bind(&r.data_enc)
        .bind(r.as_of)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The bills seen of one card.
pub async fn sync_bills(
    conn: &mut Conn,
    consent_id: &str,
    account_id: &str,
) -> Result<Vec<SyncBillRow>> {
    Ok(sqlx::query_as(
        "SELECT account_id, bill_id, due_date FROM sync_bills
         WHERE consent_id = $1 AND account_id = $2 ORDER BY due_date, bill_id",
    )
    .bind(consent_id)
    .bind(account_id)
    .fetch_all(conn)
    .await?)
}

/// Remembers bills as seen (a bill seen again is left as it was).
pub async fn save_sync_bills(
    conn: &mut Conn,
    consent_id: &str,
    rows: &[SyncBillRow],
    now: i64,
) -> Result<()> {
    for r in rows {
        sqlx::query(
            "INSERT INTO sync_bills (consent_id, account_id, bill_id, due_date, seen_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (consent_id, account_id, bill_id) DO NOTHING",
        )
        .bind(consent_id)
        .bind(&r.account_id)
        .bind(&r.bill_id)
        .bind(&r.due_date)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The day of the card's oldest stored purchase still without a `billId`: a new bill
/// due after it may hold it.
pub async fn oldest_unbilled_day(
    conn: &mut Conn,
    consent_id: &str,
    account_id: &str,
) -> Result<Option<String>> {
    let row: (Option<String>,) = sqlx::query_as(
        "SELECT MIN(booked_on) FROM sync_transactions
         WHERE consent_id = $1 AND account_id = $2 AND unbilled = 1",
    )
    .bind(consent_id)
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(row.0)
}
