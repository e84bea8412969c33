-- Revoking a quick-unlock device ends every long-lived way in that was opened through it.

-- The quick-unlock device whose session made a calendar address; NULL when it was made after a
-- real login (ID-porten). Revoking the device revokes the address.
ALTER TABLE calendar_feed ADD COLUMN device_credential_id TEXT;
CREATE INDEX calendar_feed_device ON calendar_feed (device_credential_id);
