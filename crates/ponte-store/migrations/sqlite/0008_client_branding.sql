-- White-label: how a client's name, logo, colour and privacy policy appear
-- in the hosted widget, and which origins may frame it (the SDK's iframe).
-- Every column is optional; the widget falls back to the client's name and
-- Ponte's own colours.
ALTER TABLE clients ADD COLUMN display_name TEXT;
ALTER TABLE clients ADD COLUMN logo_url TEXT;
ALTER TABLE clients ADD COLUMN primary_color TEXT;
ALTER TABLE clients ADD COLUMN privacy_policy_url TEXT;
-- Space-separated origins, e.g. "https://app.example.com https://example.com".
ALTER TABLE clients ADD COLUMN frame_origins TEXT;
