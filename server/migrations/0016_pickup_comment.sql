-- A short comment with a pick-up note ("Mormor har bil, hun venter ved porten"): guarded like
-- the rest of the note, shown on the child's tile with it.
ALTER TABLE pickup_note ADD COLUMN comment TEXT NOT NULL DEFAULT '';
