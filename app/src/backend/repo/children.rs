//! Children, with their names from the register and their address protection.

use super::{now, row_struct};
use crate::backend::Database;
use crate::backend::sql;
use crate::domain::Pid;

row_struct! {
    /// A child as stored.
    pub struct ChildRow {
        pub id: String,
        pub pid: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub address_protection: String,
    }
}

super::register_name!(ChildRow);

/// A child to store or update from the register.
pub struct NewChild<'a> {
    pub id: &'a str,
    pub pid: &'a Pid,
    pub given_names: &'a str,
    pub middle_name: Option<&'a str>,
    pub surname: &'a str,
}

/// Adds a child; an existing one with the same id is left as it is.
pub async fn insert(db: &Database, child: &NewChild<'_>) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO child (id, pid, given_names, middle_name, surname, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING",
        (child.id, child.pid.as_str(), child.given_names, child.middle_name, child.surname, now()),
    )
    .await?;
    Ok(())
}

pub async fn find_by_pid(db: &Database, pid: &Pid) -> sqlx::Result<Option<ChildRow>> {
    sql::opt(
        &db.pool,
        "SELECT id, pid, given_names, middle_name, surname, address_protection FROM child WHERE
             pid = $1",
        (pid.as_str(),),
    )
    .await
}

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<ChildRow>> {
    sql::opt(
        &db.pool,
        "SELECT id, pid, given_names, middle_name, surname, address_protection FROM child WHERE
             id = $1",
        (id,),
    )
    .await
}

/// The children a person has current parental responsibility for on `today` (YYYY-MM-DD),
/// by given names. Family relations without responsibility give nothing.
pub async fn list_for_guardian(
    db: &Database,
    person_id: &str,
    today: &str,
) -> sqlx::Result<Vec<ChildRow>> {
    let mut rows: Vec<ChildRow> = sql::all(
        &db.pool,
        "SELECT DISTINCT c.id, c.pid, c.given_names, c.middle_name, c.surname, c.address_protection
         FROM child c JOIN guardianship g ON g.child_id = c.id
         WHERE g.person_id = $1
           AND (g.valid_from IS NULL OR g.valid_from <= $2)
           AND (g.valid_to IS NULL OR g.valid_to > $2)
         ORDER BY c.given_names, c.id",
        (person_id, today),
    )
    .await?;
    crate::domain::collation::sort_by(&mut rows, |c| [&c.given_names, &c.surname, &c.id]);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repo::guardianships::{self, NewGuardianship, Responsibility, Source};
    use crate::backend::repo::persons::{self, NewPerson};
    use crate::backend::testing::on_both_engines;

    async fn person(db: &Database, id: &str, pid: &str, name: &str) {
        let pid = Pid::parse(pid).unwrap();
        let p = NewPerson {
            id,
            pid: Some(&pid),
            given_names: name,
            middle_name: None,
            surname: "Test",
        };
        persons::insert(db, &p).await.unwrap();
    }

    async fn child(db: &Database, id: &str, pid: &str, given: &str) {
        let pid = Pid::parse(pid).unwrap();
        let c =
            NewChild { id, pid: &pid, given_names: given, middle_name: None, surname: "Nordmann" };
        insert(db, &c).await.unwrap();
    }

    fn responsibility<'a>(
        child_id: &'a str,
        person_id: &'a str,
        from: Option<&'a str>,
        to: Option<&'a str>,
    ) -> NewGuardianship<'a> {
        NewGuardianship {
            child_id,
            person_id,
            responsibility: Responsibility::Felles,
            source: Source::Fixture,
            valid_from: from,
            valid_to: to,
        }
    }

    async fn a_guardian_sees_every_child_in_her_care_with_two_given_names(db: Database) {
        person(&db, "kari", "12848510058", "Kari").await;
        child(&db, "emma", "15831860054", "Emma Sofie Louise").await;
        child(&db, "jonas", "22911550060", "Jonas").await;
        for c in ["emma", "jonas"] {
            guardianships::insert(&db, &responsibility(c, "kari", None, None)).await.unwrap();
        }
        let names: Vec<_> = list_for_guardian(&db, "kari", "2026-11-27")
            .await
            .unwrap()
            .iter()
            .map(|c| c.display_name().to_string())
            .collect();
        assert_eq!(names, ["Emma Sofie Nordmann", "Jonas Nordmann"]);
    }

    async fn a_father_without_parental_responsibility_sees_no_child(db: Database) {
        person(&db, "tor", "19888812035", "Tor").await;
        child(&db, "lise", "02821554082", "Lise").await;
        guardianships::insert_family_relation(&db, "lise", "tor", "far", Source::Fixture)
            .await
            .unwrap();
        assert!(list_for_guardian(&db, "tor", "2026-11-27").await.unwrap().is_empty());
    }

    async fn ended_or_future_responsibility_gives_no_child(db: Database) {
        person(&db, "per", "07868030083", "Per").await;
        child(&db, "lise", "02821554082", "Lise").await;
        child(&db, "jonas", "22911550060", "Jonas").await;
        guardianships::insert(
            &db,
            &responsibility("lise", "per", Some("2015-01-01"), Some("2026-01-01")),
        )
        .await
        .unwrap();
        guardianships::insert(&db, &responsibility("jonas", "per", Some("2027-01-01"), None))
            .await
            .unwrap();
        assert!(list_for_guardian(&db, "per", "2026-11-27").await.unwrap().is_empty());
        let later = list_for_guardian(&db, "per", "2027-02-01").await.unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].id, "jonas");
    }

    on_both_engines!(
        a_guardian_sees_every_child_in_her_care_with_two_given_names,
        a_father_without_parental_responsibility_sees_no_child,
        ended_or_future_responsibility_gives_no_child
    );
}
