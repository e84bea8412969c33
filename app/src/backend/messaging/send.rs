//! The rules of sending: what a text must be, what the guard says about it, who a message about
//! a child can go to, and which families a group message reaches.

use crate::backend::Database;
use crate::backend::access;
use crate::backend::children::is_protected;
use crate::backend::clock::Clock;
use crate::backend::identity::CurrentUser;
use crate::backend::repo::{register_name, row_struct};
use crate::backend::sql;
use crate::domain::collation;
use crate::domain::guard::{self, Category, MAX_MESSAGE_CHARS};
use crate::domain::hours::{NextOpening, StaffHours};
use crate::domain::staff::StaffRole;

/// Why a text cannot be sent as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong,
    /// A national identity number: never sent, whatever the writer confirms.
    NationalId,
    /// The guard found something and the writer has not confirmed sending it anyway.
    NeedsConfirmation,
}

impl Problem {
    pub fn key(self) -> &'static str {
        match self {
            Problem::Empty => "messages.problem.empty",
            Problem::TooLong => "messages.problem.too_long",
            Problem::NationalId => "messages.problem.national_id",
            Problem::NeedsConfirmation => "messages.problem.confirm",
        }
    }
}

/// Checks a message before it is stored: the body must be there and within the limit, and the
/// subject (empty for an answer) goes through the guard with it. Returns what the guard found,
/// to record with the message.
pub fn validate(
    subject: &str,
    body: &str,
    other_children: &[String],
    confirmed: bool,
) -> Result<Vec<Category>, Problem> {
    if body.trim().is_empty() {
        return Err(Problem::Empty);
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Problem::TooLong);
    }
    screen(&[("subject", subject), ("body", body)], other_children, confirmed)
}

/// The guard over every typed field of a form (`(field, text)`): what it found, to record, or
/// why the form cannot be stored. An identity number in any field is refused whatever the
/// writer confirms; anything else needs `confirmed`. A form without a "send anyway" box passes
/// `true` and says why at the call.
pub fn screen(
    fields: &[(&str, &str)],
    other_children: &[String],
    confirmed: bool,
) -> Result<Vec<Category>, Problem> {
    let found = guard::check_fields(fields, other_children);
    if guard::any_refused(&found) {
        return Err(Problem::NationalId);
    }
    let categories = guard::field_categories(&found);
    if !categories.is_empty() && !confirmed {
        return Err(Problem::NeedsConfirmation);
    }
    Ok(categories)
}

row_struct! {
    /// A child's name as the guard needs it (other children of a group).
    pub struct NameRow {
        pub id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
    }
}

register_name!(NameRow, StaffOption, GuardianRow);

/// The display names of the other children in `child_id`'s current groups, for the guard, as
/// `viewer` may be told them (a child with a confidential address is left out for anyone but
/// the child's guardians and staff: [`access::may_name_child`]).
pub async fn other_children(
    db: &Database,
    viewer: &CurrentUser,
    child_id: &str,
    today: &str,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<NameRow> = sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT c.id, c.given_names, c.middle_name, c.surname
         FROM enrollment mine
         JOIN enrollment e ON e.group_id = mine.group_id
         JOIN child c ON c.id = e.child_id
         WHERE mine.child_id = $1 AND c.id <> $1
           AND mine.valid_from <= $2 AND (mine.valid_to IS NULL OR mine.valid_to > $2)
           AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)
           AND {}",
            access::may_name_child(viewer.audience, "$3", "c.id", "c.address_protection", "$2")
        ),
        (child_id, today, &viewer.person_id),
    )
    .await?;
    Ok(rows.iter().map(NameRow::name).collect())
}

/// The display names of the children of a group (or of a whole unit), as `viewer` may be told
/// them ([`access::may_name_child`]).
pub async fn children_of(
    db: &Database,
    viewer: &CurrentUser,
    unit_id: &str,
    group_id: Option<&str>,
    today: &str,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<NameRow> = sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT c.id, c.given_names, c.middle_name, c.surname
         FROM class_group g
         JOIN enrollment e ON e.group_id = g.id
         JOIN child c ON c.id = e.child_id
         WHERE g.unit_id = $1 AND ($2 = '' OR g.id = $2)
           AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
           AND {}",
            access::may_name_child(viewer.audience, "$4", "c.id", "c.address_protection", "$3")
        ),
        (unit_id, group_id.unwrap_or_default(), today, &viewer.person_id),
    )
    .await?;
    Ok(rows.iter().map(NameRow::name).collect())
}

row_struct! {
    /// A staff member a guardian can write to about a child.
    pub struct StaffOption {
        pub person_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub role: String,
        pub unit_id: String,
        pub unit_name: String,
        pub group_name: Option<String>,
        pub for_group: i64,
    }
}

impl StaffOption {
    /// Who a guardian most likely means to write to, lowest first: the child's own contact at
    /// school or in kindergarten (contact teacher, pedagogical leader), then the SFO leader of
    /// the child's SFO group, then others with a role in the child's groups, then the units'
    /// leaders.
    pub fn rank(&self) -> u8 {
        match (self.for_group == 1, StaffRole::parse(&self.role)) {
            (true, Some(StaffRole::ContactTeacher | StaffRole::PedagogicalLeader)) => 0,
            (true, Some(StaffRole::SfoLeader)) => 1,
            (true, _) => 2,
            (false, _) => 3,
        }
    }
}

