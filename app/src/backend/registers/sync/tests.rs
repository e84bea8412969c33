use super::*;
use crate::backend::access::can_see_child;
use crate::backend::identity::CurrentUser;
use crate::backend::registers::folkeregisteret::FixtureFolkeregister;
use crate::backend::testing::on_both_engines;
use crate::domain::Audience;
use std::path::PathBuf;

const TODAY: &str = "2026-11-27";
const KARI: &str = "12848510058";
const JONAS: &str = "22911550060";
/// A synthetic number that is nobody in the demo.
const NEW_PARENT: &str = "01448010070";

fn guardian(person_id: &str) -> CurrentUser {
    crate::backend::testing::user(person_id, Audience::Guardian)
}

/// A register folder holding the demo's documents, to change for a test.
fn register_copy() -> PathBuf {
    let from = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/backend/demo/folkeregisteret/personer"
    ));
    let dir = std::env::temp_dir().join(format!("freg-sync-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("personer")).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("personer").join(entry.file_name())).unwrap();
    }
    dir
}

fn edit(dir: &std::path::Path, pid: &str, change: impl Fn(&mut serde_json::Value)) {
    let path = dir.join("personer").join(format!("{pid}.json"));
    let mut doc: serde_json::Value = std::fs::read_to_string(&path)
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or_else(|_| serde_json::json!({}));
    change(&mut doc);
    std::fs::write(path, doc.to_string()).unwrap();
}

fn feed(dir: &std::path::Path, events: &[(i64, &str, &str)]) {
    let entries: Vec<_> = events
        .iter()
        .map(|(seq, pid, kind)| {
            serde_json::json!({ "sekvensnummer": seq, "hendelse": {
            "folkeregisteridentifikator": pid, "hendelsestype": kind } })
        })
        .collect();
    std::fs::write(dir.join("feed.json"), serde_json::Value::Array(entries).to_string()).unwrap();
}

async fn a_register_change_revokes_access_at_the_next_sync(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let kari = guardian("demo-person-kari");
    assert!(can_see_child(&db, &kari, "demo-child-jonas", TODAY).await.unwrap());

    // The register now says Kari is no longer responsible for Jonas.
    let dir = register_copy();
    let not_kari = |doc: &mut serde_json::Value| {
        doc["foreldreansvar"]
            .as_array_mut()
            .unwrap()
            .retain(|f| !(f["ansvarlig"] == KARI && f["ansvarssubjekt"] == JONAS));
    };
    edit(&dir, KARI, not_kari);
    edit(&dir, JONAS, not_kari);
    feed(&dir, &[(1, JONAS, "endringIForeldreansvar"), (2, "99999999999", "endringIAdresse")]);
    let register = Folkeregister::Fixture(FixtureFolkeregister::from_dir(&dir));

    assert_eq!(follow_feed(&db, &register).await.unwrap(), 2);
    assert!(!can_see_child(&db, &kari, "demo-child-jonas", TODAY).await.unwrap());
    assert!(can_see_child(&db, &kari, "demo-child-emma", TODAY).await.unwrap());
    assert!(
        can_see_child(&db, &guardian("demo-person-ola"), "demo-child-jonas", TODAY).await.unwrap()
    );
    use sqlx::Row;
    let revoked: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_event WHERE action = 'access.revoked' AND subject_id = 'demo-child-jonas' AND detail = 'demo-person-kari'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(revoked, 1, "the revocation is in the audit log");
    // The pointer moved on: the same events are not read again.
    assert_eq!(follow_feed(&db, &register).await.unwrap(), 0);
    let _ = std::fs::remove_dir_all(dir);
}

async fn a_new_parent_in_the_register_is_admitted_at_login_and_sees_the_child(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let dir = register_copy();
    let entry = serde_json::json!({ "ansvar": "far", "ansvarlig": NEW_PARENT, "ansvarssubjekt": JONAS, "erGjeldende": true });
    edit(&dir, NEW_PARENT, |doc| {
        *doc = serde_json::json!({
            "navn": [{ "fornavn": "Nils Petter Olav", "etternavn": "Nordmann", "erGjeldende": true }],
            "foreldreansvar": [entry.clone()],
        });
    });
    edit(&dir, JONAS, |doc| doc["foreldreansvar"].as_array_mut().unwrap().push(entry.clone()));
    let register = Folkeregister::Fixture(FixtureFolkeregister::from_dir(&dir));

    let pid = Pid::parse(NEW_PARENT).unwrap();
    let person_id = admit_guardian(&db, &register, &pid).await.unwrap().expect("admitted");
    assert!(can_see_child(&db, &guardian(&person_id), "demo-child-jonas", TODAY).await.unwrap());
    // Tor is in the register too, but responsible for nobody known here.
    let tor = Pid::parse("19888812035").unwrap();
    let tor_id = admit_guardian(&db, &register, &tor).await.unwrap().unwrap();
    assert!(!can_see_child(&db, &guardian(&tor_id), "demo-child-lise", TODAY).await.unwrap());
    let _ = std::fs::remove_dir_all(dir);
}

async fn a_person_the_register_does_not_know_is_not_admitted(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let pid = Pid::parse(NEW_PARENT).unwrap();
    assert_eq!(admit_guardian(&db, &crate::backend::demo::register(), &pid).await.unwrap(), None);
}

async fn a_name_or_protection_change_in_the_register_reaches_the_child(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let dir = register_copy();
    edit(&dir, JONAS, |doc| {
        doc["adressebeskyttelse"] =
            serde_json::json!([{ "graderingsnivaa": "strengtFortrolig", "erGjeldende": true }]);
        doc["navn"] = serde_json::json!([{ "fornavn": "Jonas Emil Kristian", "etternavn": "Nordmann", "erGjeldende": true }]);
    });
    let register = Folkeregister::Fixture(FixtureFolkeregister::from_dir(&dir));
    sync_person(&db, &register, "demo-person-kari", KARI).await.unwrap();
    let jonas = children::get(&db, "demo-child-jonas").await.unwrap().unwrap();
    assert_eq!(jonas.address_protection, "strengtFortrolig");
    assert_eq!(jonas.display_name().to_string(), "Jonas Emil Nordmann");
    let _ = std::fs::remove_dir_all(dir);
}

on_both_engines!(
    a_register_change_revokes_access_at_the_next_sync,
    a_new_parent_in_the_register_is_admitted_at_login_and_sees_the_child,
    a_person_the_register_does_not_know_is_not_admitted,
    a_name_or_protection_change_in_the_register_reaches_the_child
);
