// The Data API as the widget uses it, with the link token. Failures become a
// kind the screens turn into plain words; an API message is never shown.

export class Failure extends Error {
  constructor(kind, code) {
    super(`${kind}${code ? ` (${code})` : ''}`);
    this.kind = kind; // expired | invalid | outage | bank | notfound | DUPLICATE_CONNECTION | network | server
  }
}

const KINDS = {
  TOKEN_EXPIRED: 'expired',
  INVALID_TOKEN: 'invalid',
  INSTITUTION_OUTAGE: 'outage',
  INSTITUTION_ERROR: 'bank',
  NOT_FOUND: 'notfound',
  // The client refuses a second connection to the same bank.
  DUPLICATE_CONNECTION: 'DUPLICATE_CONNECTION',
};

export function client(token) {
  async function call(path, init = {}) {
    let response;
    try {
      response = await fetch(path, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        cache: 'no-store',
      });
    } catch {
      throw new Failure('network');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const code = body && body.error && body.error.code;
      throw new Failure(KINDS[code] || 'server', code);
    }
    return body;
  }
  return {
    session: () => call('/link/session'),
    institutions: () => call('/data/v1/links/institutions'),
    createConsent: (institutionCode, redirectUrl) =>
      call('/data/v1/consents', { method: 'POST', body: JSON.stringify({ institutionCode, redirectUrl }) }),
    consent: (id) => call(`/data/v1/consents/${encodeURIComponent(id)}`),
    // Update mode: the consent this link renews, and its new authorisation.
    renewal: () => call('/data/v1/links/renewal'),
    startRenewal: (redirectUrl) => call('/data/v1/links/renewal', { method: 'POST', body: JSON.stringify({ redirectUrl }) }),
  };
}
