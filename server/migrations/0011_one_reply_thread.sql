-- One private reply thread per family (child) and group message: two guardians answering at the
-- same moment must land in the same conversation, not in two. Replies made twice before this
-- rule are merged into the oldest thread first, so nothing is lost.
UPDATE message SET thread_id = (
    SELECT first.id FROM thread first JOIN thread dup
        ON dup.origin_id = first.origin_id AND dup.child_id = first.child_id
    WHERE dup.id = message.thread_id
    ORDER BY first.created_at, first.id LIMIT 1)
WHERE thread_id IN (
    SELECT t.id FROM thread t
    WHERE t.origin_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM thread f
        WHERE f.origin_id = t.origin_id AND f.child_id = t.child_id
          AND (f.created_at < t.created_at OR (f.created_at = t.created_at AND f.id < t.id))));

DELETE FROM thread WHERE origin_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM thread f
    WHERE f.origin_id = thread.origin_id AND f.child_id = thread.child_id
      AND (f.created_at < thread.created_at OR (f.created_at = thread.created_at AND f.id < thread.id)));

UPDATE thread SET
    last_message_at = (SELECT MAX(m.created_at) FROM message m WHERE m.thread_id = thread.id),
    last_message_id = (SELECT m.id FROM message m WHERE m.thread_id = thread.id
                       ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
WHERE origin_id IS NOT NULL AND EXISTS (SELECT 1 FROM message m WHERE m.thread_id = thread.id);

DROP INDEX thread_origin;
CREATE UNIQUE INDEX thread_one_reply ON thread (origin_id, child_id) WHERE origin_id IS NOT NULL;
