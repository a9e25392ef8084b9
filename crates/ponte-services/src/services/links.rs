//! Links: one end user's session with the widget, opened by an integrator.

use crate::error::{Error, Result};
use crate::services::consent_view::{self, ConsentDetails};
use crate::services::{slots, text, update_mode_target};
use crate::tokens::{TokenKind, LINK_TOKEN_TTL_SECS};
use crate::App;
use ponte_core::{
    Cnpj, ConsentStatus, Cpf, Email, EndUserKey, EndUserProfile, Field, FieldError, HttpUrl,
    LinkId, Phone, Product,
};
use ponte_store::LinkRow;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What an integrator asks a link to carry, before validation (each
/// dialect reads it from its own request shape).
#[derive(Debug, Default)]
pub struct LinkInput {
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub redirect_url: Option<String>,
    pub products_callback_url: Option<Value>,
    pub external_info: Option<Value>,
    /// Update mode: the client's existing consent the end user renews
    /// (the link then carries that consent's tax ids).
    pub consent_id: Option<String>,
}

/// PII, kept encrypted at rest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LinkDetails {
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// When the end user last signed in with the integrator (ms): sent to the
    /// institution as `x-fapi-auth-date` while they are present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_auth_at: Option<i64>,
}

pub struct ValidLink {
    details: LinkDetails,
    redirect_url: Option<HttpUrl>,
    callbacks: BTreeMap<Product, HttpUrl>,
    external_info: Map<String, Value>,
    update_consent: Option<String>,
}

pub fn validate(req: &LinkInput) -> Result<ValidLink, FieldError> {
    let personal = text(&req.personal_tax_id)
        .map(|v| Cpf::parse(Field::PersonalTaxId, v))
        .transpose()?;
    let business = text(&req.business_tax_id)
        .map(|v| Cnpj::parse(Field::BusinessTaxId, v))
        .transpose()?;
    let update_consent = text(&req.consent_id).map(str::to_string);
    // In update mode the consent names the person; otherwise one is required.
    if personal.is_none() && business.is_none() && update_consent.is_none() {
        return Err(FieldError::new(
            Field::PersonalTaxId,
            "a person's CPF, or a business's CNPJ, is required",
        ));
    }
    let email = text(&req.email)
        .map(|v| Email::parse(Field::Email, v))
        .transpose()?;
    let phone = text(&req.phone)
        .map(|v| Phone::parse(Field::Phone, v))
        .transpose()?;
    let redirect_url = text(&req.redirect_url)
        .map(|v| HttpUrl::parse(Field::RedirectUrl, v))
        .transpose()?;
    let callbacks = parse_callbacks(req.products_callback_url.as_ref())?;
    let external_info = match &req.external_info {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m))
            if m.len() <= 50 && Value::Object(m.clone()).to_string().len() <= 8_192 =>
        {
            m.clone()
        }
        Some(Value::Object(_)) => {
            return Err(FieldError::new(
                Field::ExternalInfo,
                "must be at most 8 KiB and 50 keys",
            ))
        }
        Some(_) => {
            return Err(FieldError::new(
                Field::ExternalInfo,
                "must be a JSON object",
            ))
        }
    };
    Ok(ValidLink {
        details: LinkDetails {
            personal_tax_id: personal.map(|c| c.as_str().to_string()),
            business_tax_id: business.map(|c| c.as_str().to_string()),
            email: email.map(|e| e.as_str().to_string()),
            phone: phone.map(|p| p.as_str().to_string()),
            end_user_auth_at: None,
        },
        redirect_url,
        callbacks,
        external_info,
        update_consent,
    })
}

impl ValidLink {
    /// When the end user last signed in with the integrator (ms since the epoch).
    pub fn signed_in_at(mut self, at_ms: Option<i64>) -> ValidLink {
        self.details.end_user_auth_at = at_ms;
        self
    }
}

/// `{"accounts": "https://…", …}`: known products to http(s) URLs.
pub fn parse_callbacks(raw: Option<&Value>) -> Result<BTreeMap<Product, HttpUrl>, FieldError> {
    let mut out = BTreeMap::new();
    match raw {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (name, url) in m {
                let field = Field::ProductCallbacks.entry(name);
                let product = Product::parse(name).ok_or_else(|| {
                    FieldError::new(
                        field.clone(),
                        format!("is not a product: use {}", Product::names_listed()),
                    )
                })?;
                let url = url
                    .as_str()
                    .ok_or_else(|| FieldError::new(field.clone(), "must be a URL string"))?;
                out.insert(product, HttpUrl::parse(field, url)?);
            }
        }
        Some(_) => {
            return Err(FieldError::new(
                Field::ProductCallbacks,
                "must be an object of product name to URL",
            ))
        }
    }
    Ok(out)
}

#[derive(Debug)]
pub struct CreatedLink {
    pub link_id: String,
    pub link_url: String,
    pub link_token: String,
    pub expire_in: i64,
}

