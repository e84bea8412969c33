//! The delivery worker that runs in every `serve` process: it plans new events, claims what
//! is due, sends it and marks it. A claim is a lease: a process killed mid-send leaves rows
//! "sending" until the lease runs out, and then any process sends them again. A notice is
//! marked sent right after the push service, the mail server or the SMS gateway took it, so
//! only a process killed between those two moments can send one twice; the Message-ID (e-mail)
//! and refId (SMS) are the same on every try, for the receiving side to tell.

use super::texts::{self, Item};
use super::{plan, prefs, push};
use crate::backend::{AppState, Database, sql};
use crate::domain::notify::{Channel, EventKind};
use crate::i18n::Locale;
use std::collections::BTreeMap;
use std::time::Duration;

/// Deliveries claimed at a time.
const BATCH: i64 = 100;
/// How often the worker looks for work.
const TICK: Duration = Duration::from_millis(1000);

/// Starts the worker for the life of the process. Each round runs as its own task, so that a
/// panic in one is logged and the next round starts as usual.
pub fn spawn(state: AppState) {
    let me = crate::backend::repo::new_id();
    tokio::spawn(async move {
        loop {
            let (state, me) = (state.clone(), me.clone());
            match tokio::spawn(async move { run_once(&state, &me).await }).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "delivering notices"),
                Err(e) => tracing::error!(error = %e, "the notice worker stopped a round"),
            }
            tokio::time::sleep(TICK).await;
        }
    });
}

/// Plans what is new and delivers what is due, until nothing is left for now.
pub async fn run_once(state: &AppState, me: &str) -> sqlx::Result<()> {
    while plan::plan_due(&state.db, &state.notify, state.krr.as_ref(), 100).await? > 0 {}
    while deliver_due(state, me).await? > 0 {}
    Ok(())
}

/// A claimed delivery.
#[derive(Debug, Clone)]
struct Claimed {
    id: String,
    event_id: String,
    channel: Channel,
    attempts: i64,
}

/// Claims and sends one batch; how many were claimed.
async fn deliver_due(state: &AppState, me: &str) -> sqlx::Result<usize> {
    let db = &state.db;
    let now = db.clock.now_ms();
    // A claim holds for the configured lease (each send waits at most 20 s); a long batch
    // renews it as it goes.
    let lease = lease_ms(state);
    let rows: Vec<(String, String, String, String, i64, i64)> =
        sql::all(&db.pool, &plan::claim_sql(db.engine), (me, now, now + lease, BATCH)).await?;
    let count = rows.len();
    // A notice per event; what was held (the digest, the quiet hours) goes as one notice per
    // person and channel.
    let mut groups: BTreeMap<(String, Channel, String), Vec<Claimed>> = BTreeMap::new();
    for (id, event_id, person_id, channel, held, attempts) in rows {
        let Some(channel) = Channel::parse(&channel) else { continue };
        let together = if held != 0 { String::new() } else { id.clone() };
        groups.entry((person_id, channel, together)).or_default().push(Claimed {
            id,
            event_id,
            channel,
            attempts,
        });
    }
    for ((person_id, channel, _), claimed) in groups {
        // In the first half of the lease the batch is surely still ours: nobody takes a row
        // before its claim runs out. After that, the claim is renewed before each send, and a
        // row whose claim ran out meanwhile belongs to whoever took it since.
        let late = db.clock.now_ms() > now + lease / 2;
        if late && !renew(db, me, lease, &claimed).await? {
            continue;
        }
        let outcome = send_group(state, &person_id, channel, &claimed).await;
        if matches!(outcome, Sent::Nowhere) && channel == Channel::Push {
            // Each event goes on by the fallback, with those gathered into this notice.
            let mut events: Vec<String> = claimed.iter().map(|c| c.event_id.clone()).collect();
            events.extend(gathered_into(db, &person_id, &claimed).await?);
            plan::fall_back(db, &state.notify, &events, &person_id).await?;
        }
        finish(db, me, &claimed, outcome).await?;
    }
    Ok(count)
}

