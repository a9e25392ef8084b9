// Update mode: the integrator reopened the widget for a connection it already
// holds (POST /data/v1/links {"consentId"}). No institution list: the end
// user renews at the same bank, and the consent keeps its id. Its status is
// AUTHORISED all along, so progress is read from the renewal, not the consent.

/** The bank the renewal is at, as the widget's screens name it. */
export function renewalBank(renewal) {
  return { institutionCode: renewal.institutionCode, name: renewal.institutionName, avatar: renewal.avatar };
}

/**
 * Where the new authorisation stands, in the consent's words: AWAITING_AUTHORISATION
 * until the bank answers, then AUTHORISED (renewed) or REJECTED (unchanged).
 */
export async function renewalDecision(api) {
  const r = await api.renewal();
  const status = r.status === 'AUTHORISED' || r.status === 'REJECTED' ? r.status : 'AWAITING_AUTHORISATION';
  return { status, statusReason: r.reason || null, expirationDateTime: r.expirationDateTime };
}

/** The renewal's own words over the connect flow's, on the screens they share. */
export function paintRenewal($, tr, renewal, expiry) {
  if (!renewal) return;
  $('renew-logo').src = renewal.avatar || '';
  $('handoff-other').hidden = true;
  $('popup-other').hidden = true;
  $('failure-other').hidden = true;
  const until = expiry ? { date: expiry } : {};
  $('success-title').textContent = tr('renew.success.title');
  $('success-text').textContent = tr('renew.success.text', until);
  if (!$('failure-text').hidden) $('failure-text').textContent = tr('renew.failure.text');
}
