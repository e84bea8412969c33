//! Reading a child's places and readers for the child's page.

use super::Database;
use super::access::{self, ROLE_GROUPS};
use super::repo::{enrollments, row_struct};
use crate::backend::sql;
use crate::domain::children::{Place, Reader};
use crate::domain::{DisplayName, UnitKind};

/// Where the child is on `today`, in units already using Ranselpost.
pub async fn places(db: &Database, child_id: &str, today: &str) -> sqlx::Result<Vec<Place>> {
    Ok(enrollments::current_for_child(db, child_id, today)
        .await?
        .into_iter()
        .filter_map(|m| {
            Some(Place {
                kind: UnitKind::parse(&m.unit_kind)?,
                unit: m.unit_name,
                group: m.group_name,
            })
        })
        .collect())
}

row_struct! {
    /// Someone who can read a child's messages (a guardian or staff), with their role.
    pub struct ReaderRow {
        pub person_id: String,
        pub address_protection: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub role: String,
        pub place: Option<String>,
    }
}

pub use super::access::is_protected;

/// Everyone who can read the child's messages on `today`: the guardians with current parental
/// responsibility, then the staff with a role in the child's groups (or the whole unit). A
/// guardian with a confidential address (fortrolig or strengt fortrolig) is never listed to
/// another guardian: `viewer_guardian` is the guardian looking, if it is one.
pub async fn readers(
    db: &Database,
    child_id: &str,
    today: &str,
    viewer_guardian: Option<&str>,
) -> sqlx::Result<Vec<Reader>> {
    let mut rows: Vec<ReaderRow> = sql::all(
        &db.pool,
        &format!(
            "SELECT p.id AS person_id, p.address_protection, p.given_names, p.middle_name,
                p.surname, 'guardian' AS role, NULL AS place, 0 AS rank
             FROM guardianship g JOIN person p ON p.id = g.person_id
             WHERE g.child_id = $1 AND {in_force}
             UNION
             SELECT p.id AS person_id, p.address_protection, p.given_names, p.middle_name,
                p.surname, r.role, u.name AS place, 1 AS rank
             {staff}
             ORDER BY rank, given_names, surname",
            in_force = access::in_force("g", "$2"),
            staff = access::staff_of_child(),
        ),
        (child_id, today),
    )
    .await?;
    // Guardians first, then staff; each by name in Norwegian order.
    crate::domain::collation::sort_by(&mut rows, |r| [&r.given_names, &r.surname]);
    rows.sort_by_key(|r| r.role != "guardian");
    Ok(rows
        .into_iter()
        .filter(|r| {
            let other_family =
                r.role == "guardian" && viewer_guardian.is_some_and(|v| v != r.person_id);
            !(other_family && is_protected(&r.address_protection))
        })
        .map(|r| Reader {
            name: DisplayName::from_register(&r.given_names, r.middle_name.as_deref(), &r.surname)
                .to_string(),
            role_key: if r.role == "guardian" {
                "child.reader.guardian".to_owned()
            } else {
                crate::domain::staff::role_key(&r.role).to_owned()
            },
            place: r.place,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn jonas_is_read_by_his_parents_and_his_school_staff(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let names: Vec<_> = readers(&db, "demo-child-jonas", "2026-11-27", None)
            .await
            .unwrap()
            .into_iter()
            .map(|r| format!("{} ({})", r.name, r.role_key))
            .collect();
        assert_eq!(
            names,
            [
                "Kari Nordmann (child.reader.guardian)",
                "Ola Nordmann (child.reader.guardian)",
                "Anne Solberg (staff.role.principal)",
                "Ingrid Berg (staff.role.contact_teacher)",
            ]
        );
        let later = readers(&db, "demo-child-jonas", "2027-01-04", None).await.unwrap();
        assert!(later.iter().any(|r| r.name == "Siv Lunde"), "SFO staff from the SFO start");
    }

    async fn a_father_without_parental_responsibility_is_not_a_reader(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let lise = readers(&db, "demo-child-lise", "2026-11-27", None).await.unwrap();
        assert!(lise.iter().any(|r| r.name == "Per Hansen"));
        assert!(!lise.iter().any(|r| r.name == "Tor Hansen"));
    }

    async fn a_guardian_with_a_confidential_address_is_not_listed_to_the_other_guardian(
        db: Database,
    ) {
        crate::backend::demo::seed(&db).await.unwrap();
        sql::run(
            &db.pool,
            "UPDATE person SET address_protection = 'strengtFortrolig' WHERE id =
                 'demo-person-ola'",
            (),
        )
        .await
        .unwrap();
        let names = |list: Vec<Reader>| list.into_iter().map(|r| r.name).collect::<Vec<_>>();
        let to_kari = names(
            readers(&db, "demo-child-jonas", "2026-11-27", Some("demo-person-kari")).await.unwrap(),
        );
        assert!(to_kari.contains(&"Kari Nordmann".to_owned()));
        assert!(!to_kari.contains(&"Ola Nordmann".to_owned()));
        let to_ola = names(
            readers(&db, "demo-child-jonas", "2026-11-27", Some("demo-person-ola")).await.unwrap(),
        );
        assert!(
            to_ola.contains(&"Ola Nordmann".to_owned())
                && to_ola.contains(&"Kari Nordmann".to_owned())
        );
        let to_staff = names(readers(&db, "demo-child-jonas", "2026-11-27", None).await.unwrap());
        assert!(to_staff.contains(&"Ola Nordmann".to_owned()));
    }

    on_both_engines!(
        a_guardian_with_a_confidential_address_is_not_listed_to_the_other_guardian,
        jonas_is_read_by_his_parents_and_his_school_staff,
        a_father_without_parental_responsibility_is_not_a_reader
    );
}

row_struct! {
    /// A child of a group, with its address protection and unit.
    pub struct GroupChildRow {
        pub child_id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub address_protection: String,
        pub unit_name: String,
        pub group_name: String,
    }
}

/// The children a staff member may see on `today`, by unit and group: those of the groups they
/// have a role in, or of the whole unit for a principal or administrator.
pub async fn for_staff(
    db: &Database,
    person_id: &str,
    today: &str,
) -> sqlx::Result<Vec<GroupChildRow>> {
    sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT c.id AS child_id, c.given_names, c.middle_name, c.surname,
                 c.address_protection,
                u.name AS unit_name, g.name AS group_name
         FROM staff_role r
         {ROLE_GROUPS}
         JOIN unit u ON u.id = g.unit_id
         JOIN enrollment e ON e.group_id = g.id
         JOIN child c ON c.id = e.child_id
         WHERE r.person_id = $1
           AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)
           AND (u.starts_on IS NULL OR u.starts_on <= $2)
         ORDER BY u.name, g.name, c.given_names, c.surname",
        ),
        (person_id, today),
    )
    .await
}

