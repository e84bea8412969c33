//! Absence reports: one report per child and span of days, seen by every unit the child attends
//! on those days; acknowledged per unit.

use crate::backend::Database;
use crate::backend::access::{self, ROLE_GROUPS};
use crate::backend::repo::{new_id, row_struct};
use crate::backend::sql;
use crate::domain::guard::Category;

/// A report to store: reported or changed by a family, or registered by staff.
pub struct NewAbsence<'a> {
    pub child_id: &'a str,
    pub kind: &'a str,
    pub first_day: &'a str,
    pub last_day: &'a str,
    pub from_time: Option<&'a str>,
    pub to_time: Option<&'a str>,
    pub note: &'a str,
    pub flagged: &'a [Category],
    pub reported_by: &'a str,
}

fn flagged_text(flagged: &[Category]) -> Option<String> {
    (!flagged.is_empty()).then(|| flagged.iter().map(|c| c.code()).collect::<Vec<_>>().join(","))
}

/// Stores a report (a leave of absence starts as a request); returns its id.
pub async fn report(db: &Database, a: &NewAbsence<'_>) -> sqlx::Result<String> {
    let id = new_id();
    let now = db.clock.now_ms();
    let status = if a.kind == "leave" { "requested" } else { "reported" };
    sql::run(
        &db.pool,
        "INSERT INTO absence (id, child_id, kind, first_day, last_day, from_time, to_time, note,
                              flagged, status, reported_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        (
            &id,
            a.child_id,
            a.kind,
            a.first_day,
            a.last_day,
            a.from_time,
            a.to_time,
            a.note,
            flagged_text(a.flagged),
            status,
            a.reported_by,
            now,
        ),
    )
    .await?;
    Ok(id)
}

/// Changes a report that has not started; acknowledgements are cleared, since the staff must
/// see the new days.
/// SQL condition on an `absence` row being updated: it still stands at status `$from` and the
/// family may still change it on `$today` — it has not begun, or it begins today and no unit
/// has seen it (`domain::absence::changeable`, decided in the write itself).
macro_rules! still_changeable {
    ($from:literal, $today:literal) => {
        concat!(
            "status = ",
            $from,
            " AND (first_day > ",
            $today,
            " OR (first_day = ",
            $today,
            " AND NOT EXISTS (SELECT 1 FROM absence_ack k WHERE k.absence_id = absence.id)))"
        )
    };
}

/// Changes report `id`, which stood at status `from` and was changeable on `today` when read;
/// `false`, with nothing changed, when it no longer is (seen, decided or withdrawn meanwhile).
pub async fn change(
    db: &Database,
    id: &str,
    from: &str,
    today: &str,
    a: &NewAbsence<'_>,
) -> sqlx::Result<bool> {
    let status = if a.kind == "leave" { "requested" } else { "reported" };
    let mut tx = db.pool.begin().await?;
    let changed = sql::run(
        &mut *tx,
        concat!(
        "UPDATE absence SET kind = $2, first_day = $3, last_day = $4, from_time = $5, to_time = $6,
                            note = $7, flagged = $8, status = $9, decided_by = NULL,
                            decided_at = NULL, updated_at = $10
         WHERE id = $1 AND ",
        still_changeable!("$11", "$12")
    ),
        (
            id,
            a.kind,
            a.first_day,
            a.last_day,
            a.from_time,
            a.to_time,
            a.note,
            flagged_text(a.flagged),
            status,
            db.clock.now_ms(),
            from,
            today,
        ),
    )
    .await?
    .rows_affected();
    if changed != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sql::run(&mut *tx, "DELETE FROM absence_ack WHERE absence_id = $1", (id,)).await?;
    tx.commit().await?;
    Ok(true)
}

