-- Absence, leave of absence, activities, the calendar feed, and the kindergarten/SFO day
-- (check-in/out and pick-up notes). Dates are ISO TEXT; times of day 'HH:MM' TEXT (local);
-- instants Unix milliseconds.

-- An absence a guardian reports (or staff register after a call), for a child on a span of
-- days; it covers every unit the child attends on those days. kind 'leave' is a leave of
-- absence (permisjon) on school days, which the principal grants or refuses.
CREATE TABLE absence (
    id            TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('illness', 'other', 'leave')),
    first_day     TEXT NOT NULL,
    last_day      TEXT NOT NULL,
    -- NULL times: the whole day.
    from_time     TEXT,
    to_time       TEXT,
    note          TEXT NOT NULL DEFAULT '',
    flagged       TEXT,
    status        TEXT NOT NULL CHECK (status IN ('reported', 'withdrawn', 'requested', 'granted', 'refused')),
    reported_by   TEXT NOT NULL REFERENCES person (id),
    decided_by    TEXT REFERENCES person (id),
    decided_at    BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK (first_day <= last_day)
);
CREATE INDEX absence_child ON absence (child_id, last_day);
CREATE INDEX absence_days ON absence (first_day, last_day);

-- A unit's staff have seen an absence.
CREATE TABLE absence_ack (
    absence_id  TEXT NOT NULL REFERENCES absence (id) ON DELETE CASCADE,
    unit_id     TEXT NOT NULL REFERENCES unit (id),
    person_id   TEXT NOT NULL REFERENCES person (id),
    at          BIGINT NOT NULL,
    PRIMARY KEY (absence_id, unit_id)
);

-- Something happening for a group (or a whole unit when group_id is NULL).
CREATE TABLE activity (
    id               TEXT PRIMARY KEY,
    unit_id          TEXT NOT NULL REFERENCES unit (id),
    group_id         TEXT REFERENCES class_group (id),
    title            TEXT NOT NULL,
    day              TEXT NOT NULL,
    starts           TEXT NOT NULL,
    ends             TEXT,
    place            TEXT NOT NULL DEFAULT '',
    bring            TEXT NOT NULL DEFAULT '',
    signup           BIGINT NOT NULL DEFAULT 0,
    signup_deadline  TEXT,
    cancelled_at     BIGINT,
    created_by       TEXT NOT NULL REFERENCES person (id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX activity_unit_day ON activity (unit_id, day);

CREATE TABLE activity_signup (
    activity_id  TEXT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    child_id     TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    going        BIGINT NOT NULL,
    by_person    TEXT NOT NULL REFERENCES person (id),
    at           BIGINT NOT NULL,
    PRIMARY KEY (activity_id, child_id)
);

-- A guardian's calendar subscription: the secret is in the URL; only its SHA-256 is kept.
CREATE TABLE calendar_feed (
    token_hash  TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX calendar_feed_person ON calendar_feed (person_id);

-- A child's day at a kindergarten or SFO: checked in and out.
CREATE TABLE attendance (
    child_id        TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    unit_id         TEXT NOT NULL REFERENCES unit (id),
    day             TEXT NOT NULL,
    checked_in_at   BIGINT,
    checked_in_by   TEXT REFERENCES person (id),
    checked_out_at  BIGINT,
    checked_out_by  TEXT REFERENCES person (id),
    PRIMARY KEY (child_id, unit_id, day)
);

-- Who picks a child up today and when; it expires with the day.
CREATE TABLE pickup_note (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    who         TEXT NOT NULL,
    at_time     TEXT NOT NULL,
    written_by  TEXT NOT NULL REFERENCES person (id),
    created_at  BIGINT NOT NULL,
    ack_by      TEXT REFERENCES person (id),
    ack_at      BIGINT
);
CREATE INDEX pickup_note_child_day ON pickup_note (child_id, day);
