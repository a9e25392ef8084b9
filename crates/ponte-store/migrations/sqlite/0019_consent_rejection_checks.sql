-- A consent Ponte itself rejected because the institution's answer failed a FAPI-BR
-- check: which check (e.g. `id_token.s_hash`). The consent's reason stays OFB's code,
-- INTERNAL_SECURITY_REASON; this names what failed, for the integrator and support.
CREATE TABLE consent_rejection_checks (
    consent_id TEXT PRIMARY KEY REFERENCES consents(id) ON DELETE CASCADE,
    check_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
