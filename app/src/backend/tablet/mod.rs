//! Shared tablets of a unit: paired by a leader of the unit (`pairing`), used by its staff, who
//! switch in with a personal tablet PIN (`switch`) into a session that reaches only that unit's
//! children and the tablet screens (`access::Caller::on_tablet`). The tablet holds a
//! non-extractable P-256 key, as a guardian's phone does for quick unlock, and a long-lived
//! tablet cookie; the PIN alone opens nothing.

pub mod admin;
pub mod pairing;
pub mod switch;

use crate::backend::Database;
use crate::backend::identity::session::hash_token;
use crate::backend::repo::row_struct;
use crate::backend::sql;

/// The cookie a paired tablet holds (its hash is on the tablet's row). Over https `__Host-`
/// prefixed, which pins it to this origin (no sibling domain can plant one).
pub fn tablet_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-ranselpost_tablet" } else { "ranselpost_tablet" }
}

/// The cookie a tablet waiting to be paired polls with.
pub fn pairing_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-ranselpost_pairing" } else { "ranselpost_pairing" }
}

row_struct! {
    /// A live, paired tablet.
    pub struct Tablet {
        pub id: String,
        pub unit_id: String,
        pub name: String,
        pub public_key: String,
        pub unit_name: String,
        pub municipality_id: String,
    }
}

/// The tablet whose cookie this is, if it is paired and not unpaired since.
pub async fn by_cookie(db: &Database, token: &str) -> sqlx::Result<Option<Tablet>> {
    sql::opt(
        &db.pool,
        "SELECT t.id, t.unit_id, t.name, t.public_key, u.name AS unit_name, u.municipality_id
         FROM tablet t JOIN unit u ON u.id = t.unit_id
         WHERE t.cookie_hash = $1 AND t.revoked_at IS NULL",
        (hash_token(token),),
    )
    .await
}

/// The tablet whose cookie the request being answered carries, if it is paired.
pub async fn of_request(state: &crate::backend::AppState) -> sqlx::Result<Option<Tablet>> {
    let name = tablet_cookie_name(state.settings.session.secure);
    match crate::backend::cookies::from_request(name) {
        Some(token) if token.len() <= 64 => by_cookie(&state.db, &token).await,
        _ => Ok(None),
    }
}

/// The `Set-Cookie` value for a tablet cookie `name` = `value`, kept `max_age` seconds (0:
/// removed). HttpOnly and SameSite=Strict: no page script and no other site can send it.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The idle minutes of the tablet `caller` is switched in on; `None` off a tablet.
pub async fn idle_minutes_of(
    caller: &crate::backend::access::Caller,
) -> Result<Option<i64>, crate::error::AppError> {
    use crate::error::ResultExt;
    match caller.tablet_unit() {
        Some(unit) => Ok(Some(
            idle_minutes(&caller.state.db, unit).await.context("loading a unit's idle minutes")?,
        )),
        None => Ok(None),
    }
}

/// Minutes without a touch before a tablet of `unit_id` locks.
pub async fn idle_minutes(db: &Database, unit_id: &str) -> sqlx::Result<i64> {
    let row: Option<(i64,)> = sql::opt(
        &db.pool,
        "SELECT idle_minutes FROM unit_tablet_settings WHERE unit_id = $1",
        (unit_id,),
    )
    .await?;
    Ok(row.map_or(crate::domain::tablet::DEFAULT_IDLE_MINUTES, |(m,)| m))
}

/// Ends the session the request's browser has, if any (a tablet: the next person switches in,
/// or "Lås"), in every process.
pub async fn end_this_browsers_session(state: &crate::backend::AppState) {
    use crate::backend::identity::session;
    let settings = &state.settings.session;
    if let Some(token) = crate::backend::cookies::from_request(settings.cookie_name()) {
        // This browser stops getting that person's push notices, as at a logout.
        let person = session::look_up(&state.db, &token, false).await.ok().and_then(|r| r.ok());
        let browser =
            crate::backend::cookies::from_request(crate::backend::notify::prefs::BROWSER_COOKIE);
        if let (Some(row), Some(browser)) = (person, browser)
            && let Err(e) = crate::backend::notify::prefs::forget_browser(
                &state.db,
                &row.person_id,
                &session::hash_token(&browser),
            )
            .await
        {
            tracing::warn!(error = %e, "stopping a tablet's push for the person leaving it");
        }
        let hash = session::hash_token(&token);
        if let Err(e) = session::delete_by_hash(&state.db, &hash).await {
            tracing::warn!(error = %e, "ending a tablet's previous session");
        }
        crate::backend::messaging::realtime::session_ended(state, &hash).await;
    }
}
