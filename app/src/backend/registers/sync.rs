//! Keeping Ranselpost's picture of who is responsible for whom equal to Folkeregisteret's.
//!
//! Access to a child comes only from current parental responsibility in the register: a sync
//! adds the responsibilities the register names and removes those it no longer names (rows
//! with source `folkeregisteret`), and writes each grant and revocation to the audit log. It
//! runs at login, from the event feed, and for the demo's seed.

use super::RegisterError;
use super::folkeregisteret::{FeedPage, Folkeregister, Person};
use crate::backend::Database;
use crate::backend::repo::guardianships::{self, NewGuardianship, Responsibility, Source};
use crate::backend::repo::{children, new_id, now, persons};
use crate::backend::sql;
use crate::backend::{audit, notices};
use crate::domain::Pid;
use std::collections::BTreeSet;

/// Why following Folkeregisteret failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// What a sync changed for one person.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    pub granted: Vec<String>,
    pub revoked: Vec<String>,
}

/// Brings one adult's parental responsibilities, family relations, name and address
/// protection up to date with the register.
pub async fn sync_person(
    db: &Database,
    register: &Folkeregister,
    person_id: &str,
    pid: &str,
) -> Result<SyncOutcome, SyncError> {
    sync_person_with(db, register, person_id, pid, true).await
}

/// Like [`sync_person`]; `notify` says whether the other guardians of a child hear of a new
/// adult with access (not when a whole installation is being loaded).
pub async fn sync_person_with(
    db: &Database,
    register: &Folkeregister,
    person_id: &str,
    pid: &str,
    notify: bool,
) -> Result<SyncOutcome, SyncError> {
    let document = register.person(pid).await?;
    if let Some(doc) = &document {
        update_person(db, "person", person_id, doc).await?;
    }
    let mut wanted: Vec<(String, Responsibility)> = Vec::new();
    let mut related: BTreeSet<(String, String)> = BTreeSet::new();
    if let Some(doc) = &document {
        for f in doc.children_in_care(pid) {
            let Some(child) = known_child(db, f.ansvarssubjekt.as_deref()).await? else {
                continue;
            };
            // The child's own document keeps its name and protection current.
            if let Some(child_doc) = register.person(&child.pid).await? {
                update_person(db, "child", &child.id, &child_doc).await?;
            }
            let responsibility = Responsibility::parse(&f.ansvar).unwrap_or(Responsibility::Andre);
            wanted.push((child.id, responsibility));
        }
        for r in doc
            .familierelasjon
            .iter()
            .filter(|r| r.er_gjeldende && r.relatert_persons_rolle == "barn")
        {
            let role = r.min_rolle_for_person.clone().unwrap_or_default();
            if !matches!(role.as_str(), "mor" | "far" | "medmor") {
                continue;
            }
            if let Some(child) = known_child(db, r.relatert_person.as_deref()).await? {
                related.insert((child.id, role));
            }
        }
    }
    let existing = current_register_children(db, person_id).await?;
    let mut outcome = SyncOutcome::default();
    for (child_id, responsibility) in &wanted {
        if !existing.contains(child_id) {
            let g = NewGuardianship {
                child_id,
                person_id,
                responsibility: *responsibility,
                source: Source::Folkeregisteret,
                valid_from: None,
                valid_to: None,
            };
            // The access and what it tells the other guardians commit together.
            let mut tx = db.pool.begin().await?;
            guardianships::insert_in(&mut tx, &g).await?;
            if notify {
                notices::access_granted(&mut tx, &db.clock, child_id, person_id).await?;
            }
            tx.commit().await?;
            audit::record(db, None, "access.granted", Some(child_id), Some(person_id)).await?;
            outcome.granted.push(child_id.clone());
        }
    }
    for child_id in existing.iter().filter(|c| !wanted.iter().any(|(w, _)| w == *c)) {
        sql::run(
            &db.pool,
            "DELETE FROM guardianship WHERE person_id = $1 AND child_id = $2 AND source =
                 'folkeregisteret'",
            (person_id, child_id),
        )
        .await?;
        audit::record(db, None, "access.revoked", Some(child_id), Some(person_id)).await?;
        outcome.revoked.push(child_id.clone());
    }
    sql::run(
        &db.pool,
        "DELETE FROM family_relation WHERE person_id = $1 AND source = 'folkeregisteret'",
        (person_id,),
    )
    .await?;
    for (child_id, role) in related {
        guardianships::insert_family_relation(
            db,
            &child_id,
            person_id,
            &role,
            Source::Folkeregisteret,
        )
        .await?;
    }
    Ok(outcome)
}

