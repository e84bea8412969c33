//! A person's notification settings and push subscriptions, as stored.

use crate::backend::Database;
use crate::backend::repo::new_id;
use crate::backend::sql;
use crate::domain::notify::{Channel, EventKind, Prefs};

/// What `person_id` chose (defaults where nothing is stored).
pub async fn get(db: &Database, person_id: &str) -> sqlx::Result<Prefs> {
    let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = sql::opt(
        &db.pool,
        "SELECT quiet_from, quiet_to, digest_at FROM notify_prefs WHERE person_id = $1",
        (person_id,),
    )
    .await?;
    let choices: Vec<(String, String, i64)> = sql::all(
        &db.pool,
        "SELECT event, channel, wanted FROM notify_choice WHERE person_id = $1",
        (person_id,),
    )
    .await?;
    Ok(from_rows(row, choices))
}

/// Prefs from their stored rows.
pub fn from_rows(
    row: Option<(Option<i64>, Option<i64>, Option<i64>)>,
    choices: Vec<(String, String, i64)>,
) -> Prefs {
    let minute = |m: Option<i64>| m.and_then(|m| u16::try_from(m).ok()).filter(|m| *m < 24 * 60);
    let (quiet, digest_at) = match row {
        Some((from, to, digest)) => (minute(from).zip(minute(to)), minute(digest)),
        None => (None, None),
    };
    let choices = choices
        .into_iter()
        .filter_map(|(e, c, w)| Some((EventKind::parse(&e)?, Channel::parse(&c)?, w != 0)))
        .collect();
    Prefs { choices, quiet, digest_at }
}

/// Replaces `person_id`'s settings with `prefs`, in one transaction.
pub async fn save(db: &Database, person_id: &str, prefs: &Prefs) -> sqlx::Result<()> {
    let mut tx = db.pool.begin().await?;
    let (from, to) =
        prefs.quiet.map(|(f, t)| (Some(i64::from(f)), Some(i64::from(t)))).unwrap_or_default();
    sql::run(
        &mut *tx,
        "INSERT INTO notify_prefs (person_id, quiet_from, quiet_to, digest_at, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (person_id) DO UPDATE SET quiet_from = excluded.quiet_from,
             quiet_to = excluded.quiet_to, digest_at = excluded.digest_at,
             updated_at = excluded.updated_at",
        (person_id, from, to, prefs.digest_at.map(i64::from), db.clock.now_ms()),
    )
    .await?;
    sql::run(&mut *tx, "DELETE FROM notify_choice WHERE person_id = $1", (person_id,)).await?;
    for (event, channel, wanted) in &prefs.choices {
        sql::run(
            &mut *tx,
            "INSERT INTO notify_choice (person_id, event, channel, wanted) VALUES ($1, $2, $3, $4)",
            (person_id, event.code(), channel.code(), i64::from(*wanted)),
        )
        .await?;
    }
    tx.commit().await
}

/// Whether `person_id` has push on somewhere or has saved the settings page.
pub async fn has_chosen(db: &Database, person_id: &str) -> sqlx::Result<bool> {
    let (n,): (i64,) = sql::one(
        &db.pool,
        "SELECT (SELECT COUNT(*) FROM push_subscription WHERE person_id = $1)
              + (SELECT COUNT(*) FROM notify_prefs WHERE person_id = $1 AND quiet_from IS NOT NULL)",
        (person_id,),
    )
    .await?;
    Ok(n > 0)
}

/// Remembers the language a logged-in person chose in the app, for notices when KRR has none.
pub async fn set_language(db: &Database, person_id: &str, language: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "INSERT INTO notify_prefs (person_id, language, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (person_id) DO UPDATE SET language = excluded.language",
        (person_id, language, db.clock.now_ms()),
    )
    .await?;
    Ok(())
}

/// How far the notices of the first event on `topic` went (a group message's).
pub async fn notified(db: &Database, topic: &str) -> sqlx::Result<crate::domain::notify::Notified> {
    let first: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT id FROM notice_event WHERE topic = $1 ORDER BY created_at, id LIMIT 1",
        (topic,),
    )
    .await?;
    let Some((event,)) = first else { return Ok(Default::default()) };
    let (people, push, email, sms, waiting): (i64, i64, i64, i64, i64) = sql::one(
        &db.pool,
        "SELECT COUNT(DISTINCT CASE WHEN status = 'sent' THEN person_id END),
                COUNT(DISTINCT CASE WHEN status = 'sent' AND channel = 'push' THEN person_id END),
                COUNT(DISTINCT CASE WHEN status = 'sent' AND channel = 'email' THEN person_id END),
                COUNT(DISTINCT CASE WHEN status = 'sent' AND channel = 'sms' THEN person_id END),
                COUNT(DISTINCT CASE WHEN status IN ('pending', 'sending') THEN person_id END)
         FROM notice_delivery WHERE event_id = $1",
        (&event,),
    )
    .await?;
    let (of,): (i64,) =
        sql::one(&db.pool, "SELECT COUNT(*) FROM notice_recipient WHERE event_id = $1", (&event,))
            .await?;
    Ok(crate::domain::notify::Notified { people, of, push, email, sms, waiting })
}

