//! The Documents API's rows: sessions (what one token was opened with),
//! retrievals (one per portal connection, integer ids) and their files.

use crate::{db::Conn, db::Result, FileId, FileStatus, RetrievalId, RetrievalStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentSessionRow {
    pub id: String,
    pub client_id: String,
    pub end_user_id: String,
    pub metadata: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RetrievalRow {
    pub id: RetrievalId,
    pub client_id: String,
    pub end_user_id: String,
    pub institution_code: String,
    pub status: RetrievalStatus,
    pub error: Option<String>,
    pub metadata: String,
    pub portal_session_enc: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// When the current sign-in at the portal started (`None`: `created_at`).
    pub login_started_at: Option<i64>,
}

impl RetrievalRow {
    /// When the end user's current sign-in at the portal started.
    pub fn login_started(&self) -> i64 {
        self.login_started_at.unwrap_or(self.created_at)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentFileRow {
    pub id: FileId,
    pub retrieval_id: RetrievalId,
    pub portal_document_id: String,
    pub status: FileStatus,
    pub file_name: String,
    pub storage_key: Option<String>,
    pub size_bytes: Option<i64>,
    pub error: Option<String>,
    pub created_at: i64,
    pub stored_at: Option<i64>,
}

const RETRIEVAL: &str = "id, client_id, end_user_id, institution_code, status, error, metadata, portal_session_enc, created_at, finished_at, login_started_at";
const FILE: &str = "id, retrieval_id, portal_document_id, status, file_name, storage_key, size_bytes, error, created_at, stored_at";

pub async fn insert_document_session(conn: &mut Conn, row: &DocumentSessionRow) -> Result<()> {
    sqlx::query("INSERT INTO document_sessions (id, client_id, end_user_id, metadata, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&row.id)
        .bind(&row.client_id)
        .bind(&row.end_user_id)
        .bind(&row.metadata)
        .bind(row.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn document_session(conn: &mut Conn, id: &str) -> Result<Option<DocumentSessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, client_id, end_user_id, metadata, created_at FROM document_sessions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A retrieval awaiting the end user's login at the portal; returns its id.
pub async fn insert_retrieval(
    conn: &mut Conn,
    client_id: &str,
    end_user_id: &str,
    institution_code: &str,
    state_hash: &str,
    metadata: &str,
    now: i64,
) -> Result<RetrievalId> {
    let (id,): (RetrievalId,) = sqlx::query_as(
        "INSERT INTO document_retrievals (client_id, end_user_id, institution_code, state_hash, status, metadata, created_at)
         VALUES ($1, $2, $3, $4, 'awaiting_login', $5, $6) RETURNING id",
    )
    .bind(client_id)
    .bind(end_user_id)
    .bind(institution_code)
    .bind(state_hash)
    .bind(metadata)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn retrieval(conn: &mut Conn, id: RetrievalId) -> Result<Option<RetrievalRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RETRIEVAL} FROM document_retrievals WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

pub async fn retrieval_by_state(conn: &mut Conn, state_hash: &str) -> Result<Option<RetrievalRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RETRIEVAL} FROM document_retrievals WHERE state_hash = $1"
    ))
    .bind(state_hash)
    .fetch_optional(conn)
    .await?)
}

/// The end user's latest retrieval, if any.
pub async fn latest_retrieval(conn: &mut Conn, end_user_id: &str) -> Result<Option<RetrievalRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RETRIEVAL} FROM document_retrievals WHERE end_user_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(end_user_id)
    .fetch_optional(conn)
    .await?)
}

/// The end user's latest retrieval at one portal, if any.
pub async fn latest_retrieval_at(
    conn: &mut Conn,
    end_user_id: &str,
    institution_code: &str,
) -> Result<Option<RetrievalRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RETRIEVAL} FROM document_retrievals WHERE end_user_id = $1 AND institution_code = $2
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(end_user_id)
    .bind(institution_code)
    .fetch_optional(conn)
    .await?)
}

/// Starts the sign-in of a retrieval that never got one (awaiting it, or
/// expired waiting) again, with a new `state`; false if it has moved on.
pub async fn reopen_retrieval(
    conn: &mut Conn,
    id: RetrievalId,
    state_hash: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE document_retrievals SET status = 'awaiting_login', state_hash = $1,
            login_started_at = $2, error = NULL, finished_at = NULL
         WHERE id = $3 AND status IN ('awaiting_login', 'expired')",
    )
    .bind(state_hash)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends as `expired` every retrieval whose sign-in started before `cutoff`