/// At login: the person with this pid, created from the register if they have parental
/// responsibility for a child Ranselpost knows. `None` if neither.
pub async fn admit_guardian(
    db: &Database,
    register: &Folkeregister,
    pid: &Pid,
) -> Result<Option<String>, SyncError> {
    if let Some(person) = persons::find_by_pid(db, pid).await? {
        sync_person(db, register, &person.id, pid.as_str()).await?;
        return Ok(Some(person.id));
    }
    let Some(doc) = register.person(pid.as_str()).await? else {
        return Ok(None);
    };
    let mut any_known = false;
    for f in doc.children_in_care(pid.as_str()) {
        any_known |= known_child(db, f.ansvarssubjekt.as_deref()).await?.is_some();
    }
    let Some(name) = doc.current_name().filter(|_| any_known) else {
        return Ok(None);
    };
    let id = new_id();
    let new = persons::NewPerson {
        id: &id,
        pid: Some(pid),
        given_names: &name.fornavn,
        middle_name: name.mellomnavn.as_deref(),
        surname: &name.etternavn,
    };
    persons::insert(db, &new).await?;
    sync_person(db, register, &id, pid.as_str()).await?;
    Ok(Some(id))
}

/// Follows the event feed from the stored pointer, syncing every adult an event may concern.
/// Returns how many events were read.
pub async fn follow_feed(db: &Database, register: &Folkeregister) -> Result<usize, SyncError> {
    let mut seq = pointer(db).await?;
    let mut read = 0;
    loop {
        let FeedPage::Entries(entries) = register.feed(seq).await? else {
            break;
        };
        let Some(last) = entries.last().map(|e| e.sekvensnummer) else {
            break;
        };
        for entry in entries.iter().filter(|e| e.hendelse.concerns_ranselpost()) {
            for (person_id, pid) in
                adults_concerned(db, register, &entry.hendelse.folkeregisteridentifikator).await?
            {
                sync_person(db, register, &person_id, &pid).await?;
            }
        }
        read += entries.len();
        seq = last + 1;
        set_pointer(db, seq).await?;
    }
    Ok(read)
}

/// The adults in Ranselpost an event about `pid` may concern: the person themself, or for a
/// child, everyone who is or is named as responsible for it.
async fn adults_concerned(
    db: &Database,
    register: &Folkeregister,
    pid: &str,
) -> Result<Vec<(String, String)>, SyncError> {
    use sqlx::Row;
    let mut adults = BTreeSet::new();
    if let Ok(p) = Pid::parse(pid)
        && let Some(person) = persons::find_by_pid(db, &p).await?
    {
        adults.insert((person.id, pid.to_owned()));
    }
    if let Some(child) = known_child(db, Some(pid)).await? {
        for row in sqlx::query(
            "SELECT p.id, p.pid FROM guardianship g JOIN person p ON p.id = g.person_id
             WHERE g.child_id = $1 AND p.pid IS NOT NULL",
        )
        .bind(&child.id)
        .fetch_all(&db.pool)
        .await?
        {
            adults.insert((row.get("id"), row.get("pid")));
        }
        if let Some(doc) = register.person(pid).await? {
            for f in doc.foreldreansvar.iter().filter(|f| f.er_gjeldende) {
                let Some(adult) = f.ansvarlig.as_deref().and_then(|a| Pid::parse(a).ok()) else {
                    continue;
                };
                if let Some(person) = persons::find_by_pid(db, &adult).await? {
                    adults.insert((person.id, adult.as_str().to_owned()));
                }
            }
        }
    }
    Ok(adults.into_iter().collect())
}

async fn known_child(db: &Database, pid: Option<&str>) -> sqlx::Result<Option<children::ChildRow>> {
    match pid.and_then(|p| Pid::parse(p).ok()) {
        Some(pid) => children::find_by_pid(db, &pid).await,
        None => Ok(None),
    }
}

async fn current_register_children(
    db: &Database,
    person_id: &str,
) -> sqlx::Result<BTreeSet<String>> {
    use sqlx::Row;
    Ok(sqlx::query(
        "SELECT child_id FROM guardianship WHERE person_id = $1 AND source = 'folkeregisteret'",
    )
    .bind(person_id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|r| r.get("child_id"))
    .collect())
}

/// Name and address protection from the register, into `person` or `child`.
async fn update_person(db: &Database, table: &str, id: &str, doc: &Person) -> sqlx::Result<()> {
    let Some(name) = doc.current_name() else {
        return Ok(());
    };
    let table = if table == "child" { "child" } else { "person" };
    let sql = format!(
        "UPDATE {table} SET given_names = $1, middle_name = $2, surname = $3,
             address_protection = $4, updated_at = $5
         WHERE id = $6"
    );
    let protection = doc.protection();
    let binds = (&name.fornavn, name.mellomnavn.as_deref(), &name.etternavn, protection, now(), id);
    sql::run(&db.pool, &sql, binds).await?;
    Ok(())
}

async fn pointer(db: &Database) -> sqlx::Result<i64> {
    use sqlx::Row;
    Ok(sqlx::query("SELECT next_seq FROM register_pointer WHERE register = 'folkeregisteret'")
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.get("next_seq"))
        .unwrap_or(1))
}

async fn set_pointer(db: &Database, next_seq: i64) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO register_pointer (register, next_seq, updated_at) VALUES ('folkeregisteret',
             $1, $2)
         ON CONFLICT (register) DO UPDATE SET next_seq = excluded.next_seq, updated_at =
             excluded.updated_at",
        (next_seq, now()),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests;
