//! Drafts: a text that could not be sent yet is kept, with why, so that nothing typed is lost —
//! also when the page was a plain form post without JavaScript.

use super::now_ms;
use crate::backend::Database;
use crate::backend::repo::{new_id, row_struct};
use crate::domain::guard::MAX_MESSAGE_CHARS;

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

/// The most drafts one person has at a time; saving another drops the oldest. A draft exists
/// so that a text is not lost between a refused send and the form, so a handful is plenty,
/// and nobody can fill the database by sending refused texts over and over.
pub const MAX_PER_PERSON: i64 = 20;

/// The most characters of each part kept: no more than could ever be sent (a longer text was
/// refused as too long and is brought back cut to the limit). The subject also holds the
/// absence form's other fields as JSON, hence more than a subject's 200.
const MAX_SUBJECT_CHARS: usize = 1_000;
const MAX_RECIPIENT_CHARS: usize = 200;

fn capped(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

pub async fn save(db: &Database, draft: &NewDraft<'_>) -> Result<String, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Saves by one person wait for each other (PostgreSQL's row lock; SQLite has one writer), so
    // twenty at once still leave at most MAX_PER_PERSON.
    sqlx::query("UPDATE person SET updated_at = updated_at WHERE id = $1")
        .bind(draft.person_id)
        .execute(&mut *tx)
        .await?;
    // Room for the new one: the person's newest drafts but one are kept.
    sqlx::query(
        "DELETE FROM message_draft WHERE person_id = $1 AND id NOT IN (
             SELECT id FROM message_draft WHERE person_id = $1
             ORDER BY created_at DESC, id DESC LIMIT $2)",
    )
    .bind(draft.person_id)
    .bind(MAX_PER_PERSON - 1)
    .execute(&mut *tx)
    .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO message_draft (id, person_id, target, subject, body, recipient, problem, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(draft.person_id)
    .bind(draft.target)
    .bind(capped(draft.subject, MAX_SUBJECT_CHARS))
    .bind(capped(draft.body, MAX_MESSAGE_CHARS))
    .bind(draft.recipient.map(|r| capped(r, MAX_RECIPIENT_CHARS)))
    .bind(draft.problem)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
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

/// The person's draft `id` for `target` as its form shows it again, with what the guard finds
/// in it; `None` when there is no such draft of theirs.
pub async fn shown(
    db: &Database,
    person_id: &str,
    id: Option<String>,
    target: &str,
    other_children: &[String],
) -> Result<Option<crate::domain::messaging::Draft>, crate::error::AppError> {
    use crate::error::ResultExt;
    let Some(id) = id.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    Ok(load(db, &id, person_id, target)
        .await
        .context("loading a message draft")?
        .map(|d| crate::domain::messaging::Draft {
            findings: crate::domain::guard::check(&d.body, other_children),
            subject: d.subject,
            body: d.body,
            recipient: d.recipient,
            problem: d.problem,
        }))
}
