//! How a consent reads: its status, history and permissions, as domain
//! values (each dialect renders them in its own shape).

use crate::error::Result;
use crate::App;
use ponte_core::ConsentStatus;
use ponte_store::{Conn, ConsentRow};
use std::collections::HashMap;

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
    /// The AUTHORISED consent of the same person at the same institution
    /// that existed when this one was made.
    pub duplicate_of: Option<String>,
    /// For a consent Ponte rejected because the institution's answer failed a
    /// FAPI-BR check: the check (`id_token.s_hash`, `token.scope`, …).
    pub rejected_check: Option<String>,
}

pub async fn view_of(app: &App, row: &ConsentRow) -> Result<ConsentDetails> {
    let mut conn = app.store.read().await?;
    let history = ponte_store::consent_history(&mut conn, &row.id).await?;
    let mut details = details_of(row, history.into_iter().map(|h| (h.status, h.reason, h.at)))?;
    details.duplicate_of = ponte_store::duplicate_of(&mut conn, &row.id).await?;
    if details.status == ConsentStatus::Rejected {
        details.rejected_check = ponte_store::rejection_check(&mut conn, &row.id).await?;
    }
    Ok(details)
}

/// A link's consents, oldest first, with their histories: two queries on
/// the caller's connection whatever the number of consents (one when there
/// are none), so a link's page costs no round trip per consent.
pub async fn views_of_link(conn: &mut Conn, link_id: &str) -> Result<Vec<ConsentDetails>> {
    let rows = ponte_store::consents_of_link(conn, link_id).await?;
    with_histories(conn, link_id, &rows).await
}

/// `rows`, a link's consents, with their histories read in one query (none
/// when there are no consents).
pub async fn with_histories(
    conn: &mut Conn,
    link_id: &str,
    rows: &[ConsentRow],
) -> Result<Vec<ConsentDetails>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut histories: HashMap<String, Vec<(ConsentStatus, Option<String>, i64)>> = HashMap::new();
    for e in ponte_store::consent_histories_of_link(conn, link_id).await? {
        histories
            .entry(e.consent_id)
            .or_default()
            .push((e.status, e.reason, e.at));
    }
    let mut duplicates: HashMap<String, String> = ponte_store::duplicates_of_link(conn, link_id)
        .await?
        .into_iter()
        .collect();
    let mut checks: HashMap<String, String> =
        if rows.iter().any(|r| r.status == ConsentStatus::Rejected) {
            ponte_store::rejection_checks_of_link(conn, link_id)
                .await?
                .into_iter()
                .collect()
        } else {
            HashMap::new()
        };
    rows.iter()
        .map(|row| {
            let mut details = details_of(row, histories.remove(&row.id).unwrap_or_default())?;
            details.duplicate_of = duplicates.remove(&row.id);
            details.rejected_check = checks.remove(&row.id);
            Ok(details)
        })
        .collect()
}

/// A consent's row and its history (status, reason, at; oldest first) as
/// the domain value.
fn details_of(
    row: &ConsentRow,
    history: impl IntoIterator<Item = (ConsentStatus, Option<String>, i64)>,
) -> Result<ConsentDetails> {
    Ok(ConsentDetails {
        consent_id: row.id.clone(),
        link_id: row.link_id.clone(),
        institution_code: row.institution_code.clone(),
        external_track_id: row.external_track_id.clone(),
        status: row.status,
        status_reason: row.status_reason.clone(),
        history: history
            .into_iter()
            .map(|(status, reason, at_ms)| StatusChange {
                status,
                reason,
                at_ms,
            })
            .collect(),
        created_at_ms: row.created_at,
        expire_at_ms: row.expire_at,
        permissions: serde_json::from_str(&row.permissions).unwrap_or_default(),
        duplicate_of: None,
        rejected_check: None,
    })
}
