-- The language a client's end users meet Ponte's pages in when neither they
-- nor the link chose one (before their browser's): `pt-BR`, `en`, or NULL
-- (the browser decides). Set with `ponte clients update --locale`.
ALTER TABLE clients ADD COLUMN locale TEXT;
