//! Server-side sessions in the database, so several server processes can share them.
//!
//! The cookie carries 32 random bytes; the table keeps only their SHA-256. A session ends at the
//! first of: logout, its idle timeout (short for staff on shared tablets), its absolute lifetime,
//! or a logout message from the identity provider.

use crate::backend::Database;
use crate::backend::repo::{now, row_struct};
use crate::backend::sql;
use crate::domain::{Audience, DisplayName};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Minutes without use before a guardian's session ends (`--guardian-idle-minutes`).
pub const GUARDIAN_IDLE_MINUTES: u32 = 60;
/// Minutes without use before a staff session ends (`--staff-idle-minutes`): shared tablets.
pub const STAFF_IDLE_MINUTES: u32 = 15;
/// Hours a session lives at most, however busy (`--session-hours`).
pub const SESSION_HOURS: u32 = 12;

/// Session lifetimes and cookie flavour.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub guardian_idle_secs: i64,
    pub staff_idle_secs: i64,
    pub absolute_secs: i64,
    /// Served over https: the cookie is `Secure` and `__Host-` prefixed.
    pub secure: bool,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            guardian_idle_secs: i64::from(GUARDIAN_IDLE_MINUTES) * 60,
            staff_idle_secs: i64::from(STAFF_IDLE_MINUTES) * 60,
            absolute_secs: i64::from(SESSION_HOURS) * 3600,
            secure: false,
        }
    }
}

impl SessionSettings {
    /// `__Host-` requires Secure, Path=/ and no Domain, which pins the cookie to this origin.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure { "__Host-ranselpost_session" } else { "ranselpost_session" }
    }

    /// The `Set-Cookie` value that stores `token`.
    pub fn set_cookie(&self, token: &str) -> String {
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax{}",
            self.cookie_name(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(&self) -> String {
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            self.cookie_name(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    fn idle_secs(&self, audience: Audience) -> i64 {
        match audience {
            Audience::Guardian => self.guardian_idle_secs,
            Audience::Staff => self.staff_idle_secs,
        }
    }
}

/// The person behind the current request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub person_id: String,
    pub audience: Audience,
    pub municipality_id: String,
    pub name: DisplayName,
    /// SHA-256 of the session token: identifies the session without being able to open it.
    pub session_hash: String,
    /// Switched in on a shared tablet with a tablet PIN: the session reaches only that unit's
    /// children and the tablet screens (`access::Caller`).
    pub tablet: Option<TabletSeat>,
}

/// The tablet a PIN session is bound to, and its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabletSeat {
    pub tablet_id: String,
    pub unit_id: String,
}

/// The current user of this request, as the session middleware found it. Works in server
/// functions and during server-side rendering.
pub fn current_user() -> Option<CurrentUser> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
}

row_struct! {
    /// A session as stored: only the token's hash, and its lifetimes.
    pub struct SessionRow {
        pub id_hash: String,
        pub person_id: String,
        pub role: String,
        pub municipality_id: String,
        pub provider_id: String,
        pub idp_sid: Option<String>,
        pub id_token: Option<String>,
        pub last_seen_at: i64,
        pub idle_timeout_secs: i64,
        pub absolute_expires_at: i64,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        pub tablet_id: Option<String>,
        pub tablet_unit_id: Option<String>,
        /// The hash of the tablet's own cookie: a tablet session is used only together with it.
        pub tablet_cookie_hash: Option<String>,
    }
}

impl SessionRow {
    pub fn current_user(&self) -> Option<CurrentUser> {
        // A tablet session whose tablet is gone is nobody's: never a full staff session.
        if self.tablet_id.is_some() && self.tablet_unit_id.is_none() {
            return None;
        }
        Some(CurrentUser {
            person_id: self.person_id.clone(),
            audience: Audience::parse(&self.role)?,
            municipality_id: self.municipality_id.clone(),
            name: DisplayName::from_register(
                &self.given_names,
                self.middle_name.as_deref(),
                &self.surname,
            ),
            session_hash: self.id_hash.clone(),
            tablet: self
                .tablet_id
                .clone()
                .zip(self.tablet_unit_id.clone())
                .map(|(tablet_id, unit_id)| TabletSeat { tablet_id, unit_id }),
        })
    }
}

