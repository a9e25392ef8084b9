-- The Documents API's scheduled refresh: a connection (retrieval) read again
-- at its portal every `every_days` days on the client's clock, downloading only
-- the documents it did not list before. One row per scheduled connection.
CREATE TABLE document_refresh_schedules (
    retrieval_id      BIGINT PRIMARY KEY REFERENCES document_retrievals(id) ON DELETE CASCADE,
    client_id         TEXT NOT NULL,
    every_days        BIGINT NOT NULL,
    -- When the next refresh is due, on the client's clock (ms; the sandbox
    -- test clock moves it).
    next_due_at       BIGINT NOT NULL,
    -- 1 while a refresh job is queued or running: no second one is queued.
    refresh_queued    BIGINT NOT NULL,
    last_refreshed_at BIGINT,
    -- Why the last refresh could not read the portal (NULL: it could).
    last_error        TEXT,
    -- JSON array of the file ids a running refresh recorded and has not yet
    -- announced: a refresh retried after a crash still sends them, once.
    pending_file_ids  TEXT,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX document_refresh_schedules_due ON document_refresh_schedules(next_due_at);
