//! The kindergarten/SFO day on a tablet: who is here, check in and out, pick-up notes.

use crate::backend::Database;
use crate::backend::access::ROLE_GROUPS;
use crate::backend::repo::{new_id, row_struct};
use crate::backend::sql;

row_struct! {
    /// A kindergarten or SFO group a staff member has a board for.
    pub struct BoardGroup {
        pub group_id: String,
        pub group_name: String,
        pub unit_id: String,
        pub unit_name: String,
        pub unit_kind: String,
    }
}

/// The kindergarten and SFO groups a staff member works with on `day` (a leader: all of the
/// unit's groups).
pub async fn groups_for_staff(
    db: &Database,
    person_id: &str,
    day: &str,
) -> sqlx::Result<Vec<BoardGroup>> {
    sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT g.id AS group_id, g.name AS group_name, u.id AS unit_id, u.name AS
                 unit_name, u.kind AS unit_kind
         FROM staff_role r
         {ROLE_GROUPS}
         JOIN unit u ON u.id = g.unit_id
         WHERE r.person_id = $1 AND u.kind IN ('kindergarten', 'sfo')
           AND (u.starts_on IS NULL OR u.starts_on <= $2)
         ORDER BY u.name, g.name",
        ),
        (person_id, day),
    )
    .await
}

row_struct! {
    /// A child on a board, with the day's check-in and check-out.
    pub struct Tile {
        pub child_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub address_protection: String,
        pub checked_in_at: Option<i64>,
        pub checked_out_at: Option<i64>,
    }
}

/// The children of a group on `day`, with their check-in and check-out.
pub async fn tiles(
    db: &Database,
    group_id: &str,
    unit_id: &str,
    day: &str,
) -> sqlx::Result<Vec<Tile>> {
    let mut rows: Vec<Tile> = sql::all(
        &db.pool,
        "SELECT c.id AS child_id, c.given_names, c.middle_name, c.surname, c.address_protection,
                a.checked_in_at, a.checked_out_at
         FROM enrollment e
         JOIN child c ON c.id = e.child_id
         LEFT JOIN attendance a ON a.child_id = c.id AND a.unit_id = $2 AND a.day = $3
         WHERE e.group_id = $1 AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
         ORDER BY c.given_names, c.surname",
        (group_id, unit_id, day),
    )
    .await?;
    crate::domain::collation::sort_by(&mut rows, |t| [&t.given_names, &t.surname, &t.child_id]);
    Ok(rows)
}

/// A check-in or check-out: which child, at which unit, on which day, by whom.
pub struct Mark<'a> {
    pub child_id: &'a str,
    pub unit_id: &'a str,
    pub day: &'a str,
    pub by: &'a str,
}

/// Checks a child in (again, after a check-out: the check-out is cleared).
pub async fn check_in(db: &Database, mark: &Mark<'_>) -> sqlx::Result<()> {
    let Mark { child_id, unit_id, day, by } = *mark;
    sql::run(
        &db.pool,
        "INSERT INTO attendance (child_id, unit_id, day, checked_in_at, checked_in_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (child_id, unit_id, day) DO UPDATE SET
             checked_in_at = excluded.checked_in_at, checked_in_by = excluded.checked_in_by,
             checked_out_at = NULL, checked_out_by = NULL",
        (child_id, unit_id, day, db.clock.now_ms(), by),
    )
    .await?;
    Ok(())
}

/// Undoes a child's check-out (`what` "out": the child is here again, and the pick-up notes
/// the check-out marked as seen are new again) or check-in ("in": not arrived) of the day if it
/// was made at `since` or later. Conditional updates in one transaction, so two tablets undoing
/// at once undo once; a check-in is not undone while the child is checked out.
pub async fn undo(db: &Database, mark: &Mark<'_>, what: &str, since: i64) -> sqlx::Result<()> {
    let Mark { child_id, unit_id, day, .. } = *mark;
    let mut tx = db.pool.begin().await?;
    if what == "out" {
        // Writes only, the notes first (while the check-out time is still there to match):
        // on SQLite a transaction that read before writing fails when another tablet writes at
        // the same moment, where one that writes first waits its turn.
        sql::run(
            &mut *tx,
            "UPDATE pickup_note SET ack_by = NULL, ack_at = NULL
             WHERE child_id = $1 AND day = $3 AND ack_at = (
                 SELECT checked_out_at FROM attendance
                 WHERE child_id = $1 AND unit_id = $2 AND day = $3 AND checked_out_at >= $4)",
            (child_id, unit_id, day, since),
        )
        .await?;
        sql::run(
            &mut *tx,
            "UPDATE attendance SET checked_out_at = NULL, checked_out_by = NULL
             WHERE child_id = $1 AND unit_id = $2 AND day = $3 AND checked_out_at >= $4",
            (child_id, unit_id, day, since),
        )
        .await?;
    } else {
        sql::run(
            &mut *tx,
            "UPDATE attendance SET checked_in_at = NULL, checked_in_by = NULL
             WHERE child_id = $1 AND unit_id = $2 AND day = $3 AND checked_out_at IS NULL
               AND checked_in_at >= $4",
            (child_id, unit_id, day, since),
        )
        .await?;
    }
    tx.commit().await
}

