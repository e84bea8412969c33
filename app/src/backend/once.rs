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

/// A claim with no answer after this long belongs to a post that never finished (its server
/// was stopped mid-way): the next post with the token takes it over.
const STALE_MS: i64 = 30_000;

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

/// One submission: whose, which rendering of the form, and what it carried.
struct Submission<'a> {
    db: &'a Database,
    person_id: &'a str,
    token: &'a str,
    digest: String,
}

/// Lets an unsettled claim go if its post is dropped half-way (the browser gave up, the server
/// is stopping), so that the form can be sent again at once instead of waiting for it to go stale.
struct Unsettled {
    claim: Option<(Database, String, String, String)>,
}

impl Drop for Unsettled {
    fn drop(&mut self) {
        if let Some((db, person_id, token, digest)) = self.claim.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                let _ = release(&db, &person_id, &token, &digest).await;
            });
        }
    }
}

/// Does `work` once for `person_id`'s form post carrying `token` and content `content` (the
/// form's fields, as the server function read them), and answers where to send the person. A
/// post without a (well-formed) token — from a page of an older version or another client — is
/// handled as before, without protection against repeats.
pub async fn run<Fut>(
    db: &Database,
    person_id: &str,
    token: Option<&str>,
    content: &str,
    work: Fut,
) -> Result<String, AppError>
where
    Fut: Future<Output = Result<Posted, AppError>>,
{
    let Some(token) = token.filter(|t| well_formed(t)) else {
        return work.await.map(into_location);
    };
    let this = Submission { db, person_id, token, digest: digest(content) };
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if claim(&this).await.context("claiming a form submission")? {
            let mut guard = Unsettled {
                claim: Some((
                    db.clone(),
                    person_id.to_owned(),
                    token.to_owned(),
                    this.digest.clone(),
                )),
            };
            let outcome = work.await;
            settle(&this, &outcome).await.context("settling a form submission")?;
            guard.claim = None;
            return outcome.map(into_location);
        }
        // Another post with this token and content was (or is being) handled.
        match answer(&this).await.context("reading a form submission")? {
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

/// A hash of a form's content: equal content, equal digest; the content is not kept.
fn digest(content: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(content.as_bytes());
    hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Takes the token for this post: true for the first post with it, in one statement, so that
/// two posts at the same moment cannot both get it; or for the one that takes over a claim
/// gone stale, again in one statement.
async fn claim(this: &Submission<'_>) -> sqlx::Result<bool> {
    let Submission { db, person_id, token, digest } = this;
    let now = now_ms();
    let inserted = sql::run(
        &db.pool,
        "INSERT INTO form_submission (person_id, token, digest, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id, token, digest) DO NOTHING",
        (*person_id, *token, digest, now),
    )
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(true);
    }
    let taken_over = sql::run(
        &db.pool,
        "UPDATE form_submission SET created_at = $4
         WHERE person_id = $1 AND token = $2 AND digest = $3 AND answer IS NULL
           AND created_at < $5",
        (*person_id, *token, digest, now, now - STALE_MS),
    )
    .await?;
    Ok(taken_over.rows_affected() == 1)
}

/// Records where a finished post sent the person, or lets the token go when nothing was done.
async fn settle(this: &Submission<'_>, outcome: &Result<Posted, AppError>) -> sqlx::Result<()> {
    let Submission { db, person_id, token, digest } = this;
    match outcome {
        Ok(Posted::Done(location)) => {
            sql::run(
                &db.pool,
                "UPDATE form_submission SET answer = $4
                 WHERE person_id = $1 AND token = $2 AND digest = $3",
                (*person_id, *token, digest, location),
            )
            .await?;
            Ok(())
        }
        _ => release(db, person_id, token, digest).await,
    }
}

/// Lets a claim go: the form may be posted again and is handled anew.
async fn release(db: &Database, person_id: &str, token: &str, digest: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "DELETE FROM form_submission WHERE person_id = $1 AND token = $2 AND digest = $3",
        (person_id, token, digest),
    )
    .await?;
    Ok(())
}

/// `None` when no post holds the token; `Some(None)` while the first is still working.
async fn answer(this: &Submission<'_>) -> sqlx::Result<Option<Option<String>>> {
    let Submission { db, person_id, token, digest } = this;
    let row: Option<(Option<String>,)> = sql::opt(
        &db.pool,
        "SELECT answer FROM form_submission WHERE person_id = $1 AND token = $2 AND digest = $3",
        (*person_id, *token, digest),
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
