use super::new_id;
use crate::backend::Database;

/// Enrols a child in a group from a date; the same (child, group, from) again is a no-op.
pub async fn insert(
    db: &Database,
    child_id: &str,
    group_id: &str,
    valid_from: &str,
    valid_to: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO enrollment (id, child_id, group_id, valid_from, valid_to)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (child_id, group_id, valid_from) DO NOTHING",
    )
    .bind(new_id())
    .bind(child_id)
    .bind(group_id)
    .bind(valid_from)
    .bind(valid_to)
    .execute(&db.pool)
    .await?;
    Ok(())
}
