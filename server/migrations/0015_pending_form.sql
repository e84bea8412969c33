-- Form posts that arrived without a live session (it ran out while the person typed). Kept for
-- an hour, bound to the browser that sent them by a cookie, and given back as a kept form after
-- the next login on that browser: to the same person only, when the ended session showed who
-- it was (`person_hint`). Fields as JSON pairs, cut to the forms' limits.
CREATE TABLE pending_form (
    id           TEXT PRIMARY KEY,
    endpoint     TEXT NOT NULL,
    fields       TEXT NOT NULL,
    person_hint  TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX pending_form_created ON pending_form (created_at);
