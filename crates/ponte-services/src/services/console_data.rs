//! What the console shows of one client: the 30-day overview and the
//! connections (consents) with their history and reports. Read-only; the
//! console's actions call the same services as the Data API and the CLI.

use crate::error::{Error, Result};
use crate::services::slots;
use crate::App;
use ponte_core::{ClientId, FieldError};
use ponte_store::{ConnectionFilter, ConsentRow};
use serde::Deserialize;

pub use super::console_overview::{overview, Overview, Series, DAY_MS, OVERVIEW_DAYS};

/// The institution's name as the directory gives it; the code when the
/// institution has left the directory since.
pub fn institution_name(app: &App, code: &str) -> String {
    app.directory
        .get(code)
        .map(|i| i.name.clone())
        .unwrap_or_else(|| code.to_string())
}

#[derive(Deserialize)]
struct SealedTaxIds {
    personal: String,
    business: Option<String>,
}

/// `***.982.247-**`: enough to tell people apart on a screen, not enough
/// to identify one. A CNPJ keeps its middle the same way.
pub fn mask_tax_id(digits: &str) -> String {
    let d: Vec<char> = digits.chars().filter(char::is_ascii_digit).collect();
    match d.len() {
        11 => format!("***.{}.{}-**", s(&d[3..6]), s(&d[6..9])),
        14 => format!("**.{}.{}/****-**", s(&d[2..5]), s(&d[5..8])),
        _ => "***".into(),
    }
}

fn s(c: &[char]) -> String {
    c.iter().collect()
}

fn digits(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_digit).collect()
}

/// One consent as the console lists it.
#[derive(Debug)]
pub struct Connection {
    pub row: ConsentRow,
    /// The institution's display name (see [`institution_name`]).
    pub institution_name: String,
    pub personal_tax_id: String,
    pub business_tax_id: Option<String>,
}

pub(crate) fn connection(app: &App, row: ConsentRow) -> Connection {
    let ids: Option<SealedTaxIds> = app
        .crypto
        .open_json(slots::consent_tax_ids(&row.id), &row.tax_ids_enc)
        .ok();
    Connection {
        personal_tax_id: ids
            .as_ref()
            .map(|i| mask_tax_id(&i.personal))
            .unwrap_or_else(|| "***".into()),
        business_tax_id: ids.and_then(|i| i.business).map(|b| mask_tax_id(&b)),
        institution_name: institution_name(app, &row.institution_code),
        row,
    }
}

/// The connections page's query, parsed.
#[derive(Debug, Default)]
pub struct ConnectionQuery {
    pub filter: ConnectionFilter,
    /// Digits of a CPF or CNPJ, whole.
    pub tax_id: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

pub const MAX_PER_PAGE: i64 = 100;
/// The most consents a tax-id search decrypts: tax ids are sealed, so the
/// search reads rows in order and filters after opening them.
pub const TAX_ID_SCAN: i64 = 5_000;

pub fn parse_tax_id(raw: &str) -> Result<String, FieldError> {
    let d = digits(raw);
    if d.len() == 11 || d.len() == 14 {
        Ok(d)
    } else {
        Err(FieldError::new(
            "taxId",
            "must be a whole CPF (11 digits) or CNPJ (14 digits)",
        ))
    }
}

/// A page of the client's connections, newest first, and whether more follow.
pub async fn connections(
    app: &App,
    client: &ClientId,
    q: &ConnectionQuery,
) -> Result<(Vec<Connection>, bool)> {
    let offset = q.page.saturating_sub(1) * q.per_page;
    let mut conn = app.store.read().await?;
    match &q.tax_id {
        None => {
            let rows = ponte_store::console_consents(
                &mut conn,
                client.as_str(),
                &q.filter,
                q.per_page + 1,
                offset,
            )
            .await?;
            drop(conn);
            let more = rows.len() as i64 > q.per_page;
            let list = rows
                .into_iter()
                .take(q.per_page as usize)
                .map(|r| connection(app, r))
                .collect();
            Ok((list, more))
        }
        Some(wanted) => {
            let rows = ponte_store::console_consents(
                &mut conn,
                client.as_str(),
                &q.filter,
                TAX_ID_SCAN,
                0,
            )
            .await?;
            drop(conn);
            let matching: Vec<ConsentRow> = rows
                .into_iter()
                .filter(|r| {
                    app.crypto
                        .open_json::<SealedTaxIds>(slots::consent_tax_ids(&r.id), &r.tax_ids_enc)
                        .is_ok_and(|ids| {
                            digits(&ids.personal) == *wanted
                                || ids.business.is_some_and(|b| digits(&b) == *wanted)
                        })
                })
                .collect();
            let more = matching.len() as i64 > offset + q.per_page;
            let list = matching
                .into_iter()
                .skip(offset as usize)
                .take(q.per_page as usize)
                .map(|r| connection(app, r))
                .collect();
            Ok((list, more))
        }
    }
}

/// One connection of the client, or `NotFound` (another client's included).
pub async fn connection_of(app: &App, client: &ClientId, consent_id: &str) -> Result<Connection> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::consent_by_id(&mut conn, consent_id)
        .await?
        .filter(|r| r.client_id == client.as_str())
        .ok_or(Error::NotFound("consent"))?;
    Ok(connection(app, row))
}

