//! Update mode (compare Plaid's): the integrator opens a link for a consent
//! it already holds (`POST /data/v1/links {"consentId"}`), the end user
//! authorises again at the institution, and the consent keeps its Ponte id,
//! reports, extension history and webhooks.
//!
//! OFB consents v3 authorises a consent only from `AWAITING_AUTHORISATION`:
//! an `AUTHORISED` one cannot be taken through the bank's pages a second
//! time, and the redirect renewal the specification describes is a new
//! consent. So the institution gets a new consent for the same person,
//! permissions and a fresh 12 months; once it is authorised its id and
//! tokens replace the old ones under the same Ponte consent, and only then
//! is the old one revoked at the institution (`update_mode_callback`).

use crate::error::{Error, Result};
use crate::services::job::{self, Job, JobOutcome};
use crate::services::update_mode_target::target;
use crate::services::{authorisation_start, consent_tax_ids, consents, slots};
use crate::tokens::Bearer;
use crate::App;
use ponte_core::{Cnpj, Cpf, Field, FieldError, HttpUrl};
use ponte_store::{ConsentRow, JobRow, ReauthorisationAttempt, ReauthorisationRow};
use serde::{Deserialize, Serialize};

/// An update mode as the widget and the integrator see it.
#[derive(Debug, Clone)]
pub struct RenewalState {
    pub consent_id: String,
    pub institution_code: String,
    pub institution_name: String,
    pub avatar: String,
    /// `OPEN`, `AWAITING_AUTHORISATION`, `AUTHORISED` or `REJECTED`.
    pub status: String,
    pub reason: Option<String>,
    /// The consent's expiry now (the new one once `AUTHORISED`), unix ms.
    pub expire_at_ms: i64,
}

