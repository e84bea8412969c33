-- Form posts that arrived without a live session (it ran out while the person typed). Kept for
-- an hour, bound to the browser that sent them by a cookie, and given back as a kept form after
-- the next login on that browser, to the person whose session it was (`person_hint`, from
-- `session_owner`) and nobody else. Fields as JSON pairs, cut to the forms' limits.
CREATE TABLE pending_form (
    id           TEXT PRIMARY KEY,
    endpoint     TEXT NOT NULL,
    fields       TEXT NOT NULL,
    person_hint  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX pending_form_created ON pending_form (created_at);
CREATE INDEX pending_form_person ON pending_form (person_hint);

-- Whose a session was, kept past the session's end (logout, expiry, revocation) until its
-- absolute lifetime and an hour more: a form sent with the ended session's cookie is kept only
-- for that person. Only the hash of the session's token is stored, as in `session`.
CREATE TABLE session_owner (
    id_hash     TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    keep_until  BIGINT NOT NULL
);
CREATE INDEX session_owner_keep_until ON session_owner (keep_until);
