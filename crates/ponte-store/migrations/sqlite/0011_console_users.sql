-- The integrator console (issue 17): people who sign in to see one client's
-- connections and webhooks, or every client's (role 'operator', no client).
CREATE TABLE console_users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    client_id     TEXT REFERENCES clients(id) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    -- argon2id in PHC form; NULL until the user sets one (a sign-in link).
    password_hash TEXT,
    created_at    INTEGER NOT NULL,
    CHECK (role IN ('client', 'operator')),
    CHECK (role = 'operator' OR client_id IS NOT NULL)
);
CREATE INDEX console_users_client ON console_users(client_id);

-- A signed-in browser. Only a keyed hash of the cookie's value is stored,
-- so a read of the database cannot be replayed as a session.
CREATE TABLE console_sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES console_users(id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions(user_id);

-- One-time sign-in links printed by the CLI (and the sandbox banner).
CREATE TABLE console_signin_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES console_users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
