-- Consent lifecycle (issue 26): renewals without redirect, the once-only
-- "expiring" warning, each client's warning lead time, and the sandbox test
-- clock. Times are BIGINT unix milliseconds, as everywhere.

-- Each renewal of a consent at its institution (OFB consents v3 extends).
CREATE TABLE consent_extensions (
    consent_id         TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    seq                BIGINT NOT NULL,
    expire_at          BIGINT NOT NULL,
    previous_expire_at BIGINT NOT NULL,
    requested_at       BIGINT NOT NULL,
    PRIMARY KEY (consent_id, seq)
);

-- One row per consent and expiry date warned of: inserting it is the claim,
-- so a warning goes out once across restarts and nodes.
CREATE TABLE consent_expiry_warnings (
    consent_id TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    expire_at  BIGINT NOT NULL,
    warned_at  BIGINT NOT NULL,
    PRIMARY KEY (consent_id, expire_at)
);

-- How many days ahead a client hears CONSENT_EXPIRING (0 = never); no row = 7.
CREATE TABLE client_consent_settings (
    client_id            TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    expiring_notice_days BIGINT NOT NULL
);

-- Sandbox test clocks: how far a client's time runs ahead of real time.
CREATE TABLE sandbox_client_clocks (
    client_id  TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    offset_ms  BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
