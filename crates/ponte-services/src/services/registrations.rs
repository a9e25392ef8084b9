//! Ponte's dynamic registrations at Open Finance institutions (OFB DCR,
//! RFC 7591/7592): for each entry with `registration = "dynamic"`, a fresh
//! software statement from the directory is registered at the institution,
//! and the client id it issues is what Ponte uses there from the next start.
//! The registration access token is sealed at rest.

use crate::config::institutions::{DynamicRegistration, InstitutionEntry};
use crate::crypto::Slot;
use crate::error::{Error, Result};
use crate::services::directory::CALLBACK_PATH;
use crate::App;
use ponte_connect::{ClientMetadata, ConnectError, FapiProfile, Registration, Secret};
use ponte_store::RegistrationRow;
use std::sync::Arc;

fn token_slot(code: &str) -> Slot<'_> {
    Slot::new(
        "institution_registrations",
        "registration_access_token_enc",
        code,
    )
}

/// Fills each dynamic entry's `client_id` from its stored registration.
/// An entry not registered yet is in outage until a registration is made:
/// by `ponte serve` once it listens, or `ponte institutions register`.
pub async fn apply(
    store: &ponte_store::Store,
    entries: &mut [InstitutionEntry],
) -> anyhow::Result<()> {
    if entries.iter().all(|e| e.registration.is_none()) {
        return Ok(());
    }
    let mut conn = store.read().await?;
    for entry in entries.iter_mut().filter(|e| e.registration.is_some()) {
        match ponte_store::registration(&mut conn, &entry.code)
            .await?
            .and_then(|r| r.client_id)
        {
            Some(client_id) => entry.client_id = client_id,
            // In outage until registered (Institution::from_entry): `ponte
            // serve` registers it once it listens (registrations_start).
            None => entry.client_id.clear(),
        }
    }
    Ok(())
}

/// Every entry Ponte registers at dynamically: the configured ones, then, on
/// a serving node in sandbox mode, the sandbox banks no configured entry
/// replaces.
pub fn dynamic_entries(app: &App) -> Vec<&InstitutionEntry> {
    let configured = app.config.institutions.iter();
    let sandbox = app
        .sandbox
        .iter()
        .flat_map(|s| s.banks.iter())
        .filter(|b| !app.config.institutions.iter().any(|e| e.code == b.code));
    configured
        .chain(sandbox)
        .filter(|e| e.registration.is_some())
        .collect()
}

fn dynamic<'a>(
    app: &'a App,
    code: &str,
) -> Result<(&'a InstitutionEntry, &'a DynamicRegistration)> {
    let entry = dynamic_entries(app)
        .into_iter()
        .find(|e| e.code == code)
        .or_else(|| app.config.institutions.iter().find(|e| e.code == code))
        .ok_or_else(|| {
            let builtin = crate::services::directory::sandbox_bank_codes(&app.config).contains(&code);
            match builtin {
                true => Error::Conflict(format!(
                    "{code} is a sandbox bank: `ponte serve` registers at the sandbox banks when it starts"
                )),
                false => Error::NotFound("institution"),
            }
        })?;
    let registration = entry.registration.as_ref().ok_or_else(|| {
        Error::Conflict(format!(
            "{code} has no registration = \"dynamic\" in PONTE_INSTITUTIONS"
        ))
    })?;
    Ok((entry, registration))
}

/// The registration `row` holds, its token opened (`None`: none made yet).
pub(crate) fn stored(app: &App, row: &RegistrationRow) -> Result<Option<Registration>> {
    let (Some(client_id), Some(uri), Some(token)) = (
        row.client_id.clone(),
        row.registration_client_uri.clone(),
        row.registration_access_token_enc.as_deref(),
    ) else {
        return Ok(None);
    };
    let token = String::from_utf8(app.crypto.open(token_slot(&row.institution_code), token)?)
        .map_err(|_| anyhow::anyhow!("a registration token that is not text"))?;
    Ok(Some(Registration {
        client_id,
        registration_client_uri: uri,
        registration_access_token: Secret::new(token),
        metadata: row
            .metadata
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok())
            .unwrap_or_default(),
    }))
}

/// Registers Ponte at the institution `code`, or updates the registration it
/// has (RFC 7592 PUT, e.g. after a key or certificate rotation), with a fresh
/// software statement. A failure is recorded beside the registration.
pub async fn register(app: &App, code: &str) -> Result<RegistrationRow> {
    register_or_update(app, code, false).await
}

