//! Groups of a unit: a kindergarten department, a school class, an SFO group.

use super::{now, row_struct};
use crate::backend::Database;
use crate::backend::sql;

row_struct! {
    /// A group as stored.
    pub struct GroupRow {
        pub id: String,
        pub unit_id: String,
        pub name: String,
    }
}

pub async fn list_for_unit(db: &Database, unit_id: &str) -> sqlx::Result<Vec<GroupRow>> {
    sql::all(
        &db.pool,
        "SELECT id, unit_id, name FROM class_group WHERE unit_id = $1 ORDER BY name",
        (unit_id,),
    )
    .await
}

/// Adds a group; an existing one with the same id is left as it is.
pub async fn insert(db: &Database, id: &str, unit_id: &str, name: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO class_group (id, unit_id, name, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
        (id, unit_id, name, now()),
    )
    .await?;
    Ok(())
}
