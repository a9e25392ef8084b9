//! The consent an update-mode link may be opened for, as both the link's
//! creation and the update mode's own steps check it: the client's own,
//! still `AUTHORISED`, with no other update-mode link open for it, and the
//! tax ids it was made for.

use crate::error::{Error, Result};
use crate::services::{consent_state, consent_tax_ids};
use crate::App;
use ponte_core::{ConsentId, ConsentStatus, Field, FieldError};
use ponte_store::ConsentRow;

/// The consent an update-mode link may be opened for: the client's own
/// (another's is not found), still `AUTHORISED`, and with no other
/// update-mode link open for it.
pub async fn target(app: &App, client_id: &str, consent_id: &str) -> Result<ConsentRow> {
    let id = ConsentId::parse(consent_id).ok_or(Error::NotFound("consent"))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::consent_by_id(&mut conn, id.as_str())
        .await?
        .filter(|r| r.client_id == client_id)
        .ok_or(Error::NotFound("consent"))?;
    drop(conn);
    // An expiry already due is applied before deciding.
    let row = if consent_state::due_expiry(&row, app.clock.now_ms()).is_some() {
        consent_state::expire_due(&app.renderers, &app.store, app.clock.now_ms()).await?;
        let mut conn = app.store.read().await?;
        ponte_store::consent_by_id(&mut conn, id.as_str())
            .await?
            .ok_or(Error::NotFound("consent"))?
    } else {
        row
    };
    check_renewable(&row)?;
    Ok(row)
}

/// Only an `AUTHORISED` consent is renewed in place; the others name the next step.
pub fn check_renewable(row: &ConsentRow) -> Result<()> {
    match row.status {
        ConsentStatus::Authorised => Ok(()),
        ConsentStatus::AwaitingAuthorisation => Err(Error::Conflict(format!(
            "consent {} is still AWAITING_AUTHORISATION, so there is nothing to renew; next step: send the end user to its link to finish it",
            row.id
        ))),
        _ => Err(Error::Conflict(format!(
            "consent {} is {}, and an ended consent cannot be renewed; next step: open a link without consentId so the end user makes a new consent",
            row.id, row.status
        ))),
    }
}

/// Refuses a second open update-mode link for the same consent, inside the
/// transaction that would write one. The consent's row is locked first: two
/// links made at the same instant for one consent queue on it, so the later
/// one reads the earlier's committed link and gets the conflict (without the
/// lock PostgreSQL let both pass their check, leaving two renewals open and
/// the later authorisation silently replacing the earlier). A consent that
/// ended meanwhile is refused as `check_renewable` does.
pub(crate) async fn check_none_open(
    conn: &mut ponte_store::Conn,
    consent_id: &str,
    now: i64,
) -> Result<()> {
    if !ponte_store::lock_if_authorised(&mut *conn, consent_id).await? {
        return Err(Error::Conflict(format!(
            "consent {consent_id} is no longer AUTHORISED, and an ended consent cannot be renewed; next step: open a link without consentId so the end user makes a new consent"
        )));
    }
    if let Some(other) = ponte_store::open_reauthorisation_of_consent(conn, consent_id, now).await?
    {
        return Err(Error::Conflict(format!(
            "consent {consent_id} already has an update-mode link open ({other}); next step: let the end user finish that link, or wait for it to expire"
        )));
    }
    Ok(())
}

/// The tax ids the consent was made for (a link in update mode carries them;
/// one sent that differs is refused, naming its field).
pub fn documents_for_link(
    app: &App,
    row: &ConsentRow,
    sent_personal: Option<&str>,
    sent_business: Option<&str>,
) -> Result<(String, Option<String>)> {
    let (personal, business) = consent_tax_ids::documents_of(app, row)?;
    if sent_personal.is_some_and(|p| p != personal) {
        return Err(FieldError::new(
            Field::PersonalTaxId,
            "differs from the CPF of the consent named in consentId",
        )
        .into());
    }
    if sent_business.is_some_and(|b| Some(b) != business.as_deref()) {
        return Err(FieldError::new(
            Field::BusinessTaxId,
            "differs from the CNPJ of the consent named in consentId",
        )
        .into());
    }
    Ok((personal, business))
}
