//! The consent's state: the one way its status changes (checked against the
//! state machine, compare-and-set in the database, history and webhook in the
//! same transaction), the clock that expires it, and how it ends. Depends on
//! the store and the outbox only, so every other service can use it.

use crate::error::{Error, Result};
use crate::services::outbox::{self, WebhookRenderers};
use crate::services::revoke_at_institution::{RevokeAtInstitution, RevokeAtInstitutionJob};
use ponte_core::consent::reason;
use ponte_core::event::{ConsentStatusChanged, DomainEvent};
use ponte_core::ConsentStatus;
use ponte_store::{Backend, Conn, ConsentRow, Store};

/// Writes the event of a status the consent just entered into the outbox.
pub async fn emit(
    renderers: &WebhookRenderers,
    conn: &mut Conn,
    row: &ConsentRow,
    previous: Option<ConsentStatus>,
    status: ConsentStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    let event = DomainEvent::ConsentStatusChanged(ConsentStatusChanged {
        client_id: row.client_id.clone(),
        consent_id: row.id.clone(),
        link_id: row.link_id.clone(),
        external_track_id: row.external_track_id.clone(),
        institution_code: row.institution_code.clone(),
        status,
        previous,
        reason: reason.map(str::to_string),
        occurred_at_ms: now,
    });
    outbox::publish(renderers, conn, &event, now).await?;
    Ok(())
}

/// The one way a consent changes status: checked against the state machine,
/// compare-and-set in the database (false if another writer won), history and
/// webhook in the same transaction.
pub async fn change_status(
    renderers: &WebhookRenderers,
    conn: &mut Conn,
    row: &ConsentRow,
    to: ConsentStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let from = row.status;
    from.transition(to)
        .map_err(|e| Error::Conflict(e.to_string()))?;
    if !ponte_store::update_consent_status(conn, &row.id, from, to, reason, now).await? {
        return Ok(false);
    }
    emit(renderers, conn, row, Some(from), to, reason, now).await?;
    metrics::counter!("ponte_consent_transitions_total", "to" => to.as_str()).increment(1);
    tracing::info!(consent_id = %row.id, %from, %to, reason, "consent status changed");
    Ok(true)
}

/// The move a consent's clock calls for at `now`, if any.
pub fn due_expiry(row: &ConsentRow, now: i64) -> Option<(ConsentStatus, &'static str)> {
    match row.status {
        ConsentStatus::AwaitingAuthorisation if row.authorise_by <= now => {
            Some((ConsentStatus::Rejected, reason::CONSENT_EXPIRED))
        }
        ConsentStatus::Authorised if row.expire_at <= now => {
            Some((ConsentStatus::Expired, reason::CONSENT_MAX_DATE_REACHED))
        }
        _ => None,
    }
}

/// Applies `due_expiry` to every consent due; returns how many changed.
pub async fn expire_due(renderers: &WebhookRenderers, store: &Store, now: i64) -> Result<usize> {
    let mut tx = store.begin().await?;
    let due = ponte_store::consents_due_to_expire(&mut tx, now, 100).await?;
    let mut changed = 0;
    for row in &due {
        // Judged on the client's clock (a sandbox test clock may run ahead).
        // Records and deliveries keep real time: only the decision uses it.
        let client_now = now + ponte_store::client_clock_offset(&mut tx, &row.client_id).await?;
        if let Some((to, why)) = due_expiry(row, client_now) {
            if change_status(renderers, &mut tx, row, to, Some(why), now).await? {
                ponte_store::set_consent_tokens(&mut tx, &row.id, None, now).await?;
                if to == ConsentStatus::Expired && row.bank_consent_id.is_some() {
                    // Ended here: end it at the institution too (retried as a job).
                    let ask = RevokeAtInstitution::of(&row.id);
                    crate::services::job::queue::<RevokeAtInstitutionJob>(&mut tx, &ask, now)
                        .await?;
                }
                changed += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// How a consent ends, whoever ends it: `AUTHORISED` becomes `to_if_authorised`
/// (`REVOKED`, or `EXPIRED` for an institution ending it at its end date),
/// `AWAITING_AUTHORISATION` becomes `REJECTED`; a final consent stays as it
/// is. The status change and its webhook, the reports' data erased (for a
/// revocation) and the institution's tokens erased go in the caller's
/// transaction, only if this writer's compare-and-set won: a `DELETE` racing
/// the institution's callback never erases the tokens of a consent the
/// callback just authorised. `None` when another writer moved the consent
/// first: the caller re-reads it and decides again.
pub async fn end(
    renderers: &WebhookRenderers,
    conn: &mut Conn,
    row: &ConsentRow,
    to_if_authorised: ConsentStatus,
    why: &str,
    now: i64,
) -> Result<Option<ConsentStatus>> {
    let status = row.status;
    let to = match status {
        ConsentStatus::Authorised => to_if_authorised,
        ConsentStatus::AwaitingAuthorisation => ConsentStatus::Rejected,
        final_status => return Ok(Some(final_status)),
    };
    if !change_status(renderers, conn, row, to, Some(why), now).await? {
        return Ok(None);
    }
    if to == ConsentStatus::Revoked {
        ponte_store::erase_consent_reports(conn, &row.id, now).await?;
        ponte_store::erase_consent_sync(conn, &row.id).await?;
    }
    ponte_store::set_consent_tokens(conn, &row.id, None, now).await?;
    Ok(Some(to))
}

/// The institution reports the consent ended on its side (the customer
/// withdrew it in their bank, or it reached its end date there): it ends here
/// too, without calling the institution back. Returns the consent as it is now.
pub async fn ended_at_institution(
    renderers: &WebhookRenderers,
    store: &Store,
    consent_id: &str,
    code: &str,
    now: i64,
) -> Result<ConsentRow> {
    // The institution ending it at its end date is an expiry, as our own clock
    // would have said, not a revocation: the data stays.
    let to = if code == reason::CONSENT_MAX_DATE_REACHED {
        ConsentStatus::Expired
    } else {
        ConsentStatus::Revoked
    };
    let why = if to == ConsentStatus::Expired {
        reason::CONSENT_MAX_DATE_REACHED
    } else {
        reason::INSTITUTION_REVOKED
    };
    for _ in 0..3 {
        let row = current(store, consent_id).await?;
        if row.status != ConsentStatus::Authorised {
            return Ok(row);
        }
        let mut tx = store.begin().await?;
        if end(renderers, &mut tx, &row, to, why, now).await?.is_some() {
            tx.commit().await?;
            return current(store, consent_id).await;
        }
    }
    Err(Error::Conflict(
        "the consent keeps changing; try again".into(),
    ))
}

async fn current(store: &Store, consent_id: &str) -> Result<ConsentRow> {
    let mut conn = store.read().await?;
    ponte_store::consent_by_id(&mut conn, consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))
}

/// Refuses a new consent on a link that already has
/// `PONTE_MAX_CONSENTS_PER_LINK`: a leaked link token cannot open consents
/// (and consents at the institution) without end. Checked before the
/// institution is called (the cheap refusal) and again in the transaction
/// that writes the consent, holding the link, so two requests at the same
/// instant cannot both take the last place.
pub async fn check_link_room(
    conn: &mut Conn,
    backend: Backend,
    link_id: &str,
    max: u32,
) -> Result<()> {
    let opened = ponte_store::count_consents_of_link_locked(conn, backend, link_id).await?;
    if opened >= i64::from(max) {
        return Err(Error::LinkConsentLimit(max));
    }
    Ok(())
}
