//! Drafts: a text that could not be sent yet is kept, with why, so that nothing typed is lost —
//! also when the page was a plain form post without JavaScript.

use super::now_ms;
use crate::backend::Database;
use crate::backend::repo::{new_id, row_struct};

row_struct! {
    pub struct DraftRow {
        pub id: String,
        pub target: String,
        pub subject: String,
        pub body: String,
        pub recipient: Option<String>,
        pub problem: String,
    }
}

pub struct NewDraft<'a> {
    pub person_id: &'a str,
    /// What the text was for: `child:<id>`, `thread:<id>` or `group`.
    pub target: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub recipient: Option<&'a str>,
    /// i18n key of why it was not sent.
    pub problem: &'a str,
}

/// Drafts older than this are removed by housekeeping.
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

pub async fn save(db: &Database, draft: &NewDraft<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO message_draft (id, person_id, target, subject, body, recipient, problem, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(draft.person_id)
    .bind(draft.target)
    .bind(draft.subject)
    .bind(draft.body)
    .bind(draft.recipient)
    .bind(draft.problem)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The person's own draft for `target`; someone else's draft is never found.
pub async fn load(
    db: &Database,
    id: &str,
    person_id: &str,
    target: &str,
) -> Result<Option<DraftRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, target, subject, body, recipient, problem FROM message_draft
         WHERE id = $1 AND person_id = $2 AND target = $3",
    )
    .bind(id)
    .bind(person_id)
    .bind(target)
    .fetch_optional(&db.pool)
    .await
}

/// Removes the person's drafts for `target` once a text for it has been sent.
pub async fn clear(db: &Database, person_id: &str, target: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM message_draft WHERE person_id = $1 AND target = $2")
        .bind(person_id)
        .bind(target)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Removes drafts older than [`KEEP_MS`].
pub async fn expire(db: &Database) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM message_draft WHERE created_at < $1")
            .bind(now_ms() - KEEP_MS)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
