//! Switching staff on a paired tablet. Each staff member sets a personal tablet PIN (4–6
//! digits) once, from a full staff login (on the tablet or their own device); on a tablet of one
//! of their units they pick their tile and type it. The PIN alone is never enough: the tablet
//! signs a fresh challenge with its own non-extractable key, and its tablet cookie must name
//! it. Wrong PINs are counted per staff member in one statement each (attempts at the same time
//! each get their own number); at five within a day the PIN is locked until the staff member's
//! next full login.

use super::Tablet;
use crate::backend::identity::session::{self, NewSession, SessionSettings, random_token};
use crate::backend::limits::hashing::{Busy, HashSlots};
use crate::backend::repo::{new_id, row_struct};
use crate::backend::{Database, quick_unlock, sql};
use crate::domain::Audience;
use crate::domain::tablet::{StaffTile, SwitchAnswer, check_tablet_pin};
use crate::error::{AppError, ResultExt};

/// Wrong tablet PINs within [`FAILURE_WINDOW_MS`] before the staff member's tablet PIN locks.
pub const MAX_FAILURES: i64 = 5;
/// The window wrong PINs are counted in.
const FAILURE_WINDOW_MS: i64 = 24 * 3600 * 1000;
/// Every switch answer takes at least this long, so timing tells nothing about the PIN.
const MIN_ANSWER: std::time::Duration = std::time::Duration::from_millis(400);
/// A challenge must be signed within this time.
const CHALLENGE_MS: i64 = 2 * 60 * 1000;
/// Challenges are kept this long (long after they can be used), then cleared.
const KEEP_CHALLENGES_MS: i64 = 3600 * 1000;

/// Why something could not be done.
#[derive(Debug, thiserror::Error)]
pub enum SwitchError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Every hashing slot is taken; nothing was counted.
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("hashing failed: {0}")]
    Hash(String),
}

row_struct! {
    /// A staff member of a unit, and whether their tablet PIN can be used.
    pub struct StaffOfUnit {
        pub id: String,
        pub given_names: String,
        pub middle_name: Option<String>,
        pub surname: String,
        /// 1 when the staff member has a tablet PIN that is not locked.
        pub ready: i64,
    }
}

/// The staff of the tablet's unit as tiles, by name.
pub async fn tiles(db: &Database, tablet: &Tablet) -> sqlx::Result<Vec<StaffTile>> {
    let rows: Vec<StaffOfUnit> = sql::all(
        &db.pool,
        "SELECT DISTINCT p.id, p.given_names, p.middle_name, p.surname,
                CASE WHEN k.pin_hash IS NOT NULL AND k.locked_at IS NULL THEN 1 ELSE 0 END
                    AS ready
         FROM staff_role r JOIN person p ON p.id = r.person_id
         LEFT JOIN staff_tablet_pin k ON k.person_id = p.id
         WHERE r.unit_id = $1",
        (&tablet.unit_id,),
    )
    .await?;
    let mut tiles: Vec<StaffTile> = rows
        .into_iter()
        .map(|r| StaffTile {
            name: crate::domain::DisplayName::from_register(
                &r.given_names,
                r.middle_name.as_deref(),
                &r.surname,
            )
            .to_string(),
            person_id: r.id,
            ready: r.ready == 1,
        })
        .collect();
    crate::domain::collation::sort_by(&mut tiles, |t| [&t.name, &t.person_id]);
    Ok(tiles)
}

/// Sets `person_id`'s tablet PIN: a new PIN also lifts a lock. `Ok(Err(key))`: not a PIN that
/// may be chosen.
pub async fn set_pin(
    db: &Database,
    slots: &HashSlots,
    person_id: &str,
    pin: &str,
    again: &str,
) -> Result<Result<(), &'static str>, SwitchError> {
    if let Err(problem) = check_tablet_pin(pin, again) {
        return Ok(Err(problem.key()));
    }
    let hash = quick_unlock::hash_pin(slots, pin.to_owned()).await.map_err(|e| match e {
        quick_unlock::HashError::Busy(busy) => SwitchError::Busy(busy),
        quick_unlock::HashError::Failed(e) => SwitchError::Hash(e),
    })?;
    sql::run(
        &db.pool,
        "INSERT INTO staff_tablet_pin (person_id, pin_hash, failures, window_start, locked_at,
                                       set_at)
         VALUES ($1, $2, 0, 0, NULL, $3)
         ON CONFLICT (person_id) DO UPDATE SET pin_hash = excluded.pin_hash, failures = 0,
             window_start = 0, locked_at = NULL, set_at = excluded.set_at",
        (person_id, &hash, db.clock.now_ms()),
    )
    .await?;
    Ok(Ok(()))
}

