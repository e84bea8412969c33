-- Quick unlock: a key bound to one device (its public half here) together with a 4-digit PIN
-- (only its argon2id hash here), or a WebAuthn platform credential. Times are Unix ms.
CREATE TABLE device_credential (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    municipality_id  TEXT NOT NULL REFERENCES municipality (id),
    kind             TEXT NOT NULL CHECK (kind IN ('pin', 'webauthn')),
    name             TEXT NOT NULL,
    -- The device key's public half: SEC1 uncompressed P-256, base64url.
    public_key       TEXT NOT NULL,
    -- argon2id PHC string of the PIN; never the PIN.
    pin_hash         TEXT,
    -- The identity provider of the login that set it up (a quick-unlocked session is one of its).
    provider_id      TEXT NOT NULL REFERENCES identity_provider (id) ON DELETE CASCADE,
    failures         BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    last_used_at     BIGINT NOT NULL,
    revoked_at       BIGINT
);
CREATE INDEX device_credential_person ON device_credential (person_id);

-- A one-time challenge the device must sign to unlock.
CREATE TABLE unlock_challenge (
    id             TEXT PRIMARY KEY,
    credential_id  TEXT NOT NULL REFERENCES device_credential (id) ON DELETE CASCADE,
    challenge      TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    used_at        BIGINT
);
