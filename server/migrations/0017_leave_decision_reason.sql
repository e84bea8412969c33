-- Why a leave of absence was refused (required) or granted (optional): shown to the guardians
-- with the decision, and sent to them in a message from the principal.
ALTER TABLE absence ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
