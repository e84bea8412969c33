-- What kindergarten staff write for guardians about a child's day: when the child slept, how
-- the child ate, a few words. One note per child and day; writing again replaces it.
CREATE TABLE daily_note (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    unit_id     TEXT NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    slept_from  TEXT,
    slept_to    TEXT,
    ate         TEXT CHECK (ate IN ('well', 'some', 'little', 'nothing')),
    note        TEXT NOT NULL DEFAULT '',
    written_by  TEXT REFERENCES person (id) ON DELETE SET NULL,
    written_at  BIGINT NOT NULL,
    UNIQUE (child_id, day)
);
