-- Notifications outside the app: web push, e-mail and SMS. Times are Unix milliseconds.

-- KRR's language (spraak) for notices in the person's language.
ALTER TABLE contact_details ADD COLUMN language TEXT;

-- What a person chose. No row: the defaults (domain::notify). Quiet hours and the digest time
-- are minutes after midnight, Norwegian time; digest_at NULL = one notice per event.
CREATE TABLE notify_prefs (
    person_id   TEXT PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    quiet_from  BIGINT,
    quiet_to    BIGINT,
    digest_at   BIGINT,
    -- The language last chosen in the app, used when KRR has none.
    language    TEXT,
    updated_at  BIGINT NOT NULL
);

-- Per event kind and channel: on (1) or off (0). No row: the default for that pair.
CREATE TABLE notify_choice (
    person_id  TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    event      TEXT NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('push', 'email', 'sms')),
    wanted     BIGINT NOT NULL,
    PRIMARY KEY (person_id, event, channel)
);

-- A browser's web push subscription (RFC 8030): where to deliver, and its RFC 8291 keys.
-- One per device: the same endpoint again replaces the row. Bound to the quick-unlock device
-- it was made on, when there is one, so that revoking the device removes it.
CREATE TABLE push_subscription (
    id                    TEXT PRIMARY KEY,
    person_id             TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    endpoint              TEXT NOT NULL,
    p256dh                TEXT NOT NULL,
    auth                  TEXT NOT NULL,
    name                  TEXT NOT NULL,
    device_credential_id  TEXT REFERENCES device_credential (id) ON DELETE CASCADE,
    created_at            BIGINT NOT NULL,
    last_used_at          BIGINT,
    CONSTRAINT push_subscription_endpoint UNIQUE (endpoint)
);
CREATE INDEX push_subscription_person ON push_subscription (person_id);

-- The outbox: something happened that people may be told of, written in the same transaction
-- as the change. Who may be told is decided then, once (notice_recipient), from the same access
-- rules as reading. `topic` gathers notices (one conversation, one absence); `path` is where a
-- notice leads in the app. planned_at: when its deliveries were planned.
CREATE TABLE notice_event (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    unit_id     TEXT REFERENCES unit (id) ON DELETE CASCADE,
    child_id    TEXT REFERENCES child (id) ON DELETE CASCADE,
    -- A message's thread: whether a reader may still read it is checked again when sending.
    thread_id   TEXT REFERENCES thread (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    path        TEXT NOT NULL,
    urgent      BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    planned_at  BIGINT
);
CREATE INDEX notice_event_unplanned ON notice_event (planned_at, created_at);
CREATE INDEX notice_event_created ON notice_event (created_at);

CREATE TABLE notice_recipient (
    event_id   TEXT NOT NULL REFERENCES notice_event (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX notice_recipient_person ON notice_recipient (person_id);

-- One (event, person, channel) to send, at most once. status: pending → sending (claimed by a
-- worker until claimed_until) → sent | failed | skipped. A pending notice on the same topic for
-- the same person and channel takes a new event in (merged_into), so five messages in one
-- conversation make one notice.
CREATE TABLE notice_delivery (
    id             TEXT PRIMARY KEY,
    event_id       TEXT NOT NULL REFERENCES notice_event (id) ON DELETE CASCADE,
    person_id      TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    channel        TEXT NOT NULL CHECK (channel IN ('push', 'email', 'sms')),
    topic          TEXT NOT NULL,
    -- Held (for the digest, or past the quiet hours): sent together with the person's other
    -- held notices, as one.
    digest         BIGINT NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    due_at         BIGINT NOT NULL,
    attempts       BIGINT NOT NULL DEFAULT 0,
    claimed_by     TEXT,
    claimed_until  BIGINT,
    sent_at        BIGINT,
    merged         BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT notice_delivery_once UNIQUE (event_id, person_id, channel)
);
CREATE INDEX notice_delivery_due ON notice_delivery (status, due_at);
CREATE INDEX notice_delivery_topic ON notice_delivery (person_id, channel, topic, status);
-- One notice waiting per person, channel and topic, however many processes plan at once: a
-- later event on the topic is taken into it.
CREATE UNIQUE INDEX notice_delivery_gathering ON notice_delivery (person_id, channel, topic)
    WHERE status = 'pending';
