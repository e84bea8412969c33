//! Tells open screens about new messages, also when the message was written through another
//! server process sharing the database.
//!
//! Who may hear of a message is decided once, when it is written: its readers are recorded
//! with its event in the outbox (`notify::outbox`), by the same access rules as reading. Each
//! process keeps its open event streams by person ([`Hub`]); news of a message (PostgreSQL
//! `LISTEN/NOTIFY`, or polling the outbox with SQLite) costs one query per message and process
//! for its readers, and goes straight to those readers' streams: no stream asks the database
//! anything per message. A stream ends when its session does: at once on a logout in any
//! process (a session event), and within [`SWEEP`] for a session that ran out or was ended
//! another way (one query per process for all its open streams).

use crate::backend::identity::CurrentUser;
use crate::backend::sql;
use crate::backend::{AppState, Database, Engine};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

const CHANNEL: &str = "ranselpost_message";
const SESSION_CHANNEL: &str = "ranselpost_session_end";
const DAY_CHANNEL: &str = "ranselpost_day";
/// How long a change of a child's day is kept for SQLite processes to see (they look a few
/// seconds back); older rows are swept by the pollers.
const DAY_CHANGE_KEPT_MS: i64 = 60_000;
/// How often a SQLite process looks for new messages.
const POLL: Duration = Duration::from_millis(100);
/// How often a process checks that the sessions of its open streams are still alive.
pub const SWEEP: Duration = Duration::from_secs(15);
/// Events a stream may have waiting; a screen further behind reloads at its next event.
const BUFFER: usize = 16;

/// Open event streams one person may hold in this process: their phone, a tablet and a few
/// tabs.
pub const STREAMS_PER_PERSON: usize = 8;

/// What a stream is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum News {
    /// A conversation has a new message (its thread id).
    Message(String),
    /// The day of a child on a board the person sees changed: a check-in or check-out, an
    /// absence, a pick-up note. Which child is not said: the screen fetches its board again.
    Board,
}

/// One open stream's sending end.
struct Sink {
    id: u64,
    session_hash: String,
    /// When it opened (the app's clock): it hears of what happens from then on.
    since: i64,
    /// A stream of a session switched in on a shared tablet: it hears of the board only, never
    /// of conversations.
    board_only: bool,
    tx: mpsc::Sender<News>,
}

/// This process's open event streams, by person.
#[derive(Clone, Default)]
pub struct Hub {
    streams: Arc<Mutex<HashMap<String, Vec<Sink>>>>,
    next: Arc<AtomicU64>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("open", &self.open()).finish()
    }
}

/// One open stream: its events arrive on `rx`; dropping it closes the stream's place.
pub struct Subscription {
    hub: Hub,
    person_id: String,
    id: u64,
    pub rx: mpsc::Receiver<News>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut streams = self.hub.lock();
        if let Some(sinks) = streams.get_mut(&self.person_id) {
            sinks.retain(|s| s.id != self.id);
            if sinks.is_empty() {
                streams.remove(&self.person_id);
            }
        }
    }
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Sink>>> {
        self.streams.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new stream for `person_id`'s session `session_hash`, unless they hold
    /// [`STREAMS_PER_PERSON`] in this process.
    pub fn subscribe(&self, person_id: &str, session_hash: &str, now: i64) -> Option<Subscription> {
        self.subscribe_as(person_id, session_hash, now, false)
    }

    /// As [`Hub::subscribe`]; a `board_only` stream hears of nothing but the board.
    pub fn subscribe_as(
        &self,
        person_id: &str,
        session_hash: &str,
        now: i64,
        board_only: bool,
    ) -> Option<Subscription> {
        let mut streams = self.lock();
        let sinks = streams.entry(person_id.to_owned()).or_default();
        if sinks.len() >= STREAMS_PER_PERSON {
            return None;
        }
        let (tx, rx) = mpsc::channel(BUFFER);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        sinks.push(Sink { id, session_hash: session_hash.to_owned(), since: now, board_only, tx });
        Some(Subscription { hub: self.clone(), person_id: person_id.to_owned(), id, rx })
    }

    /// How many streams are open in this process.
    pub fn open(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    /// Tells `readers`' open streams that `thread_id` has news (made at `at`, when known: a
    /// stream opened after it has loaded it already, and a reader who has since lost access
    /// does not hear of it).
    pub fn deliver(&self, thread_id: &str, readers: &[String], at: Option<i64>) {
        self.tell(&News::Message(thread_id.to_owned()), readers, at);
    }

    /// Tells `readers`' open streams `news` (made at `at`, when known).
    pub fn tell(&self, news: &News, readers: &[String], at: Option<i64>) {
        let streams = self.lock();
        for person in readers {
            for sink in streams.get(person).into_iter().flatten() {
                if at.is_some_and(|at| at < sink.since)
                    || (sink.board_only && !matches!(news, News::Board))
                {
                    continue;
                }
                // A full stream is far behind; it reloads at its next event.
                let _ = sink.tx.try_send(news.clone());
            }
        }
    }

    /// Ends the open streams of the sessions `ended`.
    pub fn end_sessions(&self, ended: &HashSet<String>) {
        let mut streams = self.lock();
        for sinks in streams.values_mut() {
            sinks.retain(|s| !ended.contains(&s.session_hash));
        }
        streams.retain(|_, sinks| !sinks.is_empty());
    }

    fn sessions(&self) -> Vec<String> {
        let set: HashSet<String> =
            self.lock().values().flatten().map(|s| s.session_hash.clone()).collect();
        set.into_iter().collect()
    }

    /// Starts carrying news from the database to this hub, and ending streams whose sessions
    /// have ended, for the life of the process.
    pub fn start(&self, db: &Database, database_url: &str) {
        let (hub, db2, url) = (self.clone(), db.clone(), database_url.to_owned());
        tokio::spawn(async move {
            match db2.engine {
                Engine::Postgres => listen(hub, db2, &url).await,
                Engine::Sqlite => poll(hub, db2).await,
            }
        });
        let (hub, db) = (self.clone(), db.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(SWEEP).await;
                if let Err(e) = sweep(&hub, &db).await {
                    tracing::warn!(error = %e, "checking the sessions of open event streams");
                }
            }
        });
    }
}

