-- Update mode (issue 26): an integrator reopens the widget for an existing
-- consent and the end user authorises again at the institution. OFB consents
-- v3 cannot authorise a consent twice, so the institution gets a new consent;
-- Ponte's consent keeps its id and takes the new consent's id and tokens once
-- it is authorised (then the replaced one is revoked at the institution).
-- One row per update-mode link. Times are BIGINT unix milliseconds.
CREATE TABLE consent_reauthorisations (
    link_id                  TEXT PRIMARY KEY REFERENCES links(id) ON DELETE CASCADE,
    consent_id               TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    client_id                TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    -- OPEN (link made, nothing asked of the institution yet),
    -- AWAITING_AUTHORISATION, AUTHORISED or REJECTED.
    status                   TEXT NOT NULL,
    status_reason            TEXT,
    redirect_url             TEXT,
    bank_consent_id          TEXT,
    authorization_url        TEXT,
    oauth_state              TEXT UNIQUE,
    oauth_nonce              TEXT,
    pkce_verifier_enc        TEXT,
    auth_claimed_at          BIGINT,
    -- The expiry asked of the institution for the new consent.
    expire_at                BIGINT,
    -- The institution's consent this one replaced (revoked there after).
    replaced_bank_consent_id TEXT,
    open_until               BIGINT NOT NULL,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL
);
CREATE INDEX consent_reauthorisations_consent ON consent_reauthorisations (consent_id, status);
