//! Activities: staff create them for a group or a unit; guardians see them per child, sign a
//! child up or off, and can subscribe to them in their calendar.
#![expect(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field"
)]

use crate::api::AppError;
use leptos::prelude::*;

pub use crate::domain::activity::{MAX_BRING_CHARS, MAX_PLACE_CHARS, MAX_TITLE_CHARS};

pub use crate::domain::activity::{ActivitiesPage, ActivityTarget, ActivityView, ChildActivities};

/// The activities page: a guardian's children's coming activities, or a staff member's units'.
#[server(prefix = "/api/activities", endpoint = "list")]
pub async fn get_activities(
    problem: Option<String>,
    edit: Option<String>,
) -> Result<ActivitiesPage, AppError> {
    crate::api::error::with_status(
        async move {
            let caller = crate::backend::access::Caller::current().await?;
            crate::backend::day::agenda::page(&caller, problem, edit.as_deref()).await
        }
        .await,
    )
}

/// Staff create an activity for a group they work with (a leader: any group, or the unit).
#[server(prefix = "/api/activities", endpoint = "create")]
pub async fn create_activity(
    activity_id: Option<String>,
    target: Option<String>,
    title: Option<String>,
    day: Option<String>,
    starts: Option<String>,
    ends: Option<String>,
    place: Option<String>,
    bring: Option<String>,
    signup: Option<String>,
    signup_deadline: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::access::Caller;
            use crate::backend::day::planning::{self, Planned};
            use crate::backend::{authorize, policy};
            use crate::domain::activity::ActivityForm;

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let caller = Caller { state, user, today };
            let trimmed = |v: Option<String>| v.map(|v| v.trim().to_owned()).unwrap_or_default();
            let given = |v: Option<String>| Some(trimmed(v)).filter(|v| !v.is_empty());
            let form = ActivityForm {
                title: trimmed(title),
                day: trimmed(day),
                starts: trimmed(starts),
                ends: given(ends),
                place: trimmed(place),
                bring: trimmed(bring),
                signup: crate::api::messages::ticked(&signup),
                signup_deadline: given(signup_deadline),
            };
            let target = target.unwrap_or_default();
            match planning::save(&caller, activity_id.as_deref(), &target, &form).await? {
                Planned::Saved => leptos_axum::redirect("/ansatt/aktiviteter?lagret=1"),
                Planned::Refused { problem, editing } => {
                    let edit = editing.map(|id| format!("&endre={id}")).unwrap_or_default();
                    leptos_axum::redirect(&format!("/ansatt/aktiviteter?feil={problem}{edit}"));
                }
            }
            Ok(())
        }
        .await,
    )
}

/// Cancels an activity; the guardians of its group get a message about it.
#[server(prefix = "/api/activities", endpoint = "cancel")]
pub async fn cancel_activity(activity_id: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::access::Caller;
            use crate::backend::day::planning;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            planning::cancel(&Caller { state, user, today }, &activity_id).await?;
            leptos_axum::redirect("/ansatt/aktiviteter");
            Ok(())
        }
        .await,
    )
}

/// A guardian signs a child up for an activity, or off it.
#[server(prefix = "/api/child", endpoint = "signup")]
pub async fn sign_up(
    child_id: String,
    activity_id: Option<String>,
    going: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::activities;

            let (state, user, today) = crate::backend::access::GuardianOf::check(&child_id)
                .await?
                .0
                .into_parts();
            let activity_id = activity_id.unwrap_or_default();
            let row = activities::for_child(&state.db, &child_id, &today)
                .await
                .context("listing a child's activities")?
                .into_iter()
                .find(|a| a.id == activity_id)
                .ok_or(AppError::NotFound)?;
            let going = going.as_deref() == Some("yes");
            // Whether sign-up is still open is decided with the write itself.
            let recorded = activities::sign_up(
                &state.db,
                &row.id,
                &child_id,
                going,
                &user.person_id,
                &today,
            )
            .await
            .context("signing up for an activity")?;
            if !recorded {
                leptos_axum::redirect("/aktiviteter?feil=activity.error.closed");
                return Ok(());
            }
            leptos_axum::redirect("/aktiviteter");
            Ok(())
        }
        .await,
    )
}

/// A guardian subscribes to their children's activities; an earlier subscription stops working.
/// The address works without a session for as long as it lives, so making one needs a fresh
/// ID-porten login (stopping one does not).
#[server(prefix = "/api/activities", endpoint = "calendar")]
pub async fn calendar_subscription(action: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::calendar;
            use crate::backend::{access, authorize, policy};

            let (state, user) = authorize(policy::can_see_guardian_home).await?;
            if action == "revoke" {
                calendar::revoke(&state.db, &user.person_id)
                    .await
                    .context("revoking a calendar subscription")?;
                crate::backend::cookies::set(&calendar::show_cookie(
                    None,
                    state.settings.session.secure,
                ));
                leptos_axum::redirect("/aktiviteter");
            } else {
                let origin = match access::require_fresh_login(&state.db, &user).await {
                    Ok(origin) => origin,
                    Err(AppError::Invalid { .. }) => {
                        // Back to the page, which explains and offers the new login.
                        leptos_axum::redirect("/aktiviteter?feil=activity.error.fresh_login");
                        return Ok(());
                    }
                    Err(e) => return Err(e),
                };
                let token = calendar::create(
                    &state.db,
                    &user.person_id,
                    origin.device_credential_id.as_deref(),
                )
                .await
                .context("creating a calendar subscription")?;
                crate::backend::cookies::set(&calendar::show_cookie(
                    Some(&token),
                    state.settings.session.secure,
                ));
                leptos_axum::redirect("/aktiviteter");
            }
            Ok(())
        }
        .await,
    )
}
