-- Identity: who may log in through which provider, login attempts in flight, and sessions.

-- An OpenID Connect provider a municipality uses: ID-porten for guardians, Feide or the
-- municipality's own IdP for staff. One per (municipality, audience).
CREATE TABLE identity_provider (
    id               TEXT PRIMARY KEY,
    municipality_id  TEXT NOT NULL REFERENCES municipality (id),
    audience         TEXT NOT NULL CHECK (audience IN ('guardian', 'staff')),
    issuer           TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    client_auth      TEXT NOT NULL
        CHECK (client_auth IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt')),
    -- The shared secret (client_secret_*) or the PEM private key (private_key_jwt).
    client_secret    TEXT,
    private_key_pem  TEXT,
    -- Requested and required level: 'idporten-loa-substantial' for ID-porten, NULL for staff IdPs.
    acr_values       TEXT,
    created_at       BIGINT NOT NULL,
    CONSTRAINT identity_provider_unique UNIQUE (municipality_id, audience)
);

-- Maps a staff IdP's subject to a staff member.
CREATE TABLE staff_identity (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject)
);

-- A login in flight: what the callback needs to finish it. Keyed by a hash of `state`; bound to
-- the browser that started it by a hash of a cookie; used once; expires after ten minutes.
CREATE TABLE login_attempt (
    state_hash        TEXT PRIMARY KEY,
    browser_hash      TEXT NOT NULL,
    provider_id       TEXT NOT NULL REFERENCES identity_provider (id) ON DELETE CASCADE,
    nonce             TEXT NOT NULL,
    pkce_verifier     TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);

-- A logged-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy
-- of the database opens no session.
CREATE TABLE session (
    id_hash              TEXT PRIMARY KEY,
    person_id            TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    role                 TEXT NOT NULL CHECK (role IN ('guardian', 'staff')),
    municipality_id      TEXT NOT NULL REFERENCES municipality (id),
    provider_id          TEXT NOT NULL REFERENCES identity_provider (id) ON DELETE CASCADE,
    -- The provider's session id (`sid`) and subject (`sub`), for front- and back-channel logout.
    idp_sid              TEXT,
    idp_sub              TEXT,
    -- The ID token, kept only as `id_token_hint` for RP-initiated logout.
    id_token             TEXT,
    created_at           BIGINT NOT NULL,
    last_seen_at         BIGINT NOT NULL,
    idle_timeout_secs    BIGINT NOT NULL,
    absolute_expires_at  BIGINT NOT NULL
);
CREATE INDEX session_idp_sid ON session (provider_id, idp_sid);
CREATE INDEX session_idp_sub ON session (provider_id, idp_sub);
CREATE INDEX session_person ON session (person_id);

-- Logout tokens already acted on (their `jti`), so a captured one cannot be replayed.
CREATE TABLE logout_token_seen (
    jti         TEXT PRIMARY KEY,
    seen_at     BIGINT NOT NULL
);

-- Who did what, for the municipality's audit log. `detail` never holds a token or a pid.
CREATE TABLE audit_event (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    subject_id  TEXT,
    detail      TEXT
);
CREATE INDEX audit_event_at ON audit_event (at);

-- The demo's test identity provider: its signing key (made at first start and kept), and the
-- authorization codes it has issued.
CREATE TABLE testid_key (
    kid              TEXT PRIMARY KEY,
    private_key_pem  TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);

CREATE TABLE testid_code (
    code_hash       TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    subject         TEXT NOT NULL,
    pid             TEXT,
    nonce           TEXT,
    code_challenge  TEXT,
    acr             TEXT NOT NULL,
    sid             TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    used            BIGINT NOT NULL DEFAULT 0
);

-- How far the register event feeds have been read: the next sequence number to ask for.
CREATE TABLE register_pointer (
    register    TEXT PRIMARY KEY,
    next_seq    BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
