-- Durable background work: written with its cause, claimed under a lease.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_at       INTEGER NOT NULL,
    locked_until INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE retrieval_requests (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    link_id     TEXT NOT NULL REFERENCES links(id),
    kind        TEXT NOT NULL,
    consent_ids TEXT NOT NULL,
    products    TEXT NOT NULL,
    callbacks   TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- One report per request, consent and product: a re-run job finds it and
-- delivers nothing new.
CREATE TABLE reports (
    id               TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL REFERENCES retrieval_requests(id) ON DELETE CASCADE,
    client_id        TEXT NOT NULL,
    link_id          TEXT NOT NULL,
    consent_id       TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    institution_code TEXT NOT NULL,
    product          TEXT NOT NULL,
    status           TEXT NOT NULL,
    reason           TEXT,
    summary          TEXT NOT NULL,
    data_enc         TEXT,
    generated_at     INTEGER NOT NULL,
    deleted_at       INTEGER,
    UNIQUE (request_id, consent_id, product)
);
CREATE INDEX reports_consent ON reports(consent_id);
