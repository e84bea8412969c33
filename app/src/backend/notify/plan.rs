//! From events to deliveries: for each person told of an event, the channels their settings
//! and KRR allow, and when (at once, after the quiet hours, at the digest). One event is
//! planned once, in one transaction, so a process that stops half-way plans it again whole.

use super::Senders;
use crate::backend::clock::{in_norway, next_norwegian_time};
use crate::backend::registers::krr::Krr;
use crate::backend::repo::{contacts, new_id};
use crate::backend::{Database, Engine, sql};
use crate::domain::contact::ContactDetails;
use crate::domain::notify::{self, EventKind, Reach};
use chrono::Timelike;
use sqlx::Row;

/// Several messages in one conversation within this time make one notice.
pub const GATHER_MS: i64 = 5 * 60 * 1000;
/// Contact details older than this are asked of KRR again before a notice.
const KRR_FRESH_SECS: i64 = 24 * 60 * 60;

/// Plans up to `limit` unplanned events; how many.
pub async fn plan_due(
    db: &Database,
    senders: &Senders,
    krr: Option<&Krr>,
    limit: i64,
) -> sqlx::Result<usize> {
    let events: Vec<(String,)> = sql::all(
        &db.pool,
        "SELECT id FROM notice_event WHERE planned_at IS NULL ORDER BY created_at LIMIT $1",
        (limit,),
    )
    .await?;
    for (id,) in &events {
        if let Some(krr) = krr {
            refresh_contacts(db, krr, id).await;
        }
        plan_event(db, senders, id).await?;
    }
    Ok(events.len())
}