/// The staff a guardian can write to about `child_id`: those with a role in the child's groups
/// and the leaders of the child's units, in [`StaffOption::rank`] order, then by unit and name
/// in Norwegian order; a person is listed once per unit, with their closest role to the child.
pub async fn staff_for_child(
    db: &Database,
    child_id: &str,
    today: &str,
) -> sqlx::Result<Vec<StaffOption>> {
    let mut rows: Vec<StaffOption> = sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT p.id AS person_id, p.given_names, p.middle_name, p.surname, r.role,
                u.id AS unit_id, u.name AS unit_name, g.name AS group_name,
                CASE WHEN r.group_id = g.id THEN 1 ELSE 0 END AS for_group
         {}",
            crate::backend::access::staff_of_child()
        ),
        (child_id, today),
    )
    .await?;
    // Stable sorts: by name within unit first, then by rank.
    collation::sort_by(&mut rows, |r| [&r.unit_name, &r.given_names, &r.surname]);
    rows.sort_by_key(StaffOption::rank);
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert((r.person_id.clone(), r.unit_id.clone())));
    Ok(rows)
}

row_struct! {
    /// A guardian a group message reaches.
    pub struct GuardianRow {
        pub id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub address_protection: String,
    }
}

impl GuardianRow {
    pub fn protected(&self) -> bool {
        is_protected(&self.address_protection)
    }
}

/// The guardians with current parental responsibility for `child_id`.
pub async fn guardians(
    db: &Database,
    child_id: &str,
    today: &str,
) -> sqlx::Result<Vec<GuardianRow>> {
    let mut rows: Vec<GuardianRow> = sql::all(
        &db.pool,
        "SELECT DISTINCT p.id, p.given_names, p.middle_name, p.surname, p.address_protection
         FROM guardianship g JOIN person p ON p.id = g.person_id
         WHERE g.child_id = $1
           AND (g.valid_from IS NULL OR g.valid_from <= $2)
           AND (g.valid_to IS NULL OR g.valid_to > $2)
         ORDER BY p.given_names, p.surname",
        (child_id, today),
    )
    .await?;
    crate::domain::collation::sort_by(&mut rows, |g| [&g.given_names, &g.surname, &g.id]);
    Ok(rows)
}

/// The (guardian, child) pairs a group message to a group (or a whole unit) reaches today.
pub async fn group_recipients(
    db: &Database,
    unit_id: &str,
    group_id: Option<&str>,
    today: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sql::all(
        &db.pool,
        "SELECT DISTINCT gs.person_id, e.child_id
         FROM class_group g
         JOIN enrollment e ON e.group_id = g.id
         JOIN guardianship gs ON gs.child_id = e.child_id
         WHERE g.unit_id = $1 AND ($2 = '' OR g.id = $2)
           AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
           AND (gs.valid_from IS NULL OR gs.valid_from <= $3)
           AND (gs.valid_to IS NULL OR gs.valid_to > $3)
         ORDER BY gs.person_id, e.child_id",
        (unit_id, group_id.unwrap_or_default(), today),
    )
    .await
}

/// A unit's staff hours, if it has set them.
pub async fn unit_hours(db: &Database, unit_id: &str) -> sqlx::Result<Option<StaffHours>> {
    let row: Option<(Option<String>,)> =
        sql::opt(&db.pool, "SELECT message_hours FROM unit WHERE id = $1", (unit_id,)).await?;
    Ok(row.and_then(|r| r.0).and_then(|text| StaffHours::parse(&text)))
}

pub async fn set_unit_hours(
    db: &Database,
    unit_id: &str,
    hours: Option<&StaffHours>,
) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "UPDATE unit SET message_hours = $2 WHERE id = $1",
        (unit_id, hours.map(StaffHours::canonical)),
    )
    .await?;
    Ok(())
}

/// When a message sent now (by `clock`) to a unit with `hours` will be read, if not now.
pub fn expected_answer(hours: &StaffHours, clock: &Clock) -> Option<NextOpening> {
    let (weekday, minute) = clock.weekday_and_minute();
    hours.next_opening(weekday, minute)
}

/// Where staff member `person_id` may send a group message on `today`: `(unit id, unit name,
/// group id, group name, children enrolled)` for each group role, and the unit alone (no group)
/// for a unit they lead; units not yet using Ranselpost are left out.
pub async fn group_targets(
    db: &Database,
    person_id: &str,
    today: &str,
) -> sqlx::Result<Vec<(String, String, Option<String>, Option<String>, i64)>> {
    sql::all(
        &db.pool,
        &format!(
            "SELECT u.id, u.name, g.id, g.name,
                (SELECT COUNT(DISTINCT e.child_id) FROM enrollment e
                 JOIN class_group eg ON eg.id = e.group_id
                 WHERE eg.unit_id = u.id AND (r.group_id IS NULL OR e.group_id = r.group_id)
                   AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2))
         FROM staff_role r
         JOIN unit u ON u.id = r.unit_id
         LEFT JOIN class_group g ON g.id = r.group_id
         WHERE r.person_id = $1 AND (u.starts_on IS NULL OR u.starts_on <= $2)
           AND {}
         ORDER BY u.name, g.name",
            crate::backend::access::addresses_families("r")
        ),
        (person_id, today),
    )
    .await
}

/// When unit `unit_id` (named `unit`) reads messages, and when an answer can be expected if not
/// now: for the screens where a family writes.
pub async fn hours_info(
    db: &Database,
    unit_id: &str,
    unit: &str,
) -> Result<Option<crate::domain::messaging::HoursInfo>, crate::error::AppError> {
    use crate::error::ResultExt;
    Ok(unit_hours(db, unit_id).await.context("loading a unit's staff hours")?.map(|h| {
        crate::domain::messaging::HoursInfo {
            unit: unit.to_owned(),
            first_day: h.first_day,
            last_day: h.last_day,
            opens: h.opens_text(),
            closes: h.closes_text(),
            next: expected_answer(&h, &db.clock),
        }
    }))
}
