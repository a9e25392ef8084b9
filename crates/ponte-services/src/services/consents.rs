//! Consents: created for a link at an institution, authorised by the end user
//! there (see `authorisation`), then revoked or expired. Every status change
//! goes through `consent_state`, which writes the history row and the webhook
//! together.

use crate::error::{Error, Result};
use crate::services::job;
use crate::services::links::{self, LinkDetails};
use crate::services::revoke_at_institution::{RevokeAtInstitution, RevokeAtInstitutionJob};
use crate::services::{authorisation_start, consent_state, consent_tax_ids, duplicates};
use crate::services::{slots, text};
use crate::tokens::Bearer;
use crate::App;
use ponte_core::consent::reason;
use ponte_core::{
    Cnpj, ConsentId, ConsentStatus, Cpf, Email, Field, FieldError, HttpUrl, Phone, Product,
};
use ponte_store::ConsentRow;

/// How long the end user has to authorise at the institution.
pub const AUTHORISATION_WINDOW_MS: i64 = 60 * 60 * 1000;
/// How long an authorised consent lasts (Open Finance allows up to 12 months).
pub const CONSENT_VALIDITY_MS: i64 = 365 * 24 * 3600 * 1000;

/// The end user as the institution hears of them (FAPI headers).
pub use ponte_connect::headers::parse_http_date;
pub use ponte_connect::EndUser;

