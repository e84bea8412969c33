-- Shared tablets of a unit. A tablet holds a non-extractable P-256 key (WebCrypto) whose public
-- half is kept here; it is paired to one unit by a leader of that unit, and staff of the unit
-- switch on it with a personal tablet PIN.

-- A tablet asking to be paired: it shows `code` (stored hashed) until a leader confirms it on
-- their own session, and asks with `poll_hash` (the hash of a cookie only it holds) whether
-- that has happened. Single-use: `tablet_id` is set once, by the confirming leader; the tablet
-- collects its cookie once (`collected_at`).
CREATE TABLE tablet_pairing (
    id           TEXT PRIMARY KEY,
    code_hash    TEXT NOT NULL UNIQUE,
    poll_hash    TEXT NOT NULL UNIQUE,
    public_key   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    tablet_id    TEXT,
    collected_at BIGINT,
    -- A hash of the asking address, so one address cannot keep every code in use.
    requester    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tablet_pairing_expires ON tablet_pairing (expires_at);
CREATE INDEX tablet_pairing_requester ON tablet_pairing (requester);

-- A paired tablet. `cookie_hash` is the hash of its long-lived tablet cookie; unpairing sets
-- `revoked_at`, clears the cookie and ends every session on it.
CREATE TABLE tablet (
    id            TEXT PRIMARY KEY,
    unit_id       TEXT NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    cookie_hash   TEXT UNIQUE,
    paired_by     TEXT REFERENCES person (id) ON DELETE SET NULL,
    paired_at     BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX tablet_unit ON tablet (unit_id);

-- A staff member's tablet PIN (4–6 digits, argon2id), the same on every tablet of their units.
-- Five wrong PINs within a day (`failures` since `window_start`; a right PIN does not clear
-- them) lock it (`locked_at`) until the staff member's next full login.
CREATE TABLE staff_tablet_pin (
    person_id     TEXT PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    pin_hash      TEXT NOT NULL,
    failures      BIGINT NOT NULL DEFAULT 0,
    window_start  BIGINT NOT NULL DEFAULT 0,
    locked_at     BIGINT,
    set_at        BIGINT NOT NULL
);

-- A unit's tablet settings: minutes without a touch before a tablet locks.
CREATE TABLE unit_tablet_settings (
    unit_id       TEXT PRIMARY KEY REFERENCES unit (id) ON DELETE CASCADE,
    idle_minutes  BIGINT NOT NULL DEFAULT 5
);

-- A session opened with a tablet PIN is bound to its tablet: it reaches only that unit's
-- children and the tablet screens, and ends when the tablet is unpaired.
ALTER TABLE session ADD COLUMN tablet_id TEXT;
CREATE INDEX session_tablet ON session (tablet_id);

-- A one-time challenge a paired tablet signs with its key to open a PIN session.
CREATE TABLE tablet_challenge (
    id          TEXT PRIMARY KEY,
    tablet_id   TEXT NOT NULL REFERENCES tablet (id) ON DELETE CASCADE,
    challenge   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX tablet_challenge_created ON tablet_challenge (created_at);
