//! Units of a municipality: kindergartens, schools and SFOs, with the day an SFO comes into use.

use super::{now, row_struct};
use crate::backend::Database;
use crate::backend::sql;
use crate::domain::UnitKind;

row_struct! {
    /// A unit as stored.
    pub struct UnitRow {
        pub id: String,
        pub municipality_id: String,
        pub kind: String,
        pub name: String,
        pub starts_on: Option<String>,
    }
}

/// A municipality's units: kindergartens, then schools, then SFO, each by name.
pub async fn list_for_municipality(
    db: &Database,
    municipality_id: &str,
) -> sqlx::Result<Vec<UnitRow>> {
    sql::all(
        &db.pool,
        "SELECT id, municipality_id, kind, name, starts_on FROM unit
         WHERE municipality_id = $1
         ORDER BY CASE kind WHEN 'kindergarten' THEN 0 WHEN 'school' THEN 1 ELSE 2 END, name",
        (municipality_id,),
    )
    .await
}

/// A unit to store.
pub struct NewUnit<'a> {
    pub id: &'a str,
    pub municipality_id: &'a str,
    pub kind: UnitKind,
    pub name: &'a str,
    pub starts_on: Option<&'a str>,
}

/// Adds a unit; an existing one with the same id is left as it is.
pub async fn insert(db: &Database, unit: &NewUnit<'_>) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO unit (id, municipality_id, kind, name, starts_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        (unit.id, unit.municipality_id, unit.kind.as_str(), unit.name, unit.starts_on, now()),
    )
    .await?;
    Ok(())
}

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<UnitRow>> {
    sql::opt(
        &db.pool,
        "SELECT id, municipality_id, kind, name, starts_on FROM unit WHERE id = $1",
        (id,),
    )
    .await
}

/// Sets the day a municipality's SFO units come into use (before it, they are not shown);
/// how many units changed.
pub async fn set_sfo_start(db: &Database, municipality_id: &str, day: &str) -> sqlx::Result<u64> {
    let sql = "UPDATE unit SET starts_on = $1 WHERE municipality_id = $2 AND kind = 'sfo'";
    Ok(sql::run(&db.pool, sql, (day, municipality_id)).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repo::municipalities;
    use crate::backend::testing::on_both_engines;

    async fn units_are_listed_kindergartens_first_then_schools_then_sfo(db: Database) {
        municipalities::insert(&db, "4601", "Bergen kommune").await.unwrap();
        for (id, kind, name) in [
            ("u1", UnitKind::Sfo, "Fjordvik SFO"),
            ("u2", UnitKind::School, "Fjordvik skole"),
            ("u3", UnitKind::Kindergarten, "Lia barnehage"),
            ("u4", UnitKind::Kindergarten, "Fjell barnehage"),
        ] {
            let unit = NewUnit { id, municipality_id: "4601", kind, name, starts_on: None };
            insert(&db, &unit).await.unwrap();
        }
        let names: Vec<_> =
            list_for_municipality(&db, "4601").await.unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Fjell barnehage", "Lia barnehage", "Fjordvik skole", "Fjordvik SFO"]);
    }

    async fn a_unit_of_an_unknown_municipality_is_refused(db: Database) {
        let unit = NewUnit {
            id: "u1",
            municipality_id: "9999",
            kind: UnitKind::School,
            name: "Nowhere skole",
            starts_on: None,
        };
        assert!(insert(&db, &unit).await.is_err());
    }

    async fn a_unit_of_an_unknown_kind_is_refused_by_the_schema(db: Database) {
        municipalities::insert(&db, "4601", "Bergen kommune").await.unwrap();
        let result = sql::run(
            &db.pool,
            "INSERT INTO unit (id, municipality_id, kind, name, created_at)
             VALUES ('u1', '4601', 'university', 'UiB', 0)",
            (),
        )
        .await;
        assert!(result.is_err());
    }

    on_both_engines!(
        units_are_listed_kindergartens_first_then_schools_then_sfo,
        a_unit_of_an_unknown_municipality_is_refused,
        a_unit_of_an_unknown_kind_is_refused_by_the_schema
    );
}
