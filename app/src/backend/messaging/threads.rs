//! Threads and their messages: creating, reading, access and read markers.

use super::realtime;
use crate::backend::Database;
use crate::backend::access;
use crate::backend::identity::CurrentUser;
use crate::backend::notify::outbox;
use crate::backend::repo::{new_id, row_struct};
use crate::backend::sql;
use crate::domain::guard::Category;
use crate::domain::notify::EventKind;

row_struct! {
    /// A conversation or group message as stored.
    pub struct ThreadRow {
        pub id: String,
        pub kind: String,
        pub unit_id: String,
        pub child_id: Option<String>,
        pub group_id: Option<String>,
        pub origin_id: Option<String>,
        pub subject: String,
        pub created_by: String,
        pub created_at: i64,
        pub last_message_at: i64,
    }
}

impl ThreadRow {
    pub fn is_group(&self) -> bool {
        self.kind == "group"
    }
}

/// A message about to be stored: its text exactly as typed, what the guard found in it, and
/// whether the author confirmed sending despite that.
pub struct NewMessage<'a> {
    pub author_id: &'a str,
    pub body: &'a str,
    pub flagged: &'a [Category],
    pub confirmed: bool,
    /// What its readers are told it is (`Message`, `GroupMessage`, `Urgent`, `Activity` …).
    pub notice: EventKind,
}

/// Where a new thread goes.
pub enum NewThread<'a> {
    /// About a child, with these staff members taking part; `origin_id` when it is a private
    /// reply to a group message.
    Child { child_id: &'a str, staff: &'a [String], origin_id: Option<&'a str> },
    /// To the guardians of a group (or the whole unit): `(guardian, child)` pairs.
    Group { group_id: Option<&'a str>, recipients: &'a [(String, String)] },
}

/// Creates a thread with its first message and returns the thread's id.
pub async fn create(
    db: &Database,
    unit_id: &str,
    subject: &str,
    target: NewThread<'_>,
    message: NewMessage<'_>,
) -> sqlx::Result<String> {
    let mut tx = db.pool.begin().await?;
    let id = create_in(&mut tx, db.clock.now_ms(), unit_id, subject, target, message).await?;
    tx.commit().await?;
    realtime::announce(db, &id).await;
    Ok(id)
}

/// [`create`] as part of a larger transaction `tx` (made at `at`); the caller commits and then
/// announces the thread (`realtime::announce`).
pub async fn create_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    at: i64,
    unit_id: &str,
    subject: &str,
    target: NewThread<'_>,
    message: NewMessage<'_>,
) -> sqlx::Result<String> {
    let id = new_id();
    let (kind, child_id, group_id, origin_id) = match &target {
        NewThread::Child { child_id, origin_id, .. } => {
            ("child", Some(*child_id), None, *origin_id)
        }
        NewThread::Group { group_id, .. } => ("group", None, *group_id, None),
    };
    sql::run(
        &mut **tx,
        "INSERT INTO thread (id, kind, unit_id, child_id, group_id, origin_id, subject, created_by,
                             created_at, last_message_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        (&id, kind, unit_id, child_id, group_id, origin_id, subject, message.author_id, at),
    )
    .await?;
    match target {
        NewThread::Child { staff, .. } => {
            for person in staff {
                sql::run(
                    &mut **tx,
                    "INSERT INTO thread_staff (thread_id, person_id) VALUES ($1, $2)",
                    (&id, person),
                )
                .await?;
            }
        }
        NewThread::Group { recipients, .. } => {
            sql::run(
                &mut **tx,
                "INSERT INTO thread_staff (thread_id, person_id) VALUES ($1, $2)",
                (&id, message.author_id),
            )
            .await?;
            for (person, child) in recipients {
                sql::run(
                    &mut **tx,
                    "INSERT INTO thread_recipient (thread_id, person_id, child_id)
                     VALUES ($1, $2, $3)",
                    (&id, person, child),
                )
                .await?;
            }
        }
    }
    insert_message(tx, &id, &message, at).await?;
    Ok(id)
}

