//! Activities: staff create them for a group or a unit; guardians see them per child, sign a
//! child up or off, and can subscribe to them in their calendar.
#![expect(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field"
)]

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::activity::{MAX_BRING_CHARS, MAX_PLACE_CHARS, MAX_TITLE_CHARS};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub day: String,
    pub starts: String,
    pub ends: Option<String>,
    pub place: String,
    pub bring: String,
    /// "Lia barnehage, Blåbær".
    pub for_whom: String,
    pub cancelled: bool,
    pub signup: bool,
    pub signup_deadline: Option<String>,
    /// Sign-up still open.
    pub signup_open: bool,
    /// For a guardian: this child's answer. For staff: how many have signed up.
    pub going: Option<bool>,
    pub going_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildActivities {
    pub child_id: String,
    pub child_name: String,
    pub activities: Vec<ActivityView>,
}

/// Where a staff member can create activities: `group:<id>` or `unit:<id>`, with a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityTarget {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitiesPage {
    pub staff: bool,
    pub children: Vec<ChildActivities>,
    /// Staff: the activities of their units.
    pub staff_activities: Vec<ActivityView>,
    pub targets: Vec<ActivityTarget>,
    pub today: String,
    /// The guardian has a calendar subscription.
    pub calendar_active: bool,
    /// The subscription's address, right after it was made (the only time it is shown).
    pub calendar_url: Option<String>,
    /// Whether a calendar address can be made now: it is a long-lived way in, so it needs an
    /// ID-porten login of the last 15 minutes, not a quick unlock.
    pub calendar_fresh: bool,
    /// Where a new ID-porten login starts.
    pub login_url: String,
    /// i18n key of why the last form was not accepted.
    pub problem: Option<String>,
    /// Staff changing an activity: it, as it is now.
    pub editing: Option<ActivityView>,
}

#[cfg(feature = "ssr")]
fn view(
    row: &crate::backend::day::activities::ActivityRow,
    today: &str,
    going: Option<bool>,
    going_count: i64,
) -> ActivityView {
    ActivityView {
        id: row.id.clone(),
        title: row.title.clone(),
        day: row.day.clone(),
        starts: row.starts.clone(),
        ends: row.ends.clone(),
        place: row.place.clone(),
        bring: row.bring.clone(),
        for_whom: match &row.group_name {
            Some(g) => format!("{}, {g}", row.unit_name),
            None => row.unit_name.clone(),
        },
        cancelled: row.cancelled_at.is_some(),
        signup: row.signup == 1,
        signup_open: row.signup == 1
            && row.cancelled_at.is_none()
            && row.day.as_str() >= today
            && row.signup_deadline.as_deref().is_none_or(|d| d >= today),
        signup_deadline: row.signup_deadline.clone(),
        going,
        going_count,
    }
}

/// The activities page: a guardian's children's coming activities, or a staff member's units'.
#[server(prefix = "/api/activities", endpoint = "list")]
pub async fn get_activities(
    problem: Option<String>,
    edit: Option<String>,
) -> Result<ActivitiesPage, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::{activities, calendar as feed};
            use crate::backend::repo::children;
            use crate::domain::Audience;

            let state = crate::backend::state()?;
            let actor = state.actor().await;
            let user = actor.user().cloned().ok_or(AppError::Unauthenticated)?;
            let today = state.today();
            let staff = user.audience == Audience::Staff;
            let mut page = ActivitiesPage {
                staff,
                children: Vec::new(),
                staff_activities: Vec::new(),
                targets: Vec::new(),
                today: today.clone(),
                calendar_active: false,
                calendar_url: None,
                calendar_fresh: false,
                login_url: format!("/auth/login/{}/guardian?fersk=1", user.municipality_id),
                problem: problem.filter(|p| p.starts_with("activity.error.")),
                editing: None,
            };
            if staff {
                for row in activities::for_staff(&state.db, &user.person_id, &today)
                    .await
                    .context("listing a unit's activities")?
                {
                    let count = activities::going_count(&state.db, &row.id)
                        .await
                        .context("counting sign-ups")?;
                    let v = view(&row, &today, None, count);
                    if edit.as_deref() == Some(row.id.as_str())
                        && !v.cancelled
                        && activities::may_manage(
                            &state.db,
                            &user.person_id,
                            &row.unit_id,
                            row.group_id.as_deref(),
                        )
                        .await
                        .context("checking who may change activities")?
                    {
                        page.editing = Some(v.clone());
                    }
                    page.staff_activities.push(v);
                }
                let rows = activities::planning_targets(&state.db, &user.person_id)
                    .await
                    .context("listing where a staff member can add activities")?;
                page.targets = rows
                    .into_iter()
                    .map(|(unit_id, unit, group_id, group)| match (group_id, group) {
                        (Some(g), Some(name)) => ActivityTarget {
                            value: format!("group:{unit_id}:{g}"),
                            label: format!("{unit}, {name}"),
                        },
                        _ => ActivityTarget {
                            value: format!("unit:{unit_id}"),
                            label: unit,
                        },
                    })
                    .collect();
            } else {
                for child in children::list_for_guardian(&state.db, &user.person_id, &today)
                    .await
                    .context("listing a guardian's children")?
                {
                    let mut list = Vec::new();
                    for row in activities::for_child(&state.db, &child.id, &today)
                        .await
                        .context("listing a child's activities")?
                    {
                        let going = activities::signup_of(&state.db, &row.id, &child.id)
                            .await
                            .context("loading a sign-up")?;
                        list.push(view(&row, &today, going, 0));
                    }
                    page.children.push(ChildActivities {
                        child_name: child.display_name().to_string(),
                        child_id: child.id,
                        activities: list,
                    });
                }
                page.calendar_active = feed::active(&state.db, &user.person_id)
                    .await
                    .context("checking a calendar subscription")?;
                page.calendar_fresh = crate::backend::access::require_fresh_login(&state.db, &user)
                    .await
                    .is_ok();
                // A calendar address just made is shown from a short-lived cookie, never from
                // the page's URL (history, logs and Referer headers keep URLs).
                if let Some(token) = crate::backend::cookies::from_request(feed::show_cookie_name(
                    state.settings.session.secure,
                )) && feed::owner(&state.db, &token)
                    .await
                    .context("checking a calendar subscription")?
                    .as_deref()
                    == Some(user.person_id.as_str())
                {
                    page.calendar_url = Some(format!(
                        "{}/kalender/{token}.ics",
                        state.settings.public_url
                    ));
                }
            }
            Ok(page)
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

            let (state, user, today) =
                crate::api::children::guardian_child_access(&child_id).await?;
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