/// Whether `person_id` has a tablet PIN, and whether it is locked.
pub async fn pin_state(db: &Database, person_id: &str) -> sqlx::Result<Option<bool>> {
    let row: Option<(Option<i64>,)> = sql::opt(
        &db.pool,
        "SELECT locked_at FROM staff_tablet_pin WHERE person_id = $1",
        (person_id,),
    )
    .await?;
    Ok(row.map(|(locked,)| locked.is_some()))
}

/// A full staff login lifts a lock (called when a staff member logs in at their provider).
pub async fn unlock_after_full_login(db: &Database, person_id: &str) -> sqlx::Result<()> {
    sql::run(
        &db.pool,
        "UPDATE staff_tablet_pin SET failures = 0, locked_at = NULL
         WHERE person_id = $1 AND (failures > 0 OR locked_at IS NOT NULL)",
        (person_id,),
    )
    .await?;
    Ok(())
}

/// A fresh challenge for the tablet to sign: (challenge id, challenge).
pub async fn challenge(db: &Database, tablet: &Tablet) -> sqlx::Result<(String, String)> {
    let now = db.clock.now_ms();
    sql::run(
        &db.pool,
        "DELETE FROM tablet_challenge WHERE created_at < $1",
        (now - KEEP_CHALLENGES_MS,),
    )
    .await?;
    let (id, challenge) = (new_id(), random_token());
    sql::run(
        &db.pool,
        "INSERT INTO tablet_challenge (id, tablet_id, challenge, created_at)
         VALUES ($1, $2, $3, $4)",
        (&id, &tablet.id, &challenge, now),
    )
    .await?;
    Ok((id, challenge))
}

/// What a switch attempt came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Switch {
    /// The PIN session's token.
    Opened(String),
    WrongPin {
        left: i64,
    },
    /// Five wrong PINs (these or others at the same time): a full login is needed.
    Locked,
    /// No tablet PIN set: log in fully once and set one.
    NoPin,
    /// Anything else, all alike: no valid signature over a fresh challenge of this tablet, or
    /// not staff of its unit.
    Refused,
}

/// A switch attempt: who, with which PIN, and the tablet's signature over a challenge.
pub struct Attempt<'a> {
    pub person_id: &'a str,
    pub challenge_id: &'a str,
    pub signature: &'a str,
    pub pin: &'a str,
}

/// Opens a PIN session for a staff member on `tablet`: the tablet's signature over its
/// challenge, then the staff member's role at the tablet's unit, then the PIN, counted before
/// it is looked at. Takes at least [`MIN_ANSWER`] whatever the outcome.
pub async fn switch(
    db: &Database,
    slots: &HashSlots,
    settings: &SessionSettings,
    tablet: &Tablet,
    attempt: &Attempt<'_>,
) -> Result<Switch, SwitchError> {
    let started = tokio::time::Instant::now();
    let outcome = try_switch(db, slots, settings, tablet, attempt).await;
    tokio::time::sleep_until(started + MIN_ANSWER).await;
    outcome
}

async fn try_switch(
    db: &Database,
    slots: &HashSlots,
    settings: &SessionSettings,
    tablet: &Tablet,
    attempt: &Attempt<'_>,
) -> Result<Switch, SwitchError> {
    let Attempt { person_id, challenge_id, signature, pin } = *attempt;
    // The challenge is used up whatever happens next, in one statement.
    let challenge: Option<(String, i64)> = sql::opt(
        &db.pool,
        "UPDATE tablet_challenge SET used_at = $3
         WHERE id = $1 AND tablet_id = $2 AND used_at IS NULL
         RETURNING challenge, created_at",
        (challenge_id, &tablet.id, db.clock.now_ms()),
    )
    .await?;
    let Some((challenge, created)) = challenge else { return Ok(Switch::Refused) };
    if db.clock.now_ms() - created > CHALLENGE_MS
        || !quick_unlock::signed(&tablet.public_key, &challenge, signature)
    {
        return Ok(Switch::Refused);
    }
    let staff_here: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT person_id FROM staff_role WHERE person_id = $1 AND unit_id = $2",
        (person_id, &tablet.unit_id),
    )
    .await?;
    if staff_here.is_none() {
        return Ok(Switch::Refused);
    }
    let stored: Option<(String, Option<i64>)> = sql::opt(
        &db.pool,
        "SELECT pin_hash, locked_at FROM staff_tablet_pin WHERE person_id = $1",
        (person_id,),
    )
    .await?;
    let Some((hash, locked)) = stored else { return Ok(Switch::NoPin) };
    if locked.is_some() {
        return Ok(Switch::Locked);
    }
    // No PIN is checked without a hashing slot, and none without being counted first; a PIN
    // at the limit is not checked at all.
    let permit = slots.acquire().await?;
    // Counted in a day's window: a new window starts a day after the last began. A right PIN
    // gives its count back but does not clear the others, so guesses between the owner's own
    // switches still add up to the lock.
    let now = db.clock.now_ms();
    let counted: Option<i64> = sqlx::query_scalar(
        "UPDATE staff_tablet_pin SET
             failures = CASE WHEN window_start < $3 THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN window_start < $3 THEN $4 ELSE window_start END
         WHERE person_id = $1 AND locked_at IS NULL AND (failures < $2 OR window_start < $3)
         RETURNING failures",
    )
    .bind(person_id)
    .bind(MAX_FAILURES)
    .bind(now - FAILURE_WINDOW_MS)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let Some(failures) = counted else { return Ok(Switch::Locked) };
    if quick_unlock::pin_matches(permit, pin.to_owned(), hash).await {
        let given_back = sql::run(
            &db.pool,
            "UPDATE staff_tablet_pin SET failures = failures - 1
             WHERE person_id = $1 AND locked_at IS NULL AND failures > 0",
            (person_id,),
        )
        .await?
        .rows_affected();
        // Locked meanwhile by wrong PINs at the same time: the right one comes too late.
        if given_back == 0 {
            return Ok(Switch::Locked);
        }
        let token = open_session(db, settings, tablet, person_id).await?;
        return Ok(match token {
            Some(token) => Switch::Opened(token),
            None => Switch::Refused,
        });
    }
    if failures >= MAX_FAILURES {
        sql::run(
            &db.pool,
            "UPDATE staff_tablet_pin SET locked_at = $2 WHERE person_id = $1 AND locked_at IS NULL",
            (person_id, db.clock.now_ms()),
        )
        .await?;
        return Ok(Switch::Locked);
    }
    Ok(Switch::WrongPin { left: MAX_FAILURES - failures })
}

