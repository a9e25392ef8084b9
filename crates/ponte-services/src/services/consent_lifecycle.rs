//! Keeping a consent alive: renewal without a redirect (OFB consents v3
//! `extends`), its history, and the `CONSENT_EXPIRING` warning ahead of the
//! expiry. Expiry itself is the consent clock's (`consent_state::expire_due`).
//! Every "now" here is the client's: real time plus its sandbox test-clock
//! offset, which is zero outside sandbox mode.

use crate::error::{Error, Result};
use crate::services::bank_tokens::StoredTokens;
use crate::services::consents::{self, CONSENT_VALIDITY_MS};
use crate::services::outbox;
use crate::tokens::Bearer;
use crate::App;
use ponte_connect::{ConnectError, EndUser, Renewal, RenewalOutcome, TokenStore};
use ponte_core::event::{ConsentExpiry, DomainEvent};
use ponte_core::{ConsentStatus, FieldError};
use ponte_store::{ConsentExtensionRow, ConsentRow};

/// The client's "now": real time plus its test clock's offset.
pub async fn client_now(app: &App, client_id: &str) -> Result<i64> {
    let mut conn = app.store.read().await?;
    let offset = ponte_store::client_clock_offset(&mut conn, client_id).await?;
    Ok(app.clock.now_ms() + offset)
}

/// A renewal as it happened.
#[derive(Debug, Clone)]
pub struct Renewed {
    pub consent: ConsentRow,
    pub previous_expire_at_ms: i64,
}

/// OFB date-times carry whole seconds.
fn whole_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000) * 1000
}

fn ofb_time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default()
}