/// The update mode the bearer's link was opened for, if it was one.
pub async fn of_link(app: &App, bearer: &Bearer) -> Result<Option<RenewalState>> {
    let Some(link_id) = bearer.link_id.as_ref() else {
        return Ok(None);
    };
    let mut conn = app.store.read().await?;
    let Some(r) = ponte_store::reauthorisation_of_link(&mut conn, link_id.as_str()).await? else {
        return Ok(None);
    };
    if r.client_id != bearer.client_id.as_str() {
        return Ok(None);
    }
    let consent = ponte_store::consent_by_id(&mut conn, &r.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    drop(conn);
    let institution = app.directory.get(&consent.institution_code);
    Ok(Some(RenewalState {
        consent_id: consent.id.clone(),
        institution_name: institution
            .as_ref()
            .map_or_else(|| consent.institution_code.clone(), |i| i.name.clone()),
        avatar: institution.map(|i| i.avatar.clone()).unwrap_or_default(),
        institution_code: consent.institution_code,
        status: r.status.as_str().to_string(),
        reason: r.status_reason,
        expire_at_ms: consent.expire_at,
    }))
}

/// An attempt at the institution, where the end user goes next.
#[derive(Debug)]
pub struct Started {
    pub consent_id: String,
    pub authorization_url: String,
}

async fn reauthorisation(app: &App, bearer: &Bearer) -> Result<ReauthorisationRow> {
    let link_id = bearer
        .link_id
        .as_ref()
        .ok_or(Error::Token(crate::tokens::TokenError::WrongKind))?;
    let mut conn = app.store.read().await?;
    ponte_store::reauthorisation_of_link(&mut conn, link_id.as_str())
        .await?
        .filter(|r| r.client_id == bearer.client_id.as_str())
        .ok_or(Error::NotFound("update mode for this link"))
}

/// Creates the new consent at the institution for the end user to authorise
/// (each call a new attempt, also after a refused one; an earlier one never
/// authorised lapses there).
/// `redirect_url` may be the link's own or Ponte's widget page.
pub async fn start(
    app: &App,
    bearer: &Bearer,
    end_user: Option<&consents::EndUser>,
    redirect_url: Option<&str>,
) -> Result<Started> {
    let r = reauthorisation(app, bearer).await?;
    // A refused attempt may be tried again on the same link (the end user
    // cancelled at the bank by mistake); a renewal done is done.
    if r.status == ponte_store::ReauthorisationStatus::Authorised {
        return Err(Error::Conflict(
            "this link already renewed its consent; next step: open a new link with consentId to renew it again".into(),
        ));
    }
    let consent = target_of(app, &r).await?;
    let (link, _) = crate::services::links::load(app, &bearer.client_id, &r.link_id).await?;
    let redirect = redirect_url
        .map(|v| HttpUrl::parse(Field::RedirectUrl, v))
        .transpose()?;
    if let Some(sent) = &redirect {
        let widget = format!("{}/link", app.public_url.trim_end_matches('/'));
        if link.redirect_url.as_deref() != Some(sent.as_str()) && sent.as_str() != widget {
            return Err(FieldError::new(
                Field::RedirectUrl,
                "must be the link's redirectUrl or Ponte's widget page",
            )
            .into());
        }
    }
    let redirect = redirect
        .map(|u| u.as_str().to_string())
        .or(link.redirect_url);
    let institution = app
        .directory
        .get(&consent.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    if institution.is_outage {
        return Err(Error::Outage(format!(
            "{} is unavailable at the moment; try the renewal again later",
            institution.name
        )));
    }
    let (personal, business) = consent_tax_ids::documents_of(app, &consent)?;
    let personal = Cpf::parse(Field::PersonalTaxId, &personal)?;
    let business = business
        .map(|b| Cnpj::parse(Field::BusinessTaxId, &b))
        .transpose()?;
    let permissions: Vec<String> = serde_json::from_str(&consent.permissions)
        .map_err(|e| anyhow::anyhow!("consent {} permissions: {e}", consent.id))?;
    // A fresh 12 months, reckoned as for any new consent: the institution
    // judges a new consent's expiry on its own clock, which knows nothing
    // yet of a sandbox test clock's offset for it.
    let expire_at = app.clock.now_ms() + consents::CONSENT_VALIDITY_MS;
    let started = authorisation_start::start(
        app,
        &consent.client_id,
        &institution,
        &personal,
        business.as_ref(),
        &permissions,
        expire_at,
        end_user,
    )
    .await?;
    let verifier = app.crypto.seal(
        slots::reauthorisation_pkce_verifier(&r.link_id),
        started.pkce_verifier.as_bytes(),
    );
    let mut tx = app.store.begin().await?;
    let stored = ponte_store::set_reauthorisation_attempt(
        &mut tx,
        &r.link_id,
        &ReauthorisationAttempt {
            bank_consent_id: &started.bank_consent_id,
            authorization_url: &started.authorization_url,
            oauth_state: &started.state,
            oauth_nonce: &started.nonce,
            pkce_verifier_enc: &verifier,
            redirect_url: redirect.as_deref(),
            expire_at,
        },
        app.clock.now_ms(),
    )
    .await?;
    if !stored {
        return Err(Error::Conflict(
            "this link's renewal was decided meanwhile; read it again".into(),
        ));
    }
    tx.commit().await?;
    tracing::info!(consent_id = %consent.id, link_id = %r.link_id, "update mode: authorisation started");
    Ok(Started {
        consent_id: consent.id,
        authorization_url: started.authorization_url,
    })
}

/// The consent an update mode renews, still renewable.
async fn target_of(app: &App, r: &ReauthorisationRow) -> Result<ConsentRow> {
    target(app, &r.client_id, &r.consent_id).await
}

/// Revokes at the institution the consent an update mode replaced (or a new
/// one that could not be used). It carries the institution's consent id: the
/// Ponte consent already names the new one.
pub const REVOKE_REPLACED_JOB_KIND: &str = "revoke_replaced_at_institution";

// Stored in the jobs table: its spelling is a storage format.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokeReplaced {
    pub consent_id: String,
    pub institution_code: String,
    pub bank_consent_id: String,
}

pub struct RevokeReplacedJob;

impl Job for RevokeReplacedJob {
    const KIND: &'static str = REVOKE_REPLACED_JOB_KIND;
    type Payload = RevokeReplaced;

    async fn run(app: &App, job: &JobRow, p: RevokeReplaced) -> Result<JobOutcome> {
        let Some(institution) = app.directory.get(&p.institution_code) else {
            tracing::warn!(consent_id = %p.consent_id, "no institution to revoke a replaced consent at");
            return Ok(JobOutcome::Done);
        };
        match app
            .open_finance
            .revoke(&institution.endpoint, &p.bank_consent_id)
            .await
        {
            Ok(()) => {
                tracing::info!(consent_id = %p.consent_id, "replaced consent revoked at the institution");
                Ok(JobOutcome::Done)
            }
            Err(e) => {
                tracing::warn!(consent_id = %p.consent_id, attempt = job.attempts, error = %e, "revoking a replaced consent failed");
                Err(Error::Institution(format!(
                    "{}: revocation of the replaced consent failed",
                    institution.name
                )))
            }
        }
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        job::end_failed(app, job, why).await
    }
}