/// Announces a new message in `thread_id` to every process (called after the commit).
pub async fn announce(db: &Database, thread_id: &str) {
    // This process's poller (SQLite) looks now.
    db.written.notify_one();
    if db.engine == Engine::Postgres
        && let Err(e) = sql::run(&db.pool, "SELECT pg_notify($1, $2)", (CHANNEL, thread_id)).await
    {
        // The message is stored; open screens will see it at their next load.
        tracing::warn!(error = %e, "announcing a new message");
    }
}

/// Announces that the day of `child_id` changed (a check-in or check-out, an absence, a
/// pick-up note) to every process, so that the boards showing the child fetch it again
/// (called after the commit). With SQLite the change is a row the pollers read; with
/// PostgreSQL a notification.
pub async fn announce_day(db: &Database, child_id: &str) {
    let sent = match db.engine {
        Engine::Postgres => {
            sql::run(&db.pool, "SELECT pg_notify($1, $2)", (DAY_CHANNEL, child_id)).await
        }
        Engine::Sqlite => {
            sql::run(
                &db.pool,
                "INSERT INTO day_change (id, child_id, created_at) VALUES ($1, $2, $3)",
                (crate::backend::repo::new_id(), child_id, db.clock.now_ms()),
            )
            .await
        }
    };
    if let Err(e) = sent {
        // The change is stored; boards show it at their next load.
        tracing::warn!(error = %e, "announcing a change of a child's day");
    }
    db.written.notify_one();
}

/// The staff of every unit where `child_id` is enrolled today, whose boards show the child, and
/// the child's guardians (their page shows the check-in), if this process has streams open.
async fn day_news(hub: &Hub, db: &Database, child_id: &str, at: Option<i64>) {
    if hub.open() == 0 {
        return;
    }
    let today = db.clock.today();
    let people: Result<Vec<(String,)>, _> = sql::all(
        &db.pool,
        "SELECT r.person_id FROM enrollment e
         JOIN class_group g ON g.id = e.group_id
         JOIN staff_role r ON r.unit_id = g.unit_id
         WHERE e.child_id = $1 AND e.valid_from <= $2 AND (e.valid_to IS NULL OR e.valid_to > $2)
         UNION
         SELECT gs.person_id FROM guardianship gs
         WHERE gs.child_id = $1 AND (gs.valid_from IS NULL OR gs.valid_from <= $2)
           AND (gs.valid_to IS NULL OR gs.valid_to > $2)",
        (child_id, &today),
    )
    .await;
    match people {
        Ok(rows) => {
            let people: Vec<String> = rows.into_iter().map(|(p,)| p).collect();
            hub.tell(&News::Board, &people, at);
        }
        Err(e) => tracing::warn!(error = %e, "finding whose boards show a child"),
    }
}