fn parse_ofb_time(s: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    Some((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The expiry asked for: a date later than the current one and at most the
/// validity OFB allows from now; none asked means that full validity.
fn requested_expiry(asked: Option<&str>, current: i64, now: i64) -> Result<i64> {
    let latest = now + CONSENT_VALIDITY_MS;
    let at = match asked.map(str::trim) {
        None | Some("") => whole_seconds(latest),
        Some(s) => whole_seconds(parse_ofb_time(s).ok_or_else(|| {
            FieldError::new(
                "expirationDateTime",
                "must be an RFC 3339 date-time, e.g. 2027-01-31T23:59:59Z",
            )
        })?),
    };
    if at <= current {
        return Err(FieldError::new(
            "expirationDateTime",
            format!(
                "must be later than the consent's current expiry {}",
                crate::clock::rfc3339(current)
            ),
        )
        .into());
    }
    if at > latest {
        return Err(FieldError::new(
            "expirationDateTime",
            format!(
                "must be at most 12 months from now ({})",
                crate::clock::rfc3339(latest)
            ),
        )
        .into());
    }
    Ok(at)
}

/// The institution refused: why, and what the integrator does next.
fn refusal(institution: &str, code: &str, detail: &str) -> Error {
    match code {
        "ESTADO_CONSENTIMENTO_INVALIDO" => Error::ConsentNotAuthorised(format!(
            "{institution} says the consent can no longer be renewed ({detail}); next step: create a new consent for this end user"
        )),
        "DEPENDE_MULTIPLA_ALCADA" => Error::Conflict(format!(
            "{institution} needs several approvers to renew this consent, so it cannot be renewed without a redirect; next step: update mode, POST /data/v1/links {{\"consentId\": …}}, where the end user renews it at {institution}"
        )),
        "DATA_EXPIRACAO_INVALIDA" => FieldError::new(
            "expirationDateTime",
            format!("{institution} refused this expiry: {detail}"),
        )
        .into(),
        _ => Error::Conflict(format!(
            "{institution} refused the renewal ({code}: {detail}); next step: have the end user renew it at {institution}"
        )),
    }
}

/// The consent's access token at its institution, refreshed first if it is
/// spent (and the new pair saved for the consent's other users).
async fn access_token(app: &App, row: &ConsentRow, now: i64) -> Result<String> {
    let store = StoredTokens {
        app,
        consent_id: &row.id,
    };
    let tokens = store.load().await.ok_or_else(|| {
        Error::ConsentNotAuthorised("the consent holds no tokens at its institution".into())
    })?;
    if tokens.expires_at > app.clock.now_ms() + 10_000 {
        return Ok(tokens.access_token);
    }
    let refresh = tokens.refresh_token.as_deref().ok_or_else(|| {
        Error::ConsentNotAuthorised("the consent's institution tokens are spent".into())
    })?;
    let institution = app
        .directory
        .get(&row.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    let fresh = app
        .open_finance
        .refresh(&institution.endpoint, refresh, now)
        .await
        .map_err(|e| connect_error(&institution.name, e))?;
    store.save(&fresh).await;
    Ok(fresh.access_token)
}

fn connect_error(institution: &str, e: ConnectError) -> Error {
    match e {
        ConnectError::Unavailable(_) | ConnectError::Transport(_) => Error::Outage(format!(
            "{institution} cannot be reached at the moment; try the renewal again later"
        )),
        // The institution no longer takes the consent's tokens: revoked or
        // ended there. Not an outage: the consent itself is the problem.
        ConnectError::ConsentRevoked(_)
        | ConnectError::TokensRefused(_)
        | ConnectError::InvalidGrant(_) => refused_tokens(institution),
        ConnectError::Refused(m) if m.starts_with("401") || m.starts_with("403") => {
            refused_tokens(institution)
        }
        other => {
            tracing::warn!(institution, error = %other, "renewal at the institution failed");
            Error::Institution(format!("{institution} did not renew the consent: {other}"))
        }
    }
}

fn refused_tokens(institution: &str) -> Error {
    Error::ConsentNotAuthorised(format!(
        "{institution} no longer accepts this consent (it may have been revoked there); \
         its status is updated at the next data request. Next step: create a new consent for this end user"
    ))
}

/// Renews an AUTHORISED consent at its institution without sending the end
/// user there: same consent id, tokens and reports; the new expiry is stored
/// with its history and a `CONSENT_RENEWED` webhook in one transaction.
/// `user` is the end user the renewal is made for (OFB requires their IP
/// address and user agent).
pub async fn renew(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
    expiration: Option<&str>,
    user: &EndUser,
) -> Result<Renewed> {
    let row = consents::load_for(app, bearer, consent_id).await?;
    if row.status != ConsentStatus::Authorised {
        return Err(Error::ConsentNotAuthorised(format!(
            "the consent is {}; only an AUTHORISED consent can be renewed. Next step: create a new consent for this end user",
            row.status
        )));
    }
    let now = client_now(app, &row.client_id).await?;
    let to = requested_expiry(expiration, row.expire_at, now)?;
    let institution = app
        .directory
        .get(&row.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    let bank_consent_id = row
        .bank_consent_id
        .clone()
        .ok_or_else(|| Error::Conflict("the consent has no consent at the institution".into()))?;
    let (person, business) = crate::services::consent_tax_ids::documents_of(app, &row)?;
    let token = access_token(app, &row, app.clock.now_ms()).await?;
    let asked = ofb_time(to);
    let outcome = app
        .open_finance
        .extend(
            &institution.endpoint,
            &bank_consent_id,
            &token,
            &Renewal {
                person_document: &person,
                business_document: business.as_deref(),
                expiration: Some(&asked),
            },
            user,
        )
        .await
        .map_err(|e| connect_error(&institution.name, e))?;
    let granted = match outcome {
        RenewalOutcome::Refused { code, detail } => {
            return Err(refusal(&institution.name, &code, &detail))
        }
        RenewalOutcome::Renewed { expiration, .. } => {
            // What the institution says now, which is what it will enforce.
            expiration.as_deref().and_then(parse_ofb_time).unwrap_or(to)
        }
    };
    let real_now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    if !ponte_store::renew_consent(&mut tx, &row.id, row.expire_at, granted, real_now).await? {
        return Err(Error::Conflict(
            "the consent changed while it was being renewed; read it and try again".into(),
        ));
    }
    let event =
        DomainEvent::ConsentRenewed(expiry_event(&row, granted, Some(row.expire_at), real_now));
    outbox::publish(&app.renderers, &mut tx, &event, real_now).await?;
    tx.commit().await?;
    tracing::info!(consent_id = %row.id, "consent renewed at the institution");
    let consent = consents::load_for(app, bearer, consent_id).await?;
    Ok(Renewed {
        consent,
        previous_expire_at_ms: row.expire_at,
    })
}

fn expiry_event(
    row: &ConsentRow,
    expire_at: i64,
    previous: Option<i64>,
    now: i64,
) -> ConsentExpiry {
    ConsentExpiry {
        client_id: row.client_id.clone(),
        consent_id: row.id.clone(),
        link_id: row.link_id.clone(),
        external_track_id: row.external_track_id.clone(),
        institution_code: row.institution_code.clone(),
        expire_at_ms: expire_at,
        previous_expire_at_ms: previous,
        occurred_at_ms: now,
    }
}

/// The consent's renewals, newest first.
pub async fn extensions(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
) -> Result<Vec<ConsentExtensionRow>> {
    let row = consents::load_for(app, bearer, consent_id).await?;
    let mut conn = app.store.read().await?;
    Ok(ponte_store::consent_extensions(&mut conn, &row.id).await?)
}

/// Sends `CONSENT_EXPIRING` for every consent inside its client's warning
/// window, once per consent and expiry date (the claim row makes it once
/// across restarts and nodes; a renewal's new date is warned of again).
pub async fn warn_expiring(app: &App) -> Result<usize> {
    let now = app.clock.now_ms();
    let due = {
        let mut conn = app.store.read().await?;
        ponte_store::consents_to_warn(&mut conn, now, 100).await?
    };
    let mut sent = 0;
    for row in &due {
        let mut tx = app.store.begin().await?;
        // Real time for the record and the delivery (a message dated on a
        // test clock's future would wait for it); the window used the client's.
        if ponte_store::claim_expiry_warning(&mut tx, &row.id, row.expire_at, now).await? {
            let event = DomainEvent::ConsentExpiring(expiry_event(row, row.expire_at, None, now));
            outbox::publish(&app.renderers, &mut tx, &event, now).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// The client's warning lead time in days (0 = off), default 7.
pub async fn expiring_notice_days(app: &App, client_id: &str) -> Result<i64> {
    let mut conn = app.store.read().await?;
    Ok(ponte_store::expiring_notice_days(&mut conn, client_id).await?)
}

/// Sets the client's warning lead time: 0 (off) to 90 days.
pub async fn set_expiring_notice_days(app: &App, client_id: &str, days: i64) -> Result<()> {
    if !(0..=90).contains(&days) {
        return Err(FieldError::new("expiringNoticeDays", "must be from 0 (off) to 90").into());
    }
    let mut tx = app.store.begin().await?;
    ponte_store::set_expiring_notice_days(&mut tx, client_id, days).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn a_renewal_must_move_the_expiry_later_and_within_a_year() {
        let now = 1_800_000_000_000;
        let current = now + 5 * DAY;
        assert_eq!(
            requested_expiry(None, current, now).unwrap(),
            whole_seconds(now + CONSENT_VALIDITY_MS)
        );
        let later = ofb_time(now + 100 * DAY);
        assert_eq!(
            requested_expiry(Some(&later), current, now).unwrap(),
            whole_seconds(now + 100 * DAY)
        );
        for bad in [
            ofb_time(now + DAY),
            ofb_time(now + 400 * DAY),
            "soon".into(),
        ] {
            let e = requested_expiry(Some(&bad), current, now).unwrap_err();
            assert!(
                matches!(&e, Error::Field(f) if f.field == "expirationDateTime"),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn refusals_say_why_and_what_next() {
        let e = refusal("Itaú", "DEPENDE_MULTIPLA_ALCADA", "x");
        assert!(
            matches!(&e, Error::Conflict(m) if m.contains("several approvers") && m.contains("next step: update mode, POST /data/v1/links {\"consentId\"")),
            "{e:?}"
        );
        let e = refusal("Itaú", "ESTADO_CONSENTIMENTO_INVALIDO", "x");
        assert!(matches!(&e, Error::ConsentNotAuthorised(m) if m.contains("new consent")));
        let e = refusal("Itaú", "DATA_EXPIRACAO_INVALIDA", "too late");
        assert!(matches!(&e, Error::Field(f) if f.field == "expirationDateTime"));
    }
}
