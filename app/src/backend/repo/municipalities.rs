//! Municipalities and their public directory.

use super::{now, row_struct};
use crate::backend::Database;
use crate::backend::sql;

row_struct! {
    /// A municipality as stored.
    pub struct MunicipalityRow {
        pub id: String,
        pub name: String,
    }
}

/// All municipalities, by name in Norwegian order (Ålesund after Øygarden).
pub async fn list(db: &Database) -> sqlx::Result<Vec<MunicipalityRow>> {
    let mut rows: Vec<MunicipalityRow> =
        sql::all(&db.pool, "SELECT id, name FROM municipality ORDER BY id", ()).await?;
    crate::domain::collation::sort_by(&mut rows, |m| [&m.name, &m.id]);
    Ok(rows)
}

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<MunicipalityRow>> {
    sql::opt(&db.pool, "SELECT id, name FROM municipality WHERE id = $1", (id,)).await
}

/// Adds a municipality; an existing one with the same number is left as it is.
pub async fn insert(db: &Database, id: &str, name: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO municipality (id, name, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING",
        (id, name, now()),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn municipalities_are_listed_by_name(db: Database) {
        insert(&db, "4627", "Askøy kommune").await.unwrap();
        insert(&db, "4601", "Bergen kommune").await.unwrap();
        insert(&db, "4624", "Bjørnafjorden kommune").await.unwrap();
        let names: Vec<_> = list(&db).await.unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["Askøy kommune", "Bergen kommune", "Bjørnafjorden kommune"]);
    }

    async fn inserting_a_municipality_twice_keeps_one(db: Database) {
        insert(&db, "4601", "Bergen kommune").await.unwrap();
        insert(&db, "4601", "Bergen kommune").await.unwrap();
        assert_eq!(list(&db).await.unwrap().len(), 1);
        assert_eq!(get(&db, "4601").await.unwrap().unwrap().name, "Bergen kommune");
        assert_eq!(get(&db, "0301").await.unwrap(), None);
    }

    on_both_engines!(municipalities_are_listed_by_name, inserting_a_municipality_twice_keeps_one);
}