/// A guardian's private answer to group message `group` about `child_id`: added to the family's
/// reply thread, which is made on the first answer with the group message's author taking part.
/// Two answers at the same moment land in the same thread (a unique index and
/// `ON CONFLICT DO NOTHING`, not a look-then-create). Returns the reply thread's id.
pub async fn reply_privately(
    db: &Database,
    group: &ThreadRow,
    child_id: &str,
    message: NewMessage<'_>,
) -> sqlx::Result<String> {
    let at = db.clock.now_ms();
    let mut tx = db.pool.begin().await?;
    let candidate = new_id();
    let made = sql::run(
        &mut *tx,
        "INSERT INTO thread (id, kind, unit_id, child_id, group_id, origin_id, subject, created_by,
                             created_at, last_message_at)
         VALUES ($1, 'child', $2, $3, NULL, $4, $5, $6, $7, $7)
         ON CONFLICT (origin_id, child_id) WHERE origin_id IS NOT NULL DO NOTHING",
        (&candidate, &group.unit_id, child_id, &group.id, &group.subject, message.author_id, at),
    )
    .await?
    .rows_affected()
        == 1;
    if made {
        sql::run(
            &mut *tx,
            "INSERT INTO thread_staff (thread_id, person_id)
             SELECT $1, person_id FROM thread_staff WHERE thread_id = $2",
            (&candidate, &group.id),
        )
        .await?;
    }
    let (id,): (String,) = sql::one(
        &mut *tx,
        "SELECT id FROM thread WHERE origin_id = $1 AND child_id = $2",
        (&group.id, child_id),
    )
    .await?;
    insert_message(&mut tx, &id, &message, at).await?;
    tx.commit().await?;
    realtime::announce(db, &id).await;
    Ok(id)
}

/// Adds a message to a thread.
pub async fn add_message(
    db: &Database,
    thread_id: &str,
    message: NewMessage<'_>,
) -> sqlx::Result<()> {
    let at = db.clock.now_ms();
    let mut tx = db.pool.begin().await?;
    insert_message(&mut tx, thread_id, &message, at).await?;
    tx.commit().await?;
    realtime::announce(db, thread_id).await;
    Ok(())
}

async fn insert_message(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    thread_id: &str,
    message: &NewMessage<'_>,
    at: i64,
) -> sqlx::Result<()> {
    let id = new_id();
    let flagged = (!message.flagged.is_empty())
        .then(|| message.flagged.iter().map(|c| c.code()).collect::<Vec<_>>().join(","));
    sql::run(
        &mut **tx,
        "INSERT INTO message (id, thread_id, author_id, body, flagged, confirmed_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        (
            &id,
            thread_id,
            message.author_id,
            message.body,
            flagged,
            message.confirmed.then_some(at),
            at,
        ),
    )
    .await?;
    sql::run(
        &mut **tx,
        "UPDATE thread SET last_message_at = $2, last_message_id = $3
         WHERE id = $1 AND last_message_at <= $2",
        (thread_id, at, &id),
    )
    .await?;
    // What one writes, one has read.
    mark_read_in(tx, thread_id, message.author_id, at, at).await?;
    // Its readers are told, in the same transaction (the outbox).
    let today = crate::backend::clock::day_in_norway(
        chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
    );
    outbox::message(tx, at, &today, thread_id, message.author_id, message.notice).await?;
    Ok(())
}

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<ThreadRow>> {
    sql::opt(
        &db.pool,
        "SELECT id, kind, unit_id, child_id, group_id, origin_id, subject, created_by, created_at,
                last_message_at
         FROM thread WHERE id = $1",
        (id,),
    )
    .await
}

/// Whether `user` may read `thread` on `today` (the rule is [`access::reads_thread`]).
pub async fn can_read(
    db: &Database,
    user: &CurrentUser,
    thread: &ThreadRow,
    today: &str,
) -> sqlx::Result<bool> {
    access::can_read_thread(db, user, &thread.id, today).await
}

