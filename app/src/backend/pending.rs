//! Forms sent after the session ran out. A parent writes a long message, the phone sleeps, the
//! session ends; "Send" then arrives without a session. Nothing typed may be lost and no raw
//! error may show: the post is kept here for an hour, bound to this browser by a cookie, and the
//! browser goes to the front page, which says to log in again. The first login (or quick
//! unlock) on this browser turns it into a kept form of that person (`backend::kept`) and goes
//! back to the same screen with the text in it, to be read over and sent.
//!
//! Only the person whose session it was gets it back (`session_owner` remembers whose a session
//! was past its end, whatever ended it): on a shared tablet or a family's iPad the next person to
//! log in never sees it. A post whose cookie names no known session (the browser's cookies were
//! cleared) is not kept, since nobody could tell whose it is; it leads to the login and back to
//! its page. One kept post per person: a newer one replaces it, so the table stays small even
//! when posts come in a flood.

// Ids from an unauthenticated post go into a path, so nothing but an id is taken.
use crate::backend::identity::CurrentUser;
use crate::backend::identity::next;
use crate::backend::kept::{self, cut};
use crate::backend::repo::new_id;
use crate::backend::{AppState, Database, sql};
use crate::domain::absence::AbsenceForm;
use crate::domain::board::PickupForm;
use crate::domain::input::is_id;
use crate::domain::messaging::MessageFields;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The cookie binding a kept post to the browser that sent it.
pub const PENDING_COOKIE: &str = "ranselpost_pending";

/// How long a post waits for its person to log in again.
const KEEP_MS: i64 = 3600 * 1000;

/// The most fields, and the longest value, kept of one post (the longest form field is a
/// message of 10,000 characters), and the most bytes of them all.
const MAX_FIELDS: usize = 20;
const MAX_VALUE_CHARS: usize = crate::domain::guard::MAX_MESSAGE_CHARS;
const MAX_BYTES: usize = 48 * 1024;

/// The person whose session a request's cookie named, when that session had ended: put on the
/// request by the session middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedSession(pub String);

/// The server functions whose forms can be given back after a login; any other form post
/// without a session just leads to the login and back to its page.
const KEEPABLE: [&str; 5] = [
    "/api/child/start_thread",
    "/api/messages/reply",
    "/api/messages/send_group",
    "/api/child/report_absence",
    "/api/child/write_pickup",
];

/// A kept post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub endpoint: String,
    pub fields: Vec<(String, String)>,
    pub person_hint: String,
}

impl Pending {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn text(&self, name: &str) -> String {
        self.field(name).unwrap_or_default().to_owned()
    }

    /// An id field, only when it looks like one (it goes into a path).
    fn id(&self, name: &str) -> Option<String> {
        self.field(name).filter(|v| is_id(v)).map(str::to_owned)
    }
}

