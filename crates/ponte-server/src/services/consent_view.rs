//! How a consent reads: its status, history and permissions, as domain
//! values (each dialect renders them in its own shape).

use crate::error::Result;
use crate::App;
use ponte_core::ConsentStatus;
use ponte_store::ConsentRow;

/// One change of a consent's status.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub status: ConsentStatus,
    pub reason: Option<String>,
    pub at_ms: i64,
}

/// A consent with its history, oldest change first.
#[derive(Debug, Clone)]
pub struct ConsentDetails {
    pub consent_id: String,
    pub link_id: String,
    pub institution_code: String,
    pub external_track_id: Option<String>,
    pub status: ConsentStatus,
    pub status_reason: Option<String>,
    pub history: Vec<StatusChange>,
    pub created_at_ms: i64,
    pub expire_at_ms: i64,
    /// Open Finance Brasil permissions granted, e.g. `ACCOUNTS_READ`.
    pub permissions: Vec<String>,
}

pub async fn view_of(app: &App, row: &ConsentRow) -> Result<ConsentDetails> {
    let mut conn = app.store.read().await?;
    let history = ponte_store::consent_history(&mut conn, &row.id).await?;
    Ok(ConsentDetails {
        consent_id: row.id.clone(),
        link_id: row.link_id.clone(),
        institution_code: row.institution_code.clone(),
        external_track_id: row.external_track_id.clone(),
        status: ConsentStatus::parse(&row.status)
            .ok_or_else(|| anyhow::anyhow!("stored consent status {:?}", row.status))?,
        status_reason: row.status_reason.clone(),
        history: history
            .into_iter()
            .filter_map(|h| {
                Some(StatusChange {
                    status: ConsentStatus::parse(&h.status)?,
                    reason: h.reason,
                    at_ms: h.at,
                })
            })
            .collect(),
        created_at_ms: row.created_at,
        expire_at_ms: row.expire_at,
        permissions: serde_json::from_str(&row.permissions).unwrap_or_default(),
    })
}

pub async fn views_of_link(app: &App, link_id: &str) -> Result<Vec<ConsentDetails>> {
    let rows = ponte_store::consents_of_link(&mut *app.store.read().await?, link_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(view_of(app, row).await?);
    }
    Ok(out)
}