/// A new consent as its dialect read it, before it is checked.
#[derive(Debug, Default)]
pub struct ConsentInput {
    /// The end user, when they make the request themselves (the widget):
    /// the institution gets their address and browser (FAPI headers).
    pub end_user: Option<EndUser>,
    pub external_track_id: Option<String>,
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub institution_code: Option<String>,
    pub redirect_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The value the link fixed, or else the one sent; a sent value that differs
/// from the fixed one is refused, naming `field`.
fn fixed_or_sent<T: PartialEq>(
    field: Field,
    sent: Option<&str>,
    fixed: Option<&str>,
    parse: impl Fn(Field, &str) -> std::result::Result<T, FieldError>,
) -> Result<Option<T>> {
    let fixed = fixed.map(|v| parse(field, v)).transpose()?;
    match (sent.map(|v| parse(field, v)).transpose()?, fixed) {
        (Some(sent), Some(fixed)) if sent != fixed => Err(FieldError::new(
            field,
            "differs from the link's, which only the link's creator can set",
        )
        .into()),
        (sent, fixed) => Ok(fixed.or(sent)),
    }
}

/// A consent awaiting the end user at the institution.
#[derive(Debug)]
pub struct CreatedConsent {
    pub consent_id: ConsentId,
    /// The institution's own authorization URL, where the end user goes.
    pub authorization_url: String,
    /// Unix milliseconds.
    pub expire_at_ms: i64,
    /// The AUTHORISED consent of the same person at the same institution,
    /// and whether the client wants the end user warned of it.
    pub duplicate: Option<duplicates::Duplicate>,
    /// The institution's name, for what the end user is told.
    pub institution_name: String,
}

pub async fn create(app: &App, bearer: &Bearer, req: ConsentInput) -> Result<CreatedConsent> {
    let link_id = bearer
        .link_id
        .as_ref()
        .ok_or(Error::Token(crate::tokens::TokenError::WrongKind))?;
    let (link, details): (_, LinkDetails) =
        links::load(app, &bearer.client_id, link_id.as_str()).await?;
    let max = app.config.max_consents_per_link;
    let mut conn = app.store.read().await?;
    consent_state::check_link_room(&mut conn, app.store.backend(), &link.id, max).await?;
    drop(conn);

    let code = text(&req.institution_code)
        .ok_or_else(|| FieldError::new(Field::Institution, "is required"))?;
    let institution = app
        .directory
        .get(code)
        .ok_or_else(|| Error::UnknownInstitution(code.to_string()))?;
    // What the integrator's backend fixed on the link, the link token (the
    // end user's browser) may repeat but not change.
    let personal = fixed_or_sent(
        Field::PersonalTaxId,
        text(&req.personal_tax_id),
        details.personal_tax_id.as_deref(),
        Cpf::parse,
    )?
    .ok_or_else(|| {
        FieldError::new(
            Field::PersonalTaxId,
            "is required: Open Finance needs the CPF of the person who logs in",
        )
    })?;
    let business = fixed_or_sent(
        Field::BusinessTaxId,
        text(&req.business_tax_id),
        details.business_tax_id.as_deref(),
        Cnpj::parse,
    )?;
    let redirect_url = text(&req.redirect_url)
        .map(|v| HttpUrl::parse(Field::RedirectUrl, v))
        .transpose()?;
    if let (Some(sent), Some(fixed)) = (&redirect_url, &link.redirect_url) {
        // Ponte's own widget page may stand in: it forwards to the link's URL.
        let widget = format!("{}/link", app.public_url.trim_end_matches('/'));
        if sent.as_str() != fixed && sent.as_str() != widget {
            return Err(FieldError::new(
                Field::RedirectUrl,
                "differs from the link's redirectUrl, which only the link's creator can set",
            )
            .into());
        }
    }
    if let Some(url) = &redirect_url {
        crate::services::redirect_urls::check(app, bearer.client_id.as_str(), url).await?;
    }
    let phone = text(&req.phone)
        .map(|v| Phone::parse(Field::Phone, v))
        .transpose()?;
    let email = text(&req.email)
        .map(|v| Email::parse(Field::Email, v))
        .transpose()?;
    let external_track_id = text(&req.external_track_id).map(str::to_string);
    if external_track_id
        .as_ref()
        .is_some_and(|t| t.chars().count() > 100)
    {
        return Err(
            FieldError::new(Field::ExternalTrackId, "must be at most 100 characters").into(),
        );
    }
    if institution.is_outage {
        return Err(Error::Outage(format!(
            "{} is unavailable at the moment; try again later or pick another institution",
            institution.name
        )));
    }

    // Before the institution is asked anything: a refused duplicate costs it nothing.
    let holder = duplicates::holder_key(
        app,
        personal.as_str(),
        business.as_ref().map(|b| b.as_str()),
    );
    let duplicate = duplicates::check(
        app,
        &bearer.client_id,
        &institution.institution_code,
        &institution.name,
        &holder,
    )
    .await?;

    let now = app.clock.now_ms();
    let expire_at = now + CONSENT_VALIDITY_MS;
    let permissions =
        Product::consent_permissions(&institution.available_resources, business.is_some());
    // Present in the widget: when they signed in with the integrator, if the link says.
    let end_user = req.end_user.clone().map(|mut u| {
        if u.auth_date.is_none() {
            u.auth_date = details
                .end_user_auth_at
                .and_then(|ms| time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok());
        }
        u
    });
    let started = authorisation_start::start(
        app,
        bearer.client_id.as_str(),
        &institution,
        &personal,
        business.as_ref(),
        &permissions,
        expire_at,
        end_user.as_ref(),
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
        business: business.is_some(),
        tax_ids_enc: app.crypto.seal_json(
            slots::consent_tax_ids(id.as_str()),
            &consent_tax_ids::TaxIds {
                personal: personal.as_str().into(),
                business: business.map(|b| b.as_str().into()),
                phone: phone.map(|p| p.as_str().into()),
                email: email.map(|e| e.as_str().into()),
            },
        ),
        redirect_url: redirect_url
            .map(|u| u.as_str().to_string())
            .or(link.redirect_url),
        status: ConsentStatus::AwaitingAuthorisation,
        status_reason: None,
        permissions: serde_json::to_string(&permissions).unwrap_or_default(),
        expire_at,
        authorise_by: now + AUTHORISATION_WINDOW_MS,
        bank_consent_id: Some(started.bank_consent_id),
        authorization_url: Some(started.authorization_url.clone()),
        oauth_state: Some(started.state),
        oauth_nonce: Some(started.nonce),
        pkce_verifier_enc: Some(app.crypto.seal(
            slots::consent_pkce_verifier(id.as_str()),
            started.pkce_verifier.as_bytes(),
        )),
        bank_tokens_enc: None,
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.store.begin().await?;
    if let Err(e) =
        consent_state::check_link_room(&mut tx, app.store.backend(), &link.id, max).await
    {
        // Lost the last place to a request at the same instant: the consent
        // opened at the institution is never authorised and expires there.
        tracing::info!(consent_id = %id, link_id = %link.id, "link full when writing the consent");
        return Err(e);
    }
    ponte_store::insert_consent(&mut tx, &row).await?;
    // Before the event: its webhook names the consent this one duplicates.
    ponte_store::insert_consent_holder(
        &mut tx,
        &row.id,
        &row.client_id,
        &row.institution_code,
        &holder,
        duplicate.as_ref().map(|d| d.of.as_str()),
    )
    .await?;
    consent_state::emit(
        &app.renderers,
        &mut tx,
        &row,
        None,
        ConsentStatus::AwaitingAuthorisation,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        consent_id = %id,
        institution = %row.institution_code,
        duplicate_of = duplicate.as_ref().map(|d| d.of.as_str()),
        "consent created"
    );
    Ok(CreatedConsent {
        consent_id: id,
        authorization_url: started.authorization_url,
        expire_at_ms: expire_at,
        duplicate,
        institution_name: institution.name.clone(),
    })
}

pub use crate::services::consent_view::{view_of, views_of_link, ConsentDetails, StatusChange};

/// Applies the consent clock to every consent due.
pub async fn expire_due(app: &App) -> Result<usize> {
    consent_state::expire_due(&app.renderers, &app.store, app.clock.now_ms()).await
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
            .is_none_or(|l| l.as_str() == row.link_id)
        // An end user's own session sees only that end user's consents.
        && bearer
            .end_user_id
            .as_ref()
            .is_none_or(|u| row.end_user_id.as_deref() == Some(u.as_str()));
    if !visible && !renewed_by_link(app, bearer, &row).await? {
        return Err(Error::NotFound("consent"));
    }
    if consent_state::due_expiry(&row, app.clock.now_ms()).is_some() {
        expire_due(app).await?;
        let mut conn = app.store.read().await?;
        return ponte_store::consent_by_id(&mut conn, id.as_str())
            .await?
            .ok_or(Error::NotFound("consent"));
    }
    Ok(row)
}

/// Whether the bearer's link is an update-mode link for `row` (its token
/// then sees the consent it renews, though the consent is another link's).
async fn renewed_by_link(app: &App, bearer: &Bearer, row: &ConsentRow) -> Result<bool> {
    let Some(link_id) = bearer.link_id.as_ref() else {
        return Ok(false);
    };
    if row.client_id != bearer.client_id.as_str() {
        return Ok(false);
    }
    let mut conn = app.store.read().await?;
    Ok(
        ponte_store::reauthorisation_of_link(&mut conn, link_id.as_str())
            .await?
            .is_some_and(|r| r.consent_id == row.id),
    )
}

/// The client ends a consent: revoked here at once (an `AUTHORISED`
/// consent `REVOKED`, its data erased; one still awaiting authorisation
/// `REJECTED`), the institution's tokens erased, and a job queued in the same
/// transaction tells the institution, so no bank call holds up the request.
/// A consent already final is left as it is.
pub async fn revoke(app: &App, bearer: &Bearer, consent_id: &str) -> Result<ConsentRow> {
    revoke_because(app, bearer, consent_id, reason::CLIENT_REVOKED).await
}

/// The end user revoked it themselves (the Server API's own session).
pub const END_USER_REVOKED: &str = "END_USER_REVOKED";

/// [`revoke`], with `why` as the reason the status change (and its
/// `CONSENT_STATUS_CHANGED` webhook) carries.
pub async fn revoke_because(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
    why: &'static str,
) -> Result<ConsentRow> {
    let mut row = load_for(app, bearer, consent_id).await?;
    // Another writer (the institution's callback, the clock) may move the
    // consent between our read and our write: read again and decide again.
    for _ in 0..3 {
        let now = app.clock.now_ms();
        let mut tx = app.store.begin().await?;
        let ended = consent_state::end(
            &app.renderers,
            &mut tx,
            &row,
            ConsentStatus::Revoked,
            why,
            now,
        )
        .await?;
        match ended {
            Some(to) if to != row.status => {
                if row.bank_consent_id.is_some() {
                    job::queue::<RevokeAtInstitutionJob>(
                        &mut tx,
                        &RevokeAtInstitution::of(&row.id),
                        now,
                    )
                    .await?;
                }
                tx.commit().await?;
                return reread(app, &row.id).await;
            }
            Some(_) => return Ok(row),
            None => {
                drop(tx);
                row = reread(app, &row.id).await?;
            }
        }
    }
    Err(Error::Conflict(
        "the consent is changing at this moment; try again".into(),
    ))
}

async fn reread(app: &App, consent_id: &str) -> Result<ConsentRow> {
    let mut conn = app.store.read().await?;
    ponte_store::consent_by_id(&mut conn, consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))
}