/// A fresh random token for a cookie or a login attempt (256 bits, URL-safe).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256, hex: how tokens are stored.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A session to start after a login or a quick unlock.
pub struct NewSession<'a> {
    pub person_id: &'a str,
    pub audience: Audience,
    pub municipality_id: &'a str,
    pub provider_id: &'a str,
    pub idp_sid: Option<&'a str>,
    pub idp_sub: Option<&'a str>,
    pub id_token: Option<&'a str>,
    /// The device credential that unlocked this session; `None` for an ID-porten login.
    pub device_credential_id: Option<&'a str>,
    /// When the person authenticated at the provider (`auth_time`); `None` for a quick unlock
    /// or when the provider did not say.
    pub authenticated_at: Option<i64>,
    /// The shared tablet a tablet PIN opened this session on, with its unit's idle minutes
    /// (in seconds) instead of the audience's; `None` for a login or a quick unlock.
    pub tablet: Option<(&'a str, i64)>,
}

/// Starts a session and returns the token for the cookie. A new token every login: the session
/// id is never carried over from before the login (no session fixation).
pub async fn create(
    db: &Database,
    settings: &SessionSettings,
    new: &NewSession<'_>,
) -> sqlx::Result<String> {
    let token = random_token();
    let now = now();
    let mut tx = db.pool.begin().await?;
    sql::run(
        &mut *tx,
        "INSERT INTO session (id_hash, person_id, role, municipality_id, provider_id, idp_sid,
             idp_sub, id_token, created_at, last_seen_at, idle_timeout_secs, absolute_expires_at,
             device_credential_id, authenticated_at, tablet_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14)",
        (
            hash_token(&token),
            new.person_id,
            new.audience.as_str(),
            new.municipality_id,
            new.provider_id,
            new.idp_sid,
            new.idp_sub,
            new.id_token,
            now,
            new.tablet.map_or(settings.idle_secs(new.audience), |(_, idle)| idle),
            now + settings.absolute_secs,
            new.device_credential_id,
            new.authenticated_at,
            new.tablet.map(|(tablet_id, _)| tablet_id),
        ),
    )
    .await?;
    // Whose it was, for a form sent after it has ended (`backend::pending`).
    sql::run(
        &mut *tx,
        "INSERT INTO session_owner (id_hash, person_id, keep_until) VALUES ($1, $2, $3)",
        (hash_token(&token), new.person_id, now + settings.absolute_secs + OWNER_KEPT_SECS),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// How long past a session's absolute lifetime it is remembered whose it was.
const OWNER_KEPT_SECS: i64 = 3600;

/// The person whose session (live or ended, by any means) `token` was, while that is kept.
pub async fn owner(db: &Database, token: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT person_id FROM session_owner WHERE id_hash = $1 AND keep_until > $2",
        (hash_token(token), now()),
    )
    .await?;
    Ok(row.map(|(person_id,)| person_id))
}

/// Forgets whose sessions were, past their time.
pub async fn forget_owners(db: &Database) -> sqlx::Result<u64> {
    Ok(sql::run(&db.pool, "DELETE FROM session_owner WHERE keep_until <= $1", (now(),))
        .await?
        .rows_affected())
}

/// The live session for `token`, refreshing its idle timer. An expired one is deleted.
pub async fn load(db: &Database, token: &str) -> sqlx::Result<Option<SessionRow>> {
    Ok(look_up(db, token, true).await?.ok())
}

