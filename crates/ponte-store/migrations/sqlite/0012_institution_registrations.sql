-- Ponte's own registration at each Open Finance institution whose entry says
-- registration = "dynamic" (RFC 7591 registration, RFC 7592 management).
-- A row exists once a registration was tried; client_id is NULL until one
-- succeeded. The registration access token is sealed like every other secret.
CREATE TABLE institution_registrations (
    institution_code              TEXT PRIMARY KEY,
    client_id                     TEXT,
    registration_client_uri       TEXT,
    registration_access_token_enc TEXT,
    -- The institution's answer (client metadata), JSON, without the token.
    metadata                      TEXT,
    -- The signing key the registration's jwks_uri named when it was made or
    -- last updated, so a rotation knows which registrations still lag.
    signing_kid                   TEXT,
    registered_at                 INTEGER,
    updated_at                    INTEGER NOT NULL,
    last_error                    TEXT,
    last_error_at                 INTEGER
);
