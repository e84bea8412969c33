//! The audit log: who did what, when. Details name ids and outcomes, never tokens or pids.

use super::Database;
use super::repo::{new_id, now};

pub async fn record(
    db: &Database,
    actor_id: Option<&str>,
    action: &str,
    subject_id: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_event (id, at, actor_id, action, subject_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(now())
    .bind(actor_id)
    .bind(action)
    .bind(subject_id)
    .bind(detail)
    .execute(&db.pool)
    .await?;
    Ok(())
}
