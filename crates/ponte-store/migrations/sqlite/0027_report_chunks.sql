-- A report's data in chunks (issue 29): the deflated text sealed 64 KiB at a time, each
-- chunk on its own row, so a long history is written and read one chunk at a time instead
-- of as one sealed value that must be held whole before its one tag can be checked. Each
-- chunk is sealed with its report, its place and whether it is the last one (the AEAD's
-- associated data): chunks moved, reordered, dropped or cut off do not open.
CREATE TABLE report_chunks (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    -- From 0.
    seq       INTEGER NOT NULL,
    -- Nonce, ciphertext and tag.
    data      BLOB NOT NULL,
    PRIMARY KEY (report_id, seq)
);

-- How many chunks hold the report's data; NULL for a report stored before (its data in
-- data_enc, still read), a failed one, or one erased at revocation.
ALTER TABLE reports ADD COLUMN data_chunks INTEGER;
