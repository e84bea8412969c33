-- Conversations between home and kindergarten/school. Times in this file are Unix
-- milliseconds (BIGINT): messages and read markers are ordered and compared at that grain.

-- When a unit reads messages, e.g. '1-5 08:00-16:00' (weekdays 1 = Monday); NULL = not set.
ALTER TABLE unit ADD COLUMN message_hours TEXT;

-- A conversation. kind 'child': about one child, read by every current guardian of the child and
-- the staff in thread_staff. kind 'group': a message from staff to the guardians of a group (or
-- of a whole unit when group_id is NULL), read by the recipients recorded at sending; a
-- guardian's reply to it starts a private 'child' thread whose origin_id is the group thread.
CREATE TABLE thread (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('child', 'group')),
    unit_id          TEXT NOT NULL REFERENCES unit (id),
    child_id         TEXT REFERENCES child (id) ON DELETE CASCADE,
    group_id         TEXT REFERENCES class_group (id),
    origin_id        TEXT REFERENCES thread (id) ON DELETE SET NULL,
    subject          TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES person (id),
    created_at       BIGINT NOT NULL,
    last_message_at  BIGINT NOT NULL,
    last_message_id  TEXT,
    CHECK ((kind = 'child') = (child_id IS NOT NULL))
);
CREATE INDEX thread_child_recent ON thread (child_id, last_message_at);
CREATE INDEX thread_origin ON thread (origin_id, child_id);

-- The staff members taking part in a thread (for a group thread: its author).
CREATE TABLE thread_staff (
    thread_id  TEXT NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    PRIMARY KEY (thread_id, person_id)
);
CREATE INDEX thread_staff_person ON thread_staff (person_id, thread_id);

-- The guardians a group message went to, and for which child, as they were when it was sent.
CREATE TABLE thread_recipient (
    thread_id  TEXT NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    child_id   TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    PRIMARY KEY (thread_id, person_id, child_id)
);
CREATE INDEX thread_recipient_person ON thread_recipient (person_id, thread_id);
CREATE INDEX thread_recipient_child ON thread_recipient (child_id, thread_id);

-- A message, stored exactly as typed. flagged lists what the sensitive-text guard found
-- (comma-separated categories) and confirmed_at when the author chose to send it anyway.
CREATE TABLE message (
    id            TEXT PRIMARY KEY,
    thread_id     TEXT NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    author_id     TEXT NOT NULL REFERENCES person (id),
    body          TEXT NOT NULL,
    flagged       TEXT,
    confirmed_at  BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX message_thread ON message (thread_id, created_at);
CREATE INDEX message_recent ON message (created_at, id);

-- How far a person has read a thread: every message created at or before read_until.
CREATE TABLE thread_read (
    thread_id   TEXT NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    read_until  BIGINT NOT NULL,
    read_at     BIGINT NOT NULL,
    PRIMARY KEY (thread_id, person_id)
);

-- A text that could not be sent yet (empty, too long, or waiting for the writer to confirm a
-- warning), kept so that nothing typed is lost, also when the page was a plain form post.
CREATE TABLE message_draft (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    recipient   TEXT,
    problem     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX message_draft_person ON message_draft (person_id, created_at);
