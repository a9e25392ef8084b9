-- Webhook secrets rotated out of clients.webhook_secret_enc (which stays the
-- current one): each keeps signing beside the new one until expires_at.
CREATE TABLE webhook_retired_secrets (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    secret_enc TEXT NOT NULL,
    retired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX webhook_retired_secrets_client ON webhook_retired_secrets(client_id, expires_at);

-- A client's webhook URLs that answered 410 Gone. While disabled_at is set,
-- messages to the URL are not attempted; enabling it clears disabled_at.
CREATE TABLE webhook_endpoints (
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    disabled_at     INTEGER,
    disabled_by     TEXT,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (client_id, url)
);
