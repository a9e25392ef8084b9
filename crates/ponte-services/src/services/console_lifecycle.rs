//! The console's view of a client's consents over time (issues 26 and 27):
//! the connections that expire within the client's lead time, with the
//! days left and how to renew them, and the connections made as duplicates
//! of another AUTHORISED one.

use crate::error::{Error, Result};
use crate::services::console_data::{self, Connection};
use crate::services::{consent_lifecycle, links};
use crate::App;
use ponte_core::ClientId;

const DAY_MS: i64 = 86_400_000;
/// At most this many of each list: the console shows the most pressing.
const LISTED: i64 = 200;
/// The window when the client turned its `CONSENT_EXPIRING` warning off.
const DEFAULT_LEAD_DAYS: i64 = 7;

pub struct Expiring {
    pub connection: Connection,
    /// Whole days left, rounded up; 0 when it ends today.
    pub days_left: i64,
}

pub struct Duplicate {
    pub connection: Connection,
    pub duplicate_of: String,
}

pub struct Lifecycle {
    /// The client's warning lead time (7 when it turned the warning off).
    pub lead_days: i64,
    pub expiring: Vec<Expiring>,
    pub duplicates: Vec<Duplicate>,
}

fn days_left(expire_at: i64, now: i64) -> i64 {
    let left = (expire_at - now).max(0);
    left.div_euclid(DAY_MS) + i64::from(left.rem_euclid(DAY_MS) > 0)
}

pub async fn lifecycle(app: &App, client: &ClientId) -> Result<Lifecycle> {
    let lead_days = match consent_lifecycle::expiring_notice_days(app, client.as_str()).await? {
        0 => DEFAULT_LEAD_DAYS,
        days => days,
    };
    let now = consent_lifecycle::client_now(app, client.as_str()).await?;
    let mut conn = app.store.read().await?;
    let expiring = ponte_store::expiring_consents_of_client(
        &mut conn,
        client.as_str(),
        now + lead_days * DAY_MS,
        LISTED,
    )
    .await?;
    let pairs =
        ponte_store::duplicate_consents_of_client(&mut conn, client.as_str(), LISTED).await?;
    let mut duplicates = Vec::with_capacity(pairs.len());
    for (consent_id, duplicate_of) in pairs {
        if let Some(row) = ponte_store::consent_by_id(&mut conn, &consent_id).await? {
            duplicates.push(Duplicate {
                connection: console_data::connection(app, row),
                duplicate_of,
            });
        }
    }
    drop(conn);
    Ok(Lifecycle {
        lead_days,
        expiring: expiring
            .into_iter()
            .map(|row| Expiring {
                days_left: days_left(row.expire_at, now),
                connection: console_data::connection(app, row),
            })
            .collect(),
        duplicates,
    })
}

/// An update-mode link for one of the client's consents, opened from the
/// console for the operator to send to the end user (the widget then
/// renews it at the bank, same consentId).
pub async fn update_link(
    app: &App,
    client: &ClientId,
    consent_id: &str,
) -> Result<links::CreatedLink> {
    // Another client's consent is not found, whoever asks.
    crate::services::update_mode_target::target(app, client.as_str(), consent_id).await?;
    let input = links::LinkInput {
        consent_id: Some(consent_id.to_string()),
        ..Default::default()
    };
    let valid = links::validate(&input).map_err(Error::from)?;
    links::create(app, client, valid).await
}

#[cfg(test)]
mod tests {
    use super::days_left;

    #[test]
    fn days_left_round_up_and_stop_at_zero() {
        let day = super::DAY_MS;
        assert_eq!(days_left(5 * day, 0), 5);
        assert_eq!(days_left(4 * day + 1, 0), 5);
        assert_eq!(days_left(1, 0), 1);
        assert_eq!(days_left(0, 0), 0);
        assert_eq!(days_left(-day, 0), 0);
    }
}
