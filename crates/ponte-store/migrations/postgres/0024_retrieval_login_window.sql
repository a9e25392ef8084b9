-- A documents retrieval waits for its end user's sign-in at the portal for a bounded
-- window, counted from when that sign-in started (`login_started_at`; NULL: the row's
-- `created_at`). A later connect for the same user and portal starts it again.
ALTER TABLE document_retrievals ADD COLUMN login_started_at BIGINT;
