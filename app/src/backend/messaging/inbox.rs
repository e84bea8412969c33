//! Inbox listings, newest first, paged by a keyset cursor so that a page costs the same however
//! long the history is, and unread counts.

use crate::backend::Database;
use crate::backend::repo::row_struct;

/// Where a page starts: strictly before this (last message time, thread id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: i64,
    pub id: String,
}

impl Cursor {
    /// The start of the list.
    pub fn first() -> Cursor {
        Cursor {
            at: i64::MAX,
            id: String::new(),
        }
    }

    /// "1764250000000_<thread id>", as the next-page link carries it.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.at, self.id)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, id) = text.split_once('_')?;
        Some(Cursor {
            at: at.parse().ok()?,
            id: id.to_owned(),
        })
    }
}

row_struct! {
    pub struct InboxRow {
        pub id: String,
        pub kind: String,
        pub subject: String,
        pub child_id: Option<String>,
        pub origin_id: Option<String>,
        pub last_message_at: i64,
        pub unit_name: String,
        pub group_name: Option<String>,
        pub preview: String,
        pub author_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub unread: i64,
    }
}

/// An inbox page: `page` is a query for the page's `id` and `last_message_at` (already ordered
/// and limited), and only those rows get their last message and unread count. `$1` is the
/// reader. (Counting unread messages before the limit would cost one scan per thread the
/// reader has, not per thread shown.)
fn with_details(page: &str) -> String {
    format!(
        "SELECT t.id, t.kind, t.subject, t.child_id, t.origin_id, t.last_message_at,
                u.name AS unit_name, cg.name AS group_name, m.body AS preview, m.author_id,
                p.given_names, p.middle_name, p.surname,
                (SELECT COUNT(*) FROM message x
                 WHERE x.thread_id = t.id AND x.author_id <> $1
                   AND x.created_at > COALESCE(
                       (SELECT r.read_until FROM thread_read r
                        WHERE r.thread_id = t.id AND r.person_id = $1), 0)) AS unread
         FROM ({page}) pg
         JOIN thread t ON t.id = pg.id
         JOIN unit u ON u.id = t.unit_id
         LEFT JOIN class_group cg ON cg.id = t.group_id
         JOIN message m ON m.id = t.last_message_id
         JOIN person p ON p.id = m.author_id
         ORDER BY t.last_message_at DESC, t.id DESC"
    )
}

/// A guardian's threads on `today`: those about children in their care (only `child` when
/// given) and the group messages they received for them.
pub async fn for_guardian(
    db: &Database,
    person_id: &str,
    today: &str,
    child: Option<&str>,
    before: &Cursor,
    limit: i64,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    let sql = with_details(
        "SELECT t.id FROM thread t
         WHERE t.id IN (
             SELECT t2.id FROM guardianship g JOIN thread t2 ON t2.child_id = g.child_id
             WHERE g.person_id = $1 AND ($3 = '' OR g.child_id = $3)
               AND (g.valid_from IS NULL OR g.valid_from <= $2)
               AND (g.valid_to IS NULL OR g.valid_to > $2)
             UNION
             SELECT tr.thread_id FROM thread_recipient tr
             JOIN guardianship g ON g.child_id = tr.child_id AND g.person_id = tr.person_id
             WHERE tr.person_id = $1 AND ($3 = '' OR tr.child_id = $3)
               AND (g.valid_from IS NULL OR g.valid_from <= $2)
               AND (g.valid_to IS NULL OR g.valid_to > $2))
           AND (t.last_message_at < $4 OR (t.last_message_at = $4 AND t.id < $5))
         ORDER BY t.last_message_at DESC, t.id DESC
         LIMIT $6",
    );
    sqlx::query_as(&sql)
        .bind(person_id)
        .bind(today)
        .bind(child.unwrap_or_default())
        .bind(before.at)
        .bind(&before.id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// A staff member's threads: those they take part in (only those about `child` when given).
pub async fn for_staff(
    db: &Database,
    person_id: &str,
    child: Option<&str>,
    before: &Cursor,
    limit: i64,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    let sql = with_details(
        "SELECT t.id FROM thread t
         WHERE t.id IN (SELECT s.thread_id FROM thread_staff s WHERE s.person_id = $1)
           AND ($5 = '' OR t.child_id = $5)
           AND (t.last_message_at < $2 OR (t.last_message_at = $2 AND t.id < $3))
         ORDER BY t.last_message_at DESC, t.id DESC
         LIMIT $4",
    );
    sqlx::query_as(&sql)
        .bind(person_id)
        .bind(before.at)
        .bind(&before.id)
        .bind(limit)
        .bind(child.unwrap_or_default())
        .fetch_all(&db.pool)
        .await
}

/// Unread messages for a guardian about one child.
pub async fn unread_for_child(
    db: &Database,
    person_id: &str,
    child_id: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM message x
         JOIN thread t ON t.id = x.thread_id
         LEFT JOIN thread_read r ON r.thread_id = t.id AND r.person_id = $1
         WHERE x.author_id <> $1 AND x.created_at > COALESCE(r.read_until, 0)
           AND (t.child_id = $2 OR t.id IN (
               SELECT thread_id FROM thread_recipient WHERE person_id = $1 AND child_id = $2))",
    )
    .bind(person_id)
    .bind(child_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}

/// Unread messages in the threads a staff member takes part in.
pub async fn unread_for_staff(db: &Database, person_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM thread_staff s
         JOIN message x ON x.thread_id = s.thread_id
         LEFT JOIN thread_read r ON r.thread_id = s.thread_id AND r.person_id = $1
         WHERE s.person_id = $1 AND x.author_id <> $1 AND x.created_at > COALESCE(r.read_until, 0)",
    )
    .bind(person_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}
