-- Incremental transaction sync (GET /data/v1/consents/{id}/transactions/sync).
--
-- What a consent's refreshes have seen, per account and institution transactionId: the
-- last version listed, sealed under the master key like a report. A refresh compares the
-- institution's window against these rows and appends what changed to sync_changes.
CREATE TABLE sync_transactions (
    consent_id     TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    account_id     TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    -- accounts | creditCards
    product        TEXT NOT NULL,
    -- YYYY-MM-DD of transactionDateTime: which refresh windows cover it.
    booked_on      TEXT NOT NULL,
    -- 1 while the institution lists it TRANSACAO_PROCESSANDO or LANCAMENTO_FUTURO.
    pending        INTEGER NOT NULL,
    data_enc       TEXT NOT NULL,
    PRIMARY KEY (consent_id, account_id, transaction_id)
);
CREATE INDEX sync_transactions_window ON sync_transactions(consent_id, booked_on);

-- Every change a refresh found, in the order found: seq grows by one per consent with no
-- gaps (a refresh writes its changes and the consent's last_seq in one transaction), so a
-- cursor (the last seq read) never skips or repeats a change, whatever lands meanwhile.
-- data_enc is the version at that change (NULL for a removal): pages read back the same.
CREATE TABLE sync_changes (
    consent_id     TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    -- added | modified | removed
    kind           TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    data_enc       TEXT,
    recorded_at    INTEGER NOT NULL,
    PRIMARY KEY (consent_id, seq)
);

-- One row per consent that has synced or is due to.
CREATE TABLE sync_state (
    consent_id       TEXT PRIMARY KEY REFERENCES consents(id) ON DELETE CASCADE,
    -- The last change's seq (0: none yet).
    last_seq         INTEGER NOT NULL,
    -- The client's day (YYYY-MM-DD) the last refresh read through; NULL before the first
    -- pull, which reads the whole history.
    synced_through   TEXT,
    -- The accounts and cards the first pull listed, JSON {"accounts": [ids], "creditCards":
    -- [ids]}: later refreshes read their windows without listing them again (OFB allows
    -- 4 account lists a month).
    accounts         TEXT,
    -- 1 while a refresh job is queued or running: another request joins it.
    refresh_queued   INTEGER NOT NULL,
    -- When the next scheduled refresh is due, on the client's clock (ms; NULL: now).
    next_due_at      INTEGER,
    updated_at       INTEGER NOT NULL
);
