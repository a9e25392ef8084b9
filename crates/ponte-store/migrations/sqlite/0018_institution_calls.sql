-- Every call Ponte made to an institution's data APIs: counted against the
-- OFB operational limits (per consent, endpoint template, resource and
-- month) and kept for OFB metrics reporting (PCM). No foreign key to
-- consents: the record outlives a deleted consent until retention prunes it.
CREATE TABLE institution_calls (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_code TEXT NOT NULL,
    consent_id       TEXT NOT NULL,
    endpoint         TEXT NOT NULL,
    resource         TEXT NOT NULL,
    -- YYYY-MM of the call in Brasília time, the month OFB counts in.
    month            TEXT NOT NULL,
    -- 1 when the call counts against the limit (not a later page).
    counted          INTEGER NOT NULL,
    -- NULL when no answer came.
    status           INTEGER,
    latency_ms       INTEGER NOT NULL,
    interaction_id   TEXT NOT NULL,
    called_at        INTEGER NOT NULL
);
CREATE INDEX institution_calls_budget ON institution_calls(consent_id, month, endpoint);
CREATE INDEX institution_calls_month ON institution_calls(month, id);
CREATE INDEX institution_calls_age ON institution_calls(called_at);