/// Extends the claim on `claimed` before sending; `false` when any is no longer this worker's.
async fn renew(db: &Database, me: &str, lease: i64, claimed: &[Claimed]) -> sqlx::Result<bool> {
    let until = db.clock.now_ms() + lease;
    for c in claimed {
        let held = sql::run(
            &db.pool,
            "UPDATE notice_delivery SET claimed_until = $3
             WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
            (&c.id, me, until),
        )
        .await?
        .rows_affected();
        if held == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

fn lease_ms(state: &AppState) -> i64 {
    i64::try_from(state.notify.lease.as_millis()).unwrap_or(i64::MAX / 2)
}

/// The events whose push notices were gathered into the push notices `claimed`: later messages
/// in the same conversation (a held notice gathers for up to a day). One e-mail then tells of
/// them all: pending notices on one topic gather into one.
async fn gathered_into(
    db: &Database,
    person_id: &str,
    claimed: &[Claimed],
) -> sqlx::Result<Vec<String>> {
    let mut out = Vec::new();
    for c in claimed {
        let rows: Vec<(String,)> = sql::all(
            &db.pool,
            "SELECT g.event_id FROM notice_delivery d JOIN notice_delivery g
                 ON g.person_id = d.person_id AND g.channel = d.channel AND g.topic = d.topic
             WHERE d.id = $1 AND g.person_id = $2 AND g.merged = 1
               AND g.due_at BETWEEN d.due_at - $3 AND d.due_at + $4",
            (&c.id, person_id, 24 * 3600 * 1000_i64, plan::GATHER_MS),
        )
        .await?;
        out.extend(rows.into_iter().map(|(e,)| e));
    }
    Ok(out)
}

/// How one send went.
#[derive(Debug)]
enum Sent {
    Yes,
    /// Nothing to send to any more (no address, no subscription, no longer a reader): not
    /// tried again.
    Nowhere,
    /// Refused for good (an address the mail server will never take): not tried again.
    Refused(String),
    /// Try again later.
    Failed(String),
}

async fn finish(db: &Database, me: &str, claimed: &[Claimed], outcome: Sent) -> sqlx::Result<()> {
    let now = db.clock.now_ms();
    for c in claimed {
        let (status, due) = match &outcome {
            Sent::Yes => ("sent", None),
            Sent::Nowhere => ("skipped", None),
            Sent::Refused(why) => {
                tracing::warn!(channel = c.channel.code(), error = %why, "a notice was refused for good");
                ("failed", None)
            }
            Sent::Failed(why) => {
                let given_up = c.attempts >= plan::MAX_ATTEMPTS;
                // 30 s, 1 min, 2 min … up to an hour.
                let wait = (30_000i64 << (c.attempts - 1).clamp(0, 7)).min(3_600_000);
                tracing::warn!(channel = c.channel.code(), attempts = c.attempts, given_up, error = %why, "a notice was not delivered");
                (if given_up { "failed" } else { "pending" }, Some(now + wait))
            }
        };
        sql::run(
            &db.pool,
            "UPDATE notice_delivery SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN $4 END,
                 due_at = COALESCE($5, due_at), claimed_by = NULL, claimed_until = NULL
             WHERE id = $1 AND claimed_by = $2",
            (&c.id, me, status, now, due),
        )
        .await?;
    }
    Ok(())
}

async fn send_group(
    state: &AppState,
    person_id: &str,
    channel: Channel,
    claimed: &[Claimed],
) -> Sent {
    let db = &state.db;
    let (items, urgent, topic) = match items(db, person_id, claimed).await {
        Ok(found) => found,
        Err(e) => return Sent::Failed(format!("loading what to tell: {e}")),
    };
    if items.is_empty() {
        return Sent::Nowhere;
    }
    let locale = match language(db, person_id).await {
        Ok(l) => l,
        Err(e) => return Sent::Failed(format!("loading a person's language: {e}")),
    };
    let notice = texts::compose(locale, &items, &state.settings.public_url, channel);
    let contact = match crate::backend::repo::contacts::get(db, person_id).await {
        Ok(c) => c.map(|c| c.notice_channels(&db.clock.today())).unwrap_or_default(),
        Err(e) => return Sent::Failed(format!("loading contact details: {e}")),
    };
    let id = &claimed[0].id;
    match channel {
        Channel::Email => match (&state.notify.email, contact.email) {
            (Some(mailer), Some(to)) => {
                match mailer.send(&to, &notice.title, &notice.body, id).await {
                    Ok(()) => Sent::Yes,
                    Err(super::email::Failure::Permanent(why)) => Sent::Refused(why),
                    Err(super::email::Failure::Transient(why)) => Sent::Failed(why),
                }
            }
            _ => Sent::Nowhere,
        },
        Channel::Sms => match (&state.notify.sms, contact.sms) {
            (Some(gateway), Some(to)) => match gateway.send(&to, &notice.body, id).await {
                Ok(()) => Sent::Yes,
                Err(super::sms::Failure::Permanent(why)) => Sent::Refused(why),
                Err(super::sms::Failure::Transient(why)) => Sent::Failed(why),
            },
            _ => Sent::Nowhere,
        },
        Channel::Push => send_push(state, person_id, &notice, urgent, &topic).await,
    }
}

/// To every browser of the person: sent when one took it; a subscription the push service
/// says is gone is removed.
async fn send_push(
    state: &AppState,
    person_id: &str,
    notice: &texts::Notice,
    urgent: bool,
    topic: &str,
) -> Sent {
    let Some(vapid) = &state.notify.vapid else { return Sent::Nowhere };
    let subs = match prefs::subscriptions(&state.db, person_id).await {
        Ok(subs) if !subs.is_empty() => subs,
        Ok(_) => return Sent::Nowhere,
        Err(e) => return Sent::Failed(format!("loading push subscriptions: {e}")),
    };
    let unread = unread_count(&state.db, person_id).await.unwrap_or(0);
    let payload = serde_json::json!({
        "title": notice.title,
        "body": notice.body,
        "url": notice.url,
        // Notices on one topic replace each other on the device; the tag says no more than
        // the Topic header.
        "tag": push::topic_header(topic),
        "badge": unread,
    })
    .to_string();
    let (mut sent, mut failed) = (false, None);
    let now_secs = crate::backend::clock::real_now_secs();
    // All the person's browsers at once: one send takes no longer than its slowest service.
    let http = &state.notify.http;
    let sends = subs
        .iter()
        .map(|sub| push::send(http, vapid, sub, payload.as_bytes(), urgent, topic, now_secs));
    let outcomes = futures::future::join_all(sends).await;
    for (sub, outcome) in subs.iter().zip(outcomes) {
        match outcome {
            push::Outcome::Sent => sent = true,
            push::Outcome::Gone => {
                if let Err(e) = prefs::forget_subscription(&state.db, &sub.id).await {
                    tracing::warn!(error = %e, "removing a push subscription that is gone");
                }
            }
            push::Outcome::Failed(why) => failed = Some(why),
        }
    }
    match (sent, failed) {
        (true, _) => Sent::Yes,
        (false, Some(why)) => Sent::Failed(why),
        (false, None) => Sent::Nowhere,
    }
}

/// The number on the app's icon: notices not yet sent or read are not counted; the person's
/// unread conversations are (what the inbox shows).
async fn unread_count(db: &Database, person_id: &str) -> sqlx::Result<i64> {
    let (n,): (i64,) = sql::one(
        &db.pool,
        "SELECT COUNT(DISTINCT e.topic) FROM notice_recipient r
         JOIN notice_event e ON e.id = r.event_id
         WHERE r.person_id = $1 AND e.created_at > $2 AND e.topic LIKE 'thread:%'
           AND NOT EXISTS (SELECT 1 FROM thread_read tr
                           WHERE 'thread:' || tr.thread_id = e.topic AND tr.person_id = r.person_id
                             AND tr.read_until >= e.created_at)",
        (person_id, db.clock.now_ms() - 30 * 24 * 3600 * 1000),
    )
    .await?;
    Ok(n)
}

/// An event as a notice tells it: kind, unit name, path, topic, urgent, the child's given
/// names (to a guardian of the child).
type EventRow = (String, Option<String>, String, String, i64, Option<String>);

/// The events of the claimed deliveries, as a notice tells them; whether any is urgent; the
/// topic when all share one.
async fn items(
    db: &Database,
    person_id: &str,
    claimed: &[Claimed],
) -> sqlx::Result<(Vec<Item>, bool, String)> {
    let mut items = Vec::new();
    let (mut urgent, mut topics) = (false, Vec::new());
    let today = db.clock.today();
    for c in claimed {
        let row: Option<EventRow> = sql::opt(
            &db.pool,
            &format!(
                "SELECT e.kind, u.name, e.path, e.topic, e.urgent,
                        CASE WHEN {guardian} THEN ch.given_names END
                 FROM notice_event e LEFT JOIN unit u ON u.id = e.unit_id
                 LEFT JOIN child ch ON ch.id = e.child_id
                 LEFT JOIN thread t ON t.id = e.thread_id
                 WHERE e.id = $1
                   -- Still a reader when it goes out (a digest can be a day later): of the
                   -- thread, or of the child, or it is about the person themselves.
                   AND CASE WHEN e.thread_id IS NOT NULL THEN ({reads_as_guardian} OR {reads_as_staff})
                            WHEN e.child_id IS NOT NULL THEN {guardian}
                            ELSE 1 = 1 END",
                guardian = crate::backend::access::guardian_of("$2", "e.child_id", "$3"),
                reads_as_guardian = crate::backend::access::guardian_reads_thread("t", "$2", "$3"),
                reads_as_staff = crate::backend::access::staff_reads_thread("t", "$2", "$3"),
            ),
            (&c.event_id, person_id, &today),
        )
        .await?;
        let Some((kind, unit, path, topic, is_urgent, child)) = row else { continue };
        let Some(kind) = EventKind::parse(&kind) else { continue };
        urgent |= is_urgent != 0;
        topics.push(topic);
        // The first given name only.
        let child = child.and_then(|names| names.split_whitespace().next().map(str::to_owned));
        items.push(Item { kind, unit, path, child });
    }
    topics.dedup();
    let topic = if topics.len() == 1 { topics.remove(0) } else { "several".to_owned() };
    Ok((items, urgent, topic))
}

/// The language of `person_id`'s notices: KRR's, else the one they chose in the app, else
/// bokmål.
async fn language(db: &Database, person_id: &str) -> sqlx::Result<Locale> {
    let row: Option<(Option<String>, Option<String>)> = sql::opt(
        &db.pool,
        "SELECT cd.language, np.language FROM person p
         LEFT JOIN contact_details cd ON cd.person_id = p.id
         LEFT JOIN notify_prefs np ON np.person_id = p.id WHERE p.id = $1",
        (person_id,),
    )
    .await?;
    Ok(row
        .and_then(|(krr, app)| {
            krr.as_deref()
                .and_then(Locale::parse)
                .or_else(|| app.as_deref().and_then(Locale::parse))
        })
        .unwrap_or_default())
}
