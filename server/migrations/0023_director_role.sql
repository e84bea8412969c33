-- A kindergarten's director (styrer) leads the whole unit, as a school's principal does. The
-- roles are a CHECK constraint, which SQLite cannot change in place: the table is made again,
-- with the same rows and indexes (no table refers to it).
CREATE TABLE staff_role_new (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    unit_id     TEXT NOT NULL REFERENCES unit (id),
    group_id    TEXT REFERENCES class_group (id),
    role        TEXT NOT NULL CHECK (role IN
        ('contact_teacher', 'pedagogical_leader', 'principal', 'director', 'sfo_leader', 'staff',
         'admin')),
    created_at  BIGINT NOT NULL
);
INSERT INTO staff_role_new (id, person_id, unit_id, group_id, role, created_at)
    SELECT id, person_id, unit_id, group_id, role, created_at FROM staff_role;
DROP TABLE staff_role;
ALTER TABLE staff_role_new RENAME TO staff_role;
CREATE INDEX staff_role_person ON staff_role (person_id);
CREATE INDEX staff_role_unit ON staff_role (unit_id);
