//! End users: one per (client, the client's own id for the person), shared by
//! every dialect. A Data API link's person, a documents-app user and a Server
//! API `xcUserID` all land here; what the client tells us about them is sealed.

use crate::error::{Error, Result};
use crate::App;
use ponte_core::{ClientId, EndUserId, EndUserKey, EndUserProfile};
use ponte_store::{Conn, EndUserRow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndUser {
    pub id: EndUserId,
    pub client_id: ClientId,
    pub kind: String,
    pub profile: EndUserProfile,
    pub created_at: i64,
}

fn open(app: &App, row: EndUserRow) -> Result<EndUser> {
    let profile = match row.profile_enc.as_deref() {
        Some(sealed) => app
            .crypto
            .open_json(crate::services::slots::end_user_profile(&row.id), sealed)?,
        None => EndUserProfile::default(),
    };
    Ok(EndUser {
        id: EndUserId::from_trusted(row.id),
        client_id: ClientId::from_trusted(row.client_id),
        kind: row.kind,
        profile,
        created_at: row.created_at,
    })
}

/// The end user `client` knows by `key`, made on first sight; `profile`
/// (when given) is merged over what was known. Runs in the caller's
/// transaction, so the end user and what points at it commit together.
pub async fn upsert(
    app: &App,
    conn: &mut Conn,
    client: &ClientId,
    key: EndUserKey<'_>,
    profile: Option<&EndUserProfile>,
) -> Result<EndUser> {
    let now = app.clock.now_ms();
    let fresh = match key {
        // A minted id is the row's own id, so the client can name it back.
        EndUserKey::Minted(id) => id.to_string(),
        _ => EndUserId::generate().to_string(),
    };
    let lookup = app.crypto.hash_secret(&key.lookup_text());
    let row = ponte_store::upsert_end_user(conn, &fresh, client.as_str(), key.kind(), &lookup, now)
        .await?;
    // Kept in clear so the webhooks of this person can name them as the integrator does.
    if let EndUserKey::External(reference) = key {
        ponte_store::set_end_user_external_ref(conn, &row.id, reference).await?;
    }
    let mut user = open(app, row)?;
    if let Some(newer) = profile {
        let merged = user.profile.merged(newer);
        if merged != user.profile {
            ponte_store::set_end_user_profile(
                conn,
                user.id.as_str(),
                &app.crypto.seal_json(
                    crate::services::slots::end_user_profile(user.id.as_str()),
                    &merged,
                ),
                now,
            )
            .await?;
            user.profile = merged;
        }
    }
    Ok(user)
}

/// A new end user with an id Ponte mints (the client has none of its own).
pub async fn mint(
    app: &App,
    conn: &mut Conn,
    client: &ClientId,
    profile: Option<&EndUserProfile>,
) -> Result<EndUser> {
    let id = EndUserId::generate();
    upsert(app, conn, client, EndUserKey::Minted(id.as_str()), profile).await
}

/// The end user, if it is `client`'s: another client's end user is not found.
pub async fn find(app: &App, client: &ClientId, id: &str) -> Result<EndUser> {
    let id = EndUserId::parse(id).ok_or(Error::NotFound("end user"))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::end_user_for_client(&mut conn, client.as_str(), id.as_str())
        .await?
        .ok_or(Error::NotFound("end user"))?;
    open(app, row)
}

/// Keeps the end user's CPF with the rest of their profile (sealed under
/// the master key like it), so the next bank they add from `/me` does not
/// ask for it again. `cpf` is a CPF already checked; stored as digits.
pub async fn remember_personal_tax_id(
    app: &App,
    client: &ClientId,
    id: &EndUserId,
    cpf: &str,
) -> Result<()> {
    let digits: String = cpf.chars().filter(char::is_ascii_digit).collect();
    let mut tx = app.store.begin().await?;
    let row = ponte_store::end_user_for_client(&mut tx, client.as_str(), id.as_str())
        .await?
        .ok_or(Error::NotFound("end user"))?;
    let user = open(app, row)?;
    let merged = user.profile.merged(&EndUserProfile {
        personal_tax_id: Some(digits),
        ..EndUserProfile::default()
    });
    if merged != user.profile {
        ponte_store::set_end_user_profile(
            &mut tx,
            user.id.as_str(),
            &app.crypto.seal_json(
                crate::services::slots::end_user_profile(user.id.as_str()),
                &merged,
            ),
            app.clock.now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
