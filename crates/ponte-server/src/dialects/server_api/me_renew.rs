//! "Renew" on `/me`: a connection that ends within the client's lead time
//! (its `CONSENT_EXPIRING` window; 7 days when the client turned the warning
//! off) is renewed at the bank without leaving the page when the bank allows
//! it (OFB `extends`); when it does not, the end user goes through the widget
//! in update mode and comes back to `/me`, keeping the same connection.

use super::me::{fields, form_user, problem, refused};
use super::wire::Connection;
use crate::error::Error;
use crate::http::extract::Path;
use crate::http::listener::Peer;
use crate::services::{consent_lifecycle, consents, links};
use crate::tokens::Bearer;
use crate::web::me_pages::Problem;
use crate::App;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ponte_core::ConsentStatus;
use serde::Deserialize;

const DAY_MS: i64 = 86_400_000;
/// The window when the client turned its expiry warning off: the page
/// still offers renewal in the last week.
const DEFAULT_LEAD_DAYS: i64 = 7;

/// When the page offers to renew: the client's lead time on its clock.
pub(super) struct RenewWindow {
    now_ms: i64,
    lead_ms: i64,
}

impl RenewWindow {
    pub(super) async fn of(app: &App, who: &Bearer) -> RenewWindow {
        let client = who.client_id.as_str();
        let days = match consent_lifecycle::expiring_notice_days(app, client).await {
            Ok(0) | Err(_) => DEFAULT_LEAD_DAYS,
            Ok(days) => days,
        };
        let now_ms = consent_lifecycle::client_now(app, client)
            .await
            .unwrap_or_else(|_| app.clock.now_ms());
        RenewWindow {
            now_ms,
            lead_ms: days * DAY_MS,
        }
    }

    /// Whole days left (rounded up) when `c` is live and ends within the window.
    pub(super) fn days_left(&self, c: &Connection) -> Option<i64> {
        let left = c.expiry - self.now_ms;
        (c.status == ConsentStatus::Authorised && left <= self.lead_ms)
            .then(|| left.max(0).div_euclid(DAY_MS) + i64::from(left.rem_euclid(DAY_MS) > 0))
            .map(|d| d.max(0))
    }
}

#[derive(Default, Deserialize)]
pub struct RenewForm {
    csrf: Option<String>,
}

#[utoipa::path(post, path = "/me/connections/{consentId}/renew", tag = "Server API: Connections",
    summary = "Renew a connection that is about to end (the page's form)",
    description = "Renews at the bank without leaving the page when the bank allows it (back to `/me?renewed=1`); otherwise sends the browser to the widget in update mode, which comes back to `/me` with the same connection renewed.",
    params(("consentId" = String, Path, description = "The connection")),
    security(()),
    responses((status = 303, description = "Renewed (to `/me?renewed=1`), or on to the widget to renew it at the bank"), (status = 403, description = "The form did not come from the page", content_type = "text/html", body = String), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn renew(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Path(consent_id): Path<String>,
    form: Result<Form<RenewForm>, FormRejection>,
) -> Response {
    let form = fields(form);
    let (who, lang) = match form_user(&app, &headers, form.csrf, None).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    // The end user is here: the bank hears their address and browser.
    let signed_in = match crate::services::sessions::signed_in_at(&app, &who).await {
        Ok(at) => at.and_then(|ms| time::OffsetDateTime::from_unix_timestamp(ms / 1000).ok()),
        Err(e) => return refused(&app, lang, e.into()),
    };
    let user = consents::EndUser {
        auth_date: signed_in,
        ip_address: from.map(|ip| ip.to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(255).collect()),
    };
    match consent_lifecycle::renew(&app, &who, &consent_id, None, &user).await {
        Ok(_) => {
            tracing::info!(consent_id, "the end user renewed a connection from /me");
            Redirect::to("/me?renewed=1").into_response()
        }
        // The bank wants the end user there (or no longer takes the
        // consent's tokens): the widget in update mode, back to `/me`.
        Err(e @ (Error::Conflict(_) | Error::ConsentNotAuthorised(_) | Error::Institution(_))) => {
            tracing::info!(consent_id, why = %e, "no renewal in place: on to update mode");
            with_update_mode(&app, &who, &consent_id, lang).await
        }
        Err(e) => refused(&app, lang, e.into()),
    }
}

async fn with_update_mode(
    app: &App,
    who: &Bearer,
    consent_id: &str,
    lang: crate::web::lang::Lang,
) -> Response {
    let Some(end_user) = who.end_user_id.as_ref() else {
        return problem(app, lang, StatusCode::UNAUTHORIZED, Problem::SessionEnded);
    };
    let request = links::LinkInput {
        consent_id: Some(consent_id.to_string()),
        redirect_url: Some(format!("{}/me", app.public_url)),
        external_info: Some(serde_json::json!({"locale": lang.locale.tag()})),
        ..Default::default()
    };
    let opened = match links::validate(&request) {
        Ok(valid) => links::create_for_end_user(app, who, end_user, valid).await,
        Err(e) => Err(e.into()),
    };
    match opened {
        Ok(link) => {
            tracing::info!(consent_id, link_id = %link.link_id, "the end user renews a connection at the bank from /me");
            Redirect::to(&link.link_url).into_response()
        }
        Err(e) => refused(app, lang, e.into()),
    }
}
