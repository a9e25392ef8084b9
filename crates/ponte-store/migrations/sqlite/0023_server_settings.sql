-- What a serving node records for the one-off commands that run beside it on the same
-- database: `public_url`, where the servers are reached, so that a sign-in link the
-- CLI prints points at them rather than at a default port.
CREATE TABLE server_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
