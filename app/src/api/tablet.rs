//! Shared tablets: pairing one to a unit, switching staff on it with a tablet PIN, locking it;
//! and the leader's page of the unit's tablets. The work is in `backend::tablet`.
//!
//! What the tablet itself asks (to be paired, a challenge, a switch) comes with no session and
//! is rate-limited per address (`limits::Bucket::Unlock`); all but the first need the tablet's
//! own cookie.

use crate::api::AppError;
use leptos::prelude::*;

pub use crate::domain::tablet::{StaffTile, SwitchAnswer, TabletAdmin, TabletHome, TabletRow};

/// A tablet asks to be paired with its key's public half (P-256, SEC1, base64url): the code to
/// show, as `ABCD-EFGH`. The tablet polls with a cookie set here.
#[server(prefix = "/api/tablet", endpoint = "pair_start")]
pub async fn pair_start(public_key: String) -> Result<String, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::tablet::{pairing, pairing_cookie_name, set_cookie};
        let state = crate::backend::state()?;
        let address = use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.extensions.get::<crate::backend::limits::address::ClientAddr>().copied()
            })
            .map(|a| a.0.to_string())
            .unwrap_or_default();
        let started = pairing::start(&state.db, &public_key, &address).await?;
        let max_age = crate::domain::tablet::PAIRING_MS / 1000;
        let secure = state.settings.session.secure;
        crate::backend::cookies::set(&set_cookie(
            pairing_cookie_name(secure),
            &started.poll_token,
            max_age,
            secure,
        ));
        Ok(crate::domain::tablet::show_code(&started.code))
    })
    .await
}

/// The tablet asks whether a leader has confirmed its code; when so, it gets its tablet cookie
/// (once) and the answer is `true`.
#[server(prefix = "/api/tablet", endpoint = "pair_poll")]
pub async fn pair_poll() -> Result<bool, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::tablet::{
            pairing, pairing_cookie_name, set_cookie, tablet_cookie_name,
        };
        let state = crate::backend::state()?;
        let secure = state.settings.session.secure;
        let Some(token) = crate::backend::cookies::from_request(pairing_cookie_name(secure)) else {
            return Ok(false);
        };
        match pairing::poll(&state.db, &token).await? {
            pairing::Poll::Waiting => Ok(false),
            pairing::Poll::Paired { cookie_token, .. } => {
                // A year; unpairing ends it on the server at once.
                crate::backend::cookies::set(&set_cookie(
                    tablet_cookie_name(secure),
                    &cookie_token,
                    365 * 24 * 3600,
                    secure,
                ));
                crate::backend::cookies::set(&set_cookie(
                    pairing_cookie_name(secure),
                    "",
                    0,
                    secure,
                ));
                Ok(true)
            }
        }
    })
    .await
}

/// What this tablet shows when nobody is switched in: its unit's staff as tiles, or that it is
/// not paired.
#[server(prefix = "/api/tablet", endpoint = "home")]
pub async fn get_tablet_home() -> Result<TabletHome, AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        let state = crate::backend::state()?;
        let Some(tablet) =
            crate::backend::tablet::of_request(&state).await.context("finding a tablet")?
        else {
            return Ok(TabletHome::Unpaired);
        };
        let staff = crate::backend::tablet::switch::tiles(&state.db, &tablet)
            .await
            .context("listing a unit's staff")?;
        Ok(TabletHome::Paired {
            unit: tablet.unit_name,
            name: tablet.name,
            municipality: tablet.municipality_id,
            staff,
        })
    })
    .await
}

/// A one-time challenge for this tablet's key to sign: (challenge id, challenge).
#[server(prefix = "/api/tablet", endpoint = "challenge")]
pub async fn tablet_challenge() -> Result<(String, String), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        let state = crate::backend::state()?;
        let tablet = crate::backend::tablet::of_request(&state)
            .await
            .context("finding a tablet")?
            .ok_or(AppError::NotFound)?;
        crate::backend::tablet::switch::challenge(&state.db, &tablet)
            .await
            .context("making a tablet challenge")
    })
    .await
}

/// A staff member switches in on this tablet: the tablet's signature over its challenge and
/// the staff member's tablet PIN. On success the session cookie is set (any session this
/// browser had ends).
#[server(prefix = "/api/tablet", endpoint = "switch")]
pub async fn tablet_switch(
    person_id: String,
    challenge_id: String,
    signature: String,
    pin: String,
) -> Result<SwitchAnswer, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::tablet::switch::{Attempt, on_this_tablet};
        let state = crate::backend::state()?;
        let attempt = Attempt {
            person_id: &person_id,
            challenge_id: &challenge_id,
            signature: &signature,
            pin: &pin,
        };
        on_this_tablet(&state, &attempt).await
    })
    .await
}

