//! Staff accounts: a staff IdP's subject mapped to a staff member.

use crate::backend::Database;
use crate::backend::sql;

/// The person a staff IdP's `sub` belongs to.
pub async fn person_for_subject(
    db: &Database,
    issuer: &str,
    subject: &str,
) -> sqlx::Result<Option<String>> {
    use sqlx::Row;
    Ok(sqlx::query("SELECT person_id FROM staff_identity WHERE issuer = $1 AND subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.get("person_id")))
}

/// Links a staff IdP subject to a person; linking again is a no-op.
pub async fn link(db: &Database, issuer: &str, subject: &str, person_id: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO staff_identity (issuer, subject, person_id) VALUES ($1, $2, $3)
         ON CONFLICT (issuer, subject) DO UPDATE SET person_id = excluded.person_id",
        (issuer, subject, person_id),
    )
    .await?;
    Ok(())
}
