//! Inbox listings, newest first, paged by a keyset cursor so that a page costs the same however
//! long the history is, and unread counts.

use crate::backend::repo::row_struct;
use crate::backend::{Database, access};

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
    /// A conversation on a person's inbox page, with its unread count.
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
    // The same rule as `access::guardian_reads_thread`, turned round to start from the
    // guardian's responsibilities so that the indexes do the work.
    let sql = with_details(&format!(
        "SELECT t.id FROM thread t
         WHERE t.id IN (
             SELECT t2.id FROM guardianship g JOIN thread t2 ON t2.child_id = g.child_id
             WHERE g.person_id = $1 AND ($3 = '' OR g.child_id = $3) AND {in_force}
             UNION
             SELECT tr.thread_id FROM thread_recipient tr
             JOIN guardianship g ON g.child_id = tr.child_id AND g.person_id = tr.person_id
             WHERE tr.person_id = $1 AND ($3 = '' OR tr.child_id = $3) AND {in_force})
           AND (t.last_message_at < $4 OR (t.last_message_at = $4 AND t.id < $5))
         ORDER BY t.last_message_at DESC, t.id DESC
         LIMIT $6",
        in_force = access::in_force("g", "$2"),
    ));
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

/// A staff member's threads on `today`: those they take part in through a role they hold now
/// (only those about `child` when given).
pub async fn for_staff(
    db: &Database,
    person_id: &str,
    today: &str,
    child: Option<&str>,
    before: &Cursor,
    limit: i64,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    let sql = with_details(&format!(
        "SELECT t.id FROM thread t
         WHERE t.id IN (SELECT s.thread_id FROM thread_staff s WHERE s.person_id = $1)
           AND ($5 = '' OR t.child_id = $5)
           AND (t.last_message_at < $2 OR (t.last_message_at = $2 AND t.id < $3))
           AND {}
         ORDER BY t.last_message_at DESC, t.id DESC
         LIMIT $4",
        access::staff_reads_thread("t", "$1", "$6")
    ));
    sqlx::query_as(&sql)
        .bind(person_id)
        .bind(before.at)
        .bind(&before.id)
        .bind(limit)
        .bind(child.unwrap_or_default())
        .bind(today)
        .fetch_all(&db.pool)
        .await
}

/// Unread messages for a guardian about one child in their care on `today`.
pub async fn unread_for_child(
    db: &Database,
    person_id: &str,
    child_id: &str,
    today: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM message x
         JOIN thread t ON t.id = x.thread_id
         LEFT JOIN thread_read r ON r.thread_id = t.id AND r.person_id = $1
         WHERE x.author_id <> $1 AND x.created_at > COALESCE(r.read_until, 0)
           AND (t.child_id = $2 OR t.id IN (
               SELECT thread_id FROM thread_recipient WHERE person_id = $1 AND child_id = $2))
           AND {}",
        access::guardian_of("$1", "$2", "$3")
    ))
    .bind(person_id)
    .bind(child_id)
    .bind(today)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}

/// Unread messages in the threads a staff member may read on `today`.
pub async fn unread_for_staff(
    db: &Database,
    person_id: &str,
    today: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM thread_staff s
         JOIN thread t ON t.id = s.thread_id
         JOIN message x ON x.thread_id = s.thread_id
         LEFT JOIN thread_read r ON r.thread_id = s.thread_id AND r.person_id = $1
         WHERE s.person_id = $1 AND x.author_id <> $1 AND x.created_at > COALESCE(r.read_until, 0)
           AND {}",
        access::staff_reads_thread("t", "$1", "$2")
    ))
    .bind(person_id)
    .bind(today)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}
