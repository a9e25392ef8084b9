//! How a consent reads: its status, history and permissions.

use crate::clock::rfc3339;
use crate::error::Result;
use crate::App;
use ponte_core::ConsentStatus;
use ponte_store::ConsentRow;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub status: ConsentStatus,
    pub reason: Option<String>,
    pub at: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentView {
    pub consent_id: String,
    pub link_id: String,
    pub institution_code: String,
    pub external_track_id: Option<String>,
    pub status: ConsentStatus,
    pub status_reason: Option<String>,
    pub status_history: Vec<HistoryEntry>,
    pub created_at: String,
    pub expire_at: String,
    pub permissions: Vec<String>,
}

pub async fn view_of(app: &App, row: &ConsentRow) -> Result<ConsentView> {
    let mut conn = app.store.read().await?;
    let history = ponte_store::consent_history(&mut conn, &row.id).await?;
    Ok(ConsentView {
        consent_id: row.id.clone(),
        link_id: row.link_id.clone(),
        institution_code: row.institution_code.clone(),
        external_track_id: row.external_track_id.clone(),
        status: ConsentStatus::parse(&row.status)
            .ok_or_else(|| anyhow::anyhow!("stored consent status {:?}", row.status))?,
        status_reason: row.status_reason.clone(),
        status_history: history
            .into_iter()
            .filter_map(|h| {
                Some(HistoryEntry {
                    status: ConsentStatus::parse(&h.status)?,
                    reason: h.reason,
                    at: rfc3339(h.at),
                })
            })
            .collect(),
        created_at: rfc3339(row.created_at),
        expire_at: rfc3339(row.expire_at),
        permissions: serde_json::from_str(&row.permissions).unwrap_or_default(),
    })
}

pub async fn views_of_link(app: &App, link_id: &str) -> Result<Vec<ConsentView>> {
    let rows = ponte_store::consents_of_link(&mut *app.store.read().await?, link_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(view_of(app, row).await?);
    }
    Ok(out)
}
