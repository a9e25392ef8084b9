-- Times are unix milliseconds; JSON is TEXT. Encrypted columns (suffix _enc)
-- hold base64 AEAD blobs the store never reads.
CREATE TABLE clients (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    api_key            TEXT NOT NULL UNIQUE,
    webhook_url        TEXT,
    report_webhook_url TEXT,
    webhook_secret_enc TEXT NOT NULL,
    auto_delivery      INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL
);

CREATE TABLE client_secrets (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER
);
CREATE INDEX client_secrets_client ON client_secrets(client_id);

CREATE TABLE signing_keys (
    kid             TEXT PRIMARY KEY,
    private_key_enc TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE end_users (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    lookup_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (client_id, lookup_key)
);

CREATE TABLE links (
    id                    TEXT PRIMARY KEY,
    client_id             TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    end_user_id           TEXT NOT NULL REFERENCES end_users(id),
    details_enc           TEXT NOT NULL,
    redirect_url          TEXT,
    products_callback_url TEXT NOT NULL,
    external_info         TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    expires_at            INTEGER NOT NULL
);
CREATE INDEX links_client ON links(client_id);

CREATE TABLE consents (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    link_id           TEXT NOT NULL REFERENCES links(id),
    institution_code  TEXT NOT NULL,
    external_track_id TEXT,
    business          INTEGER NOT NULL,
    tax_ids_enc       TEXT NOT NULL,
    redirect_url      TEXT,
    status            TEXT NOT NULL,
    status_reason     TEXT,
    permissions       TEXT NOT NULL,
    expire_at         INTEGER NOT NULL,
    authorise_by      INTEGER NOT NULL,
    bank_consent_id   TEXT,
    authorization_url TEXT,
    oauth_state       TEXT UNIQUE,
    pkce_verifier_enc TEXT,
    bank_tokens_enc   TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX consents_link ON consents(link_id);
CREATE INDEX consents_open ON consents(status, authorise_by);

CREATE TABLE consent_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    reason     TEXT,
    at         INTEGER NOT NULL
);
CREATE INDEX consent_events_consent ON consent_events(consent_id, seq);

-- The outbox: written in the same transaction as the change it reports.
CREATE TABLE webhook_messages (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    target          TEXT NOT NULL,
    target_url      TEXT,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX webhook_messages_due ON webhook_messages(status, next_attempt_at);
CREATE INDEX webhook_messages_client ON webhook_messages(client_id, created_at);

CREATE TABLE webhook_attempts (
    message_id  TEXT NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    target_url  TEXT,
    status_code INTEGER,
    latency_ms  INTEGER NOT NULL,
    response    TEXT,
    error       TEXT,
    PRIMARY KEY (message_id, attempt)
);
