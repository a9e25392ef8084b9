//! The tax ids (and contact details) a consent was made for, sealed on its
//! row: what the institution's consent names, and whose own accounts a
//! transfer between is.

use crate::error::Result;
use crate::services::slots;
use crate::App;
use ponte_store::ConsentRow;
use serde::{Deserialize, Serialize};

/// The end user's details on the consent, kept encrypted.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TaxIds {
    pub(crate) personal: String,
    pub(crate) business: Option<String>,
    #[serde(default)]
    pub(crate) phone: Option<String>,
    #[serde(default)]
    pub(crate) email: Option<String>,
}

/// The consent's CPF and CNPJ (opened from its sealed tax ids): a transfer
/// to one of them is between the end user's own accounts. Empty when they
/// cannot be opened.
pub fn holder_tax_ids(app: &App, row: &ConsentRow) -> Vec<String> {
    match app
        .crypto
        .open_json::<TaxIds>(slots::consent_tax_ids(&row.id), &row.tax_ids_enc)
    {
        Ok(ids) => std::iter::once(ids.personal).chain(ids.business).collect(),
        Err(e) => {
            tracing::warn!(consent_id = %row.id, error = %e, "the consent's tax ids do not open");
            Vec::new()
        }
    }
}

/// The documents the consent names at its institution (OFB `loggedUser`'s CPF,
/// `businessEntity`'s CNPJ), as sealed when it was created.
pub(crate) fn documents_of(app: &App, row: &ConsentRow) -> Result<(String, Option<String>)> {
    let ids: TaxIds = app
        .crypto
        .open_json(slots::consent_tax_ids(&row.id), &row.tax_ids_enc)
        .map_err(|e| anyhow::anyhow!("consent {} tax ids: {e}", row.id))?;
    Ok((ids.personal, ids.business))
}