/// The most push subscriptions one person keeps: their phone, a tablet, a few browsers.
pub const MAX_SUBSCRIPTIONS: i64 = 10;

/// How subscribing went.
#[derive(Debug, PartialEq, Eq)]
pub enum Subscribed {
    Yes,
    /// The person already has [`MAX_SUBSCRIPTIONS`].
    TooMany,
    /// The endpoint is another person's, and the caller does not hold its secret.
    NotYours,
}

/// A browser subscribes `person_id` to push. The same endpoint again replaces the old row (one
/// device, one owner): by its owner, or by whoever shows the subscription's secret (`auth`),
/// which only the browser that made it has: another person now logged in on that browser.
pub async fn subscribe(
    db: &Database,
    person_id: &str,
    sub: (&str, &str, &str),
    name: &str,
    device: Option<&str>,
    browser: &str,
) -> sqlx::Result<Subscribed> {
    let (endpoint, p256dh, auth) = sub;
    let mut tx = db.pool.begin().await?;
    crate::backend::repo::persons::lock(&mut tx, person_id).await?;
    let held: Option<(String, String)> = sql::opt(
        &mut *tx,
        "SELECT person_id, auth FROM push_subscription WHERE endpoint = $1",
        (endpoint,),
    )
    .await?;
    if held.is_some_and(|(owner, secret)| owner != person_id && secret != auth) {
        return Ok(Subscribed::NotYours);
    }
    sql::run(&mut *tx, "DELETE FROM push_subscription WHERE endpoint = $1", (endpoint,)).await?;
    let (count,): (i64,) = sql::one(
        &mut *tx,
        "SELECT COUNT(*) FROM push_subscription WHERE person_id = $1",
        (person_id,),
    )
    .await?;
    if count >= MAX_SUBSCRIPTIONS {
        return Ok(Subscribed::TooMany);
    }
    sql::run(
        &mut *tx,
        "INSERT INTO push_subscription (id, person_id, endpoint, p256dh, auth, name,
             device_credential_id, created_at, browser)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        (new_id(), person_id, endpoint, p256dh, auth, name, device, db.clock.now_ms(), browser),
    )
    .await?;
    tx.commit().await?;
    Ok(Subscribed::Yes)
}

/// Removes one of `person_id`'s subscriptions: `false` when it is not theirs.
pub async fn unsubscribe(db: &Database, person_id: &str, id: &str) -> sqlx::Result<bool> {
    Ok(sql::run(
        &db.pool,
        "DELETE FROM push_subscription WHERE id = $1 AND person_id = $2",
        (id, person_id),
    )
    .await?
    .rows_affected()
        == 1)
}

/// Removes the subscription at `endpoint` if it is `person_id`'s (the browser unsubscribed).
pub async fn unsubscribe_endpoint(
    db: &Database,
    person_id: &str,
    endpoint: &str,
) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "DELETE FROM push_subscription WHERE endpoint = $1 AND person_id = $2",
        (endpoint, person_id),
    )
    .await?;
    Ok(())
}

/// A person's subscriptions: (id, name, created_at, the browser's hash).
pub async fn devices(
    db: &Database,
    person_id: &str,
) -> sqlx::Result<Vec<(String, String, i64, Option<String>)>> {
    sql::all(
        &db.pool,
        "SELECT id, name, created_at, browser FROM push_subscription WHERE person_id = $1
         ORDER BY created_at DESC, id",
        (person_id,),
    )
    .await
}

/// Stops `person_id`'s push to the browser `browser` (its hash): they logged out there.
pub async fn forget_browser(db: &Database, person_id: &str, browser: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "DELETE FROM push_subscription WHERE person_id = $1 AND browser = $2",
        (person_id, browser),
    )
    .await?;
    Ok(())
}

/// The cookie that tells one browser from another for push: random, not tied to a person,
/// kept for 400 days (the most browsers allow).
pub const BROWSER_COOKIE: &str = "ranselpost_push";

/// The `Set-Cookie` value for a new browser token.
pub fn browser_cookie(token: &str, secure: bool) -> String {
    format!(
        "{BROWSER_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=34560000{}",
        if secure { "; Secure" } else { "" }
    )
}

/// What the worker sends to: every subscription of `person_id`.
pub async fn subscriptions(
    db: &Database,
    person_id: &str,
) -> sqlx::Result<Vec<super::push::Subscription>> {
    let rows: Vec<(String, String, String, String)> = sql::all(
        &db.pool,
        "SELECT id, endpoint, p256dh, auth FROM push_subscription WHERE person_id = $1",
        (person_id,),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, endpoint, p256dh, auth)| super::push::Subscription {
            id,
            endpoint,
            p256dh,
            auth,
        })
        .collect())
}

/// The push service said the subscription is gone (404/410).
pub async fn forget_subscription(db: &Database, id: &str) -> sqlx::Result<()> {
    sql::run(&db.pool, "DELETE FROM push_subscription WHERE id = $1", (id,)).await?;
    Ok(())
}
