//! A valid ticket request in the domain's terms: the end user's profile and
//! the device they sign in from (`services::tickets` does the rest).

use super::params::TicketRequest;
use crate::error::Result;
use crate::services::tickets::{self, Device, Issued};
use crate::App;
use ponte_core::{ClientId, EndUserProfile};

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
    let device = Device {
        platform: req.platform.as_str(),
        device_id: &req.device_id,
        ip_address: req.ip_address,
        user_agent: &req.user_agent,
    };
    tickets::issue(app, client, &req.xc_user_id, &profile, &device).await
}
