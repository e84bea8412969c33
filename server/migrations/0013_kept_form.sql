-- Kept forms: what was typed into any form that could not be saved or sent, with why, as the
-- form's own fields (JSON) rather than squeezed into a message draft's subject and body. Drafts
-- kept before this are moved here, as their forms now read them, by the application right after
-- migrating (`kept::adopt_legacy_drafts`); `message_draft` is then always empty.
CREATE TABLE kept_form (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    fields      TEXT NOT NULL,
    problem     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX kept_form_person ON kept_form (person_id, created_at);
