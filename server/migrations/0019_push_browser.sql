-- Which browser made a push subscription (a hash of its `ranselpost_push` cookie): the settings
-- page tells whether this browser gets push, and logging out here stops this browser's push on
-- the server too, not only through the service worker.
ALTER TABLE push_subscription ADD COLUMN browser TEXT;
CREATE INDEX push_subscription_browser ON push_subscription (person_id, browser);
