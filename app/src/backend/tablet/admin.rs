//! A unit leader's view of the unit's tablets (name, paired by, last used; unpair one), the
//! unit's idle time, and every staff member's own tablet PIN.

use crate::backend::access::{Caller, LEADER_ROLES, UnitLeader};
use crate::backend::clock::time_of_day_text;
use crate::backend::repo::row_struct;
use crate::backend::sql;
use crate::domain::tablet::{IDLE_MINUTES_RANGE, TabletAdmin, TabletRow};
use crate::error::{AppError, ResultExt};

row_struct! {
    /// A unit's tablet, with the name of the leader who paired it.
    pub struct TabletListed {
        pub id: String,
        pub name: String,
        pub given_names: Option<String>,
        pub surname: Option<String>,
        pub paired_at: i64,
        pub last_used_at: i64,
    }
}

/// The units `person_id` leads: (id, name), by name.
pub async fn led_units(
    db: &crate::backend::Database,
    person_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sql::all(
        &db.pool,
        &format!(
            "SELECT DISTINCT u.id, u.name FROM staff_role r JOIN unit u ON u.id = r.unit_id
             WHERE r.person_id = $1 AND r.group_id IS NULL AND r.role IN {LEADER_ROLES}
             ORDER BY u.name"
        ),
        (person_id,),
    )
    .await
}

/// The tablet page of `caller`: their tablet PIN, and for a leader the tablets of `unit` (one
/// they lead; the first when not given or not theirs).
pub async fn page(caller: &Caller, unit: Option<&str>) -> Result<TabletAdmin, AppError> {
    let db = &caller.state.db;
    let person_id = &caller.user.person_id;
    let units = led_units(db, person_id).await.context("listing the units a person leads")?;
    let chosen = units.iter().find(|(id, _)| Some(id.as_str()) == unit).or(units.first()).cloned();
    let pin = super::switch::pin_state(db, person_id).await.context("loading a tablet PIN")?;
    let mut out = TabletAdmin {
        units: units.clone(),
        unit: chosen.as_ref().map(|(id, _)| id.clone()),
        tablets: Vec::new(),
        idle_minutes: crate::domain::tablet::DEFAULT_IDLE_MINUTES,
        has_pin: pin == Some(false),
    };
    let Some((unit_id, _)) = chosen else { return Ok(out) };
    out.idle_minutes = super::idle_minutes(db, &unit_id).await.context("loading idle minutes")?;
    let rows: Vec<TabletListed> = sql::all(
        &db.pool,
        "SELECT t.id, t.name, p.given_names, p.surname, t.paired_at, t.last_used_at
         FROM tablet t LEFT JOIN person p ON p.id = t.paired_by
         WHERE t.unit_id = $1 AND t.revoked_at IS NULL ORDER BY t.paired_at",
        (&unit_id,),
    )
    .await
    .context("listing a unit's tablets")?;
    out.tablets = rows
        .into_iter()
        .map(|t| TabletRow {
            paired_by: format!(
                "{} {}",
                t.given_names.unwrap_or_default(),
                t.surname.unwrap_or_default()
            )
            .trim()
            .to_owned(),
            paired_on: crate::backend::clock::day_of(t.paired_at),
            last_used_on: crate::backend::clock::day_of(t.last_used_at),
            last_used_at: time_of_day_text(t.last_used_at),
            id: t.id,
            name: t.name,
        })
        .collect();
    Ok(out)
}

/// Sets how many minutes without a touch lock the tablets of the leader's unit.
pub async fn set_idle_minutes(leader: &UnitLeader, minutes: &str) -> Result<(), AppError> {
    let minutes: i64 = minutes
        .trim()
        .parse()
        .ok()
        .filter(|m| IDLE_MINUTES_RANGE.contains(m))
        .ok_or_else(|| AppError::invalid("tablet.error.idle"))?;
    sql::run(
        &leader.caller.state.db.pool,
        "INSERT INTO unit_tablet_settings (unit_id, idle_minutes) VALUES ($1, $2)
         ON CONFLICT (unit_id) DO UPDATE SET idle_minutes = excluded.idle_minutes",
        (&leader.unit_id, minutes),
    )
    .await
    .context("setting a unit's tablet idle time")?;
    Ok(())
}

/// How setting one's tablet PIN went.
#[derive(Debug, PartialEq, Eq)]
pub enum PinSet {
    Saved,
    /// Saved from a shared tablet's browser: the full login there has been ended.
    SavedOnTablet,
    /// Not saved: the i18n key of why.
    Refused(&'static str),
}

/// `caller` sets their tablet PIN, from a login at the provider of the last quarter hour (it
/// opens a way in on every tablet of their units). Done on a shared tablet, the full session
/// there ends at once, so nobody finds it open.
pub async fn set_own_pin(caller: &Caller, pin: &str, again: &str) -> Result<PinSet, AppError> {
    use super::switch::{SwitchError, set_pin};
    let (state, db) = (&caller.state, &caller.state.db);
    if crate::backend::access::require_fresh_login(db, &caller.user).await.is_err() {
        return Ok(PinSet::Refused(crate::backend::access::FRESH_LOGIN_NEEDED));
    }
    match set_pin(db, state.limits.hashing(), &caller.user.person_id, pin, again).await {
        Ok(Ok(())) => {}
        Ok(Err(key)) => return Ok(PinSet::Refused(key)),
        Err(SwitchError::Busy(busy)) => return Err(AppError::busy(busy.retry_after)),
        Err(e) => return Err(AppError::internal("setting a tablet PIN", &e)),
    }
    if super::of_request(state).await.context("finding a tablet")?.is_none() {
        return Ok(PinSet::Saved);
    }
    super::end_this_browsers_session(state).await;
    crate::backend::cookies::set(&state.settings.session.clear_cookie());
    Ok(PinSet::SavedOnTablet)
}
