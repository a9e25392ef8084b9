-- What a refresh reads besides the transaction window (issue 26).
--
-- The latest balances of each synced account (accounts `/balances` data) and the
-- latest limits of each card (credit-cards `/limits` data), sealed like a report: the
-- sync answer carries them with when they were read, and keeps them when a later
-- refresh could not read new ones (a bank's 429, a spent monthly limit).
CREATE TABLE sync_balances (
    consent_id  TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    -- accounts | creditCards
    product     TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    data_enc    TEXT NOT NULL,
    -- When they were read, on the client's clock (ms).
    as_of       BIGINT NOT NULL,
    PRIMARY KEY (consent_id, product, account_id)
);

-- The closed card bills a refresh has seen, per card. A bill is listed once it closes;
-- its transactions are read once, when it is new, to give the purchases read before the
-- close their billId (a sync `modified`). OFB allows 30 bill lists a month.
CREATE TABLE sync_bills (
    consent_id  TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL,
    bill_id     TEXT NOT NULL,
    -- YYYY-MM-DD: later refreshes list bills again only once a next one can have closed.
    due_date    TEXT NOT NULL,
    seen_at     BIGINT NOT NULL,
    PRIMARY KEY (consent_id, account_id, bill_id)
);

-- 1 for a card purchase stored without a billId (its bill has not closed): the next
-- new bill that can hold it is read. Rows synced before this migration stay 0.
ALTER TABLE sync_transactions ADD COLUMN unbilled BIGINT NOT NULL DEFAULT 0;