/// Checks a child out; the day's pick-up notes count as seen by whoever checked the child out.
pub async fn check_out(db: &Database, mark: &Mark<'_>) -> sqlx::Result<()> {
    let Mark { child_id, unit_id, day, by } = *mark;
    let now = db.clock.now_ms();
    let mut tx = db.pool.begin().await?;
    sql::run(
        &mut *tx,
        "INSERT INTO attendance (child_id, unit_id, day, checked_out_at, checked_out_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (child_id, unit_id, day) DO UPDATE SET
             checked_out_at = excluded.checked_out_at, checked_out_by = excluded.checked_out_by",
        (child_id, unit_id, day, now, by),
    )
    .await?;
    sql::run(
        &mut *tx,
        "UPDATE pickup_note SET ack_by = $3, ack_at = $4
         WHERE child_id = $1 AND day = $2 AND ack_at IS NULL",
        (child_id, day, by, now),
    )
    .await?;
    tx.commit().await
}

row_struct! {
    /// A pick-up note, with who wrote it and who saw it.
    pub struct PickupRow {
        pub id: String,
        pub child_id: String,
        pub who: String,
        pub at_time: String,
        pub comment: String,
        pub written_given: String,
        pub written_surname: String,
        pub ack_given: Option<String>,
        pub ack_surname: Option<String>,
    }
}

/// The SELECT of pick-up notes with who wrote and who saw each; the caller adds the WHERE.
const PICKUPS: &str = "SELECT n.id, n.child_id, n.who, n.at_time, n.comment,
        w.given_names AS written_given,
        w.surname AS written_surname, k.given_names AS ack_given, k.surname AS ack_surname
     FROM pickup_note n
     JOIN person w ON w.id = n.written_by
     LEFT JOIN person k ON k.id = n.ack_by";

/// The pick-up notes of `day` for `child_id`, oldest first.
pub async fn pickups_on(db: &Database, child_id: &str, day: &str) -> sqlx::Result<Vec<PickupRow>> {
    sql::all(
        &db.pool,
        &format!("{PICKUPS} WHERE n.child_id = $1 AND n.day = $2 ORDER BY n.created_at"),
        (child_id, day),
    )
    .await
}

/// The pick-up notes of `day` for every child enrolled in `group_id` that day, oldest first: a
/// board's notes in one query.
pub async fn pickups_in_group(
    db: &Database,
    group_id: &str,
    day: &str,
) -> sqlx::Result<Vec<PickupRow>> {
    sql::all(&db.pool, &format!(
        "{PICKUPS} WHERE n.day = $2 AND n.child_id IN (
             SELECT e.child_id FROM enrollment e
             WHERE e.group_id = $1 AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2))
         ORDER BY n.created_at"
    ), (group_id, day)).await
}

/// A pick-up note to store: who picks `child_id` up on `day`, when, with a comment.
pub struct NewPickup<'a> {
    pub child_id: &'a str,
    pub day: &'a str,
    pub who: &'a str,
    pub at_time: &'a str,
    pub comment: &'a str,
    pub written_by: &'a str,
}

pub async fn write_pickup(db: &Database, note: &NewPickup<'_>) -> sqlx::Result<String> {
    let id = new_id();
    let NewPickup { child_id, day, who, at_time, comment, written_by } = *note;
    sql::run(
        &db.pool,
        "INSERT INTO pickup_note (id, child_id, day, who, at_time, comment, written_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        (&id, child_id, day, who, at_time, comment, written_by, db.clock.now_ms()),
    )
    .await?;
    Ok(id)
}

/// Marks a pick-up note of `child_id` as seen.
pub async fn ack_pickup(
    db: &Database,
    note_id: &str,
    child_id: &str,
    by: &str,
) -> sqlx::Result<bool> {
    // Only on its day: tomorrow's note cannot be marked seen today.
    Ok(sql::run(
        &db.pool,
        "UPDATE pickup_note SET ack_by = $3, ack_at = $4
         WHERE id = $1 AND child_id = $2 AND ack_at IS NULL AND day = $5",
        (note_id, child_id, by, db.clock.now_ms(), db.clock.today()),
    )
    .await?
    .rows_affected()
        > 0)
}

/// The kindergarten or SFO unit where `person_id` may check `child_id` in or out on `day`.
pub async fn board_unit_for(
    db: &Database,
    person_id: &str,
    child_id: &str,
    day: &str,
    only_unit: Option<&str>,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sql::opt(
        &db.pool,
        &format!(
            "SELECT u.id FROM staff_role r
         {ROLE_GROUPS}
         JOIN unit u ON u.id = g.unit_id
         JOIN enrollment e ON e.group_id = g.id
         WHERE r.person_id = $1 AND e.child_id = $2 AND u.kind IN ('kindergarten', 'sfo')
           AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
           AND (u.starts_on IS NULL OR u.starts_on <= $3) AND ($4 = '' OR u.id = $4)
         ORDER BY u.id LIMIT 1"
        ),
        (person_id, child_id, day, only_unit.unwrap_or_default()),
    )
    .await?;
    Ok(row.map(|r| r.0))
}

row_struct! {
    /// A child's check-in and check-out at a unit on a day.
    pub struct Attendance {
        pub unit_id: String,
        pub unit_name: String,
        pub checked_in_at: Option<i64>,
        pub checked_out_at: Option<i64>,
    }
}

/// Where `child_id` was checked in or out on `day`, with the times.
pub async fn attendance_on(
    db: &Database,
    child_id: &str,
    day: &str,
) -> sqlx::Result<Vec<Attendance>> {
    sql::all(
        &db.pool,
        "SELECT a.unit_id, u.name AS unit_name, a.checked_in_at, a.checked_out_at
         FROM attendance a JOIN unit u ON u.id = a.unit_id
         WHERE a.child_id = $1 AND a.day = $2 AND a.checked_in_at IS NOT NULL
         ORDER BY u.name",
        (child_id, day),
    )
    .await
}
