//! What the hosted documents app (`/app`) shows its end user: who receives
//! the documents, and how the latest retrieval is going, file by file, with
//! the reason in a word when it failed. The app turns the reason into plain
//! language; nothing here is an API message.

use crate::error::{Error, Result};
use crate::services::clients;
use crate::services::documents::Session;
use crate::App;
use ponte_store::{DocumentFileRow, RetrievalRow};

/// The client as its end user should recognise it.
pub struct Recipient {
    pub name: String,
    pub logo_url: Option<String>,
    /// Darkened when too light for white text.
    pub primary_color: Option<String>,
    pub privacy_policy_url: Option<String>,
    pub frame_origins: Vec<String>,
}

pub async fn recipient(app: &App, client_id: &str) -> Result<Recipient> {
    let mut conn = app.store.read().await?;
    let client = ponte_store::client_by_id(&mut conn, client_id)
        .await?
        .ok_or(Error::NotFound("client"))?;
    drop(conn);
    let branding = clients::branding(app, client_id).await?;
    Ok(Recipient {
        primary_color: branding.readable_color(),
        name: branding.display_name.clone().unwrap_or(client.name),
        logo_url: branding.logo_url,
        privacy_policy_url: branding.privacy_policy_url,
        frame_origins: branding.frame_origins,
    })
}

/// The end user's latest retrieval and its files as they stand.
pub async fn progress(app: &App, s: &Session) -> Result<(RetrievalRow, Vec<DocumentFileRow>)> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::latest_retrieval(&mut conn, &s.end_user_id)
        .await?
        .map(|r| crate::services::documents::as_of(app.clock.now_ms(), r))
        .ok_or(Error::NotFound("retrieval"))?;
    let files = ponte_store::retrieval_files(&mut conn, row.id).await?;
    Ok((row, files))
}
