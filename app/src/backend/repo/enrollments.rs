//! Enrolments: which group a child belongs to, from when and until when.

use super::new_id;
use crate::backend::Database;
use crate::backend::sql;

/// Enrols a child in a group from a date; the same (child, group, from) again is a no-op.
pub async fn insert(
    db: &Database,
    child_id: &str,
    group_id: &str,
    valid_from: &str,
    valid_to: Option<&str>,
) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO enrollment (id, child_id, group_id, valid_from, valid_to)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (child_id, group_id, valid_from) DO NOTHING",
        (new_id(), child_id, group_id, valid_from, valid_to),
    )
    .await?;
    Ok(())
}

super::row_struct! {
    /// A child's current place: the group and unit it is enrolled in today.
    pub struct MembershipRow {
        pub child_id: String,
        pub unit_id: String,
        pub unit_name: String,
        pub unit_kind: String,
        pub group_id: String,
        pub group_name: String,
    }
}

/// Where a child is on `today`: enrolments current that day, in units already using
/// Ranselpost (a unit with a later `starts_on`, such as an SFO before its start date, is left
/// out). Kindergartens first, then schools, then SFO.
pub async fn current_for_child(
    db: &Database,
    child_id: &str,
    today: &str,
) -> sqlx::Result<Vec<MembershipRow>> {
    sql::all(
        &db.pool,
        "SELECT e.child_id, u.id AS unit_id, u.name AS unit_name, u.kind AS unit_kind,
                g.id AS group_id, g.name AS group_name
         FROM enrollment e
         JOIN class_group g ON g.id = e.group_id
         JOIN unit u ON u.id = g.unit_id
         WHERE e.child_id = $1
           AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)
           AND (u.starts_on IS NULL OR u.starts_on <= $2)
         ORDER BY CASE u.kind WHEN 'kindergarten' THEN 0 WHEN 'school' THEN 1 ELSE 2 END, u.name,
             g.name",
        (child_id, today),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn jonas_is_in_sfo_only_from_the_day_bergens_sfo_starts(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let before: Vec<_> = current_for_child(&db, "demo-child-jonas", "2026-12-31")
            .await
            .unwrap()
            .into_iter()
            .map(|m| format!("{} {}", m.unit_name, m.group_name))
            .collect();
        assert_eq!(before, ["Fjordvik skole 4B"]);
        let after: Vec<_> = current_for_child(&db, "demo-child-jonas", "2027-01-01")
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.unit_name)
            .collect();
        assert_eq!(after, ["Fjordvik skole", "Fjordvik SFO"]);
    }

    async fn an_ended_enrolment_is_not_a_current_place(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        insert(&db, "demo-child-emma", "demo-group-tyttebaer", "2020-08-01", Some("2021-08-16"))
            .await
            .unwrap();
        let groups: Vec<_> = current_for_child(&db, "demo-child-emma", "2026-11-27")
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.group_name)
            .collect();
        assert_eq!(groups, ["Blåbær"]);
    }

    on_both_engines!(
        jonas_is_in_sfo_only_from_the_day_bergens_sfo_starts,
        an_ended_enrolment_is_not_a_current_place
    );
}