/// Middleware, inside the session's: a plain form post (no JavaScript, or before the WASM)
/// to a server function without a live session is kept and answered with the way to log in,
/// instead of the server function's bare 401.
pub async fn keep_posts_without_session(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if !path.starts_with("/api/")
        || OPEN.iter().any(|open| path.starts_with(open))
        || !is_plain_form_post(&req)
        || req.extensions().get::<CurrentUser>().is_some()
    {
        return next.run(req).await;
    }
    let secure = state.settings.session.secure;
    let hint = req.extensions().get::<EndedSession>().map(|e| e.0.clone());
    // The page the form was on (already narrowed to a path of this site).
    let page = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut cookies: Vec<String> =
        page.and_then(|p| next::remember(&p, secure)).into_iter().collect();
    let mut location = crate::domain::identity::LOGIN_FIRST;
    if let Some(hint) = hint.filter(|_| KEEPABLE.contains(&path.as_str())) {
        let Ok(axum::Form(fields)) =
            axum::Form::<Vec<(String, String)>>::from_request(req, &()).await
        else {
            return (StatusCode::BAD_REQUEST, "bad form").into_response();
        };
        match keep(&state.db, &path, fields, &hint).await {
            Ok(id) => {
                let secure = if secure { "; Secure" } else { "" };
                cookies.push(format!(
                    "{PENDING_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600{secure}"
                ));
                location = crate::domain::identity::SESSION_ENDED;
            }
            Err(e) => tracing::error!(error = %e, "keeping a form sent without a session"),
        }
    }
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_static(location));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Server functions answered without a session (the public directory, quick unlock, a tablet's
/// lock): a post to them is never sent to log in.
const OPEN: [&str; 5] = [
    "/api/public/",
    "/api/device/challenge",
    "/api/device/unlock",
    "/api/device/passkey/unlock/",
    // "Lås" on a tablet whose session has just run out still goes back to the staff tiles.
    "/api/tablet/lock",
];

/// A form as a browser posts it by itself, as a page load: URL-encoded and asking for a page.
/// The server functions' own client (in an island) asks for JSON and handles a 401 itself, and
/// other programs get the plain 401.
fn is_plain_form_post(req: &Request) -> bool {
    let header = |name| req.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    req.method() == axum::http::Method::POST
        && header(header::CONTENT_TYPE)
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
        && header(header::ACCEPT).is_some_and(|a| a.contains("text/html"))
}

/// Keeps a post to `endpoint` (its fields cut to the limits) for `person_id`, whose session
/// the post's cookie named, in place of any post kept for them before; the id for the
/// browser's cookie.
pub async fn keep(
    db: &Database,
    endpoint: &str,
    fields: Vec<(String, String)>,
    person_id: &str,
) -> sqlx::Result<String> {
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut bytes = 0;
    for (mut name, mut value) in fields.into_iter().take(MAX_FIELDS) {
        cut(&mut name, 80);
        cut(&mut value, MAX_VALUE_CHARS);
        bytes += name.len() + value.len();
        if bytes > MAX_BYTES {
            break;
        }
        kept.push((name, value));
    }
    let json = serde_json::to_string(&kept).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let id = new_id();
    let now = crate::backend::clock::real_now_ms();
    let mut tx = db.pool.begin().await?;
    sql::run(&mut *tx, "DELETE FROM pending_form WHERE person_hint = $1", (person_id,)).await?;
    sql::run(
        &mut *tx,
        "INSERT INTO pending_form (id, endpoint, fields, person_hint, created_at)
         VALUES ($1, $2, $3, $4, $5)",
        (&id, endpoint, &json, person_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes kept post `id` of `person_id` (once: a second take finds nothing), if it is still
/// fresh. Someone else's is left where it is.
pub async fn take(db: &Database, id: &str, person_id: &str) -> sqlx::Result<Option<Pending>> {
    let row: Option<(String, String, String, i64)> = sql::opt(
        &db.pool,
        "DELETE FROM pending_form WHERE id = $1 AND person_hint = $2
         RETURNING endpoint, fields, person_hint, created_at",
        (id, person_id),
    )
    .await?;
    let fresh = crate::backend::clock::real_now_ms() - KEEP_MS;
    Ok(row.filter(|r| r.3 >= fresh).and_then(|(endpoint, fields, person_hint, _)| {
        let fields = serde_json::from_str(&fields).ok()?;
        Some(Pending { endpoint, fields, person_hint })
    }))
}

/// After `person_id` has logged in (or unlocked) on a browser that sent a post without a
/// session (`cookie_header` holds its id): the post, kept as a form of that person, and the
/// page that shows it again. Nothing when there is none, it is stale, or it was another
/// person's.
pub async fn adopt(
    db: &Database,
    person_id: &str,
    cookie_header: &str,
) -> sqlx::Result<Option<String>> {
    let Some(id) = crate::backend::cookies::named(cookie_header, PENDING_COOKIE) else {
        return Ok(None);
    };
    let Some(pending) = take(db, &id, person_id).await? else { return Ok(None) };
    restore(db, person_id, &pending).await
}

/// The `Set-Cookie` value that forgets the kept post's id.
pub fn forget(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{PENDING_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Keeps `pending` as a form of `person_id`, as its own page keeps a refused form; the page
/// that shows it again.
async fn restore(
    db: &Database,
    person_id: &str,
    pending: &Pending,
) -> sqlx::Result<Option<String>> {
    use crate::backend::day::{reporting, tablet};
    use crate::backend::messaging::{compose, conversation, group};
    const PROBLEM: &str = "error.session_kept";
    let message = |recipient: Option<String>| MessageFields {
        subject: pending.text("subject"),
        body: pending.text("body"),
        recipient,
    };
    let (target, page, id) = match pending.endpoint.as_str() {
        "/api/child/start_thread" => {
            let Some(child) = pending.id("child_id") else { return Ok(None) };
            let fields = message(pending.field("recipient").map(str::to_owned));
            let target = compose::draft_target(&child);
            let id = kept::keep(db, person_id, &target, &fields, PROBLEM).await?;
            (target, compose::form_path(&child), id)
        }
        "/api/messages/reply" => {
            let Some(thread) = pending.id("thread_id") else { return Ok(None) };
            let fields = message(pending.id("child_id"));
            let target = conversation::draft_target(&thread);
            let id = kept::keep(db, person_id, &target, &fields, PROBLEM).await?;
            (target, format!("/samtale/{thread}"), id)
        }
        "/api/messages/send_group" => {
            let fields = message(pending.field("target").map(str::to_owned));
            let id = kept::keep(db, person_id, group::DRAFT_TARGET, &fields, PROBLEM).await?;
            (group::DRAFT_TARGET.to_owned(), "/ansatt/gruppemelding".to_owned(), id)
        }
        "/api/child/report_absence" => {
            let Some(child) = pending.id("child_id") else { return Ok(None) };
            let form = |name: &str| pending.text(&format!("form[{name}]"));
            let fields = AbsenceForm {
                when: form("when"),
                first_day: form("first_day"),
                last_day: form("last_day"),
                part: form("part"),
                from_time: form("from_time"),
                to_time: form("to_time"),
                kind: form("kind"),
                note: form("note"),
            };
            let editing = pending.id("absence_id");
            let page = if fields.kind == "leave" { "permisjon" } else { "fravaer" };
            let id = reporting::keep(db, person_id, &child, &fields, editing, PROBLEM).await?;
            (reporting::draft_target(&child), format!("/barn/{child}/{page}"), id)
        }
        "/api/child/write_pickup" => {
            let Some(child) = pending.id("child_id") else { return Ok(None) };
            let fields = PickupForm {
                who: pending.text("who"),
                at_time: pending.text("at_time"),
                day: pending.text("day"),
                comment: pending.text("comment"),
            };
            let target = tablet::pickup_draft_target(&child);
            let id = kept::keep(db, person_id, &target, &fields, PROBLEM).await?;
            (target, format!("/barn/{child}/henting"), id)
        }
        _ => return Ok(None),
    };
    tracing::info!(form = target.split(':').next(), "a form sent without a session was given back");
    Ok(Some(kept::form_at(&page, &id)))
}

/// Removes kept posts older than an hour, and what is remembered of ended sessions past its
/// time.
pub async fn expire(db: &Database) -> sqlx::Result<u64> {
    let before = crate::backend::clock::real_now_ms() - KEEP_MS;
    let posts = sql::run(&db.pool, "DELETE FROM pending_form WHERE created_at < $1", (before,))
        .await?
        .rows_affected();
    Ok(posts + crate::backend::identity::session::forget_owners(db).await?)
}

#[cfg(test)]
mod tests;
