-- The Documents API (issue 15). A documents session is what one POST /api/token
-- opened: its metadata is echoed in the webhook of every retrieval started with it.
CREATE TABLE document_sessions (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    end_user_id TEXT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    metadata    TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- One retrieval per portal connection; ids are integers, as the quickstart
-- webhook shows. status: awaiting_login -> retrieving -> success | failed.
-- state_hash finds the retrieval when the portal sends the browser back.
CREATE TABLE document_retrievals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id          TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    end_user_id        TEXT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    institution_code   TEXT NOT NULL,
    state_hash         TEXT NOT NULL UNIQUE,
    status             TEXT NOT NULL,
    error              TEXT,
    metadata           TEXT NOT NULL,
    portal_session_enc TEXT,
    created_at         INTEGER NOT NULL,
    finished_at        INTEGER
);
CREATE INDEX document_retrievals_end_user ON document_retrievals(end_user_id);

-- One row per document the portal listed; storage_key is set once its bytes
-- are stored whole.
CREATE TABLE document_files (
    id                 TEXT PRIMARY KEY,
    retrieval_id       INTEGER NOT NULL REFERENCES document_retrievals(id) ON DELETE CASCADE,
    portal_document_id TEXT NOT NULL,
    status             TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    storage_key        TEXT,
    size_bytes         INTEGER,
    error              TEXT,
    created_at         INTEGER NOT NULL,
    stored_at          INTEGER,
    UNIQUE (retrieval_id, portal_document_id)
);
CREATE INDEX document_files_stored ON document_files(stored_at);

