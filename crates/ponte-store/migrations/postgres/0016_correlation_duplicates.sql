-- The integrator's own id for an end user it named (the Server API's
-- `xcUserID`), in clear beside the keyed hash that finds the row: webhooks
-- carry it so the integrator can tie an event to its user without a lookup.
-- Like a link's externalTrackId, it is the integrator's reference, not the
-- person's personal data (tax ids stay hashed and sealed).
ALTER TABLE end_users ADD COLUMN external_ref TEXT;

-- Duplicate connections: what a client does when a consent is asked for the
-- same person at the same institution as one already AUTHORISED.
ALTER TABLE clients ADD COLUMN duplicate_policy TEXT NOT NULL DEFAULT 'allow';

-- Who a consent is for, as a keyed hash of its tax ids (never in clear), so
-- a new consent finds an AUTHORISED one of the same person at the same
-- institution; `duplicate_of` names it.
CREATE TABLE consent_holders (
    consent_id       TEXT PRIMARY KEY REFERENCES consents(id) ON DELETE CASCADE,
    client_id        TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    institution_code TEXT NOT NULL,
    holder_key       TEXT NOT NULL,
    duplicate_of     TEXT
);
CREATE INDEX consent_holders_lookup ON consent_holders (client_id, institution_code, holder_key);