/// A staff session bound to the tablet, ending after the unit's idle minutes; `None` if the
/// municipality has no staff identity provider (then nobody could have logged in to set a PIN)
/// or the tablet was unpaired meanwhile.
async fn open_session(
    db: &Database,
    settings: &SessionSettings,
    tablet: &Tablet,
    person_id: &str,
) -> sqlx::Result<Option<String>> {
    let provider: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT id FROM identity_provider WHERE municipality_id = $1 AND audience = 'staff'",
        (&tablet.municipality_id,),
    )
    .await?;
    let Some((provider_id,)) = provider else { return Ok(None) };
    let idle = super::idle_minutes(db, &tablet.unit_id).await? * 60;
    let token = session::create(
        db,
        settings,
        &NewSession {
            person_id,
            audience: Audience::Staff,
            municipality_id: &tablet.municipality_id,
            provider_id: &provider_id,
            idp_sid: None,
            idp_sub: None,
            id_token: None,
            device_credential_id: None,
            authenticated_at: None,
            tablet: Some((&tablet.id, idle)),
        },
    )
    .await?;
    sql::run(
        &db.pool,
        "UPDATE tablet SET last_used_at = $2 WHERE id = $1",
        (&tablet.id, db.clock.now_ms()),
    )
    .await?;
    // An unpairing at the same moment ends the tablet's sessions; if it ran before this one was
    // stored, it is seen here instead, and the session goes too.
    let live: Option<(String,)> = sql::opt(
        &db.pool,
        "SELECT id FROM tablet WHERE id = $1 AND revoked_at IS NULL",
        (&tablet.id,),
    )
    .await?;
    if live.is_none() {
        session::delete_by_hash(db, &session::hash_token(&token)).await?;
        return Ok(None);
    }
    Ok(Some(token))
}

/// A switch on the tablet whose cookie the request carries: on success the session cookie is
/// set (the browser's earlier session ends) and the switch is recorded.
pub async fn on_this_tablet(
    state: &crate::backend::AppState,
    attempt: &Attempt<'_>,
) -> Result<SwitchAnswer, AppError> {
    let Some(tablet) = super::of_request(state).await.context("finding a tablet")? else {
        return Ok(SwitchAnswer::Refused);
    };
    // A person's tries are limited wherever they come from, but only once a paired tablet
    // asks: nobody else can use up a staff member's tries.
    state.limits.check_credential(&format!("staff:{}", attempt.person_id))?;
    let settings = &state.settings.session;
    let outcome = switch(&state.db, state.limits.hashing(), settings, &tablet, attempt)
        .await
        .map_err(|e| match e {
            SwitchError::Busy(busy) => AppError::busy(busy.retry_after),
            e => AppError::internal("switching staff on a tablet", &e),
        })?;
    Ok(match outcome {
        Switch::Opened(token) => {
            super::end_this_browsers_session(state).await;
            crate::backend::cookies::set(&settings.set_cookie(&token));
            crate::backend::audit::record(
                &state.db,
                Some(attempt.person_id),
                "tablet_switch",
                Some(&tablet.id),
                None,
            )
            .await
            .context("recording an audit event")?;
            SwitchAnswer::Opened
        }
        Switch::WrongPin { left } => SwitchAnswer::WrongPin { left },
        Switch::Locked => SwitchAnswer::Locked,
        Switch::NoPin => SwitchAnswer::NoPin,
        Switch::Refused => SwitchAnswer::Refused,
    })
}