/// A session was ended here (a logout): its streams end now, in this process and the others.
pub async fn session_ended(state: &AppState, session_hash: &str) {
    state.events.end_sessions(&HashSet::from([session_hash.to_owned()]));
    if state.db.engine == Engine::Postgres
        && let Err(e) =
            sql::run(&state.db.pool, "SELECT pg_notify($1, $2)", (SESSION_CHANNEL, session_hash))
                .await
    {
        tracing::warn!(error = %e, "announcing an ended session");
    }
}

/// The readers of the newest message of `thread_id` (recorded with its event) and its author
/// (their other screens), if this process has any stream open.
async fn news(hub: &Hub, db: &Database, thread_id: &str, event: Option<(&str, i64)>) {
    if hub.open() == 0 {
        return;
    }
    let readers: Result<Vec<(String,)>, _> = sql::all(
        &db.pool,
        "SELECT person_id FROM notice_recipient WHERE event_id = COALESCE($2,
             (SELECT id FROM notice_event WHERE thread_id = $1 ORDER BY created_at DESC, id DESC
              LIMIT 1))
         UNION
         SELECT m.author_id FROM thread t JOIN message m ON m.id = t.last_message_id
         WHERE t.id = $1",
        (thread_id, event.map(|(id, _)| id)),
    )
    .await;
    match readers {
        Ok(rows) => {
            let readers: Vec<String> = rows.into_iter().map(|(p,)| p).collect();
            hub.deliver(thread_id, &readers, event.map(|(_, at)| at));
        }
        Err(e) => tracing::warn!(error = %e, "finding who reads a new message"),
    }
}

