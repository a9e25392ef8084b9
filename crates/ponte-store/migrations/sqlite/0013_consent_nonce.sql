-- The OpenID Connect nonce of the pending authorisation (FAPI-BR): the ID
-- tokens the institution returns must carry it. Not a secret: it travels in
-- the signed request object and comes back inside the ID token.
ALTER TABLE consents ADD COLUMN oauth_nonce TEXT;
