//! The first half of an authorisation: the consent created at the
//! institution and the request the end user takes there (pushed, with
//! PKCE), naming the client as the recipient.

use crate::error::Error;
use crate::error::Result;
use crate::services::directory::Institution;
use crate::App;
use ponte_connect::{ConnectError, StartedAuthorisation};
use ponte_core::{Cnpj, Cpf};

/// Creates the consent at the institution and prepares the end user's
/// authorisation request there, naming `client_id` as the recipient; with
/// the end user present, their FAPI headers go with it.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    app: &App,
    client_id: &str,
    institution: &Institution,
    personal: &Cpf,
    business: Option<&Cnpj>,
    permissions: &[String],
    expire_at: i64,
    end_user: Option<&ponte_connect::EndUser>,
) -> Result<StartedAuthorisation> {
    let recipient = recipient_name(app, client_id).await;
    app.open_finance
        .start_authorisation_as(
            &institution.endpoint,
            personal.as_str(),
            business.map(Cnpj::as_str),
            permissions,
            &ofb_time(expire_at),
            recipient.as_deref(),
            end_user,
        )
        .await
        .map_err(|e| institution_error(institution, None, e))
}

/// Who the end user shares with, as the institution's consent page names
/// them: the client's display name, else its name. Not knowing it only
/// leaves the page's generic wording.
pub(crate) async fn recipient_name(app: &App, client_id: &str) -> Option<String> {
    let branding = crate::services::branding::branding(app, client_id)
        .await
        .ok();
    if let Some(name) = branding.and_then(|b| b.display_name) {
        return Some(name);
    }
    let mut conn = app.store.read().await.ok()?;
    let client = ponte_store::client_by_id(&mut conn, client_id)
        .await
        .ok()??;
    Some(client.name)
}

/// What the end user is told when the institution fails: a plain message;
/// what the institution said goes to the log only.
pub(crate) fn institution_error(
    institution: &Institution,
    consent_id: Option<&str>,
    e: ConnectError,
) -> Error {
    tracing::warn!(institution = %institution.institution_code, consent_id, error = %e, "institution call failed");
    match e {
        ConnectError::Unavailable(_) => {
            Error::Outage(format!("{} is unavailable at the moment", institution.name))
        }
        _ => Error::Institution(format!(
            "{} could not start the authorisation; try again later",
            institution.name
        )),
    }
}

/// Open Finance date-times: UTC, second precision.
fn ofb_time(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}
