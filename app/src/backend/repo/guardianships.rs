//! Parental responsibility between guardians and children, with its validity, as
//! Folkeregisteret records it.

use super::new_id;
use crate::backend::Database;
use crate::backend::sql;

/// Which kind of parental responsibility the register records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsibility {
    /// Shared (felles foreldreansvar).
    Felles,
    Mor,
    Far,
    Medmor,
    Andre,
}

impl Responsibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Responsibility::Felles => "felles",
            Responsibility::Mor => "mor",
            Responsibility::Far => "far",
            Responsibility::Medmor => "medmor",
            Responsibility::Andre => "andre",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Felles, Self::Mor, Self::Far, Self::Medmor, Self::Andre]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Where a guardianship comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Folkeregisteret,
    /// Demo and test data, in the register's shape.
    Fixture,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Folkeregisteret => "folkeregisteret",
            Source::Fixture => "fixture",
        }
    }
}

/// Parental responsibility to store, with its validity.
pub struct NewGuardianship<'a> {
    pub child_id: &'a str,
    pub person_id: &'a str,
    pub responsibility: Responsibility,
    pub source: Source,
    pub valid_from: Option<&'a str>,
    pub valid_to: Option<&'a str>,
}

/// Records parental responsibility; the same (child, person, source) again is a no-op.
pub async fn insert(db: &Database, g: &NewGuardianship<'_>) -> sqlx::Result<()> {
    let mut conn = db.pool.acquire().await?;
    insert_in(&mut conn, g).await
}

/// [`insert`] on `conn` (a transaction's, so that what follows from it commits with it).
pub async fn insert_in(
    conn: &mut sqlx::AnyConnection,
    g: &NewGuardianship<'_>,
) -> sqlx::Result<()> {
    sql::run(
        &mut *conn,
        "INSERT INTO guardianship (id, child_id, person_id, responsibility, source, valid_from,
             valid_to)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (child_id, person_id, source) DO NOTHING",
        (
            new_id(),
            g.child_id,
            g.person_id,
            g.responsibility.as_str(),
            g.source.as_str(),
            g.valid_from,
            g.valid_to,
        ),
    )
    .await?;
    Ok(())
}

/// Records a family relation (which gives no access).
pub async fn insert_family_relation(
    db: &Database,
    child_id: &str,
    person_id: &str,
    role: &str,
    source: Source,
) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO family_relation (child_id, person_id, role, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT (child_id, person_id, role) DO NOTHING",
        (child_id, person_id, role, source.as_str()),
    )
    .await?;
    Ok(())
}
