//! Notices inside Ranselpost. A notice about a child names the child and the adult, never a
//! unit or an address, and an adult with a confidential address is not named at all.

use super::Database;
use super::repo::{new_id, now, row_struct};
use crate::backend::sql;
use crate::domain::DisplayName;

/// Tells every other current guardian of `child_id` that `new_adult` has gained access, in the
/// app and (always: it cannot be switched off) outside it, as part of `tx`, the transaction that
/// gives the access. What is sent names neither the adult nor, but to the child's own guardians
/// by first name in a digest, the child (`notify::texts`).
pub async fn access_granted(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    clock: &crate::backend::clock::Clock,
    child_id: &str,
    new_adult: &str,
) -> sqlx::Result<()> {
    let others: Vec<(String,)> = sql::all(
        &mut **tx,
        "SELECT DISTINCT person_id FROM guardianship WHERE child_id = $1 AND person_id <> $2 AND valid_to IS NULL",
        (child_id, new_adult),
    )
    .await?;
    let others: Vec<String> = others.into_iter().map(|(p,)| p).collect();
    for person_id in &others {
        sql::run(
            &mut **tx,
            "INSERT INTO notice (id, person_id, kind, child_id, about_person_id, created_at)
             VALUES ($1, $2, 'access_granted', $3, $4, $5)",
            (new_id(), person_id, child_id, new_adult, now()),
        )
        .await?;
    }
    if !others.is_empty() {
        let event = crate::backend::notify::outbox::Event {
            kind: crate::domain::notify::EventKind::AccessGranted,
            unit_id: None,
            child_id: Some(child_id),
            thread_id: None,
            topic: format!("access:{child_id}:{new_adult}"),
            path: "/hjem".to_owned(),
        };
        crate::backend::notify::outbox::record(tx, clock.now_ms(), &event, &others).await?;
    }
    Ok(())
}

row_struct! {
    /// A notice to a person, as stored.
    pub struct NoticeRow {
        pub id: String,
        pub kind: String,
        pub child_given: String,
        pub child_middle: Option<String>,
        pub child_surname: String,
        pub adult_given: Option<String>,
        pub adult_middle: Option<String>,
        pub adult_surname: Option<String>,
        pub adult_protection: Option<String>,
        pub created_at: i64,
    }
}

/// A notice ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: String,
    pub child: String,
    /// `None` when the adult must not be named (confidential address).
    pub adult: Option<String>,
    pub created_at: i64,
}

/// A person's newest notices about the children in their care on `today`: a notice names a
/// child, so it is shown only while the person may still see the child.
pub async fn for_person(db: &Database, person_id: &str, today: &str) -> sqlx::Result<Vec<Notice>> {
    let rows: Vec<NoticeRow> = sql::all(&db.pool, &format!(
        "SELECT n.id, n.kind, c.given_names AS child_given, c.middle_name AS child_middle,
                c.surname AS child_surname, a.given_names AS adult_given, a.middle_name AS adult_middle,
                a.surname AS adult_surname, a.address_protection AS adult_protection, n.created_at
         FROM notice n JOIN child c ON c.id = n.child_id
         LEFT JOIN person a ON a.id = n.about_person_id
         WHERE n.person_id = $1 AND {}
         ORDER BY n.created_at DESC, n.id LIMIT 20",
        super::access::guardian_of("$1", "n.child_id", "$2")
    ), (person_id, today)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let hidden = r.adult_protection.as_deref().is_some_and(super::children::is_protected);
            let adult = match (&r.adult_given, &r.adult_surname, hidden) {
                (Some(g), Some(s), false) => {
                    Some(DisplayName::from_register(g, r.adult_middle.as_deref(), s).to_string())
                }
                _ => None,
            };
            Notice {
                id: r.id,
                child: DisplayName::from_register(
                    &r.child_given,
                    r.child_middle.as_deref(),
                    &r.child_surname,
                )
                .to_string(),
                adult,
                created_at: r.created_at,
            }
        })
        .collect())
}
