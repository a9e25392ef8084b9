//! An end user signing in from an integrator's app (the Server API's ticket
//! request): the end user made or updated by the client's own id for them,
//! the device they sign in from recorded, and a single-use ticket issued for
//! them, in one transaction: all three commit or none does.

use crate::error::Result;
use crate::services::{end_users, sessions, slots};
use crate::App;
use ponte_core::{ClientId, EndUserId, EndUserKey, EndUserProfile};
use ponte_store::DeviceRow;
use std::net::IpAddr;

/// The device an end user signs in from, as their app reports it.
pub struct Device<'a> {
    pub platform: &'a str,
    pub device_id: &'a str,
    pub ip_address: IpAddr,
    pub user_agent: &'a str,
}

pub struct Issued {
    pub end_user_id: EndUserId,
    pub ticket: String,
}

/// `external_id` is the client's own id for the person (kept only as a keyed
/// hash); `profile` replaces what the client told us before, field by field.
pub async fn issue(
    app: &App,
    client: &ClientId,
    external_id: &str,
    profile: &EndUserProfile,
    device: &Device<'_>,
) -> Result<Issued> {
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let user = end_users::upsert(
        app,
        &mut tx,
        client,
        EndUserKey::External(external_id),
        Some(profile),
    )
    .await?;
    let platform = device.platform;
    let device_key = app
        .crypto
        .hash_secret(&format!("device/{platform}/{}", device.device_id));
    ponte_store::record_device(
        &mut tx,
        &DeviceRow {
            id: uuid::Uuid::now_v7().to_string(),
            client_id: client.to_string(),
            end_user_id: user.id.to_string(),
            platform: platform.to_string(),
            device_id_enc: app
                .crypto
                .seal(slots::device_id(&device_key), device.device_id.as_bytes()),
            ip_address_enc: app.crypto.seal(
                slots::device_ip_address(&device_key),
                device.ip_address.to_string().as_bytes(),
            ),
            user_agent_enc: app.crypto.seal(
                slots::device_user_agent(&device_key),
                device.user_agent.as_bytes(),
            ),
            device_key,
            first_seen_at: now,
            last_seen_at: now,
        },
    )
    .await?;
    let (ticket, _) = sessions::issue_ticket(app, &mut tx, client, &user.id).await?;
    tx.commit().await?;
    tracing::info!(client_id = %client, end_user_id = %user.id, "auth ticket issued");
    Ok(Issued {
        end_user_id: user.id,
        ticket,
    })
}
