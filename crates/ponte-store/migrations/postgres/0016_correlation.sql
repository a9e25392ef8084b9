-- The integrator's own id for an end user it named (the Server API's
-- `xcUserID`), in clear beside the keyed hash that finds the row: webhooks
-- carry it so the integrator can tie an event to its user without a lookup.
-- Like a link's externalTrackId, it is the integrator's reference, not the
-- person's personal data (tax ids stay hashed and sealed).
ALTER TABLE end_users ADD COLUMN external_ref TEXT;
