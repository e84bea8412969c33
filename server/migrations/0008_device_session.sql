-- Quick unlock, second part.

-- The device credential a session was unlocked with; NULL for a session from an ID-porten
-- login. Actions that change who has access (setting up quick unlock) need an ID-porten session,
-- and revoking a device ends the sessions it started.
ALTER TABLE session ADD COLUMN device_credential_id TEXT;

-- A WebAuthn platform credential (Touch ID, face recognition, Windows Hello): webauthn-rs's
-- passkey as JSON (credential id, COSE public key, signature counter). For these rows
-- `public_key` holds the WebAuthn credential id and `pin_hash` is NULL.
ALTER TABLE device_credential ADD COLUMN passkey TEXT;

-- The server's half of a WebAuthn ceremony between its two requests, used once.
CREATE TABLE webauthn_ceremony (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('register', 'authenticate')),
    -- register: who is registering, and the device's name.
    person_id      TEXT REFERENCES person (id) ON DELETE CASCADE,
    name           TEXT,
    -- authenticate: the credential asked for.
    credential_id  TEXT REFERENCES device_credential (id) ON DELETE CASCADE,
    state          TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    used_at        BIGINT
);
