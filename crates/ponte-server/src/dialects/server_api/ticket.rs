//! What a ticket request does, in one transaction: the end user made or
//! updated by (client, `xcUserID`), the device they sign in from recorded,
//! and a single-use ticket issued for them. All three commit or none does.

use super::params::TicketRequest;
use crate::error::Result;
use crate::services::{end_users, sessions};
use crate::App;
use ponte_core::{ClientId, EndUserId, EndUserKey, EndUserProfile};
use ponte_store::DeviceRow;

pub struct Issued {
    pub end_user_id: EndUserId,
    pub ticket: String,
}

pub async fn issue(app: &App, client: &ClientId, req: &TicketRequest) -> Result<Issued> {
    let profile = EndUserProfile {
        full_name: Some(req.full_name.clone()),
        email: req.email.as_ref().map(|e| e.as_str().to_string()),
        phone: req.phone.clone(),
        username: req.username.clone(),
        photo_thumbnail_url: req
            .photo_thumbnail_url
            .as_ref()
            .map(|u| u.as_str().to_string()),
        photo_fullsize_url: req
            .photo_fullsize_url
            .as_ref()
            .map(|u| u.as_str().to_string()),
        role_code: req.role_code.clone(),
        ..EndUserProfile::default()
    };
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let user = end_users::upsert(
        app,
        &mut tx,
        client,
        EndUserKey::External(&req.xc_user_id),
        Some(&profile),
    )
    .await?;
    let platform = req.platform.as_str();
    ponte_store::record_device(
        &mut tx,
        &DeviceRow {
            id: uuid::Uuid::now_v7().to_string(),
            client_id: client.to_string(),
            end_user_id: user.id.to_string(),
            device_key: app
                .crypto
                .hash_secret(&format!("device/{platform}/{}", req.device_id)),
            platform: platform.to_string(),
            device_id_enc: app.crypto.encrypt(req.device_id.as_bytes()),
            ip_address_enc: app.crypto.encrypt(req.ip_address.to_string().as_bytes()),
            user_agent_enc: app.crypto.encrypt(req.user_agent.as_bytes()),
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
