//! Persons (guardians and staff) as the registers and the identity providers know them.

use super::{now, row_struct};
use crate::backend::Database;
use crate::backend::sql;
use crate::domain::Pid;

row_struct! {
    /// An adult: guardian or staff.
    pub struct PersonRow {
        pub id: String,
        pub pid: Option<String>,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub address_protection: String,
    }
}

super::register_name!(PersonRow);

const COLUMNS: &str = "id, pid, given_names, middle_name, surname, address_protection";

/// Makes the other writes of the same person in a transaction wait for this one: writing the
/// person's row takes PostgreSQL's row lock until the commit (SQLite has one writer anyway), so
/// a rule such as "at most twenty" or "one live subscription" holds when twenty requests come
/// at once.
pub async fn lock(tx: &mut sqlx::AnyConnection, person_id: &str) -> sqlx::Result<()> {
    let lock = "UPDATE person SET updated_at = updated_at WHERE id = $1";
    sql::run(tx, lock, (person_id,)).await.map(drop)
}

pub async fn find_by_pid(db: &Database, pid: &Pid) -> sqlx::Result<Option<PersonRow>> {
    sql::opt(&db.pool, &format!("SELECT {COLUMNS} FROM person WHERE pid = $1"), (pid.as_str(),))
        .await
}

pub async fn get(db: &Database, id: &str) -> sqlx::Result<Option<PersonRow>> {
    sql::opt(&db.pool, &format!("SELECT {COLUMNS} FROM person WHERE id = $1"), (id,)).await
}

/// A person to store or update from a register or a login.
pub struct NewPerson<'a> {
    pub id: &'a str,
    pub pid: Option<&'a Pid>,
    pub given_names: &'a str,
    pub middle_name: Option<&'a str>,
    pub surname: &'a str,
}

/// Adds a person; an existing one with the same id is left as it is.
pub async fn insert(db: &Database, person: &NewPerson<'_>) -> sqlx::Result<()> {
    let now = now();
    sql::run(
        &db.pool,
        "INSERT INTO person (id, pid, given_names, middle_name, surname, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING",
        (
            person.id,
            person.pid.map(Pid::as_str),
            person.given_names,
            person.middle_name,
            person.surname,
            now,
        ),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn a_person_is_found_by_national_identity_number(db: Database) {
        let pid = Pid::parse("12848510058").unwrap();
        let kari = NewPerson {
            id: "p1",
            pid: Some(&pid),
            given_names: "Kari",
            middle_name: None,
            surname: "Nordmann",
        };
        insert(&db, &kari).await.unwrap();
        let found = find_by_pid(&db, &pid).await.unwrap().unwrap();
        assert_eq!(found.display_name().to_string(), "Kari Nordmann");
        assert_eq!(found.address_protection, "ugradert");
        let other = Pid::parse("03898320188").unwrap();
        assert_eq!(find_by_pid(&db, &other).await.unwrap(), None);
    }

    async fn two_people_cannot_share_a_national_identity_number(db: Database) {
        let pid = Pid::parse("12848510058").unwrap();
        let first = NewPerson {
            id: "p1",
            pid: Some(&pid),
            given_names: "Kari",
            middle_name: None,
            surname: "Nordmann",
        };
        let second = NewPerson { id: "p2", ..first };
        insert(&db, &first).await.unwrap();
        assert!(insert(&db, &second).await.is_err());
    }

    async fn several_staff_members_may_have_no_national_identity_number(db: Database) {
        for id in ["s1", "s2"] {
            let staff = NewPerson {
                id,
                pid: None,
                given_names: "Ingrid",
                middle_name: None,
                surname: "Berg",
            };
            insert(&db, &staff).await.unwrap();
        }
        assert!(get(&db, "s2").await.unwrap().is_some());
    }

    on_both_engines!(
        a_person_is_found_by_national_identity_number,
        two_people_cannot_share_a_national_identity_number,
        several_staff_members_may_have_no_national_identity_number
    );
}
