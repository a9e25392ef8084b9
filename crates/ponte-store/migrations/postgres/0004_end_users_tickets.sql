-- End users are one table for every dialect: the person a client knows by its
-- own id (a Data API tax id, a Documents API user id, a Server API xcUserID),
-- found through lookup_key (a keyed hash of "<kind>/<the client's id>"), with
-- what the client told us about them sealed in profile_enc.
ALTER TABLE end_users ADD COLUMN kind TEXT NOT NULL DEFAULT 'tax_id';
ALTER TABLE end_users ADD COLUMN profile_enc TEXT;
ALTER TABLE end_users ADD COLUMN updated_at BIGINT;

-- Consents point at their end user directly (a link is one way to reach one).
ALTER TABLE consents ADD COLUMN end_user_id TEXT REFERENCES end_users(id) ON DELETE CASCADE;
UPDATE consents SET end_user_id = (SELECT links.end_user_id FROM links WHERE links.id = consents.link_id);
CREATE INDEX consents_end_user ON consents(end_user_id);

-- Single-use tickets (an end user's sign-in handed over by the client's
-- backend): stored as keyed hashes, spent by one atomic UPDATE.
CREATE TABLE tickets (
    ticket_hash TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    end_user_id TEXT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX tickets_expiry ON tickets(expires_at);

-- Refresh tokens, one row per token; a session's tokens share family_id. A
-- refresh spends its token and writes the next; a spent token presented again
-- revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    end_user_id TEXT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