/// The connection's reports, newest first.
pub async fn reports_of(
    app: &App,
    client: &ClientId,
    consent_id: &str,
) -> Result<Vec<ponte_store::ReportRow>> {
    connection_of(app, client, consent_id).await?;
    let mut conn = app.store.read().await?;
    Ok(ponte_store::reports_of_consent(&mut conn, consent_id).await?)
}

/// A page of the client's webhook messages (newest first) and whether more follow.
pub async fn messages(
    app: &App,
    client: &ClientId,
    filter: &ponte_store::MessageFilter,
    page: i64,
    per_page: i64,
) -> Result<(Vec<ponte_store::WebhookMessageRow>, bool)> {
    let mut conn = app.store.read().await?;
    let mut rows = ponte_store::console_messages(
        &mut conn,
        client.as_str(),
        filter,
        per_page + 1,
        page.saturating_sub(1) * per_page,
    )
    .await?;
    let more = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    Ok((rows, more))
}

/// The client's endpoints a 410 Gone disabled: (url, disabled at).
pub async fn disabled_endpoints(app: &App, client: &ClientId) -> Result<Vec<(String, i64)>> {
    let mut conn = app.store.read().await?;
    Ok(ponte_store::disabled_endpoints(&mut conn, client.as_str())
        .await?
        .into_iter()
        .filter_map(|e| Some((e.url, e.disabled_at?)))
        .collect())
}

/// Most clients an operator's picker lists at once; a search narrows it.
pub const MAX_PICKED: usize = 200;

/// Clients for an operator's picker: those whose name or id contains
/// `search` (any case), by name; at most [`MAX_PICKED`], and whether more matched.
pub async fn clients(
    app: &App,
    search: Option<&str>,
) -> Result<(Vec<ponte_store::ClientRow>, bool)> {
    let mut conn = app.store.read().await?;
    let all = ponte_store::list_clients(&mut conn).await?;
    drop(conn);
    let needle = search.map(|s| s.trim().to_lowercase()).unwrap_or_default();
    let mut found: Vec<_> = all
        .into_iter()
        .filter(|c| {
            needle.is_empty()
                || c.name.to_lowercase().contains(&needle)
                || c.id.to_lowercase().contains(&needle)
        })
        .collect();
    found.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    let more = found.len() > MAX_PICKED;
    found.truncate(MAX_PICKED);
    Ok((found, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_ids_are_masked_to_their_middle() {
        assert_eq!(mask_tax_id("52998224725"), "***.982.247-**");
        assert_eq!(mask_tax_id("529.982.247-25"), "***.982.247-**");
        assert_eq!(mask_tax_id("11222333000181"), "**.222.333/****-**");
        assert_eq!(mask_tax_id("123"), "***");
    }
}
