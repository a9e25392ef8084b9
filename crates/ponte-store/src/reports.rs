//! Retrieval requests and the reports they produce.

use crate::{db::Conn, db::Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: String,
    pub client_id: String,
    pub link_id: String,
    /// `personal` or `business`.
    pub kind: String,
    /// JSON array of consent ids.
    pub consent_ids: String,
    /// JSON array of product names.
    pub products: String,
    /// JSON object: product → URL.
    pub callbacks: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: String,
    pub request_id: String,
    pub client_id: String,
    pub link_id: String,
    pub consent_id: String,
    pub institution_code: String,
    pub product: String,
    #[sqlx(try_from = "crate::ReportOutcomeText")]
    pub status: crate::ReportOutcome,
    pub reason: Option<String>,
    pub summary: String,
    /// Encrypted report `data`; erased when the consent is revoked.
    pub data_enc: Option<String>,
    pub generated_at: i64,
    pub deleted_at: Option<i64>,
}

const REPORT_COLUMNS: &str = "id, request_id, client_id, link_id, consent_id, institution_code, product, status, reason, summary, data_enc, generated_at, deleted_at";

pub async fn insert_request(conn: &mut Conn, r: &RequestRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO retrieval_requests (id, client_id, link_id, kind, consent_ids, products, callbacks, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&r.id)
    .bind(&r.client_id)
    .bind(&r.link_id)
    .bind(&r.kind)
    .bind(&r.consent_ids)
    .bind(&r.products)
    .bind(&r.callbacks)
    .bind(r.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn request_by_id(conn: &mut Conn, id: &str) -> Result<Option<RequestRow>> {
    Ok(sqlx::query_as("SELECT id, client_id, link_id, kind, consent_ids, products, callbacks, created_at FROM retrieval_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Stores the report unless this request already has one for the consent and
/// product (a job that ran twice); true when this call stored it.
pub async fn insert_report(conn: &mut Conn, r: &ReportRow) -> Result<bool> {
    Ok(sqlx::query(&format!(
        "INSERT INTO reports ({REPORT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (request_id, consent_id, product) DO NOTHING"
    ))
    .bind(&r.id)
    .bind(&r.request_id)
    .bind(&r.client_id)
    .bind(&r.link_id)
    .bind(&r.consent_id)
    .bind(&r.institution_code)
    .bind(&r.product)
    .bind(r.status.as_str())
    .bind(&r.reason)
    .bind(&r.summary)
    // Borrowed: a long report's text is not copied for the driver.
    .bind(r.data_enc.as_deref())
    .bind(r.generated_at)
    .bind(r.deleted_at)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn report_by_id(conn: &mut Conn, id: &str) -> Result<Option<ReportRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The report without its sealed data: `data_enc` is always `None` here.
/// A long report's text is read in slices instead (`report_data_len`,
/// `report_data_slice`), never whole and copied on its way from the driver.
pub async fn report_head_by_id(conn: &mut Conn, id: &str) -> Result<Option<ReportRow>> {
    Ok(sqlx::query_as(
        "SELECT id, request_id, client_id, link_id, consent_id, institution_code, product, status, reason, summary, NULL AS data_enc, generated_at, deleted_at
         FROM reports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// How many characters of sealed data the report holds; `None` when it holds
/// none (a failed report, or one erased at revocation) or is not there.
pub async fn report_data_len(conn: &mut Conn, id: &str) -> Result<Option<i64>> {
    let len: Option<Option<i64>> =
        sqlx::query_scalar("SELECT CAST(length(data_enc) AS BIGINT) FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(len.flatten())
}

/// `len` characters of the report's sealed data from character `from`
/// (counted from 1); `None` when its data was erased meanwhile. The text is
/// ASCII (base64), so characters are bytes.
pub async fn report_data_slice(
    conn: &mut Conn,
    id: &str,
    from: i64,
    len: i64,
) -> Result<Option<String>> {
    let slice: Option<Option<String>> = sqlx::query_scalar(
        "SELECT substr(data_enc, CAST($2 AS INTEGER), CAST($3 AS INTEGER)) FROM reports WHERE id = $1",
    )
    .bind(id)
    .bind(from)
    .bind(len)
    .fetch_optional(conn)
    .await?;
    Ok(slice.flatten())
}

/// Stores chunk `seq` (from 0) of a report's sealed data (nonce, ciphertext
/// and tag); `set_report_chunks` then says how many there are.
pub async fn insert_report_chunk(conn: &mut Conn, id: &str, seq: i64, data: &[u8]) -> Result<()> {
    sqlx::query("INSERT INTO report_chunks (report_id, seq, data) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(seq)
        .bind(data)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that the report's data is held in `count` chunks.
pub async fn set_report_chunks(conn: &mut Conn, id: &str, count: i64) -> Result<()> {
    sqlx::query("UPDATE reports SET data_chunks = $2 WHERE id = $1")
        .bind(id)
        .bind(count)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many chunks hold the report's data; `None` when its data is not in
/// chunks (stored before them, a failed report, erased) or it is not there.
pub async fn report_data_chunks(conn: &mut Conn, id: &str) -> Result<Option<i64>> {
    let count: Option<Option<i64>> =
        sqlx::query_scalar("SELECT CAST(data_chunks AS BIGINT) FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(count.flatten())
}

/// Chunk `seq` of the report's sealed data; `None` when it is not there
/// (erased meanwhile, or never stored).
pub async fn report_chunk(conn: &mut Conn, id: &str, seq: i64) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT data FROM report_chunks WHERE report_id = $1 AND seq = $2")
            .bind(id)
            .bind(seq)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn reports_of_request(conn: &mut Conn, request_id: &str) -> Result<Vec<ReportRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE request_id = $1 ORDER BY generated_at, id"
    ))
    .bind(request_id)
    .fetch_all(conn)
    .await?)
}

/// Erases the data of every report of the consent (revocation); the rows stay
/// so their URLs can answer 410 Gone.
pub async fn erase_consent_reports(conn: &mut Conn, consent_id: &str, now: i64) -> Result<u64> {
    sqlx::query(
        "DELETE FROM report_chunks WHERE report_id IN (SELECT id FROM reports WHERE consent_id = $1)",
    )
    .bind(consent_id)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query("UPDATE reports SET data_enc = NULL, data_chunks = NULL, deleted_at = $1 WHERE consent_id = $2 AND deleted_at IS NULL")
        .bind(now)
        .bind(consent_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// The ids of every report of one consent and product, oldest first: each
/// retrieval stores a new version and keeps the earlier ones.
pub async fn report_versions(
    conn: &mut Conn,
    consent_id: &str,
    product: &str,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM reports WHERE consent_id = $1 AND product = $2 ORDER BY generated_at, id",
    )
    .bind(consent_id)
    .bind(product)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[cfg(test)]
mod tests;