/// Asks KRR for the contact details of the event's recipients that are missing or old. A
/// failure leaves what is known: the notice goes by what the last answer allowed.
async fn refresh_contacts(db: &Database, krr: &Krr, event_id: &str) {
    let stale = crate::backend::clock::real_now_secs() - KRR_FRESH_SECS;
    let rows: Result<Vec<(String, String)>, _> = sql::all(
        &db.pool,
        "SELECT p.id, p.pid FROM notice_recipient r JOIN person p ON p.id = r.person_id
         LEFT JOIN contact_details cd ON cd.person_id = p.id
         WHERE r.event_id = $1 AND p.pid IS NOT NULL AND (cd.person_id IS NULL OR cd.fetched_at < $2)",
        (event_id, stale),
    )
    .await;
    let rows = match rows {
        Ok(rows) if !rows.is_empty() => rows,
        Ok(_) => return,
        Err(e) => return tracing::warn!(error = %e, "listing whose contact details to refresh"),
    };
    let pids: Vec<String> = rows.iter().map(|(_, pid)| pid.clone()).collect();
    match krr.lookup(&pids).await {
        Ok(found) => {
            for (person_id, pid) in &rows {
                let details = found
                    .iter()
                    .find(|k| &k.personidentifikator == pid)
                    .map(|k| k.contact_details())
                    // KRR does not know the person: nothing may be sent to them.
                    .unwrap_or_default();
                if let Err(e) = contacts::upsert(db, person_id, &details).await {
                    tracing::warn!(error = %e, "keeping contact details from KRR");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "asking KRR for contact details before a notice"),
    }
}

/// What planning needs of one recipient.
struct Recipient {
    person_id: String,
    contact: Option<ContactDetails>,
    prefs: notify::Prefs,
    pushes: i64,
}

/// Push found nobody after all (every subscription of the person gone: a logout, a reset
/// browser, permission taken back): the events go as if the person had no push, by their own
/// choices (e-mail by default) and, for what always comes, on the next channel that reaches them.
pub async fn fall_back(
    db: &Database,
    senders: &Senders,
    event_ids: &[String],
    person_id: &str,
) -> sqlx::Result<()> {
    let contact = contacts::get(db, person_id).await?;
    let channels = contact.map(|c| c.notice_channels(&db.clock.today())).unwrap_or_default();
    let reach = Reach {
        push: false,
        email: senders.email.is_some() && channels.email.is_some(),
        sms: senders.sms.is_some() && channels.sms.is_some(),
    };
    let prefs = super::prefs::get(db, person_id).await?;
    for event_id in event_ids {
        let kind: Option<(String,)> =
            sql::opt(&db.pool, "SELECT kind FROM notice_event WHERE id = $1", (event_id,)).await?;
        let Some(kind) = kind.and_then(|(k,)| EventKind::parse(&k)) else { continue };
        for channel in prefs.channels(kind, reach) {
            sql::run(
                &db.pool,
                "INSERT INTO notice_delivery (id, event_id, person_id, channel, topic, status, due_at)
                 SELECT $1, e.id, $3, $4, e.topic, 'pending', $5 FROM notice_event e WHERE e.id = $2
                 ON CONFLICT DO NOTHING",
                (new_id(), event_id, person_id, channel.code(), db.clock.now_ms()),
            )
            .await?;
        }
    }
    Ok(())
}

/// Deliveries and events older than this are removed (their counts shown to leaders too).
const KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

/// Forgets events (with their recipients and deliveries) older than a month, and gives up on
/// rows left claimed after their last try.
pub async fn purge(db: &Database) -> sqlx::Result<()> {
    let now = db.clock.now_ms();
    sql::run(
        &db.pool,
        "UPDATE notice_delivery SET status = 'failed', claimed_by = NULL
         WHERE status = 'sending' AND claimed_until < $1 AND attempts >= $2",
        (now, MAX_ATTEMPTS),
    )
    .await?;
    sql::run(&db.pool, "DELETE FROM notice_event WHERE created_at < $1", (now - KEEP_MS,)).await?;
    Ok(())
}

async fn plan_event(db: &Database, senders: &Senders, event_id: &str) -> sqlx::Result<()> {
    let now = db.clock.now_ms();
    let mut tx = db.pool.begin().await?;
    let claimed: Option<(String, String)> = sql::opt(
        &mut *tx,
        "UPDATE notice_event SET planned_at = $2 WHERE id = $1 AND planned_at IS NULL
         RETURNING kind, topic",
        (event_id, now),
    )
    .await?;
    let Some((kind, topic)) = claimed else { return Ok(()) };
    let Some(kind) = EventKind::parse(&kind) else { return tx.commit().await };
    let today = db.clock.today();
    let local = in_norway(db.clock.now());
    let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
    for r in recipients(&mut tx, event_id, kind).await? {
        let channels = r.contact.as_ref().map(|c| c.notice_channels(&today)).unwrap_or_default();
        let reach = Reach {
            push: r.pushes > 0,
            email: senders.email.is_some() && channels.email.is_some(),
            sms: senders.sms.is_some() && channels.sms.is_some(),
        };
        let held = notify::held_until(kind, &r.prefs, minute);
        let due = held.map_or(now, |(at, _)| next_norwegian_time(db.clock.now(), at));
        for channel in r.prefs.channels(kind, reach) {
            // A notice on the same topic that has not gone yet, or went a moment ago, covers
            // this one too.
            let (covered,): (i64,) = sql::one(
                &mut *tx,
                "SELECT COUNT(*) FROM notice_delivery
                 WHERE person_id = $1 AND channel = $2 AND topic = $3 AND merged = 0
                   AND (status IN ('pending', 'sending') OR (status = 'sent' AND sent_at > $4))",
                (&r.person_id, channel.code(), &topic, now - GATHER_MS),
            )
            .await?;
            let (status, merged) = if covered > 0 { ("skipped", 1) } else { ("pending", 0) };
            sql::run(
                &mut *tx,
                "INSERT INTO notice_delivery (id, event_id, person_id, channel, topic, digest,
                     status, due_at, merged)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT DO NOTHING",
                (
                    new_id(),
                    event_id,
                    &r.person_id,
                    channel.code(),
                    &topic,
                    // Held for the digest or past the quiet hours: sent together with the
                    // person's other held notices, as one.
                    i64::from(held.is_some()),
                    status,
                    due,
                    merged,
                ),
            )
            .await?;
        }
    }
    tx.commit().await
}

async fn recipients(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    event_id: &str,
    kind: EventKind,
) -> sqlx::Result<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT r.person_id, cd.person_id AS known, cd.email, cd.email_updated, cd.email_verified,
                cd.mobile, cd.mobile_updated, cd.mobile_verified, cd.reserved, cd.can_notify,
                cd.language, np.quiet_from, np.quiet_to, np.digest_at,
                (SELECT COUNT(*) FROM push_subscription s WHERE s.person_id = r.person_id) AS pushes
         FROM notice_recipient r
         LEFT JOIN contact_details cd ON cd.person_id = r.person_id
         LEFT JOIN notify_prefs np ON np.person_id = r.person_id
         WHERE r.event_id = $1 ORDER BY r.person_id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let choices: Vec<(String, String, String, i64)> = sql::all(
        &mut **tx,
        "SELECT c.person_id, c.event, c.channel, c.wanted FROM notify_choice c
         JOIN notice_recipient r ON r.person_id = c.person_id
         WHERE r.event_id = $1 AND c.event = $2",
        (event_id, kind.code()),
    )
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let person_id: String = row.try_get("person_id")?;
        let known: Option<String> = row.try_get("known")?;
        let contact = match known {
            Some(_) => Some(sqlx::FromRow::from_row(&row)?),
            None => None,
        };
        let stored =
            (row.try_get("quiet_from")?, row.try_get("quiet_to")?, row.try_get("digest_at")?);
        let mine = choices
            .iter()
            .filter(|(p, ..)| *p == person_id)
            .map(|(_, e, c, w)| (e.clone(), c.clone(), *w))
            .collect();
        let prefs = super::prefs::from_rows(Some(stored), mine);
        out.push(Recipient { person_id, contact, prefs, pushes: row.try_get("pushes")? });
    }
    Ok(out)
}

/// Tries before a notice is given up: about two hours of backoff.
pub const MAX_ATTEMPTS: i64 = 8;

/// The SQL that claims due deliveries for worker `$1` at `$2` until `$3`, at most `$4`: on
/// PostgreSQL rows another process holds are skipped (`FOR UPDATE SKIP LOCKED`); SQLite has one
/// writer at a time, so the statement is atomic there as it is. A row whose claim ran out (its
/// process died mid-send) is taken again, until it has had its tries.
pub fn claim_sql(engine: Engine) -> String {
    let lock = match engine {
        Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    format!(
        "UPDATE notice_delivery SET status = 'sending', claimed_by = $1, claimed_until = $3,
             attempts = attempts + 1
         WHERE id IN (SELECT id FROM notice_delivery
                      WHERE (status = 'pending' AND due_at <= $2)
                         OR (status = 'sending' AND claimed_until < $2 AND attempts < {MAX_ATTEMPTS})
                      ORDER BY due_at, person_id LIMIT $4{lock})
         RETURNING id, event_id, person_id, channel, digest, attempts"
    )
}
