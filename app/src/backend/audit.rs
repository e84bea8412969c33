//! The audit log: who did what, when. Details name ids and outcomes, never tokens or pids.

use super::Database;
use super::repo::{new_id, now};
use crate::backend::sql;

pub async fn record(
    db: &Database,
    actor_id: Option<&str>,
    action: &str,
    subject_id: Option<&str>,
    detail: Option<&str>,
) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO audit_event (id, at, actor_id, action, subject_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
        (new_id(), now(), actor_id, action, subject_id, detail),
    )
    .await?;
    Ok(())
}
