-- The devices an end user signed in from through the Server API (a ticket
-- request names the platform, device id, IP address and user agent). One row
-- per (end user, device): device_key is a keyed hash of "<platform>/<device
-- id>", so the device id itself, the IP address and the user agent are only
-- ever stored sealed (they are personal data).
CREATE TABLE end_user_devices (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    end_user_id    TEXT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    device_key     TEXT NOT NULL,
    platform       TEXT NOT NULL,
    device_id_enc  TEXT NOT NULL,
    ip_address_enc TEXT NOT NULL,
    user_agent_enc TEXT NOT NULL,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    UNIQUE (end_user_id, device_key)
);
CREATE INDEX end_user_devices_client ON end_user_devices(client_id);
