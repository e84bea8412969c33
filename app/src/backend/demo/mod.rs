//! Synthetic demo data for Bergen and Askøy, so anyone can try every flow. Units, groups,
//! people and enrolments come from `demo.json` (every id fixed, so loading it again changes
//! nothing); who is responsible for whom comes from the demo's own Folkeregisteret, documents
//! in the register's shape under `folkeregisteret/personer/`, through the same sync that
//! production runs against the real register.

pub mod population;

use super::Database;
use super::registers::folkeregisteret::{FixtureFolkeregister, Folkeregister};
use super::registers::krr::Krr;
use super::registers::sync::{SyncError, sync_person_with};
use super::repo::{children, enrollments, groups, municipalities, persons, staff_roles, units};
use crate::domain::{Pid, UnitKind};
use serde::Deserialize;

const DEMO_JSON: &str = include_str!("demo.json");

#[derive(Deserialize)]
struct DemoData {
    municipalities: Vec<Municipality>,
    adults: Vec<Adult>,
    children: Vec<Child>,
    staff: Vec<Staff>,
}

#[derive(Deserialize)]
struct Municipality {
    number: String,
    name: String,
    units: Vec<Unit>,
}

#[derive(Deserialize)]
struct Unit {
    id: String,
    kind: UnitKind,
    name: String,
    starts_on: Option<String>,
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    id: String,
    name: String,
}

#[derive(Deserialize)]
struct Adult {
    id: String,
    pid: Pid,
    fornavn: String,
    mellomnavn: Option<String>,
    etternavn: String,
}

#[derive(Deserialize)]
struct Child {
    id: String,
    pid: Pid,
    fornavn: String,
    mellomnavn: Option<String>,
    etternavn: String,
    groups: Vec<Enrollment>,
}

#[derive(Deserialize)]
struct Enrollment {
    group: String,
    from: String,
}

#[derive(Deserialize)]
struct Staff {
    id: String,
    fornavn: String,
    etternavn: String,
    roles: Vec<StaffRole>,
}

#[derive(Deserialize)]
struct StaffRole {
    unit: String,
    group: Option<String>,
    role: String,
}

/// Why the demo data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo data file is invalid: {0}")]
    File(#[from] serde_json::Error),
    #[error("the demo's register: {0}")]
    Register(#[from] SyncError),
    #[error("storing the demo data failed: {0}")]
    Database(#[from] sqlx::Error),
}

/// Whether the database holds no municipality yet (a new installation).
pub async fn is_empty(db: &Database) -> sqlx::Result<bool> {
    Ok(municipalities::list(db).await?.is_empty())
}

/// Loads the demo data. Safe to run again: rows that exist are left as they are.
pub async fn seed(db: &Database) -> Result<(), DemoError> {
    let data: DemoData = serde_json::from_str(DEMO_JSON)?;
    for m in &data.municipalities {
        municipalities::insert(db, &m.number, &m.name).await?;
        for u in &m.units {
            let unit = units::NewUnit {
                id: &u.id,
                municipality_id: &m.number,
                kind: u.kind,
                name: &u.name,
                starts_on: u.starts_on.as_deref(),
            };
            units::insert(db, &unit).await?;
            for g in &u.groups {
                groups::insert(db, &g.id, &u.id, &g.name).await?;
            }
        }
    }
    for a in &data.adults {
        let person = persons::NewPerson {
            id: &a.id,
            pid: Some(&a.pid),
            given_names: &a.fornavn,
            middle_name: a.mellomnavn.as_deref(),
            surname: &a.etternavn,
        };
        persons::insert(db, &person).await?;
    }
    for c in &data.children {
        let child = children::NewChild {
            id: &c.id,
            pid: &c.pid,
            given_names: &c.fornavn,
            middle_name: c.mellomnavn.as_deref(),
            surname: &c.etternavn,
        };
        children::insert(db, &child).await?;
        for e in &c.groups {
            enrollments::insert(db, &c.id, &e.group, &e.from, None).await?;
        }
    }
    for s in &data.staff {
        let person = persons::NewPerson {
            id: &s.id,
            pid: None,
            given_names: &s.fornavn,
            middle_name: None,
            surname: &s.etternavn,
        };
        persons::insert(db, &person).await?;
        for (i, r) in s.roles.iter().enumerate() {
            let id = format!("{}-role-{i}", s.id);
            staff_roles::insert(db, &id, &s.id, &r.unit, r.group.as_deref(), &r.role).await?;
        }
    }
    let generated = population::population();
    for a in &generated.adults {
        let pid = Pid::parse(&a.pid).expect("the population's numbers are valid");
        let person = persons::NewPerson {
            id: &a.id,
            pid: Some(&pid),
            given_names: &a.given_names,
            middle_name: None,
            surname: &a.surname,
        };
        persons::insert(db, &person).await?;
    }
    for c in &generated.children {
        let pid = Pid::parse(&c.person.pid).expect("the population's numbers are valid");
        let child = children::NewChild {
            id: &c.person.id,
            pid: &pid,
            given_names: &c.person.given_names,
            middle_name: None,
            surname: &c.person.surname,
        };
        children::insert(db, &child).await?;
        for (group, from) in &c.groups {
            enrollments::insert(db, &c.person.id, group, from, None).await?;
        }
    }
    // Parental responsibility and family relations: from the demo's register.
    let register = register();
    let adults = data.adults.iter().map(|a| (a.id.as_str(), a.pid.as_str()));
    let adults = adults.chain(generated.adults.iter().map(|a| (a.id.as_str(), a.pid.as_str())));
    for (id, pid) in adults {
        sync_person_with(db, &register, id, pid, false).await?;
    }
    Ok(())
}

/// The register documents of the named persons (`folkeregisteret/personer/`, built in) and of
/// the generated population.
fn register_documents() -> &'static [(String, String)] {
    static DOCUMENTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        let named = DEMO_REGISTER.iter().map(|(p, d)| (p.to_string(), d.to_string()));
        named.chain(population::population().register.iter().cloned()).collect()
    })
}