/// Opens a link whose webhooks the default dialect renders (Ponte's own
/// pages, such as the demo, open links this way).
pub async fn create(
    app: &App,
    client_id: &ponte_core::ClientId,
    link: ValidLink,
) -> Result<CreatedLink> {
    create_as(app, client_id, link, None, app.renderers.link_default()).await
}

/// Opens a link; `dialect` (the caller's) renders its webhooks.
pub async fn create_for(
    app: &App,
    client_id: &ponte_core::ClientId,
    link: ValidLink,
    dialect: &str,
) -> Result<CreatedLink> {
    create_as(app, client_id, link, None, dialect).await
}

/// A link the end user opens for themselves from their own session (the
/// Server API): it, and every consent made through it, is that end user's.
/// The Server API sends no webhooks of its own, so the client hears of it
/// in the default dialect, as of every other link.
/// The session's sign-in goes with the link: the institution hears it as
/// `x-fapi-auth-date` while the end user is present.
pub async fn create_for_end_user(
    app: &App,
    session: &crate::tokens::Bearer,
    end_user: &ponte_core::EndUserId,
    link: ValidLink,
) -> Result<CreatedLink> {
    let signed_in = crate::services::sessions::signed_in_at(app, session).await?;
    create_as(
        app,
        &session.client_id,
        link.signed_in_at(signed_in),
        Some(end_user),
        app.renderers.link_default(),
    )
    .await
}

async fn create_as(
    app: &App,
    client_id: &ponte_core::ClientId,
    link: ValidLink,
    end_user: Option<&ponte_core::EndUserId>,
    dialect: &str,
) -> Result<CreatedLink> {
    for (product, url) in &link.callbacks {
        crate::services::webhook_target(app, &format!("productsCallbackUrl.{product}"), url)
            .await?;
    }
    if let Some(url) = &link.redirect_url {
        crate::services::redirect_urls::check(app, client_id.as_str(), url).await?;
    }
    let mut link = link;
    let renews = match link.update_consent.as_deref() {
        Some(consent_id) => {
            let consent = update_mode_target::target(app, client_id.as_str(), consent_id).await?;
            // An end user's own session renews only that end user's consents.
            if end_user.is_some_and(|u| consent.end_user_id.as_deref() != Some(u.as_str())) {
                return Err(Error::NotFound("consent"));
            }
            let (personal, business) = update_mode_target::documents_for_link(
                app,
                &consent,
                link.details.personal_tax_id.as_deref(),
                link.details.business_tax_id.as_deref(),
            )?;
            link.details.personal_tax_id = Some(personal);
            link.details.business_tax_id = business;
            Some(consent)
        }
        None => None,
    };
    let now = app.clock.now_ms();
    let id = LinkId::generate();
    let expires_at = now + LINK_TOKEN_TTL_SECS * 1000;
    let who = link
        .details
        .business_tax_id
        .as_deref()
        .or(link.details.personal_tax_id.as_deref())
        .unwrap_or_default();
    let profile = EndUserProfile {
        personal_tax_id: link.details.personal_tax_id.clone(),
        business_tax_id: link.details.business_tax_id.clone(),
        email: link.details.email.clone(),
        phone: link.details.phone.clone(),
        ..EndUserProfile::default()
    };
    let callbacks: Map<String, Value> = link
        .callbacks
        .iter()
        .map(|(p, u)| (p.as_str().to_string(), Value::from(u.as_str())))
        .collect();

    let mut tx = app.store.begin().await?;
    if let Some(consent) = &renews {
        update_mode_target::check_none_open(&mut tx, &consent.id, now).await?;
    }
    // A renewal is the consent's own end user's.
    let renewing_user = renews
        .as_ref()
        .and_then(|c| c.end_user_id.as_deref())
        .and_then(ponte_core::EndUserId::parse);
    let end_user_id = match end_user.cloned().or(renewing_user) {
        Some(id) => id,
        None => {
            crate::services::end_users::upsert(
                app,
                &mut tx,
                client_id,
                EndUserKey::TaxId(who),
                Some(&profile),
            )
            .await?
            .id
        }
    };
    ponte_store::insert_link(
        &mut tx,
        &LinkRow {
            id: id.to_string(),
            client_id: client_id.to_string(),
            end_user_id: end_user_id.to_string(),
            details_enc: app
                .crypto
                .seal_json(slots::link_details(id.as_str()), &link.details),
            redirect_url: link.redirect_url.map(|u| u.as_str().to_string()),
            products_callback_url: Value::Object(callbacks).to_string(),
            external_info: Value::Object(link.external_info).to_string(),
            created_at: now,
            expires_at,
            dialect: dialect.to_string(),
        },
    )
    .await?;
    for url in link.callbacks.values() {
        crate::services::webhooks::url_configured(&mut tx, client_id, url, now).await?;
    }
    if let Some(consent) = &renews {
        ponte_store::insert_reauthorisation(
            &mut tx,
            id.as_str(),
            &consent.id,
            client_id.as_str(),
            expires_at,
            now,
        )
        .await?;
    }
    tx.commit().await?;

    let (link_token, _) =
        app.tokens
            .issue(TokenKind::Link, client_id, Some(&id), Some(expires_at))?;
    // From the link's own clock reading, not the token's signing second: a
    // second boundary between the two would answer 1799.
    let expire_in = (expires_at - now) / 1000;
    tracing::info!(link_id = %id, client_id = %client_id, "link created");
    Ok(CreatedLink {
        link_url: format!("{}/link?v={link_token}", app.public_url),
        link_id: id.to_string(),
        link_token,
        expire_in,
    })
}