/// The family withdraws report `id`, which stood at status `from` and was changeable on `today`
/// when read; `false`, with nothing changed, when it no longer is.
pub async fn withdraw(db: &Database, id: &str, from: &str, today: &str) -> sqlx::Result<bool> {
    let changed = sql::run(
        &db.pool,
        concat!(
            "UPDATE absence SET status = 'withdrawn', updated_at = $2 WHERE id = $1 AND ",
            still_changeable!("$3", "$4")
        ),
        (id, db.clock.now_ms(), from, today),
    )
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Decides requested leave `id` (`status`, by `decided_by`, with `reason`) as one
/// compare-and-set inside `tx`, at `at`: `false` when it was no longer requested (decided
/// already, or withdrawn meanwhile; only the first of two deciding at once counts).
pub async fn decide(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    at: i64,
    id: &str,
    (status, decided_by, reason): (&str, &str, &str),
) -> sqlx::Result<bool> {
    let changed = sql::run(
        &mut **tx,
        "UPDATE absence SET status = $2, decided_by = $3, decided_at = $4, updated_at = $4,
                            decision_reason = $5
         WHERE id = $1 AND status = 'requested'",
        (id, status, decided_by, at, reason),
    )
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Moves an absence from status `from` to `status`, as one compare-and-set: `false` when the
/// absence was no longer `from` (a withdrawal and a decision at the same moment, or two
/// principals deciding at once: only the first counts).
pub async fn set_status(
    db: &Database,
    id: &str,
    from: &str,
    status: &str,
    decided_by: Option<&str>,
) -> sqlx::Result<bool> {
    let now = db.clock.now_ms();
    let changed = sql::run(
        &db.pool,
        "UPDATE absence SET status = $2, decided_by = $3,
                            decided_at = CASE WHEN $3 IS NULL THEN decided_at ELSE $4 END,
                            updated_at = $4
         WHERE id = $1 AND status = $5",
        (id, status, decided_by, now, from),
    )
    .await?
    .rows_affected();
    Ok(changed == 1)
}

row_struct! {
    /// A report as stored, with who reported and who decided it.
    pub struct AbsenceRow {
        pub id: String,
        pub child_id: String,
        pub kind: String,
        pub first_day: String,
        pub last_day: String,
        pub from_time: Option<String>,
        pub to_time: Option<String>,
        pub note: String,
        pub status: String,
        pub reported_by: String,
        pub reporter_given: String,
        pub reporter_surname: String,
        pub decider: Option<String>,
        pub decision_reason: String,
    }
}

const SELECT: &str = "
    SELECT a.id, a.child_id, a.kind, a.first_day, a.last_day, a.from_time, a.to_time, a.note,
           a.status, a.reported_by, p.given_names AS reporter_given, p.surname AS reporter_surname,
           d.given_names || ' ' || d.surname AS decider, a.decision_reason
    FROM absence a
    JOIN person p ON p.id = a.reported_by
    LEFT JOIN person d ON d.id = a.decided_by";

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<AbsenceRow>> {
    sql::opt(&db.pool, &format!("{SELECT} WHERE a.id = $1"), (id,)).await
}

/// A child's absences that end today or later, and those of the last 30 days, soonest first.
pub async fn for_child(
    db: &Database,
    child_id: &str,
    since: &str,
) -> sqlx::Result<Vec<AbsenceRow>> {
    sql::all(
        &db.pool,
        &format!(
            "{SELECT} WHERE a.child_id = $1 AND a.last_day >= $2 AND a.status <> 'withdrawn'
         ORDER BY a.first_day, a.created_at"
        ),
        (child_id, since),
    )
    .await
}

row_struct! {
    /// One unit's acknowledgement of a report, and who there made it.
    pub struct AckRow {
        pub absence_id: String,
        pub unit_id: String,
        pub unit_name: String,
        pub given_names: String,
        pub surname: String,
    }
}

/// The SELECT of acknowledgements with the unit and who there; the caller adds the WHERE.
const ACKS: &str = "SELECT k.absence_id, k.unit_id, u.name AS unit_name, p.given_names, p.surname
     FROM absence_ack k JOIN unit u ON u.id = k.unit_id JOIN person p ON p.id = k.person_id";

/// Which units have seen an absence, and who there.
pub async fn acks(db: &Database, absence_id: &str) -> sqlx::Result<Vec<AckRow>> {
    sql::all(&db.pool, &format!("{ACKS} WHERE k.absence_id = $1 ORDER BY u.name"), (absence_id,))
        .await
}

/// The acknowledgements of every absence of `child_id` that ends on `since` or later (what
/// [`for_child`] lists), in one query.
pub async fn acks_for_child(
    db: &Database,
    child_id: &str,
    since: &str,
) -> sqlx::Result<Vec<AckRow>> {
    sql::all(
        &db.pool,
        &format!(
            "{ACKS} WHERE k.absence_id IN (
             SELECT a.id FROM absence a WHERE a.child_id = $1 AND a.last_day >= $2)
         ORDER BY u.name"
        ),
        (child_id, since),
    )
    .await
}

/// Marks absence `absence_id` (of `child_id`) seen for `unit_id` by `person_id`, once: the
/// child's guardians are told the first time, in the same transaction.
pub async fn acknowledge(
    db: &Database,
    absence_id: &str,
    child_id: &str,
    unit_id: &str,
    person_id: &str,
) -> sqlx::Result<()> {
    use crate::backend::notify::outbox;
    let at = db.clock.now_ms();
    let mut tx = db.pool.begin().await?;
    let first = sql::run(
        &mut *tx,
        "INSERT INTO absence_ack (absence_id, unit_id, person_id, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (absence_id, unit_id) DO NOTHING",
        (absence_id, unit_id, person_id, at),
    )
    .await?
    .rows_affected()
        == 1;
    if first {
        let event = outbox::Event {
            kind: crate::domain::notify::EventKind::AbsenceSeen,
            unit_id: Some(unit_id),
            child_id: Some(child_id),
            thread_id: None,
            topic: format!("absence:{absence_id}"),
            path: format!("/barn/{child_id}/fravaer"),
        };
        outbox::to_guardians(&mut tx, at, &db.clock.today(), &event, person_id).await?;
    }
    tx.commit().await
}

row_struct! {
    /// A report on a staff member's list of a day, with the child and the group.
    pub struct DayAbsence {
        pub id: String,
        pub child_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub unit_id: String,
        pub unit_name: String,
        pub group_id: String,
        pub group_name: String,
        pub kind: String,
        pub from_time: Option<String>,
        pub to_time: Option<String>,
        pub note: String,
        pub status: String,
        pub first_day: String,
        pub last_day: String,
        pub acked: i64,
    }
}

/// Absences on `day` of the children in the groups a staff member works with (a leader: the
/// whole unit), by unit and group. Withdrawn reports, refused and pending leave are left out.
pub async fn on_day_for_staff(
    db: &Database,
    person_id: &str,
    day: &str,
) -> sqlx::Result<Vec<DayAbsence>> {
    for_staff_between(db, person_id, ("a.first_day <= $2 AND a.last_day >= $2", "$2"), (day, day))
        .await
}

/// Absences that begin after `today` and by `until`, in the groups a staff member works with,
/// as [`on_day_for_staff`] lists a day's.
pub async fn coming_for_staff(
    db: &Database,
    person_id: &str,
    today: &str,
    until: &str,
) -> sqlx::Result<Vec<DayAbsence>> {
    // In the groups as they are today: a teacher sees a child's absence once the child is in
    // their group, as with every other access.
    let days = ("a.first_day > $2 AND a.first_day <= $3", "$2");
    for_staff_between(db, person_id, days, (today, until)).await
}

/// The absences of a staff member's children that `days.0` picks (with `$2`, `$3` bound to
/// `bounds`), each child's group as on day `days.1`; by unit, group and child for one day, by
/// first day before that for several.
async fn for_staff_between(
    db: &Database,
    person_id: &str,
    days: (&str, &str),
    bounds: (&str, &str),
) -> sqlx::Result<Vec<DayAbsence>> {
    let (which, on) = days;
    let order = if bounds.0 == bounds.1 { "" } else { "a.first_day, " };
    sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT a.id, c.id AS child_id, c.given_names, c.middle_name, c.surname,
                u.id AS unit_id, u.name AS unit_name, g.id AS group_id, g.name AS group_name,
                a.kind, a.from_time, a.to_time, a.note, a.status, a.first_day, a.last_day,
                CASE WHEN k.absence_id IS NULL THEN 0 ELSE 1 END AS acked
         FROM staff_role r
         {ROLE_GROUPS}
         JOIN unit u ON u.id = g.unit_id
         JOIN enrollment e ON e.group_id = g.id
         JOIN child c ON c.id = e.child_id
         JOIN absence a ON a.child_id = c.id
         LEFT JOIN absence_ack k ON k.absence_id = a.id AND k.unit_id = u.id
         WHERE r.person_id = $1 AND {which}
           AND e.valid_from <= {on} AND (e.valid_to IS NULL OR e.valid_to > {on})
           AND (u.starts_on IS NULL OR u.starts_on <= {on})
           AND a.status IN ('reported', 'granted')
           AND $3 <> ''
         ORDER BY {order}u.name, g.name, c.given_names, c.surname"
        ),
        (person_id, bounds.0, bounds.1),
    )
    .await
}

