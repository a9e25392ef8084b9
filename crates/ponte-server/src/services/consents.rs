//! Consents: created for a link at an institution, authorised by the end user
//! there (see `authorisation`), then revoked or expired. Every status change
//! goes through `change_status`, which writes the history row and the webhook
//! together.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::services::authorisation;
use crate::services::links::{self, LinkDetails};
use crate::services::outbox::{self, Target};
use crate::services::text;
use crate::tokens::Bearer;
use crate::App;
use ponte_core::consent::reason;
use ponte_core::{
    ClientId, Cnpj, ConsentId, ConsentStatus, Cpf, Email, FieldError, HttpUrl, Phone, Product,
};
use ponte_store::{Conn, ConsentRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How long the end user has to authorise at the institution.
pub const AUTHORISATION_WINDOW_MS: i64 = 60 * 60 * 1000;
/// How long an authorised consent lasts (Open Finance allows up to 12 months).
pub const CONSENT_VALIDITY_MS: i64 = 365 * 24 * 3600 * 1000;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequest {
    pub external_track_id: Option<String>,
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub institution_code: Option<String>,
    pub redirect_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
/// The end user's details on the consent, kept encrypted.
struct TaxIds {
    personal: String,
    business: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedConsent {
    pub consent_id: String,
    pub consent_redirect_url: String,
    pub expire_at: String,
}

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

pub async fn create(app: &App, bearer: &Bearer, req: ConsentRequest) -> Result<CreatedConsent> {
    let link_id = bearer
        .link_id
        .as_ref()
        .ok_or(Error::Token(crate::tokens::TokenError::WrongKind))?;
    let (link, details): (_, LinkDetails) =
        links::load(app, &bearer.client_id, link_id.as_str()).await?;

    let code = text(&req.institution_code)
        .ok_or_else(|| FieldError::new("institutionCode", "is required"))?;
    let institution = app.directory.get(code).ok_or_else(|| {
        FieldError::new(
            "institutionCode",
            format!("{code:?} is not an institution: see GET /data/v1/links/institutions"),
        )
    })?;
    let personal = match text(&req.personal_tax_id).or(details.personal_tax_id.as_deref()) {
        Some(v) => Cpf::parse("personalTaxId", v)?,
        None => {
            return Err(FieldError::new(
                "personalTaxId",
                "is required: Open Finance needs the CPF of the person who logs in",
            )
            .into())
        }
    };
    let business = text(&req.business_tax_id)
        .or(details.business_tax_id.as_deref())
        .map(|v| Cnpj::parse("businessTaxId", v))
        .transpose()?;
    let redirect_url = text(&req.redirect_url)
        .map(|v| HttpUrl::parse("redirectUrl", v))
        .transpose()?;
    let phone = text(&req.phone)
        .map(|v| Phone::parse("phone", v))
        .transpose()?;
    let email = text(&req.email)
        .map(|v| Email::parse("email", v))
        .transpose()?;
    let external_track_id = text(&req.external_track_id).map(str::to_string);
    if external_track_id
        .as_ref()
        .is_some_and(|t| t.chars().count() > 100)
    {
        return Err(FieldError::new("externalTrackId", "must be at most 100 characters").into());
    }
    if institution.is_outage {
        return Err(Error::Outage(format!(
            "{} is unavailable at the moment; try again later or pick another institution",
            institution.name
        )));
    }

    let now = app.clock.now_ms();
    let expire_at = now + CONSENT_VALIDITY_MS;
    let permissions =
        Product::consent_permissions(&institution.available_resources, business.is_some());
    let started = authorisation::start(
        app,
        institution,
        &personal,
        business.as_ref(),
        &permissions,
        expire_at,
    )
    .await?;

    let id = ConsentId::generate();
    let row = ConsentRow {
        id: id.to_string(),
        client_id: bearer.client_id.to_string(),
        link_id: link.id.clone(),
        end_user_id: Some(link.end_user_id.clone()),
        institution_code: institution.institution_code.clone(),
        external_track_id,
        business: i64::from(business.is_some()),
        tax_ids_enc: app.crypto.encrypt_json(&TaxIds {
            personal: personal.as_str().into(),
            business: business.map(|b| b.as_str().into()),
            phone: phone.map(|p| p.as_str().into()),
            email: email.map(|e| e.as_str().into()),
        }),
        redirect_url: redirect_url
            .map(|u| u.as_str().to_string())
            .or(link.redirect_url),
        status: ConsentStatus::AwaitingAuthorisation.as_str().into(),
        status_reason: None,
        permissions: serde_json::to_string(&permissions).unwrap_or_default(),
        expire_at,
        authorise_by: now + AUTHORISATION_WINDOW_MS,
        bank_consent_id: Some(started.bank_consent_id),
        authorization_url: Some(started.authorization_url.clone()),
        oauth_state: Some(started.state),
        pkce_verifier_enc: Some(app.crypto.encrypt(started.pkce_verifier.as_bytes())),
        bank_tokens_enc: None,
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.store.begin().await?;
    ponte_store::insert_consent(&mut tx, &row).await?;
    emit(
        &mut tx,
        &row,
        None,
        ConsentStatus::AwaitingAuthorisation,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(consent_id = %id, institution = %row.institution_code, "consent created");
    Ok(CreatedConsent {
        consent_id: id.to_string(),
        consent_redirect_url: started.authorization_url,
        expire_at: rfc3339(expire_at),
    })
}

/// Writes the `CONSENT_STATUS_CHANGED` webhook for a status the consent just entered.
async fn emit(
    conn: &mut Conn,
    row: &ConsentRow,
    previous: Option<ConsentStatus>,
    status: ConsentStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    let payload = json!({
        "event": "CONSENT_STATUS_CHANGED",
        "consentId": row.id,
        "linkId": row.link_id,
        "externalTrackId": row.external_track_id,
        "institutionCode": row.institution_code,
        "status": status,
        "previousStatus": previous,
        "reason": reason,
        "occurredAt": rfc3339(now),
    });
    outbox::enqueue(
        conn,
        &ClientId::from_trusted(row.client_id.clone()),
        "CONSENT_STATUS_CHANGED",
        Target::Events,
        None,
        &payload,
        now,
    )
    .await?;
    Ok(())
}

/// The one way a consent changes status: checked against the state machine,
/// compare-and-set in the database (false if another writer won), history and
/// webhook in the same transaction.
pub async fn change_status(
    conn: &mut Conn,
    row: &ConsentRow,
    to: ConsentStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let from = ConsentStatus::parse(&row.status)
        .ok_or_else(|| anyhow::anyhow!("stored consent status {:?}", row.status))?;
    from.transition(to)
        .map_err(|e| Error::Conflict(e.to_string()))?;
    if !ponte_store::update_consent_status(conn, &row.id, from.as_str(), to.as_str(), reason, now)
        .await?
    {
        return Ok(false);
    }
    emit(conn, row, Some(from), to, reason, now).await?;
    metrics::counter!("ponte_consent_transitions_total", "to" => to.as_str()).increment(1);
    tracing::info!(consent_id = %row.id, %from, %to, reason, "consent status changed");
    Ok(true)
}

/// The move a consent's clock calls for at `now`, if any.
fn due_expiry(row: &ConsentRow, now: i64) -> Option<(ConsentStatus, &'static str)> {
    match ConsentStatus::parse(&row.status)? {
        ConsentStatus::AwaitingAuthorisation if row.authorise_by <= now => {
            Some((ConsentStatus::Rejected, reason::CONSENT_EXPIRED))
        }
        ConsentStatus::Authorised if row.expire_at <= now => {
            Some((ConsentStatus::Expired, reason::CONSENT_MAX_DATE_REACHED))
        }
        _ => None,
    }
}

/// Applies `due_expiry`; returns how many consents changed.
pub async fn expire_due(app: &App) -> Result<usize> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let due = ponte_store::consents_due_to_expire(&mut tx, now, 100).await?;
    let mut changed = 0;
    for row in &due {
        if let Some((to, why)) = due_expiry(row, now) {
            if change_status(&mut tx, row, to, Some(why), now).await? {
                ponte_store::set_consent_tokens(&mut tx, &row.id, None, now).await?;
                changed += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// The consent, if the bearer may see it: its client's access token, or the
/// link token of the link it belongs to. Expiry due by now is applied first.
pub async fn load_for(app: &App, bearer: &Bearer, consent_id: &str) -> Result<ConsentRow> {
    let id = ConsentId::parse(consent_id).ok_or(Error::NotFound("consent"))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::consent_by_id(&mut conn, id.as_str())
        .await?
        .ok_or(Error::NotFound("consent"))?;
    drop(conn);
    let visible = row.client_id == bearer.client_id.as_str()
        && bearer
            .link_id
            .as_ref()
            .is_none_or(|l| l.as_str() == row.link_id);
    if !visible {
        return Err(Error::NotFound("consent"));
    }
    if due_expiry(&row, app.clock.now_ms()).is_some() {
        expire_due(app).await?;
        let mut conn = app.store.read().await?;
        return ponte_store::consent_by_id(&mut conn, id.as_str())
            .await?
            .ok_or(Error::NotFound("consent"));
    }
    Ok(row)
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

/// `DELETE /data/v1/consents/{id}`: revoked here and at the institution, the
/// institution's tokens erased. A consent already final is left as it is.
pub async fn revoke(app: &App, bearer: &Bearer, consent_id: &str) -> Result<ConsentRow> {
    let row = load_for(app, bearer, consent_id).await?;
    let status = ConsentStatus::parse(&row.status).unwrap_or(ConsentStatus::Rejected);
    let to = match status {
        ConsentStatus::Authorised => ConsentStatus::Revoked,
        ConsentStatus::AwaitingAuthorisation => ConsentStatus::Rejected,
        _ => return Ok(row),
    };
    if let (Some(inst), Some(bank_id)) = (
        app.directory.get(&row.institution_code),
        row.bank_consent_id.as_deref(),
    ) {
        if let Err(e) = app.open_finance.revoke(&inst.endpoint, bank_id).await {
            // Our side still revokes: the tokens are erased below, so no data can be fetched.
            tracing::warn!(consent_id = %row.id, error = %e, "revocation at the institution failed");
        }
    }
    end(app, &row, to, reason::CLIENT_REVOKED).await
}

/// The institution refused the consent's tokens and reports the consent
/// revoked on its side (the customer withdrew it in their bank): it ends here
/// exactly as after `DELETE`, without calling the institution back. A consent
/// no longer `AUTHORISED` here is left as it is.
pub async fn revoked_at_institution(app: &App, consent_id: &str, code: &str) -> Result<ConsentRow> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::consent_by_id(&mut conn, consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    drop(conn);
    if row.status != ConsentStatus::Authorised.as_str() {
        return Ok(row);
    }
    if code == reason::CONSENT_MAX_DATE_REACHED {
        // The institution ended it at its end date: expired, as our own clock
        // would have said, not revoked (the data stays).
        let now = app.clock.now_ms();
        let mut tx = app.store.begin().await?;
        if change_status(&mut tx, &row, ConsentStatus::Expired, Some(code), now).await? {
            ponte_store::set_consent_tokens(&mut tx, &row.id, None, now).await?;
        }
        tx.commit().await?;
        let mut conn = app.store.read().await?;
        return ponte_store::consent_by_id(&mut conn, &row.id)
            .await?
            .ok_or(Error::NotFound("consent"));
    }
    end(
        app,
        &row,
        ConsentStatus::Revoked,
        reason::INSTITUTION_REVOKED,
    )
    .await
}

/// How a revocation ends, whoever started it: the status change and its
/// webhook, the reports and data retrieved under the consent deleted and the
/// institution's tokens erased, in one transaction.
async fn end(app: &App, row: &ConsentRow, to: ConsentStatus, why: &str) -> Result<ConsentRow> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    change_status(&mut tx, row, to, Some(why), now).await?;
    ponte_store::erase_consent_reports(&mut tx, &row.id, now).await?;
    ponte_store::set_consent_tokens(&mut tx, &row.id, None, now).await?;
    tx.commit().await?;
    let mut conn = app.store.read().await?;
    ponte_store::consent_by_id(&mut conn, &row.id)
        .await?
        .ok_or(Error::NotFound("consent"))
}
