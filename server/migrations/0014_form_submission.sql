-- Form submissions already handled. Every form that sends or saves something carries a one-time
-- token made when its page was rendered; the first post with a token does the work and records
-- where it sent the person, a second post with the same token and the same content (a double
-- tap, a resent form after a slow answer) is sent to the same place and does nothing; the same
-- page sent again with other content (back, edit, send) is a new submission. `digest` is a hash
-- of the form's content, not the content. Rows are removed after a day.
CREATE TABLE form_submission (
    person_id   TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    token       TEXT NOT NULL,
    digest      TEXT NOT NULL,
    answer      TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (person_id, token, digest)
);
CREATE INDEX form_submission_created ON form_submission (created_at);