/// Updates the registration Ponte has at `code` (RFC 7592 PUT); one that
/// has none is an error, not a new registration.
pub async fn update(app: &App, code: &str) -> Result<RegistrationRow> {
    register_or_update(app, code, true).await
}

/// When the transport certificate of `code`'s entry expires (RFC 3339).
pub fn certificate_not_after(app: &App, code: &str) -> Option<String> {
    let entry = dynamic_entries(app).into_iter().find(|e| e.code == code)?;
    rfc3339(entry.fapi.as_ref()?.certificate_not_after)
}

fn rfc3339(at: time::OffsetDateTime) -> Option<String> {
    at.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// One line of `ponte institutions show`.
#[derive(Debug, Clone)]
pub struct Shown {
    pub code: String,
    /// What is stored (`None`: never tried).
    pub row: Option<RegistrationRow>,
    /// When the transport certificate Ponte registered with expires (RFC 3339).
    pub certificate_not_after: Option<String>,
    /// A built-in sandbox bank (registered by `ponte serve` at start).
    pub sandbox: bool,
}

impl Shown {
    /// `registered`, `failed` (nothing registered, an error recorded) or
    /// `not registered`.
    pub fn state(&self) -> &'static str {
        match &self.row {
            Some(r) if r.client_id.is_some() => "registered",
            Some(r) if r.last_error.is_some() => "failed",
            _ => "not registered",
        }
    }
}

/// The built-in sandbox's certificate expiry, as stored (the only dynamic
/// entries listed without a configured one are its banks).
async fn sandbox_certificate_not_after(app: &App) -> Result<Option<String>> {
    #[cfg(feature = "sandbox")]
    let at =
        crate::services::sandbox_pki::stored_certificate_not_after(&app.store, &app.crypto).await?;
    // A build without the sandbox lists none of its banks.
    #[cfg(not(feature = "sandbox"))]
    let at: Option<time::OffsetDateTime> = {
        let _ = app;
        None
    };
    Ok(at.and_then(rfc3339))
}

/// Every dynamic entry with its registration and certificate expiry: what
/// [`list`] gives, the sandbox banks' certificate read from the database
/// when this process serves none.
pub async fn show(app: &App) -> Result<Vec<Shown>> {
    let list = list(app).await?;
    let mut sandbox_cert: Option<Option<String>> = None;
    let mut out = Vec::with_capacity(list.len());
    for (code, row) in list {
        let sandbox = !app.config.institutions.iter().any(|e| e.code == code);
        let mut certificate_not_after = certificate_not_after(app, &code);
        if certificate_not_after.is_none() && sandbox {
            if sandbox_cert.is_none() {
                sandbox_cert = Some(sandbox_certificate_not_after(app).await?);
            }
            certificate_not_after = sandbox_cert.clone().flatten();
        }
        out.push(Shown {
            code,
            row,
            certificate_not_after,
            sandbox,
        });
    }
    Ok(out)
}

/// Ponte's client metadata at every institution: its callback.
pub(crate) fn metadata(app: &App) -> ClientMetadata {
    ClientMetadata {
        redirect_uris: vec![format!("{}{CALLBACK_PATH}", app.public_url)],
    }
}

/// The entry's FAPI-BR profile, which dynamic registration needs.
pub(crate) fn profile(entry: &InstitutionEntry) -> Result<Arc<FapiProfile>> {
    entry
        .fapi
        .as_ref()
        .map(|f| f.profile.clone())
        .ok_or_else(|| Error::Conflict(format!("{} has no FAPI-BR credentials", entry.code)))
}

/// Registers at the institution with the software statement `ssa`, or
/// updates `previous` (RFC 7592 PUT). Network only: nothing is stored.
pub(crate) async fn at_institution(
    app: &App,
    entry: &InstitutionEntry,
    ssa: &str,
    previous: Option<&Registration>,
) -> std::result::Result<Registration, ConnectError> {
    let profile = entry
        .fapi
        .as_ref()
        .map(|f| f.profile.clone())
        .ok_or_else(|| ConnectError::Protocol("no FAPI-BR credentials".into()))?;
    let meta = metadata(app);
    match previous {
        Some(reg) => {
            app.open_finance
                .update_registration(&profile, reg, ssa, &meta)
                .await
        }
        None => {
            app.open_finance
                .register_discovered(
                    &entry.base_url,
                    entry.discovery_url.as_deref(),
                    &profile,
                    ssa,
                    &meta,
                )
                .await
        }
    }
}