/// The live session for `token` as [`load`] finds it, or else the person whose session it was
/// (ended by expiry, now or before, by logout or revocation), `None` when that is not known.
/// `touched`: the person did something (not a page part fetched by itself in the background,
/// which must not keep a shared tablet's session open), so the idle timer starts again.
pub async fn look_up(
    db: &Database,
    token: &str,
    touched: bool,
) -> sqlx::Result<Result<SessionRow, Option<String>>> {
    let id_hash = hash_token(token);
    let row: Option<SessionRow> = sql::opt(
        &db.pool,
        "SELECT s.id_hash, s.person_id, s.role, s.municipality_id, s.provider_id, s.idp_sid,
                s.id_token, s.last_seen_at, s.idle_timeout_secs, s.absolute_expires_at,
                p.given_names, p.middle_name, p.surname, s.tablet_id, t.unit_id AS tablet_unit_id,
                t.cookie_hash AS tablet_cookie_hash
         FROM session s JOIN person p ON p.id = s.person_id
         LEFT JOIN tablet t ON t.id = s.tablet_id AND t.revoked_at IS NULL
         WHERE s.id_hash = $1",
        (&id_hash,),
    )
    .await?;
    let Some(row) = row else { return Ok(Err(owner(db, token).await?)) };
    let now = now();
    if now >= row.absolute_expires_at || now - row.last_seen_at >= row.idle_timeout_secs {
        delete_by_hash(db, &id_hash).await?;
        return Ok(Err(Some(row.person_id)));
    }
    // One write a minute at most (half the idle time for a shorter one): enough precision for
    // idle timeouts of minutes, and a session in use never runs out between two writes.
    if touched && now - row.last_seen_at >= (row.idle_timeout_secs / 2).clamp(1, 60) {
        sql::run(
            &db.pool,
            "UPDATE session SET last_seen_at = $1 WHERE id_hash = $2",
            (now, &id_hash),
        )
        .await?;
    }
    Ok(Ok(row))
}

