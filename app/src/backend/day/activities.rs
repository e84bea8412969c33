//! Activities for a group or a unit, with optional sign-up.

use crate::backend::Database;
use crate::backend::access::covers_group;
use crate::backend::repo::{new_id, row_struct};
use crate::backend::sql;

/// An activity to store, as planned by staff.
pub struct NewActivity<'a> {
    pub unit_id: &'a str,
    pub group_id: Option<&'a str>,
    pub title: &'a str,
    pub day: &'a str,
    pub starts: &'a str,
    pub ends: Option<&'a str>,
    pub place: &'a str,
    pub bring: &'a str,
    pub signup: bool,
    pub signup_deadline: Option<&'a str>,
    pub created_by: &'a str,
}

pub async fn create(db: &Database, a: &NewActivity<'_>) -> sqlx::Result<String> {
    let id = new_id();
    let now = db.clock.now_ms();
    sql::run(
        &db.pool,
        "INSERT INTO activity (id, unit_id, group_id, title, day, starts, ends, place, bring,
             signup,
                               signup_deadline, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        (
            &id,
            a.unit_id,
            a.group_id,
            a.title,
            a.day,
            a.starts,
            a.ends,
            a.place,
            a.bring,
            i64::from(a.signup),
            a.signup_deadline,
            a.created_by,
            now,
        ),
    )
    .await?;
    Ok(id)
}

/// Changes an activity's details (not where it belongs).
/// Changes an activity that is not cancelled: `false` when it was cancelled meanwhile.
pub async fn update(db: &Database, id: &str, a: &NewActivity<'_>) -> sqlx::Result<bool> {
    let changed = sql::run(
        &db.pool,
        "UPDATE activity SET title = $2, day = $3, starts = $4, ends = $5, place = $6, bring = $7,
                             signup = $8, signup_deadline = $9, updated_at = $10
         WHERE id = $1 AND cancelled_at IS NULL",
        (
            id,
            a.title,
            a.day,
            a.starts,
            a.ends,
            a.place,
            a.bring,
            i64::from(a.signup),
            a.signup_deadline,
            db.clock.now_ms(),
        ),
    )
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Cancels an activity once: `false` when it was already cancelled, so that two cancellations
/// at the same moment tell the families only once.
pub async fn cancel(db: &Database, id: &str) -> sqlx::Result<bool> {
    let changed = sql::run(
        &db.pool,
        "UPDATE activity SET cancelled_at = $2, updated_at = $2
         WHERE id = $1 AND cancelled_at IS NULL",
        (id, db.clock.now_ms()),
    )
    .await?
    .rows_affected();
    Ok(changed == 1)
}

row_struct! {
    /// An activity as stored, with its unit's and group's names.
    pub struct ActivityRow {
        pub id: String,
        pub unit_id: String,
        pub group_id: Option<String>,
        pub unit_name: String,
        pub group_name: Option<String>,
        pub title: String,
        pub day: String,
        pub starts: String,
        pub ends: Option<String>,
        pub place: String,
        pub bring: String,
        pub signup: i64,
        pub signup_deadline: Option<String>,
        pub cancelled_at: Option<i64>,
        pub updated_at: i64,
    }
}

const SELECT: &str = "
    SELECT a.id, a.unit_id, a.group_id, u.name AS unit_name, g.name AS group_name, a.title, a.day,
           a.starts, a.ends, a.place, a.bring, a.signup, a.signup_deadline, a.cancelled_at,
           a.updated_at
    FROM activity a JOIN unit u ON u.id = a.unit_id LEFT JOIN class_group g ON g.id = a.group_id";

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<ActivityRow>> {
    sql::opt(&db.pool, &format!("{SELECT} WHERE a.id = $1"), (id,)).await
}

/// Activities from `from` on for `child_id`: those of the child's groups and units.
pub async fn for_child(
    db: &Database,
    child_id: &str,
    from: &str,
) -> sqlx::Result<Vec<ActivityRow>> {
    sql::all(
        &db.pool,
        &format!(
            "{SELECT}
         WHERE a.day >= $2 AND EXISTS (
             SELECT 1 FROM enrollment e JOIN class_group eg ON eg.id = e.group_id
             JOIN unit eu ON eu.id = eg.unit_id
             WHERE e.child_id = $1 AND eg.unit_id = a.unit_id
               AND (a.group_id IS NULL OR a.group_id = e.group_id)
               AND e.valid_from <= a.day AND (e.valid_to IS NULL OR e.valid_to > a.day)
               AND (eu.starts_on IS NULL OR eu.starts_on <= a.day))
         ORDER BY a.day, a.starts"
        ),
        (child_id, from),
    )
    .await
}

/// The activities of `day` for group `group_id` of unit `unit_id` (the group's and the whole
/// unit's), not cancelled, by time.
pub async fn of_group_on(
    db: &Database,
    unit_id: &str,
    group_id: &str,
    day: &str,
) -> sqlx::Result<Vec<ActivityRow>> {
    sql::all(
        &db.pool,
        &format!(
            "{SELECT}
         WHERE a.day = $3 AND a.unit_id = $1 AND (a.group_id IS NULL OR a.group_id = $2)
           AND a.cancelled_at IS NULL
         ORDER BY a.starts"
        ),
        (unit_id, group_id, day),
    )
    .await
}

/// Activities from `from` on at the units a staff member works in.
pub async fn for_staff(
    db: &Database,
    person_id: &str,
    from: &str,
) -> sqlx::Result<Vec<ActivityRow>> {
    sql::all(
        &db.pool,
        &format!(
            "{SELECT}
         WHERE a.day >= $2 AND a.unit_id IN (SELECT unit_id FROM staff_role WHERE person_id = $1)
         ORDER BY a.day, a.starts"
        ),
        (person_id, from),
    )
    .await
}

/// Where staff member `person_id` may plan activities: `(unit id, unit name, group id, group
/// name)` for each group role, and the unit alone (no group) for a unit they lead.
pub async fn planning_targets(
    db: &Database,
    person_id: &str,
) -> sqlx::Result<Vec<(String, String, Option<String>, Option<String>)>> {
    sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT u.id, u.name, g.id, g.name FROM staff_role r
         JOIN unit u ON u.id = r.unit_id LEFT JOIN class_group g ON g.id = r.group_id
         WHERE r.person_id = $1 AND {}
         ORDER BY u.name, g.name",
            crate::backend::access::addresses_families("r")
        ),
        (person_id,),
    )
    .await
}

