//! One submission, one effect. A form that sends or saves something carries a one-time token
//! made when its page was rendered ([`fresh_token`]). The first post with the token does the
//! work and records where it sent the person; a second post with the same token — a double tap
//! on "Send", a form sent again after a slow answer, a reload of the post — does nothing and is
//! sent to the same place. The browser shows only the last answer it asked for, so the repeat
//! waits for the first to finish rather than answering at once with a page that would not show
//! what was sent.

use crate::backend::Database;
use crate::backend::clock::real_now_ms as now_ms;
use crate::backend::sql;
use crate::error::{AppError, ResultExt};
use std::future::Future;
use std::time::Duration;

/// Tokens are forgotten after a day: a page left open longer gets a new token when it is
/// shown again, and a post with a forgotten token is handled as new.
pub const KEEP_MS: i64 = 24 * 3600 * 1000;

/// How long a repeated post waits for the first one to finish.
const WAIT: Duration = Duration::from_secs(15);

/// How often a repeated post looks whether the first has finished.
const POLL: Duration = Duration::from_millis(40);

/// A new token for a form being rendered.
pub fn fresh_token() -> String {
    crate::backend::repo::new_id()
}

/// What a form's work came to, with where to send the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    /// Sent or saved: a repeat of this post is sent to the same place and does nothing.
    Done(String),
    /// Nothing was saved (the text was kept to be checked again, say): the same form may be
    /// posted again and is handled anew.
    NotDone(String),
}

/// Does `work` once for `person_id`'s form post carrying `token`, and answers where to send the
/// person. A post without a (well-formed) token — from a page of an older version or another
/// client — is handled as before, without protection against repeats.
pub async fn run<Fut>(
    db: &Database,
    person_id: &str,
    token: Option<&str>,
    work: Fut,
) -> Result<String, AppError>
where
    Fut: Future<Output = Result<Posted, AppError>>,
{
    let Some(token) = token.filter(|t| well_formed(t)) else {
        return work.await.map(into_location);
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if claim(db, person_id, token).await.context("claiming a form submission")? {
            let outcome = work.await;
            settle(db, person_id, token, &outcome).await.context("settling a form submission")?;
            return outcome.map(into_location);
        }
        // Another post with this token was (or is being) handled.
        match answer(db, person_id, token).await.context("reading a form submission")? {
            Some(Some(location)) => return Ok(location),
            // Its work failed or saved nothing meanwhile, and the row is gone: claim it again.
            None => continue,
            Some(None) if tokio::time::Instant::now() >= deadline => {
                return Err(AppError::busy(Duration::from_secs(5)));
            }
            Some(None) => tokio::time::sleep(POLL).await,
        }
    }
}

fn into_location(posted: Posted) -> String {
    match posted {
        Posted::Done(location) | Posted::NotDone(location) => location,
    }
}

/// A token as [`fresh_token`] makes them: a UUID's characters, nothing longer.
fn well_formed(token: &str) -> bool {
    (1..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Takes the token for this post: true for the first post with it, in one statement, so that
/// two posts at the same moment cannot both get it.
async fn claim(db: &Database, person_id: &str, token: &str) -> sqlx::Result<bool> {
    let inserted = sql::run(
        &db.pool,
        "INSERT INTO form_submission (person_id, token, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (person_id, token) DO NOTHING",
        (person_id, token, now_ms()),
    )
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Records where a finished post sent the person, or lets the token go when nothing was done.
async fn settle(
    db: &Database,
    person_id: &str,
    token: &str,
    outcome: &Result<Posted, AppError>,
) -> sqlx::Result<()> {
    match outcome {
        Ok(Posted::Done(location)) => {
            sql::run(
                &db.pool,
                "UPDATE form_submission SET answer = $3 WHERE person_id = $1 AND token = $2",
                (person_id, token, location),
            )
            .await?
        }
        _ => {
            sql::run(
                &db.pool,
                "DELETE FROM form_submission WHERE person_id = $1 AND token = $2",
                (person_id, token),
            )
            .await?
        }
    };
    Ok(())
}

/// `None` when no post holds the token; `Some(None)` while the first is still working.
async fn answer(
    db: &Database,
    person_id: &str,
    token: &str,
) -> sqlx::Result<Option<Option<String>>> {
    let row: Option<(Option<String>,)> = sql::opt(
        &db.pool,
        "SELECT answer FROM form_submission WHERE person_id = $1 AND token = $2",
        (person_id, token),
    )
    .await?;
    Ok(row.map(|(answer,)| answer))
}

/// Forgets tokens older than [`KEEP_MS`].
pub async fn expire(db: &Database) -> sqlx::Result<u64> {
    Ok(sql::run(
        &db.pool,
        "DELETE FROM form_submission WHERE created_at < $1",
        (now_ms() - KEEP_MS,),
    )
    .await?
    .rows_affected())
}

#[cfg(test)]
mod tests;
