-- Core schema: who is who, and which child is where.
-- Portable SQL for SQLite and PostgreSQL: ids are TEXT made by the application; timestamps are
-- BIGINT Unix seconds; dates are ISO-8601 TEXT (YYYY-MM-DD), which sort and compare correctly.

-- A municipality (tenant); its id is the four-digit kommunenummer.
CREATE TABLE municipality (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- A kindergarten, school or SFO of a municipality.
CREATE TABLE unit (
    id               TEXT PRIMARY KEY,
    municipality_id  TEXT NOT NULL REFERENCES municipality (id),
    kind             TEXT NOT NULL CHECK (kind IN ('kindergarten', 'school', 'sfo')),
    name             TEXT NOT NULL,
    -- The day the unit starts using Ranselpost; NULL when it already does.
    starts_on        TEXT,
    created_at       BIGINT NOT NULL,
    CONSTRAINT unit_name_unique UNIQUE (municipality_id, name)
);
CREATE INDEX unit_municipality ON unit (municipality_id);

-- A class (skole), department (barnehage) or SFO group. "group" is reserved in SQL.
CREATE TABLE class_group (
    id          TEXT PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES unit (id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT class_group_name_unique UNIQUE (unit_id, name)
);

-- An adult: a guardian (identified by pid) or a staff member (pid optional: staff log in
-- with the sector's IdP).
CREATE TABLE person (
    id                  TEXT PRIMARY KEY,
    pid                 TEXT,
    given_names         TEXT NOT NULL,
    middle_name         TEXT,
    surname             TEXT NOT NULL,
    address_protection  TEXT NOT NULL DEFAULT 'ugradert'
        CHECK (address_protection IN ('ugradert', 'klientadresse', 'fortrolig', 'strengtFortrolig')),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT person_pid_unique UNIQUE (pid)
);

-- A child. Names are stored as the register gives them; the display rule is applied on read.
CREATE TABLE child (
    id                  TEXT PRIMARY KEY,
    pid                 TEXT NOT NULL,
    given_names         TEXT NOT NULL,
    middle_name         TEXT,
    surname             TEXT NOT NULL,
    address_protection  TEXT NOT NULL DEFAULT 'ugradert'
        CHECK (address_protection IN ('ugradert', 'klientadresse', 'fortrolig', 'strengtFortrolig')),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT child_pid_unique UNIQUE (pid)
);

-- A child in a group for a period; valid_to NULL means still enrolled.
CREATE TABLE enrollment (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    group_id    TEXT NOT NULL REFERENCES class_group (id),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    CONSTRAINT enrollment_unique UNIQUE (child_id, group_id, valid_from)
);
CREATE INDEX enrollment_group ON enrollment (group_id);

-- Parental responsibility (foreldreansvar), the only source of a guardian's access to a child.
-- source says where it came from; valid_to NULL means current.
CREATE TABLE guardianship (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    person_id       TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    responsibility  TEXT NOT NULL CHECK (responsibility IN ('felles', 'mor', 'far', 'medmor', 'andre')),
    source          TEXT NOT NULL CHECK (source IN ('folkeregisteret', 'fixture', 'staff_grant')),
    valid_from      TEXT,
    valid_to        TEXT,
    CONSTRAINT guardianship_unique UNIQUE (child_id, person_id, source)
);
CREATE INDEX guardianship_person ON guardianship (person_id);

-- A family relation from the register (mother, father, co-mother). It gives NO access: a parent
-- without parental responsibility is recorded here and nowhere else.
CREATE TABLE family_relation (
    child_id   TEXT NOT NULL REFERENCES child (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('mor', 'far', 'medmor')),
    source     TEXT NOT NULL CHECK (source IN ('folkeregisteret', 'fixture')),
    PRIMARY KEY (child_id, person_id, role)
);

-- What a staff member is at a unit, optionally for one group.
CREATE TABLE staff_role (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    unit_id     TEXT NOT NULL REFERENCES unit (id),
    group_id    TEXT REFERENCES class_group (id),
    role        TEXT NOT NULL CHECK (role IN
        ('contact_teacher', 'pedagogical_leader', 'principal', 'sfo_leader', 'staff', 'admin')),
    created_at  BIGINT NOT NULL
);
CREATE INDEX staff_role_person ON staff_role (person_id);
CREATE INDEX staff_role_unit ON staff_role (unit_id);