/// Whether `person_id` may manage activities at `unit_id` for `group_id` (their group, or any
/// group as the unit's leader).
pub async fn may_manage(
    db: &Database,
    person_id: &str,
    unit_id: &str,
    group_id: Option<&str>,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(&format!(
        "SELECT 1 AS ok FROM staff_role r
         WHERE r.person_id = $1 AND r.unit_id = $2
           AND ({} OR ($3 <> '' AND r.group_id = $3))",
        crate::backend::access::leads_unit("r")
    ))
    .bind(person_id)
    .bind(unit_id)
    .bind(group_id.unwrap_or_default())
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// Signs a child up for an activity (or off it), if its sign-up is open on `today`: not
/// cancelled, not past, not past its deadline. The check and the write are one statement, so a
/// cancellation or a closing at the same moment cannot let a sign-up in after it. Whether it
/// was recorded.
pub async fn sign_up(
    db: &Database,
    activity_id: &str,
    child_id: &str,
    going: bool,
    by: &str,
    today: &str,
) -> sqlx::Result<bool> {
    let recorded = sql::run(
        &db.pool,
        "INSERT INTO activity_signup (activity_id, child_id, going, by_person, at)
         SELECT id, $2, $3, $4, $5 FROM activity
         WHERE id = $1 AND signup = 1 AND cancelled_at IS NULL AND day >= $6
           AND (signup_deadline IS NULL OR signup_deadline >= $6)
         ON CONFLICT (activity_id, child_id) DO UPDATE SET
             going = excluded.going, by_person = excluded.by_person, at = excluded.at",
        (activity_id, child_id, i64::from(going), by, db.clock.now_ms(), today),
    )
    .await?
    .rows_affected();
    Ok(recorded == 1)
}

row_struct! {
    /// A child an activity with sign-up is for, and the answer if one was given.
    pub struct Answer {
        pub activity_id: String,
        pub child_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub going: Option<i64>,
    }
}

/// For each activity with sign-up from `from` on: every child of its group (or unit) on its day
/// that the staff member works with — their own groups, a leader's whole unit — with their
/// answer: who comes, who does not, and who has not answered. Children of other groups are not
/// named to them.
pub async fn answers_for_staff(
    db: &Database,
    person_id: &str,
    from: &str,
) -> sqlx::Result<Vec<Answer>> {
    sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT a.id AS activity_id, c.id AS child_id, c.given_names, c.middle_name,
                    c.surname, s.going
             FROM activity a
             JOIN class_group g ON g.unit_id = a.unit_id
                               AND (a.group_id IS NULL OR g.id = a.group_id)
             JOIN staff_role r ON r.person_id = $1 AND {covers}
             JOIN enrollment e ON e.group_id = g.id AND e.valid_from <= a.day
                              AND (e.valid_to IS NULL OR e.valid_to > a.day)
             JOIN child c ON c.id = e.child_id
             LEFT JOIN activity_signup s ON s.activity_id = a.id AND s.child_id = c.id
             WHERE a.signup = 1 AND a.cancelled_at IS NULL AND a.day >= $2",
            covers = covers_group("r", "g"),
        ),
        (person_id, from),
    )
    .await
}

/// Whether `child_id` is going, per activity they answered (one query for a child's list).
pub async fn signups_of_child(
    db: &Database,
    child_id: &str,
) -> sqlx::Result<std::collections::HashMap<String, bool>> {
    let rows: Vec<(String, i64)> = sql::all(
        &db.pool,
        "SELECT activity_id, going FROM activity_signup WHERE child_id = $1",
        (child_id,),
    )
    .await?;
    Ok(rows.into_iter().map(|(id, going)| (id, going == 1)).collect())
}