/// Whether the session with this hash is still live, without refreshing its idle timer (a
/// background event stream must not keep a shared tablet's session open).
pub async fn is_alive(db: &Database, id_hash: &str) -> sqlx::Result<bool> {
    let now = now();
    Ok(sqlx::query(
        "SELECT 1 AS ok FROM session
         WHERE id_hash = $1 AND absolute_expires_at > $2 AND last_seen_at + idle_timeout_secs > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

pub async fn delete_by_hash(db: &Database, id_hash: &str) -> sqlx::Result<()> {
    sql::run(&db.pool, "DELETE FROM session WHERE id_hash = $1", (id_hash,)).await?;
    Ok(())
}

/// Ends every session that a provider's session `sid` opened (front/back-channel logout).
pub async fn delete_by_idp_sid(db: &Database, provider_id: &str, sid: &str) -> sqlx::Result<u64> {
    Ok(sql::run(
        &db.pool,
        "DELETE FROM session WHERE provider_id = $1 AND idp_sid = $2",
        (provider_id, sid),
    )
    .await?
    .rows_affected())
}

/// Ends every session a provider opened for its subject `sub` (back-channel logout by `sub`).
pub async fn delete_by_idp_sub(db: &Database, provider_id: &str, sub: &str) -> sqlx::Result<u64> {
    Ok(sql::run(
        &db.pool,
        "DELETE FROM session WHERE provider_id = $1 AND idp_sub = $2",
        (provider_id, sub),
    )
    .await?
    .rows_affected())
}

/// Reads the session token from a `Cookie` header.
pub fn token_from_cookies(settings: &SessionSettings, cookie_header: &str) -> Option<String> {
    cookie_header.split(';').find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == settings.cookie_name() && !value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::on_both_engines;

    async fn seed_person_and_provider(db: &Database) {
        crate::backend::demo::seed(db).await.unwrap();
        sql::run(
            &db.pool,
            "INSERT INTO identity_provider (id, municipality_id, audience, issuer, client_id,
                 client_auth, client_secret, created_at)
             VALUES ('idp', '4601', 'guardian', 'https://idp.example', 'rp',
                 'client_secret_basic', 's', 0)",
            (),
        )
        .await
        .unwrap();
    }

    fn kari() -> NewSession<'static> {
        NewSession {
            person_id: "demo-person-kari",
            audience: Audience::Guardian,
            municipality_id: "4601",
            provider_id: "idp",
            idp_sid: Some("sid-1"),
            idp_sub: Some("sub-1"),
            id_token: Some("header.payload.signature"),
            device_credential_id: None,
            authenticated_at: Some(now()),
            tablet: None,
        }
    }

    async fn a_new_session_is_found_by_its_token_and_only_its_hash_is_stored(db: Database) {
        seed_person_and_provider(&db).await;
        let token = create(&db, &SessionSettings::default(), &kari()).await.unwrap();
        let row = load(&db, &token).await.unwrap().unwrap();
        let user = row.current_user().unwrap();
        assert_eq!(user.name.to_string(), "Kari Nordmann");
        assert_eq!(user.audience, Audience::Guardian);
        use sqlx::Row;
        let stored: String = sqlx::query("SELECT id_hash FROM session")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("id_hash");
        assert_ne!(stored, token);
        assert_eq!(stored, hash_token(&token));
        assert!(load(&db, "not-a-token").await.unwrap().is_none());
    }

    async fn an_idle_session_expires_and_is_deleted(db: Database) {
        seed_person_and_provider(&db).await;
        let token = create(&db, &SessionSettings::default(), &kari()).await.unwrap();
        sql::run(&db.pool, "UPDATE session SET last_seen_at = last_seen_at - 3601", ())
            .await
            .unwrap();
        assert!(load(&db, &token).await.unwrap().is_none());
        use sqlx::Row;
        let left: i64 = sqlx::query("SELECT COUNT(*) AS n FROM session")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(left, 0);
    }

    async fn a_staff_session_has_the_short_idle_timeout(db: Database) {
        seed_person_and_provider(&db).await;
        let staff =
            NewSession { person_id: "demo-staff-ingrid", audience: Audience::Staff, ..kari() };
        let token = create(&db, &SessionSettings::default(), &staff).await.unwrap();
        sql::run(&db.pool, "UPDATE session SET last_seen_at = last_seen_at - 901", ())
            .await
            .unwrap();
        assert!(load(&db, &token).await.unwrap().is_none());
    }

    async fn a_session_past_its_absolute_lifetime_expires_even_when_active(db: Database) {
        seed_person_and_provider(&db).await;
        let token = create(&db, &SessionSettings::default(), &kari()).await.unwrap();
        sql::run(&db.pool, "UPDATE session SET absolute_expires_at = $1", (now() - 1,))
            .await
            .unwrap();
        assert!(load(&db, &token).await.unwrap().is_none());
    }

    async fn a_provider_logout_by_sid_ends_the_matching_session_only(db: Database) {
        seed_person_and_provider(&db).await;
        let first = create(&db, &SessionSettings::default(), &kari()).await.unwrap();
        let other = NewSession { idp_sid: Some("sid-2"), ..kari() };
        let second = create(&db, &SessionSettings::default(), &other).await.unwrap();
        assert_eq!(delete_by_idp_sid(&db, "idp", "sid-1").await.unwrap(), 1);
        assert!(load(&db, &first).await.unwrap().is_none());
        assert!(load(&db, &second).await.unwrap().is_some());
    }

    #[test]
    fn the_cookie_is_host_prefixed_and_secure_over_https() {
        let https = SessionSettings { secure: true, ..SessionSettings::default() };
        let cookie = https.set_cookie("abc");
        assert!(
            cookie.starts_with("__Host-ranselpost_session=abc; Path=/; HttpOnly; SameSite=Lax")
        );
        assert!(cookie.ends_with("; Secure"));
        let http = SessionSettings::default().set_cookie("abc");
        assert!(!http.contains("Secure") && !http.contains("__Host-"));
        assert_eq!(
            token_from_cookies(&https, "a=b; __Host-ranselpost_session=tok; c=d").as_deref(),
            Some("tok")
        );
        assert_eq!(token_from_cookies(&https, "ranselpost_session=tok"), None);
    }

    on_both_engines!(
        a_new_session_is_found_by_its_token_and_only_its_hash_is_stored,
        an_idle_session_expires_and_is_deleted,
        a_staff_session_has_the_short_idle_timeout,
        a_session_past_its_absolute_lifetime_expires_even_when_active,
        a_provider_logout_by_sid_ends_the_matching_session_only
    );
}