/// A fresh software statement from the entry's directory.
pub(crate) async fn software_statement(
    entry: &InstitutionEntry,
) -> std::result::Result<String, ConnectError> {
    let (Some(fapi), Some(dynamic)) = (&entry.fapi, &entry.registration) else {
        return Err(ConnectError::Protocol(
            "no FAPI-BR credentials or no registration = \"dynamic\"".into(),
        ));
    };
    ponte_connect::dcr::fetch_ssa(
        &fapi.profile,
        &dynamic.directory_url,
        &dynamic.org_id,
        &dynamic.software_id,
    )
    .await
}

/// The row that records `reg`, its token sealed.
pub(crate) fn row_of(
    app: &App,
    code: &str,
    reg: &Registration,
    signing_kid: &str,
    now: i64,
) -> RegistrationRow {
    RegistrationRow {
        institution_code: code.to_string(),
        client_id: Some(reg.client_id.clone()),
        registration_client_uri: Some(reg.registration_client_uri.clone()),
        registration_access_token_enc: Some(app.crypto.seal(
            token_slot(code),
            reg.registration_access_token.expose().as_bytes(),
        )),
        metadata: Some(reg.metadata.to_string()),
        signing_kid: Some(signing_kid.to_string()),
        registered_at: Some(now),
        updated_at: now,
        last_error: None,
        last_error_at: None,
    }
}

async fn register_or_update(app: &App, code: &str, update_only: bool) -> Result<RegistrationRow> {
    let (entry, _) = dynamic(app, code)?;
    let profile = profile(entry)?;
    let mut conn = app.store.read().await?;
    let existing = ponte_store::registration(&mut conn, code).await?;
    drop(conn);
    let previous = match &existing {
        Some(row) => stored(app, row)?,
        None => None,
    };
    if update_only && previous.is_none() {
        return Err(Error::Conflict(format!(
            "{code} is not registered yet: run ponte institutions register --code {code}"
        )));
    }
    let outcome = async {
        let ssa = software_statement(entry).await?;
        at_institution(app, entry, &ssa, previous.as_ref()).await
    }
    .await;
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let reg = match outcome {
        Ok(reg) => reg,
        Err(e) => {
            let why = e.to_string();
            ponte_store::record_registration_error(&mut tx, code, &why, now).await?;
            tx.commit().await?;
            tracing::warn!(code, error = %why, "registration at the institution failed");
            return Err(Error::Institution(format!(
                "{} refused or failed the registration: {why}",
                entry.name
            )));
        }
    };
    let row = row_of(app, code, &reg, profile.signing_kid(), now);
    ponte_store::save_registration(&mut tx, &row).await?;
    tx.commit().await?;
    tracing::info!(code, client_id = %reg.client_id, updated = previous.is_some(), "registered at the institution");
    let mut conn = app.store.read().await?;
    Ok(ponte_store::registration(&mut conn, code)
        .await?
        .unwrap_or(row))
}

/// Deletes Ponte's registration at the institution (RFC 7592 DELETE) and
/// forgets it. The entry is in outage from the next start.
pub async fn unregister(app: &App, code: &str) -> Result<()> {
    let (entry, _) = dynamic(app, code)?;
    let profile = profile(entry)?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::registration(&mut conn, code)
        .await?
        .ok_or(Error::NotFound("registration"))?;
    drop(conn);
    if let Some(reg) = stored(app, &row)? {
        app.open_finance
            .delete_registration(&profile, &reg)
            .await
            .map_err(|e| Error::Institution(format!("{}: {e}", entry.name)))?;
    }
    let mut tx = app.store.begin().await?;
    ponte_store::delete_registration(&mut tx, code).await?;
    tx.commit().await?;
    Ok(())
}

/// Every dynamic entry with what is stored for it (`None`: never tried).
/// In sandbox mode the sandbox banks no configured entry replaces are
/// listed too, whether or not this process serves them (the CLI does not).
pub async fn list(app: &App) -> Result<Vec<(String, Option<RegistrationRow>)>> {
    let mut conn = app.store.read().await?;
    let rows = ponte_store::registrations(&mut conn).await?;
    let mut codes: Vec<String> = app
        .config
        .institutions
        .iter()
        .filter(|e| e.registration.is_some())
        .map(|e| e.code.clone())
        .collect();
    codes.extend(
        crate::services::directory::sandbox_bank_codes(&app.config)
            .into_iter()
            .map(str::to_string)
            .filter(|code| !app.config.institutions.iter().any(|e| e.code == *code)),
    );
    Ok(codes
        .into_iter()
        .map(|code| {
            let row = rows.iter().find(|r| r.institution_code == code).cloned();
            (code, row)
        })
        .collect())
}
