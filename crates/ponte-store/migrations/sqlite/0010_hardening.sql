-- One outcome per authorisation: the callback that claims the pending
-- authorisation (by its `state`) first is the only one to trade the code;
-- a second one waits for its outcome. A claim older than a minute is taken
-- as its holder's crash and may be claimed again.
ALTER TABLE consents ADD COLUMN auth_claimed_at INTEGER;

-- The redirect URLs a client registered (`ponte clients update
-- --redirect-url`): once it has any, every redirectUrl on its links and
-- consents must be one of them, exactly.
CREATE TABLE client_redirect_urls (
    client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, url)
);