/// and never came back; how many.
pub async fn expire_retrievals(conn: &mut Conn, cutoff: i64, why: &str, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE document_retrievals SET status = 'expired', error = $1, finished_at = $2
         WHERE status = 'awaiting_login' AND COALESCE(login_started_at, created_at) < $3",
    )
    .bind(why)
    .bind(now)
    .bind(cutoff)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Moves a retrieval from `from` to `to` (compare and set); false if it was
/// no longer at `from`. `portal_session_enc` and `error` are written when given.
pub async fn advance_retrieval(
    conn: &mut Conn,
    id: RetrievalId,
    from: RetrievalStatus,
    to: RetrievalStatus,
    portal_session_enc: Option<&str>,
    error: Option<&str>,
    finished_at: Option<i64>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE document_retrievals SET status = $1,
            portal_session_enc = COALESCE($2, portal_session_enc), error = COALESCE($3, error),
            finished_at = COALESCE($4, finished_at)
         WHERE id = $5 AND status = $6",
    )
    .bind(to)
    .bind(portal_session_enc)
    .bind(error)
    .bind(finished_at)
    .bind(id)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a listed document once; a retrieval run again keeps what it had.
pub async fn insert_document_file(conn: &mut Conn, row: &DocumentFileRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_files (id, retrieval_id, portal_document_id, status, file_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (retrieval_id, portal_document_id) DO NOTHING",
    )
    .bind(&row.id)
    .bind(row.retrieval_id)
    .bind(&row.portal_document_id)
    .bind(row.status)
    .bind(&row.file_name)
    .bind(row.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn retrieval_files(
    conn: &mut Conn,
    retrieval_id: RetrievalId,
) -> Result<Vec<DocumentFileRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {FILE} FROM document_files WHERE retrieval_id = $1 ORDER BY created_at, file_name, id"
    ))
    .bind(retrieval_id)
    .fetch_all(conn)
    .await?)
}

pub async fn document_file(conn: &mut Conn, id: &FileId) -> Result<Option<DocumentFileRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {FILE} FROM document_files WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn file_stored(
    conn: &mut Conn,
    id: &FileId,
    storage_key: &str,
    size: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE document_files SET status = 'success', storage_key = $1, size_bytes = $2, error = NULL, stored_at = $3 WHERE id = $4")
        .bind(storage_key)
        .bind(size)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn file_failed(conn: &mut Conn, id: &FileId, error: &str) -> Result<()> {
    sqlx::query("UPDATE document_files SET status = 'failed', error = $1 WHERE id = $2")
        .bind(error)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every stored file of an end user (to erase from storage before the rows).
pub async fn end_user_file_keys(conn: &mut Conn, end_user_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT f.storage_key FROM document_files f JOIN document_retrievals r ON r.id = f.retrieval_id
         WHERE r.end_user_id = $1 AND f.storage_key IS NOT NULL",
    )
    .bind(end_user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// Removes the end user's documents rows (sessions, retrievals, files).
pub async fn delete_end_user_documents(conn: &mut Conn, end_user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM document_files WHERE retrieval_id IN (SELECT id FROM document_retrievals WHERE end_user_id = $1)")
        .bind(end_user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM document_retrievals WHERE end_user_id = $1")
        .bind(end_user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM document_sessions WHERE end_user_id = $1")
        .bind(end_user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Files stored before `cutoff`, oldest first, at most `limit`.
pub async fn files_stored_before(
    conn: &mut Conn,
    cutoff: i64,
    limit: i64,
) -> Result<Vec<DocumentFileRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {FILE} FROM document_files WHERE stored_at IS NOT NULL AND stored_at < $1 ORDER BY stored_at LIMIT $2"
    ))
    .bind(cutoff)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// A file whose bytes were erased: it stays listed, expired.
pub async fn file_expired(conn: &mut Conn, id: &FileId) -> Result<()> {
    sqlx::query("UPDATE document_files SET status = 'expired', storage_key = NULL, stored_at = NULL WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The end user's own row, once their documents are gone (a documents-app
/// user has nothing else pointing at them).
pub async fn delete_documents_end_user(conn: &mut Conn, client_id: &str, id: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM end_users WHERE id = $1 AND client_id = $2 AND kind = 'minted'")
            .bind(id)
            .bind(client_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}
