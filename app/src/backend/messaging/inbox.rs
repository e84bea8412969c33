//! Inbox listings, newest first, paged by a keyset cursor so that a page costs the same however
//! long the history is, and unread counts.

use crate::backend::AppState;
use crate::backend::clock::date_time_text;
use crate::backend::identity::CurrentUser;
use crate::backend::repo::children;
use crate::backend::repo::row_struct;
use crate::backend::sql;
use crate::backend::{Database, access};
use crate::domain::messaging::{InboxPage, PAGE_SIZE, ThreadSummary, preview};
use crate::domain::{Audience, DisplayName};
use crate::error::{AppError, ResultExt};

/// Where a page starts: strictly before this (last message time, thread id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: i64,
    pub id: String,
}

impl Cursor {
    /// The start of the list.
    pub fn first() -> Cursor {
        Cursor { at: i64::MAX, id: String::new() }
    }

    /// "1764250000000_<thread id>", as the next-page link carries it.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.at, self.id)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, id) = text.split_once('_')?;
        Some(Cursor { at: at.parse().ok()?, id: id.to_owned() })
    }
}

row_struct! {
    /// A conversation on a person's inbox page, with its unread count.
    pub struct InboxRow {
        pub id: String,
        pub kind: String,
        pub subject: String,
        pub child_id: Option<String>,
        pub child_given_names: Option<String>,
        pub child_middle_name: Option<String>,
        pub child_surname: Option<String>,
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
/// and limited), and only those rows get their child's name, last message and unread count.
/// `$1` is the reader. (Counting unread messages before the limit would cost one scan per
/// thread the reader has, not per thread shown.)
fn with_details(page: &str) -> String {
    format!(
        "SELECT t.id, t.kind, t.subject, t.child_id, c.given_names AS child_given_names,
                c.middle_name AS child_middle_name, c.surname AS child_surname,
                t.origin_id, t.last_message_at,
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
         LEFT JOIN child c ON c.id = t.child_id
         LEFT JOIN class_group cg ON cg.id = t.group_id
         JOIN message m ON m.id = t.last_message_id
         JOIN person p ON p.id = m.author_id
         ORDER BY t.last_message_at DESC, t.id DESC"
    )
}

/// The ids of a guardian's threads on `$2`: those about children in their care (only `$3`
/// when not empty) and the group messages they received for them. The same rule as
/// `access::guardian_reads_thread`, turned round to start from the guardian's
/// responsibilities so that the indexes do the work.
fn guardian_threads() -> String {
    format!(
        "SELECT t.id FROM thread t
         WHERE t.id IN (
             SELECT t2.id FROM guardianship g JOIN thread t2 ON t2.child_id = g.child_id
             WHERE g.person_id = $1 AND ($3 = '' OR g.child_id = $3) AND {in_force}
             UNION
             SELECT tr.thread_id FROM thread_recipient tr
             JOIN guardianship g ON g.child_id = tr.child_id AND g.person_id = tr.person_id
             WHERE tr.person_id = $1 AND ($3 = '' OR tr.child_id = $3) AND {in_force})
           {PAGE}",
        in_force = access::in_force("g", "$2"),
    )
}

/// The ids of a staff member's threads on `$2`: those they take part in through a role they
/// hold now (only those about `$3` when not empty).
fn staff_threads() -> String {
    format!(
        "SELECT t.id FROM thread t
         WHERE t.id IN (SELECT s.thread_id FROM thread_staff s WHERE s.person_id = $1)
           AND ($3 = '' OR t.child_id = $3)
           AND {}
           {PAGE}",
        access::staff_reads_thread("t", "$1", "$2")
    )
}

/// Keyset paging, newest first: before `($4, $5)`, at most `$6`.
const PAGE: &str = "AND (t.last_message_at < $4 OR (t.last_message_at = $4 AND t.id < $5))
         ORDER BY t.last_message_at DESC, t.id DESC
         LIMIT $6";

/// A person's threads on `today` as `audience` (only those about `child` when given), at most
/// `limit` of them before `before`.
pub async fn list(
    db: &Database,
    audience: Audience,
    person_id: &str,
    today: &str,
    child: Option<&str>,
    before: &Cursor,
    limit: i64,
) -> sqlx::Result<Vec<InboxRow>> {
    let ids = match audience {
        Audience::Guardian => guardian_threads(),
        Audience::Staff => staff_threads(),
    };
    let binds = (person_id, today, child.unwrap_or_default(), before.at, &before.id, limit);
    sql::all(&db.pool, &with_details(&ids), binds).await
}

/// Unread messages for a guardian about one child in their care on `today`.
pub async fn unread_for_child(
    db: &Database,
    person_id: &str,
    child_id: &str,
    today: &str,
) -> sqlx::Result<i64> {
    let (n,): (i64,) = sql::one(
        &db.pool,
        &format!(
            "SELECT COUNT(*) FROM message x
         JOIN thread t ON t.id = x.thread_id
         LEFT JOIN thread_read r ON r.thread_id = t.id AND r.person_id = $1
         WHERE x.author_id <> $1 AND x.created_at > COALESCE(r.read_until, 0)
           AND (t.child_id = $2 OR t.id IN (
               SELECT thread_id FROM thread_recipient WHERE person_id = $1 AND child_id = $2))
           AND {}",
            access::guardian_of("$1", "$2", "$3")
        ),
        (person_id, child_id, today),
    )
    .await?;
    Ok(n)
}

/// Unread messages in the threads a staff member may read on `today`.
pub async fn unread_for_staff(db: &Database, person_id: &str, today: &str) -> sqlx::Result<i64> {
    let (n,): (i64,) = sql::one(
        &db.pool,
        &format!(
            "SELECT COUNT(*) FROM thread_staff s
         JOIN thread t ON t.id = s.thread_id
         JOIN message x ON x.thread_id = s.thread_id
         LEFT JOIN thread_read r ON r.thread_id = s.thread_id AND r.person_id = $1
         WHERE s.person_id = $1 AND x.author_id <> $1 AND x.created_at > COALESCE(r.read_until, 0)
           AND {}",
            access::staff_reads_thread("t", "$1", "$2")
        ),
        (person_id, today),
    )
    .await?;
    Ok(n)
}

/// The inbox page `user` sees: every thread, or those about `child` (whose access the caller
/// has checked), newest first, a page at a time from `older` (a cursor).
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    child: Option<String>,
    older: Option<String>,
) -> Result<InboxPage, AppError> {
    let today = state.today();
    let cursor = older.as_deref().and_then(Cursor::decode).unwrap_or_else(Cursor::first);
    let staff = user.audience == Audience::Staff;
    // Staff read only through a role: without any, there is no inbox to show.
    if staff
        && !access::has_staff_role(&state.db, &user.person_id)
            .await
            .context("checking a staff member's roles")?
    {
        return Err(AppError::Forbidden);
    }
    // One more than a page tells whether there is an older page.
    let (person, about) = (&user.person_id, child.as_deref());
    let mut rows = list(&state.db, user.audience, person, &today, about, &cursor, PAGE_SIZE + 1)
        .await
        .context("listing an inbox")?;
    let older = (rows.len() as i64 > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE as usize);
        let last = rows.last();
        last.map(|r| Cursor { at: r.last_message_at, id: r.id.clone() }.encode())
            .unwrap_or_default()
    });
    let child = match child {
        Some(id) => {
            let name = children::get(&state.db, &id).await.context("loading a child")?;
            Some((id, name.map(|c| c.display_name().to_string()).unwrap_or_default()))
        }
        None => None,
    };
    let threads = rows.into_iter().map(summary).collect();
    Ok(InboxPage { threads, older, staff, child })
}

/// One row as the inbox shows it: about a child (by name), or a group message to a group or
/// a unit.
fn summary(r: InboxRow) -> ThreadSummary {
    let about = match (&r.child_surname, &r.group_name) {
        (Some(surname), _) => DisplayName::from_register(
            r.child_given_names.as_deref().unwrap_or_default(),
            r.child_middle_name.as_deref(),
            surname,
        )
        .to_string(),
        (None, Some(group)) => format!("{}, {group}", r.unit_name),
        (None, None) => r.unit_name.clone(),
    };
    let last_author =
        DisplayName::from_register(&r.given_names, r.middle_name.as_deref(), &r.surname);
    ThreadSummary {
        subject: r.subject,
        about,
        is_group: r.kind == "group",
        is_reply: r.origin_id.is_some(),
        last_at: date_time_text(r.last_message_at),
        last_author: last_author.to_string(),
        preview: preview(&r.preview),
        unread: r.unread,
        id: r.id,
    }
}