/// "Lås": ends the session on this tablet at once, back to the staff tiles. A plain form post.
#[server(prefix = "/api/tablet", endpoint = "lock")]
pub async fn tablet_lock() -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let state = crate::backend::state()?;
        crate::backend::tablet::end_this_browsers_session(&state).await;
        crate::backend::cookies::set(&state.settings.session.clear_cookie());
        leptos_axum::redirect("/nettbrett");
        Ok(())
    })
    .await
}

/// The tablet page of a staff member: their own tablet PIN, and for a unit leader the unit's
/// tablets.
#[server(prefix = "/api/tablet", endpoint = "admin")]
pub async fn get_tablet_admin(unit: Option<String>) -> Result<TabletAdmin, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::staff().await?;
        crate::backend::tablet::admin::page(&caller, unit.as_deref()).await
    })
    .await
}

/// Where the leader's page goes after a form: the unit, and what happened (a fixed word, never
/// text from the request).
#[cfg(feature = "ssr")]
fn admin_path(unit_id: &str, outcome: &str) -> String {
    let unit = if crate::domain::input::is_id(unit_id) { unit_id } else { "" };
    format!("/ansatt/nettbrett?enhet={unit}&{outcome}")
}

/// The words of refusals in the address of the leader's page, and their i18n keys.
pub const ADMIN_PROBLEMS: [(&str, &str); 8] = [
    ("kode", "tablet.error.code"),
    ("navn", "tablet.error.name"),
    ("tid", "tablet.error.idle"),
    ("pin-format", "tablet.pin.error.format"),
    ("pin-ulik", "tablet.pin.error.mismatch"),
    ("pin-enkel", "tablet.pin.error.trivial"),
    ("fersk", "unlock.error.fresh_login"),
    ("nummer", "guard.problem.national_id"),
];

#[cfg(feature = "ssr")]
fn problem_word(key: &str) -> &'static str {
    ADMIN_PROBLEMS.iter().find(|(_, k)| *k == key).map_or("kode", |(w, _)| w)
}

/// Back to the leader's page of `unit_id`: with `done` when `outcome` is fine, with the word of
/// a refusal the form can explain, or the error itself.
#[cfg(feature = "ssr")]
fn back_to_admin<T>(
    unit_id: &str,
    outcome: Result<T, AppError>,
    done: &str,
) -> Result<(), AppError> {
    let to = match outcome {
        Ok(_) => admin_path(unit_id, done),
        Err(AppError::Invalid { key }) => {
            admin_path(unit_id, &format!("feil={}", problem_word(&key)))
        }
        Err(e) => return Err(e),
    };
    leptos_axum::redirect(&to);
    Ok(())
}

/// A leader pairs the tablet showing `code` to their unit as `name`.
#[server(prefix = "/api/tablet", endpoint = "confirm")]
pub async fn confirm_pairing(unit_id: String, code: String, name: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::access::{Caller, UnitLeader};
        let leader = UnitLeader::check(Caller::staff().await?, &unit_id).await?;
        let outcome = crate::backend::tablet::pairing::confirm(&leader, &code, &name).await;
        back_to_admin(&unit_id, outcome, "paret=1")
    })
    .await
}

/// A leader unpairs one of the unit's tablets: every session on it ends at once.
#[server(prefix = "/api/tablet", endpoint = "unpair")]
pub async fn unpair_tablet(unit_id: String, tablet_id: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::access::{Caller, UnitLeader};
        let leader = UnitLeader::check(Caller::staff().await?, &unit_id).await?;
        let outcome = crate::backend::tablet::pairing::unpair(&leader, &tablet_id).await;
        back_to_admin(&unit_id, outcome, "fjernet=1")
    })
    .await
}

/// A leader sets the minutes without a touch after which the unit's tablets lock.
#[server(prefix = "/api/tablet", endpoint = "idle")]
pub async fn set_tablet_idle(unit_id: String, minutes: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::access::{Caller, UnitLeader};
        let leader = UnitLeader::check(Caller::staff().await?, &unit_id).await?;
        let outcome = crate::backend::tablet::admin::set_idle_minutes(&leader, &minutes).await;
        back_to_admin(&unit_id, outcome, "lagret=1")
    })
    .await
}

/// A staff member sets their tablet PIN, from a full login of the last quarter hour (it opens a
/// way in on every tablet of their units).
#[server(prefix = "/api/tablet", endpoint = "set_pin")]
pub async fn set_tablet_pin(
    pin: String,
    pin_again: String,
    unit_id: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::tablet::admin::{PinSet, set_own_pin};
        let caller = crate::backend::access::Caller::staff().await?;
        let unit = unit_id.unwrap_or_default();
        let to = match set_own_pin(&caller, &pin, &pin_again).await? {
            PinSet::Saved => admin_path(&unit, "pin=1"),
            // Set on a shared tablet after a full login there: that login ends at once, and
            // the tablet shows the staff tiles again.
            PinSet::SavedOnTablet => "/nettbrett".to_owned(),
            PinSet::Refused(key) => admin_path(&unit, &format!("feil={}", problem_word(key))),
        };
        leptos_axum::redirect(&to);
        Ok(())
    })
    .await
}
