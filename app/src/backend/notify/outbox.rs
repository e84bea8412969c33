//! Writing what happened into the outbox, in the transaction of the change itself: a change
//! that commits has its event, and one that rolls back has none. Who is told is decided here,
//! once, with the same access rules as reading (`backend::access`), so that neither the
//! notices nor the live streams ask again per reader.

use crate::backend::access;
use crate::backend::repo::new_id;
use crate::backend::sql;
use crate::domain::notify::EventKind;

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// An event to record: its kind, where it happened, what gathers its notices (`topic`) and
/// where a notice leads (`path`, in the app).
pub struct Event<'a> {
    pub kind: EventKind,
    pub unit_id: Option<&'a str>,
    pub child_id: Option<&'a str>,
    pub thread_id: Option<&'a str>,
    pub topic: String,
    pub path: String,
}

/// Records `event`, made at `at`, for `recipients`; returns its id.
pub async fn record(
    tx: &mut Tx<'_>,
    at: i64,
    event: &Event<'_>,
    recipients: &[String],
) -> sqlx::Result<String> {
    let id = insert_event(tx, at, event).await?;
    for person in recipients {
        sql::run(
            &mut **tx,
            "INSERT INTO notice_recipient (event_id, person_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            (&id, person),
        )
        .await?;
    }
    Ok(id)
}

async fn insert_event(tx: &mut Tx<'_>, at: i64, event: &Event<'_>) -> sqlx::Result<String> {
    let id = new_id();
    sql::run(
        &mut **tx,
        "INSERT INTO notice_event (id, kind, unit_id, child_id, thread_id, topic, path, urgent,
                                   created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        (
            &id,
            event.kind.code(),
            event.unit_id,
            event.child_id,
            event.thread_id,
            &event.topic,
            &event.path,
            i64::from(event.kind == EventKind::Urgent),
            at,
        ),
    )
    .await?;
    Ok(id)
}

/// A new message in thread `thread_id` by `author_id`, made at `at` (`today` in Norway): every
/// one who may read the thread today is told, but the author. `kind` says what the message
/// is (a group message, an urgent one, a leave decision …).
pub async fn message(
    tx: &mut Tx<'_>,
    at: i64,
    today: &str,
    thread_id: &str,
    author_id: &str,
    kind: EventKind,
) -> sqlx::Result<String> {
    let (unit_id, child_id): (String, Option<String>) =
        sql::one(&mut **tx, "SELECT unit_id, child_id FROM thread WHERE id = $1", (thread_id,))
            .await?;
    // A message added to a group thread is a group message to its readers.
    let kind = if kind == EventKind::Message && child_id.is_none() {
        EventKind::GroupMessage
    } else {
        kind
    };
    let event = Event {
        kind,
        unit_id: Some(&unit_id),
        child_id: child_id.as_deref(),
        thread_id: Some(thread_id),
        topic: format!("thread:{thread_id}"),
        path: format!("/samtale/{thread_id}"),
    };
    let id = insert_event(tx, at, &event).await?;
    sql::run(
        &mut **tx,
        &format!(
            "INSERT INTO notice_recipient (event_id, person_id)
             SELECT DISTINCT $1, r.person_id FROM (
                 SELECT gs.person_id FROM thread t JOIN guardianship gs ON gs.child_id = t.child_id
                 WHERE t.id = $2 AND {guardian_child}
                 UNION
                 SELECT tr.person_id FROM thread t JOIN thread_recipient tr ON tr.thread_id = t.id
                 WHERE t.id = $2 AND {guardian_group}
                 UNION
                 SELECT ts.person_id FROM thread t JOIN thread_staff ts ON ts.thread_id = t.id
                 WHERE t.id = $2 AND {staff}
             ) r WHERE r.person_id <> $3",
            guardian_child = access::guardian_reads_thread("t", "gs.person_id", "$4"),
            guardian_group = access::guardian_reads_thread("t", "tr.person_id", "$4"),
            staff = access::staff_reads_thread("t", "ts.person_id", "$4"),
        ),
        (&id, thread_id, author_id, today),
    )
    .await?;
    Ok(id)
}

/// Something about `child_id` that its current guardians (`today`) are told of, but `except`
/// (who did it, when a guardian).
pub async fn to_guardians(
    tx: &mut Tx<'_>,
    at: i64,
    today: &str,
    event: &Event<'_>,
    except: &str,
) -> sqlx::Result<String> {
    let id = insert_event(tx, at, event).await?;
    sql::run(
        &mut **tx,
        &format!(
            "INSERT INTO notice_recipient (event_id, person_id)
             SELECT DISTINCT $1, gs.person_id FROM guardianship gs
             WHERE gs.child_id = $2 AND gs.person_id <> $3 AND {}",
            access::in_force("gs", "$4")
        ),
        (&id, event.child_id, except, today),
    )
    .await?;
    Ok(id)
}