/// Leave requests waiting for a decision at units a staff member leads.
pub async fn requests_for_leader(
    db: &Database,
    person_id: &str,
    today: &str,
) -> sqlx::Result<Vec<DayAbsence>> {
    sql::all(&db.pool, &format!(
        "SELECT DISTINCT a.id, c.id AS child_id, c.given_names, c.middle_name, c.surname,
                u.id AS unit_id, u.name AS unit_name, g.id AS group_id, g.name AS group_name,
                a.kind, a.from_time, a.to_time, a.note, a.status, a.first_day, a.last_day, 0 AS acked
         FROM staff_role r
         JOIN unit u ON u.id = r.unit_id AND u.kind = 'school'
         JOIN class_group g ON g.unit_id = u.id
         JOIN enrollment e ON e.group_id = g.id
         JOIN child c ON c.id = e.child_id
         JOIN absence a ON a.child_id = c.id
         WHERE r.person_id = $1 AND {}
           AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)
           AND a.kind = 'leave' AND a.status = 'requested' AND a.last_day >= $2
         ORDER BY c.given_names, c.surname",
        access::leads_unit("r")
    ), (person_id, today)).await
}

/// The school that `child_id` attends on `today` and `person_id` leads (principal or
/// administrator), if any.
pub async fn leads_school_of(
    db: &Database,
    person_id: &str,
    child_id: &str,
    today: &str,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sql::opt(
        &db.pool,
        &format!(
            "SELECT u.id FROM staff_role r
             JOIN unit u ON u.id = r.unit_id AND u.kind = 'school'
             JOIN class_group g ON g.unit_id = u.id
             JOIN enrollment e ON e.group_id = g.id
             WHERE r.person_id = $1 AND {}
               AND e.child_id = $2 AND e.valid_from <= $3
               AND (e.valid_to IS NULL OR e.valid_to > $3)",
            access::leads_unit("r")
        ),
        (person_id, child_id, today),
    )
    .await?;
    Ok(row.map(|(unit,)| unit))
}

/// The units a staff member may acknowledge an absence of `child_id` for on `day`.
pub async fn staff_units_for_child(
    db: &Database,
    person_id: &str,
    child_id: &str,
    day: &str,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT u.id FROM staff_role r
         {ROLE_GROUPS}
         JOIN unit u ON u.id = g.unit_id
         JOIN enrollment e ON e.group_id = g.id
         WHERE r.person_id = $1 AND e.child_id = $2
           AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
           AND (u.starts_on IS NULL OR u.starts_on <= $3)"
        ),
        (person_id, child_id, day),
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Whether the child attends a school (where leave of absence applies) on `today`.
pub async fn attends_school(db: &Database, child_id: &str, today: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "SELECT 1 AS ok FROM enrollment e JOIN class_group g ON g.id = e.group_id
         JOIN unit u ON u.id = g.unit_id
         WHERE e.child_id = $1 AND u.kind = 'school'
           AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)",
    )
    .bind(child_id)
    .bind(today)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}
