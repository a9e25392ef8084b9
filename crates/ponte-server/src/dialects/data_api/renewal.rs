//! Update mode as the widget drives it, with the link token of a link
//! opened with `consentId`: what it renews, and the hand-off to the
//! institution for the end user's new authorisation.

use super::errors::ApiResult;
use super::links::widget_end_user;
use super::parts::{JsonBody, LinkToken};
use super::wire::ErrorEnvelope;
use crate::clock::rfc3339;
use crate::error::Error;
use crate::http::extract::{Body, Token};
use crate::http::listener::Peer;
use crate::services::update_mode::{self, RenewalState};
use crate::App;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The consent an update-mode link renews, and how the renewal stands.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkRenewal {
    pub consent_id: String,
    #[schema(example = "itau")]
    pub institution_code: String,
    #[schema(example = "Itaú")]
    pub institution_name: String,
    pub avatar: String,
    /// `OPEN` (nothing asked of the institution yet), `AWAITING_AUTHORISATION`, `AUTHORISED`
    /// (renewed: the consent holds the new authorisation) or `REJECTED` (the consent is
    /// unchanged).
    #[schema(example = "AWAITING_AUTHORISATION")]
    pub status: String,
    /// Why a renewal was `REJECTED` (an Open Finance reason code).
    pub reason: Option<String>,
    /// The consent's expiry: the new one once `AUTHORISED`.
    pub expiration_date_time: String,
}

impl From<RenewalState> for LinkRenewal {
    fn from(r: RenewalState) -> Self {
        LinkRenewal {
            consent_id: r.consent_id,
            institution_code: r.institution_code,
            institution_name: r.institution_name,
            avatar: r.avatar,
            status: r.status,
            reason: r.reason,
            expiration_date_time: rfc3339(r.expire_at_ms),
        }
    }
}

#[utoipa::path(get, path = "/data/v1/links/renewal", tag = "Data API: Links",
    summary = "The consent an update-mode link renews",
    description = "Called by the widget with the link token of a link opened with `consentId`. A link opened without one answers 404 `NOT_FOUND`.",
    security(("linkToken" = [])),
    responses((status = 200, description = "The renewal", body = LinkRenewal), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn show_renewal(State(app): State<App>, Token(who, _): LinkToken) -> ApiResult {
    let renewal = update_mode::of_link(&app, &who)
        .await?
        .ok_or(Error::NotFound("update mode for this link"))?;
    Ok(Json(LinkRenewal::from(renewal)).into_response())
}

/// The body of `POST /data/v1/links/renewal`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RenewalRequest {
    /// Where the institution sends the end user back: the link's `redirectUrl` or Ponte's own
    /// widget page (`<PUBLIC_URL>/link`); absent: the link's.
    redirect_url: Option<String>,
}

/// Where the end user authorises the renewal.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartedRenewal {
    /// The consent being renewed (its id does not change).
    pub consent_id: String,
    /// The institution's own authorization URL for the new authorisation.
    pub consent_redirect_url: String,
}

#[utoipa::path(post, path = "/data/v1/links/renewal", tag = "Data API: Links",
    summary = "Start the end user's new authorisation of an update-mode link's consent",
    description = "Open Finance authorises a consent only once, so the institution gets a new consent for the same person and permissions, valid 12 months. Once the end user authorises it, the Ponte consent keeps its `consentId` and takes the new authorisation and expiry (`CONSENT_RENEWED`, an entry in `/extensions`), and the replaced consent is revoked at the institution. A refusal leaves the consent as it was. Each call is a new attempt.",
    request_body = RenewalRequest, security(("linkToken" = [])),
    responses((status = 200, description = "Send the end user to `consentRedirectUrl`", body = StartedRenewal), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn start_renewal(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Token(who, _): LinkToken,
    // An empty body is the default request (no `redirectUrl`).
    Body(req, _): JsonBody<RenewalRequest>,
) -> ApiResult {
    let end_user = widget_end_user(&app.public_url, &headers, from);
    let started = update_mode::start(
        &app,
        &who,
        end_user.as_ref(),
        req.redirect_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    )
    .await?;
    Ok(Json(StartedRenewal {
        consent_id: started.consent_id,
        consent_redirect_url: started.authorization_url,
    })
    .into_response())
}