/// The children for which `person_id` received group thread `thread_id` and for which they
/// still have parental responsibility on `today`: those they may answer about.
pub async fn recipient_children(
    db: &Database,
    thread_id: &str,
    person_id: &str,
    today: &str,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sql::all(
        &db.pool,
        &format!(
            "SELECT child_id FROM thread_recipient WHERE thread_id = $1 AND person_id = $2 AND {}
         ORDER BY child_id",
            access::guardian_of("$2", "thread_recipient.child_id", "$3")
        ),
        (thread_id, person_id, today),
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

row_struct! {
    /// A message as stored, with its author's name.
    pub struct MessageRow {
        pub id: String,
        pub author_id: String,
        pub body: String,
        pub flagged: Option<String>,
        pub created_at: i64,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub address_protection: String,
        pub by_staff: i64,
    }
}

/// The messages of a thread, oldest first, with their authors.
pub async fn messages(db: &Database, thread_id: &str) -> sqlx::Result<Vec<MessageRow>> {
    sql::all(
        &db.pool,
        "SELECT m.id, m.author_id, m.body, m.flagged, m.created_at, p.given_names, p.middle_name,
                p.surname, p.address_protection,
                CASE WHEN s.person_id IS NULL THEN 0 ELSE 1 END AS by_staff
         FROM message m
         JOIN person p ON p.id = m.author_id
         LEFT JOIN thread_staff s ON s.thread_id = m.thread_id AND s.person_id = m.author_id
         WHERE m.thread_id = $1
         ORDER BY m.created_at, m.id",
        (thread_id,),
    )
    .await
}

row_struct! {
    /// A staff member taking part in a conversation.
    pub struct StaffMember {
        pub person_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
    }
}

/// The staff taking part in a thread.
pub async fn staff(db: &Database, thread_id: &str) -> sqlx::Result<Vec<StaffMember>> {
    sql::all(
        &db.pool,
        "SELECT p.id AS person_id, p.given_names, p.middle_name, p.surname
         FROM thread_staff s JOIN person p ON p.id = s.person_id
         WHERE s.thread_id = $1 ORDER BY p.given_names, p.surname",
        (thread_id,),
    )
    .await
}

/// Who has read how far, and when they last read: `(person_id, read_until, read_at)`.
pub async fn read_markers(db: &Database, thread_id: &str) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sql::all(
        &db.pool,
        "SELECT person_id, read_until, read_at FROM thread_read WHERE thread_id = $1",
        (thread_id,),
    )
    .await
}

/// Marks everything in the thread up to `until` as read by `person_id`; a marker never moves
/// back.
pub async fn mark_read(
    db: &Database,
    thread_id: &str,
    person_id: &str,
    until: i64,
) -> sqlx::Result<()> {
    let mut conn = db.pool.acquire().await?;
    mark_read_in(&mut conn, thread_id, person_id, until, db.clock.now_ms()).await
}

async fn mark_read_in(
    conn: &mut sqlx::AnyConnection,
    thread_id: &str,
    person_id: &str,
    until: i64,
    read_at: i64,
) -> sqlx::Result<()> {
    sql::run(
        conn,
        "INSERT INTO thread_read (thread_id, person_id, read_until, read_at) VALUES ($1, $2, $3,
             $4)
         ON CONFLICT (thread_id, person_id) DO UPDATE SET
             read_until = CASE WHEN excluded.read_until > thread_read.read_until
                               THEN excluded.read_until ELSE thread_read.read_until END,
             read_at = CASE WHEN excluded.read_until > thread_read.read_until
                            THEN excluded.read_at ELSE thread_read.read_at END",
        (thread_id, person_id, until, read_at),
    )
    .await?;
    Ok(())
}

/// For a group message: how many of its recipients have read it all, and how many there are.
pub async fn group_read_count(db: &Database, thread: &ThreadRow) -> sqlx::Result<(i64, i64)> {
    let (read, all): (i64, i64) = sql::one(
        &db.pool,
        "SELECT
             (SELECT COUNT(DISTINCT r.person_id) FROM thread_read r
              WHERE r.thread_id = $1 AND r.read_until >= $2
                AND r.person_id IN (SELECT person_id FROM thread_recipient WHERE thread_id = $1)),
             (SELECT COUNT(DISTINCT person_id) FROM thread_recipient WHERE thread_id = $1)",
        (&thread.id, thread.last_message_at),
    )
    .await?;
    Ok((read, all))
}

row_struct! {
    /// A recipient of a group message, for the child they got it for: whether they have read
    /// it all, and whether KRR says they can be reached digitally.
    pub struct GroupReader {
        pub person_id: String,
        pub given_names: String,
        pub surname: String,
        pub child_id: String,
        pub child_given: String,
        pub child_middle: Option<String>,
        pub child_surname: String,
        pub has_read: i64,
        pub reserved: Option<i64>,
        pub can_notify: Option<i64>,
    }
}

/// Who got group message `thread`, per child, and who of them has read it all.
pub async fn group_readers(db: &Database, thread: &ThreadRow) -> sqlx::Result<Vec<GroupReader>> {
    sql::all(
        &db.pool,
        "SELECT p.id AS person_id, p.given_names, p.surname, c.id AS child_id,
                c.given_names AS child_given, c.middle_name AS child_middle,
                c.surname AS child_surname,
                CASE WHEN r.read_until >= $2 THEN 1 ELSE 0 END AS has_read,
                k.reserved, k.can_notify
         FROM thread_recipient t
         JOIN person p ON p.id = t.person_id
         JOIN child c ON c.id = t.child_id
         LEFT JOIN thread_read r ON r.thread_id = t.thread_id AND r.person_id = t.person_id
         LEFT JOIN contact_details k ON k.person_id = t.person_id
         WHERE t.thread_id = $1",
        (&thread.id, thread.last_message_at),
    )
    .await
}

/// Where a thread belongs: its unit's name and, for a group's, the group's name.
pub async fn place(db: &Database, thread: &ThreadRow) -> sqlx::Result<(String, Option<String>)> {
    sql::one(
        &db.pool,
        "SELECT u.name, g.name FROM unit u LEFT JOIN class_group g ON g.id = $2 WHERE u.id = $1",
        (&thread.unit_id, thread.group_id.as_deref().unwrap_or_default()),
    )
    .await
}

/// The private reply thread a family already has for a group message, if any.
pub async fn reply_thread_of(
    db: &Database,
    origin_id: &str,
    child_id: &str,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT id FROM thread WHERE origin_id = $1 AND child_id = $2",
        (origin_id, child_id),
    )
    .await?;
    Ok(row.map(|r| r.0))
}
