//! Staff roles: who works where, in which role and group. A role that ends is deleted, so a
//! role that exists is current (see `access`).

use super::{now, row_struct};
use crate::backend::Database;
use crate::backend::sql;

row_struct! {
    /// A staff role as stored.
    pub struct StaffRoleRow {
        pub person_id: String,
        pub unit_id: String,
        pub group_id: Option<String>,
        pub role: String,
    }
}

/// Gives a staff member a role at a unit (and optionally one group). `id` makes it idempotent.
pub async fn insert(
    db: &Database,
    id: &str,
    person_id: &str,
    unit_id: &str,
    group_id: Option<&str>,
    role: &str,
) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO staff_role (id, person_id, unit_id, group_id, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        (id, person_id, unit_id, group_id, role, now()),
    )
    .await?;
    Ok(())
}

/// The roles of everyone who works at a unit.
pub async fn list_for_unit(db: &Database, unit_id: &str) -> sqlx::Result<Vec<StaffRoleRow>> {
    sql::all(
        &db.pool,
        "SELECT person_id, unit_id, group_id, role FROM staff_role WHERE unit_id = $1
         ORDER BY role, person_id",
        (unit_id,),
    )
    .await
}

row_struct! {
    /// A staff role with its unit's and group's names.
    pub struct StaffRoleView {
        pub role: String,
        pub unit_name: String,
        pub group_name: Option<String>,
    }
}

/// A staff member's roles with unit and group names, for their start page.
pub async fn list_for_person(db: &Database, person_id: &str) -> sqlx::Result<Vec<StaffRoleView>> {
    sql::all(
        &db.pool,
        "SELECT r.role, u.name AS unit_name, g.name AS group_name
         FROM staff_role r JOIN unit u ON u.id = r.unit_id
         LEFT JOIN class_group g ON g.id = r.group_id
         WHERE r.person_id = $1 ORDER BY u.name, g.name",
        (person_id,),
    )
    .await
}
