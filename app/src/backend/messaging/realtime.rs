//! Tells open screens about new messages, also when the message was written through another
//! server process sharing the database. PostgreSQL carries the news with LISTEN/NOTIFY; with
//! SQLite (one machine, maybe several processes on one file) each process polls the message
//! table. Either way the news reaches this process's [`Hub`], and each open event stream
//! passes on only what its reader may see.

use super::threads;
use crate::backend::identity::CurrentUser;
use crate::backend::sql;
use crate::backend::{AppState, Database, Engine};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

const CHANNEL: &str = "ranselpost_message";
/// How often a SQLite process looks for new messages.
const POLL: Duration = Duration::from_millis(400);

/// Open event streams one person may hold in this process: their phone, a tablet and a few
/// tabs. Each stream checks every message's access in the database, so more would let one
/// account multiply the work of every message sent.
pub const STREAMS_PER_PERSON: usize = 8;

/// This process's fan-out of "thread X has a new message".
#[derive(Debug, Clone)]
pub struct Hub {
    sender: broadcast::Sender<String>,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { sender: broadcast::channel(1024).0, open: Arc::default() }
    }
}

/// One open stream, counted for its person until it is dropped.
pub struct StreamSlot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    person_id: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.person_id) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.person_id);
            }
        }
    }
}

impl Hub {
    /// A slot for another stream of `person_id`, unless they hold [`STREAMS_PER_PERSON`].
    pub fn open_stream(&self, person_id: &str) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(person_id.to_owned()).or_default();
        if *n >= STREAMS_PER_PERSON {
            return None;
        }
        *n += 1;
        Some(StreamSlot { open: self.open.clone(), person_id: person_id.to_owned() })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.sender.subscribe()
    }

    fn publish(&self, thread_id: String) {
        // No open stream is not an error.
        let _ = self.sender.send(thread_id);
    }

    /// Starts carrying news from the database to this hub, for the life of the process.
    pub fn start(&self, db: &Database, database_url: &str) {
        let hub = self.clone();
        let db = db.clone();
        let url = database_url.to_owned();
        tokio::spawn(async move {
            match db.engine {
                Engine::Postgres => listen(hub, &url).await,
                Engine::Sqlite => poll(hub, db).await,
            }
        });
    }
}

/// Announces a new message in `thread_id` to every process (called after the commit).
pub async fn announce(db: &Database, thread_id: &str) {
    if db.engine == Engine::Postgres
        && let Err(e) = sql::run(&db.pool, "SELECT pg_notify($1, $2)", (CHANNEL, thread_id)).await
    {
        // The message is stored; open screens will see it at their next load.
        tracing::warn!(error = %e, "announcing a new message");
    }
}

async fn listen(hub: Hub, url: &str) {
    // Reconnects after a lost connection, waiting longer each time (up to a minute) so that a
    // database that is down is not hammered.
    let mut wait = Duration::from_secs(1);
    loop {
        match sqlx::postgres::PgListener::connect(url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    wait = Duration::from_secs(1);
                    loop {
                        match listener.recv().await {
                            Ok(n) => hub.publish(n.payload().to_owned()),
                            Err(e) => {
                                tracing::warn!(error = %e, "receiving message notifications");
                                break;
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "listening for new messages"),
            },
            Err(e) => tracing::warn!(error = %e, "connecting to listen for new messages"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(60));
    }
}

async fn poll(hub: Hub, db: Database) {
    // Messages committed a little out of order (another process, a slow transaction) are
    // caught by looking a few seconds back and remembering what was already announced.
    const LOOK_BACK_MS: i64 = 5_000;
    let mut since = db.clock.now_ms();
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        tokio::time::sleep(POLL).await;
        let rows: Result<Vec<(String, String, i64)>, _> = sql::all(
            &db.pool,
            "SELECT id, thread_id, created_at FROM message WHERE created_at > $1
             ORDER BY created_at LIMIT 1000",
            (since - LOOK_BACK_MS,),
        )
        .await;
        match rows {
            Ok(rows) => {
                for (id, thread_id, at) in rows {
                    since = since.max(at);
                    if seen.insert(id) {
                        hub.publish(thread_id);
                    }
                }
                if seen.len() > 10_000 {
                    seen.clear();
                }
            }
            Err(e) => tracing::warn!(error = %e, "looking for new messages"),
        }
    }
}

/// `GET /api/events`: a server-sent event stream of `message` events (the thread id) for the
/// threads the logged-in person may read at the time of the event. It ends when the session
/// does.
pub async fn events(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
) -> Response {
    let Some(axum::Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // Staff read only through a role; each event is checked again below (a role can end while
    // the stream is open).
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
    let Some(slot) = state.events.open_stream(&user.person_id) else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let receiver = state.events.subscribe();
    let stream = futures::stream::unfold(
        (receiver, state, user, slot),
        |(mut receiver, state, user, slot)| async move {
            loop {
                let thread_id = match receiver.recv().await {
                    Ok(id) => id,
                    // Too far behind: tell the screen to reload its lists.
                    Err(broadcast::error::RecvError::Lagged(_)) => String::new(),
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                if !session_alive(&state, &user).await {
                    return None;
                }
                if thread_id.is_empty() || may_read(&state, &user, &thread_id).await {
                    let event = Event::default().event("message").data(thread_id);
                    return Some((
                        Ok::<_, std::convert::Infallible>(event),
                        (receiver, state, user, slot),
                    ));
                }
            }
        },
    );
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

async fn may_read(state: &AppState, user: &CurrentUser, thread_id: &str) -> bool {
    let today = state.today();
    match threads::get(&state.db, thread_id).await {
        Ok(Some(thread)) => {
            threads::can_read(&state.db, user, &thread, &today).await.unwrap_or(false)
        }
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(error = %e, "checking a new message for an event stream");
            false
        }
    }
}

async fn session_alive(state: &AppState, user: &CurrentUser) -> bool {
    crate::backend::identity::session::is_alive(&state.db, &user.session_hash)
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_holds_a_bounded_number_of_streams_and_gets_them_back_as_they_close() {
        let hub = Hub::default();
        let slots: Vec<StreamSlot> =
            (0..STREAMS_PER_PERSON).map(|_| hub.open_stream("kari").expect("a slot")).collect();
        assert!(hub.open_stream("kari").is_none());
        assert!(hub.open_stream("ola").is_some(), "another person is not affected");
        drop(slots);
        assert!(hub.open_stream("kari").is_some());
        assert!(hub.open.lock().unwrap().get("ola").is_none(), "nothing is kept for nobody");
    }
}
