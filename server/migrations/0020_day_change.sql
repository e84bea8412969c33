-- A change of a child's day (a check-in or check-out, an absence, a pick-up note), kept for a
-- minute so that every SQLite process can tell its open boards to fetch themselves again.
-- PostgreSQL tells its processes with NOTIFY instead and leaves this table empty. No content:
-- which child, and when.
CREATE TABLE day_change (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX day_change_created ON day_change (created_at);
