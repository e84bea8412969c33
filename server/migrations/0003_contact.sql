-- Contact details from Kontakt- og reservasjonsregisteret (KRR), refreshed at every login.
-- Flags are BIGINT 0/1, which both engines read the same way.
CREATE TABLE contact_details (
    person_id        TEXT PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    email            TEXT,
    email_updated    TEXT,
    email_verified   TEXT,
    mobile           TEXT,
    mobile_updated   TEXT,
    mobile_verified  TEXT,
    reserved         BIGINT NOT NULL,
    can_notify       BIGINT NOT NULL,
    fetched_at       BIGINT NOT NULL
);
