-- Notices to a person inside Ranselpost (and, later, by e-mail/SMS through KRR's rules).
CREATE TABLE notice (
    id                 TEXT PRIMARY KEY,
    person_id          TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('access_granted')),
    child_id           TEXT REFERENCES child (id) ON DELETE CASCADE,
    -- Who the notice is about (e.g. the adult who gained access).
    about_person_id    TEXT REFERENCES person (id) ON DELETE CASCADE,
    created_at         BIGINT NOT NULL,
    read_at            BIGINT
);
CREATE INDEX notice_person ON notice (person_id, created_at);