async fn listen(hub: Hub, db: Database, url: &str) {
    // Reconnects after a lost connection, waiting longer each time (up to a minute) so that a
    // database that is down is not hammered.
    let mut wait = Duration::from_secs(1);
    loop {
        match sqlx::postgres::PgListener::connect(url).await {
            Ok(mut listener) => {
                match listener.listen_all([CHANNEL, SESSION_CHANNEL, DAY_CHANNEL]).await {
                    Ok(()) => {
                        wait = Duration::from_secs(1);
                        loop {
                            match listener.recv().await {
                                Ok(n) if n.channel() == SESSION_CHANNEL => {
                                    hub.end_sessions(&HashSet::from([n.payload().to_owned()]));
                                }
                                Ok(n) if n.channel() == DAY_CHANNEL => {
                                    day_news(&hub, &db, n.payload(), None).await
                                }
                                Ok(n) => news(&hub, &db, n.payload(), None).await,
                                Err(e) => {
                                    tracing::warn!(error = %e, "receiving message notifications");
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "listening for new messages"),
                }
            }
            Err(e) => tracing::warn!(error = %e, "connecting to listen for new messages"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(60));
    }
}

async fn poll(hub: Hub, db: Database) {
    // Events committed a little out of order (another process, a slow transaction) are caught
    // by looking a few seconds back and remembering what was already announced.
    const LOOK_BACK_MS: i64 = 5_000;
    let mut since = db.clock.now_ms();
    let mut since_day = since;
    let mut rounds: u64 = 0;
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        // Another process's news comes at the next round; this one's at once.
        let _ = tokio::time::timeout(POLL, db.written.notified()).await;
        let rows: Result<Vec<(String, String, i64)>, _> = sql::all(
            &db.pool,
            "SELECT id, thread_id, created_at FROM notice_event
             WHERE thread_id IS NOT NULL AND created_at > $1 ORDER BY created_at LIMIT 1000",
            (since - LOOK_BACK_MS,),
        )
        .await;
        match rows {
            Ok(rows) => {
                for (id, thread_id, at) in rows {
                    since = since.max(at);
                    if seen.insert(id.clone()) {
                        news(&hub, &db, &thread_id, Some((&id, at))).await;
                    }
                }
                if seen.len() > 10_000 {
                    seen.clear();
                }
            }
            Err(e) => tracing::warn!(error = %e, "looking for new messages"),
        }
        let changes: Result<Vec<(String, String, i64)>, _> = sql::all(
            &db.pool,
            "SELECT id, child_id, created_at FROM day_change
             WHERE created_at > $1 ORDER BY created_at LIMIT 1000",
            (since_day - LOOK_BACK_MS,),
        )
        .await;
        match changes {
            Ok(rows) => {
                for (id, child_id, at) in rows {
                    since_day = since_day.max(at);
                    if seen.insert(id) {
                        day_news(&hub, &db, &child_id, Some(at)).await;
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "looking for changes of children's days"),
        }
        rounds += 1;
        if rounds.is_multiple_of(600) {
            // About once a minute: what every process has long seen goes.
            let old = db.clock.now_ms() - DAY_CHANGE_KEPT_MS;
            if let Err(e) =
                sql::run(&db.pool, "DELETE FROM day_change WHERE created_at < $1", (old,)).await
            {
                tracing::warn!(error = %e, "sweeping old changes of children's days");
            }
        }
    }
}

/// Ends the streams whose sessions are gone or ran out, with one query per 500 sessions.
async fn sweep(hub: &Hub, db: &Database) -> sqlx::Result<()> {
    use sqlx::Row;
    let now = crate::backend::clock::real_now_secs();
    for chunk in hub.sessions().chunks(500) {
        let marks: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id_hash FROM session WHERE id_hash IN ({}) AND absolute_expires_at > $1
               AND last_seen_at + idle_timeout_secs > $1",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(now);
        for hash in chunk {
            query = query.bind(hash);
        }
        let alive: HashSet<String> = query
            .fetch_all(&db.pool)
            .await?
            .iter()
            .filter_map(|r| r.try_get::<String, _>("id_hash").ok())
            .collect();
        let ended: HashSet<String> =
            chunk.iter().filter(|h| !alive.contains(*h)).cloned().collect();
        if !ended.is_empty() {
            hub.end_sessions(&ended);
        }
    }
    Ok(())
}

/// `GET /api/events`: a server-sent event stream of `message` events (the thread id) for the
/// threads the logged-in person reads, as decided when each message was written, and `board`
/// events when the day of a child they see on a board (staff) or care for (guardians) changed.
/// It ends when the session does.
pub async fn events(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
) -> Response {
    let Some(axum::Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // Staff read only through a role.
    if user.audience == crate::domain::Audience::Staff {
        match crate::backend::access::has_staff_role(&state.db, &user.person_id).await {
            Ok(true) => {}
            Ok(false) => return StatusCode::FORBIDDEN.into_response(),
            Err(e) => {
                tracing::warn!(error = %e, "checking a staff member's roles for an event stream");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    }
    let now = state.db.clock.now_ms();
    let board_only = user.tablet.is_some();
    let Some(subscription) =
        state.events.subscribe_as(&user.person_id, &user.session_hash, now, board_only)
    else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let stream = futures::stream::unfold(subscription, |mut subscription| async move {
        let event = match subscription.rx.recv().await? {
            News::Message(thread_id) => Event::default().event("message").data(thread_id),
            // An event without data is not dispatched by browsers.
            News::Board => Event::default().event("board").data("changed"),
        };
        Some((Ok::<_, std::convert::Infallible>(event), subscription))
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_holds_a_bounded_number_of_streams_and_gets_them_back_as_they_close() {
        let hub = Hub::default();
        let open: Vec<Subscription> = (0..STREAMS_PER_PERSON)
            .map(|_| hub.subscribe("kari", "s1", 0).expect("a stream"))
            .collect();
        assert!(hub.subscribe("kari", "s1", 0).is_none());
        assert!(hub.subscribe("ola", "s2", 0).is_some(), "another person is not affected");
        drop(open);
        assert!(hub.subscribe("kari", "s1", 0).is_some());
        assert_eq!(hub.open(), 0, "nothing is kept for nobody");
    }

    #[tokio::test]
    async fn news_goes_only_to_its_readers_and_an_ended_session_closes_its_streams() {
        let hub = Hub::default();
        let mut kari = hub.subscribe("kari", "k", 100).unwrap();
        let mut per = hub.subscribe("per", "p", 100).unwrap();
        hub.deliver("t0", &["kari".to_owned()], Some(99));
        hub.deliver("t1", &["kari".to_owned()], Some(101));
        assert_eq!(kari.rx.recv().await, Some(News::Message("t1".into())), "not what was before");
        assert!(per.rx.try_recv().is_err(), "Per does not read t1");
        hub.end_sessions(&HashSet::from(["k".to_owned()]));
        assert_eq!(kari.rx.recv().await, None, "the stream ends with its session");
        hub.deliver("t2", &["per".to_owned()], None);
        assert_eq!(per.rx.recv().await, Some(News::Message("t2".into())));
    }

    #[tokio::test]
    async fn a_stream_on_a_shared_tablet_hears_of_the_board_and_never_of_conversations() {
        let hub = Hub::default();
        let mut tablet = hub.subscribe_as("leila", "on-tablet", 0, true).unwrap();
        let mut own = hub.subscribe("leila", "own-phone", 0).unwrap();
        let leila = ["leila".to_owned()];
        hub.deliver("t1", &leila, None);
        hub.tell(&News::Board, &leila, None);
        assert_eq!(tablet.rx.recv().await, Some(News::Board), "the message was not told");
        assert_eq!(own.rx.recv().await, Some(News::Message("t1".into())));
        assert_eq!(own.rx.recv().await, Some(News::Board));
    }
}