/// The link as its owner sees it; another client's link is not found.
pub async fn load(
    app: &App,
    client_id: &ponte_core::ClientId,
    link_id: &str,
) -> Result<(LinkRow, LinkDetails)> {
    let id = LinkId::parse(link_id).ok_or(Error::NotFound("link"))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::link_for_client(&mut conn, client_id.as_str(), id.as_str())
        .await?
        .ok_or(Error::NotFound("link"))?;
    let details = app
        .crypto
        .open_json(slots::link_details(&row.id), &row.details_enc)?;
    Ok((row, details))
}

/// Where a link's journey is: a consent authorised, expired, a consent
/// awaiting the institution, or not started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    Pending,
    InProgress,
    Completed,
    Expired,
}

/// A link as its owner sees it, with its consents.
#[derive(Debug)]
pub struct LinkState {
    pub link_id: String,
    pub status: LinkStatus,
    pub details: LinkDetails,
    pub redirect_url: Option<String>,
    /// As stored: product name to URL.
    pub products_callback_url: Value,
    pub external_info: Value,
    pub created_at_ms: i64,
    pub expire_at_ms: i64,
    pub consents: Vec<ConsentDetails>,
}

/// A link as read from the database: what [`view`] works its state out of.
/// Kept (encrypted as stored) in [`LinkReads`] until anything is written.
pub struct LinkRead {
    row: LinkRow,
    consents: Vec<ConsentDetails>,
    renewal: Option<ponte_store::ReauthorisationStatus>,
}

/// Links read while nothing was written, by link id (see
/// `ponte_store::ReadCache`): an integrator's polls of an unchanged link
/// cost no trip to the database.
pub type LinkReads = ponte_store::ReadCache<String, Arc<LinkRead>>;

/// How many links [`LinkReads`] keeps at most.
pub const LINK_READS_KEPT: usize = 512;

/// The link, with its consents, from what was read since the last write, or
/// else from the database: on every poll of an integrator, the link and its
/// consents in one query, their histories in a second only when there are
/// consents, on one kept connection.
async fn read(app: &App, client_id: &str, id: &LinkId) -> Result<Arc<LinkRead>> {
    let mark = app.store.quiet_mark();
    if let Some(kept) = mark.and_then(|m| app.link_reads.get(m, id.as_str())) {
        // Kept by link id: only its own client may see it.
        return match kept.row.client_id == client_id {
            true => Ok(kept),
            false => Err(Error::NotFound("link")),
        };
    }
    let mut conn = app.store.read().await?;
    let (row, rows, renewal) = ponte_store::link_with_consents(&mut conn, client_id, id.as_str())
        .await?
        .ok_or(Error::NotFound("link"))?;
    let consents = consent_view::with_histories(&mut conn, &row.id, &rows).await?;
    drop(conn);
    let read = Arc::new(LinkRead {
        row,
        consents,
        renewal,
    });
    if let Some(mark) = mark {
        app.link_reads
            .put(mark, read.row.id.clone(), Arc::clone(&read));
    }
    Ok(read)
}

pub async fn view(app: &App, client_id: &ponte_core::ClientId, link_id: &str) -> Result<LinkState> {
    let id = LinkId::parse(link_id).ok_or(Error::NotFound("link"))?;
    let read = read(app, client_id.as_str(), &id).await?;
    let LinkRead {
        row,
        consents,
        renewal,
    } = &*read;
    let (renewal, consents) = (*renewal, consents.clone());
    let details = app
        .crypto
        .open_json(slots::link_details(&row.id), &row.details_enc)?;
    let now = app.clock.now_ms();
    // An update-mode link has no consent of its own: it stands where the
    // renewal of the consent it reopened stands.
    use ponte_store::ReauthorisationStatus as Renewal;
    let status = if consents
        .iter()
        .any(|c| c.status == ConsentStatus::Authorised)
        || renewal == Some(Renewal::Authorised)
    {
        LinkStatus::Completed
    } else if row.expires_at <= now {
        LinkStatus::Expired
    } else if consents
        .iter()
        .any(|c| c.status == ConsentStatus::AwaitingAuthorisation)
        || renewal == Some(Renewal::AwaitingAuthorisation)
    {
        LinkStatus::InProgress
    } else {
        LinkStatus::Pending
    };
    Ok(LinkState {
        link_id: row.id.clone(),
        status,
        details,
        redirect_url: row.redirect_url.clone(),
        products_callback_url: serde_json::from_str(&row.products_callback_url)
            .unwrap_or(Value::Null),
        external_info: serde_json::from_str(&row.external_info).unwrap_or(Value::Null),
        created_at_ms: row.created_at,
        expire_at_ms: row.expires_at,
        consents,
    })
}
