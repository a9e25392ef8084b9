//! The files a retrieval stored: signed download URLs valid 15 minutes,
//! streamed (whole or a range) from storage, and their erasure — an end user
//! on the integrator's request, a deleted client, and the retention sweep.

use crate::error::Result;
use crate::services::end_users;
use crate::services::signed_url::{Purpose, Signer};
use crate::App;
use ponte_core::ClientId;
use ponte_store::FileId;

/// A download URL for `file_id`, valid 15 minutes from now.
pub fn signed_url(app: &App, file_id: &FileId) -> String {
    let link = Signer::new(&app.crypto, Purpose::DocumentDownload)
        .sign(file_id.as_str(), app.clock.now_ms());
    format!(
        "{}/files/{file_id}?expires={}&signature={}",
        app.public_url, link.expires, link.signature
    )
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("the link is invalid or has expired; ask GET /api/retrievals/{{id}} for a fresh one")]
    Forbidden,
    #[error("file not found")]
    NotFound,
    #[error("the requested range is not satisfiable")]
    Range(u64),
    #[error("internal error")]
    Internal(String),
}

pub struct Download {
    pub file_name: String,
    pub reading: crate::storage::Reading,
}

/// The file behind a signed URL, whole or `range`.
pub async fn download(
    app: &App,
    file_id: &FileId,
    expires: Option<&str>,
    sig: Option<&str>,
    range: Option<crate::storage::ByteRange>,
) -> Result<Download, DownloadError> {
    Signer::new(&app.crypto, Purpose::DocumentDownload)
        .check(file_id.as_str(), expires, sig, app.clock.now_ms())
        .map_err(|_| DownloadError::Forbidden)?;
    let internal = |e: &dyn std::fmt::Display| DownloadError::Internal(e.to_string());
    let mut conn = app.store.read().await.map_err(|e| internal(&e))?;
    let row = ponte_store::document_file(&mut conn, file_id)
        .await
        .map_err(|e| internal(&e))?
        .ok_or(DownloadError::NotFound)?;
    drop(conn);
    let key = row.storage_key.ok_or(DownloadError::NotFound)?;
    let reading = match app.storage.get(&key, range).await {
        Ok(r) => r,
        Err(crate::storage::StorageError::NotFound) => return Err(DownloadError::NotFound),
        Err(crate::storage::StorageError::Range) => {
            let size = app.storage.size(&key).await.unwrap_or(0);
            return Err(DownloadError::Range(size));
        }
        Err(e) => return Err(internal(&e)),
    };
    Ok(Download {
        file_name: row.file_name,
        reading,
    })
}

/// Where a file's bytes live: under its client and end user, so erasing a
/// person is erasing a prefix.
pub fn storage_key(client_id: &str, end_user_id: &str, file_id: &FileId) -> String {
    format!("documents/{client_id}/{end_user_id}/{file_id}.pdf")
}

/// `DELETE /api/users/{id}`: the end user's files leave storage, then their
/// documents rows and the end user go.
pub async fn erase_end_user(app: &App, client: &ClientId, id: &str) -> Result<()> {
    let user = end_users::find(app, client, id).await?;
    let mut conn = app.store.read().await?;
    let keys = ponte_store::end_user_file_keys(&mut conn, user.id.as_str()).await?;
    drop(conn);
    for key in &keys {
        app.storage
            .delete(key)
            .await
            .map_err(|e| anyhow::anyhow!("erasing a document: {e}"))?;
    }
    // Files written after the listing (a retrieval still running) share the prefix.
    let prefix = format!("documents/{client}/{}", user.id);
    for key in app.storage.keys(&prefix).await.unwrap_or_default() {
        let _ = app.storage.delete(&key).await;
    }
    let mut tx = app.store.begin().await?;
    ponte_store::delete_end_user_documents(&mut tx, user.id.as_str()).await?;
    ponte_store::delete_documents_end_user(&mut tx, client.as_str(), user.id.as_str()).await?;
    tx.commit().await?;
    tracing::info!(end_user_id = %user.id, files = keys.len(), "documents end user erased");
    Ok(())
}

/// Every stored file of a client (its deletion): the rows went with the client.
pub async fn erase_client_files(app: &App, client_id: &str) -> Result<()> {
    let prefix = format!("documents/{client_id}");
    let keys = app
        .storage
        .keys(&prefix)
        .await
        .map_err(|e| anyhow::anyhow!("listing a deleted client's documents: {e}"))?;
    for key in &keys {
        app.storage
            .delete(key)
            .await
            .map_err(|e| anyhow::anyhow!("erasing a document: {e}"))?;
    }
    tracing::info!(
        client_id,
        files = keys.len(),
        "deleted client's documents erased"
    );
    Ok(())
}

/// Deletes files stored before `cutoff` (the retention sweep); returns how many.
pub async fn sweep(app: &App, cutoff: i64, batch: i64) -> Result<u64> {
    let mut removed = 0;
    loop {
        let mut conn = app.store.read().await?;
        let old = ponte_store::files_stored_before(&mut conn, cutoff, batch).await?;
        drop(conn);
        if old.is_empty() {
            return Ok(removed);
        }
        for f in &old {
            if let Some(key) = &f.storage_key {
                app.storage
                    .delete(key)
                    .await
                    .map_err(|e| anyhow::anyhow!("erasing a document: {e}"))?;
            }
            let mut tx = app.store.begin().await?;
            ponte_store::file_expired(&mut tx, &f.id).await?;
            tx.commit().await?;
            removed += 1;
        }
    }
}