#[cfg(test)]
mod staff_tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn ingrid_sees_4b_and_the_principal_sees_the_whole_school(db: Database) {
        crate::backend::demo::seed(&db).await.unwrap();
        let names =
            |rows: Vec<GroupChildRow>| rows.into_iter().map(|r| r.given_names).collect::<Vec<_>>();
        let has =
            |names: &[String], want: &[&str]| want.iter().all(|w| names.iter().any(|n| n == w));
        // The demo at a real size: 4B has 24 pupils, 4A 22, Blåbær 18 children, SFO 40.
        let ingrid = names(for_staff(&db, "demo-staff-ingrid", "2026-11-27").await.unwrap());
        assert_eq!(ingrid.len(), 24);
        assert!(has(&ingrid, &["Jonas", "Lise", "Mathias"]), "{ingrid:?}");
        let bjorn = names(for_staff(&db, "demo-staff-bjorn", "2026-11-27").await.unwrap());
        assert_eq!(bjorn.len(), 18);
        assert!(has(&bjorn, &["Emma Sofie Louise"]));
        assert!(!has(&bjorn, &["Jonas"]), "another unit's child");
        let anne = names(for_staff(&db, "demo-staff-anne", "2026-11-27").await.unwrap());
        assert_eq!(anne.len(), 24 + 22, "the whole school: 4A and 4B");
        assert!(
            for_staff(&db, "demo-staff-siv", "2026-11-27").await.unwrap().is_empty(),
            "SFO not started"
        );
        let siv = names(for_staff(&db, "demo-staff-siv", "2027-01-04").await.unwrap());
        assert_eq!(siv.len(), 40);
        assert!(has(&siv, &["Jonas"]) && !has(&siv, &["Lise"]), "{siv:?}");
    }

    on_both_engines!(ingrid_sees_4b_and_the_principal_sees_the_whole_school);
}