/// The demo's Folkeregisteret: the named persons' documents and the generated population's.
pub fn register() -> Folkeregister {
    Folkeregister::Fixture(FixtureFolkeregister::embedded(register_documents()))
}

macro_rules! documents {
    ($($pid:literal),* $(,)?) => {
        &[$(($pid, include_str!(concat!("folkeregisteret/personer/", $pid, ".json")))),*]
    };
}

/// The demo's KRR: contact details in KRR's shape (Nina Berg is reserved, and one generated
/// guardian).
pub fn krr() -> Krr {
    static DOCUMENTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let documents = DOCUMENTS.get_or_init(|| {
        let named = DEMO_KRR.iter().map(|(p, d)| (p.to_string(), d.to_string()));
        named.chain(population::population().krr.iter().cloned()).collect()
    });
    Krr::Fixture { dir: std::path::PathBuf::new(), embedded: Some(documents) }
}

macro_rules! krr_documents {
    ($($pid:literal),* $(,)?) => {
        &[$(($pid, include_str!(concat!("krr/personer/", $pid, ".json")))),*]
    };
}

const DEMO_KRR: &[(&str, &str)] =
    krr_documents!("03898320188", "07868030083", "12848510058", "14908615183", "19888812035");

const DEMO_REGISTER: &[(&str, &str)] = documents!(
    "02821554082",
    "03898320188",
    "05852070007",
    "07868030083",
    "12848510058",
    "14908615183",
    "15831860054",
    "19888812035",
    "22911550060",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repo::children::list_for_guardian;
    use crate::backend::testing::on_both_engines;

    async fn count(db: &Database, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n")
    }

    async fn loading_the_demo_twice_duplicates_nothing(db: Database) {
        seed(&db).await.unwrap();
        let tables = [
            "municipality",
            "unit",
            "class_group",
            "person",
            "child",
            "enrollment",
            "guardianship",
            "family_relation",
            "staff_role",
        ];
        let mut before = Vec::new();
        for t in tables {
            before.push(count(&db, t).await);
        }
        seed(&db).await.unwrap();
        for (t, n) in tables.iter().zip(before) {
            assert_eq!(count(&db, t).await, n, "{t}");
        }
        assert!(!is_empty(&db).await.unwrap());
    }

    async fn the_demo_has_two_municipalities_to_choose_from(db: Database) {
        assert!(is_empty(&db).await.unwrap());
        seed(&db).await.unwrap();
        let names: Vec<_> =
            municipalities::list(&db).await.unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["Askøy kommune", "Bergen kommune"]);
    }

    async fn in_the_demo_kari_has_emma_and_jonas_and_tor_has_nobody(db: Database) {
        seed(&db).await.unwrap();
        let kari: Vec<_> = list_for_guardian(&db, "demo-person-kari", "2026-11-27")
            .await
            .unwrap()
            .iter()
            .map(|c| c.display_name().to_string())
            .collect();
        assert_eq!(kari, ["Emma Sofie Nordmann", "Jonas Nordmann"]);
        assert!(list_for_guardian(&db, "demo-person-tor", "2026-11-27").await.unwrap().is_empty());
        let per = list_for_guardian(&db, "demo-person-per", "2026-11-27").await.unwrap();
        assert_eq!(per.len(), 1);
        assert_eq!(per[0].display_name().to_string(), "Lise Hansen");
    }

    #[test]
    fn every_register_document_of_the_demo_is_built_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/backend/demo/folkeregisteret/personer");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_owned())
            .collect();
        files.sort();
        let built_in: Vec<_> = DEMO_REGISTER.iter().map(|(pid, _)| pid.to_string()).collect();
        assert_eq!(files, built_in);
    }

    on_both_engines!(
        loading_the_demo_twice_duplicates_nothing,
        the_demo_has_two_municipalities_to_choose_from,
        in_the_demo_kari_has_emma_and_jonas_and_tor_has_nobody
    );
}
