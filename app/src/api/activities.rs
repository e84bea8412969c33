//! Activities: staff create them for a group or a unit; guardians see them per child, sign a
//! child up or off, and can subscribe to them in their calendar.
#![expect(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field"
)]

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The longest title, place and what-to-bring of an activity, in characters (as the form's
/// `maxlength`).
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_BRING_CHARS: usize = 500;

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
                let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT DISTINCT u.id, u.name, g.id, g.name FROM staff_role r
                     JOIN unit u ON u.id = r.unit_id LEFT JOIN class_group g ON g.id = r.group_id
                     WHERE r.person_id = $1
                       AND (r.group_id IS NOT NULL OR r.role IN ('principal', 'admin'))
                     ORDER BY u.name, g.name",
                )
                .bind(&user.person_id)
                .fetch_all(&state.db.pool)
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
            use crate::api::error::ResultExt;
            use crate::backend::day::activities::{self, NewActivity};
            use crate::backend::messaging::send;
            use crate::backend::{authorize, policy};
            use crate::domain::days;

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            // Changing an activity keeps where it belongs.
            let existing = match activity_id.filter(|a| !a.is_empty()) {
                Some(id) => Some(
                    activities::get(&state.db, &id)
                        .await
                        .context("loading an activity")?
                        .filter(|a| a.cancelled_at.is_none())
                        .ok_or(AppError::NotFound)?,
                ),
                None => None,
            };
            let target = match &existing {
                Some(a) => match &a.group_id {
                    Some(g) => format!("group:{}:{g}", a.unit_id),
                    None => format!("unit:{}", a.unit_id),
                },
                None => target.unwrap_or_default(),
            };
            let (unit_id, group_id) = match target.split(':').collect::<Vec<_>>()[..] {
                ["group", unit, group] => (unit.to_owned(), Some(group.to_owned())),
                ["unit", unit] => (unit.to_owned(), None),
                _ => (String::new(), None),
            };
            let title = title.unwrap_or_default().trim().to_owned();
            let day = day.unwrap_or_default().trim().to_owned();
            let starts = starts.unwrap_or_default().trim().to_owned();
            let ends = ends.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
            let place = place.unwrap_or_default().trim().to_owned();
            let bring = bring.unwrap_or_default().trim().to_owned();
            let deadline = signup_deadline
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty());
            let signup = crate::api::messages::ticked(&signup);
            // The form has no "send anyway": an activity's title, place and what to bring are
            // short notices to the whole group, so an identity number is refused; anything
            // else the guard finds is shown to the writer as they type and recorded with the
            // group message that tells the families about a change.
            let screened = send::screen(
                &[("title", &title), ("place", &place), ("bring", &bring)],
                &[],
                true,
            );
            let too_long = title.chars().count() > MAX_TITLE_CHARS
                || place.chars().count() > MAX_PLACE_CHARS
                || bring.chars().count() > MAX_BRING_CHARS;
            let problem = if unit_id.is_empty()
                || !activities::may_manage(
                    &state.db,
                    &user.person_id,
                    &unit_id,
                    group_id.as_deref(),
                )
                .await
                .context("checking who may add activities")?
            {
                Some("activity.error.target")
            } else if title.is_empty() {
                Some("activity.error.title")
            } else if too_long {
                Some("activity.error.too_long")
            } else if days::check_span(&day, &day, &today).is_err() {
                Some("activity.error.day")
            } else if days::minutes(&starts).is_none()
                || ends
                    .as_deref()
                    .is_some_and(|e| days::check_times(&starts, e).is_err())
            {
                Some("activity.error.time")
            } else if deadline
                .as_deref()
                .is_some_and(|d| days::day_number(d).is_none() || d > day.as_str())
            {
                Some("activity.error.deadline")
            } else if screened.is_err() {
                Some("activity.error.national_id")
            } else {
                None
            };
            let flagged = screened.unwrap_or_default();
            if let Some(problem) = problem {
                let edit = existing
                    .as_ref()
                    .map(|a| format!("&endre={}", a.id))
                    .unwrap_or_default();
                leptos_axum::redirect(&format!("/ansatt/aktiviteter?feil={problem}{edit}"));
                return Ok(());
            }
            let details = NewActivity {
                unit_id: &unit_id,
                group_id: group_id.as_deref(),
                title: &title,
                day: &day,
                starts: &starts,
                ends: ends.as_deref(),
                place: &place,
                bring: &bring,
                signup,
                signup_deadline: deadline.as_deref(),
                created_by: &user.person_id,
            };
            match &existing {
                None => {
                    activities::create(&state.db, &details)
                        .await
                        .context("creating an activity")?;
                }
                Some(before) => {
                    if !activities::update(&state.db, &before.id, &details)
                        .await
                        .context("changing an activity")?
                    {
                        // Cancelled meanwhile: a cancelled activity is not changed, and the
                        // families are not told of a change.
                        return Err(AppError::NotFound);
                    }
                    // The change reaches the families as a group message.
                    let time = match &ends {
                        Some(e) => format!("{starts}–{e}"),
                        None => starts.clone(),
                    };
                    let mut body =
                        format!("{title}: {} kl. {time}", crate::domain::days::short(&day));
                    if !place.is_empty() {
                        body.push_str(&format!(", {place}"));
                    }
                    if !bring.is_empty() {
                        body.push_str(&format!(". Ta med: {bring}"));
                    }
                    body.push('.');
                    tell_group(
                        &state,
                        before,
                        &user.person_id,
                        &format!("Endret: {title}"),
                        &body,
                        &flagged,
                        &today,
                    )
                    .await?;
                }
            }
            leptos_axum::redirect("/ansatt/aktiviteter?lagret=1");
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
            use crate::api::error::ResultExt;
            use crate::backend::day::activities;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let row = activities::get(&state.db, &activity_id)
                .await
                .context("loading an activity")?
                .ok_or(AppError::NotFound)?;
            if !activities::may_manage(
                &state.db,
                &user.person_id,
                &row.unit_id,
                row.group_id.as_deref(),
            )
            .await
            .context("checking who may change activities")?
            {
                return Err(AppError::NotFound);
            }
            if row.cancelled_at.is_none()
                && activities::cancel(&state.db, &activity_id)
                    .await
                    .context("cancelling an activity")?
            {
                let body = format!(
                    "{} {} kl. {} er avlyst.",
                    row.title,
                    crate::domain::days::short(&row.day),
                    row.starts
                );
                tell_group(
                    &state,
                    &row,
                    &user.person_id,
                    &format!("Avlyst: {}", row.title),
                    &body,
                    &[],
                    &today,
                )
                .await?;
            }
            leptos_axum::redirect("/ansatt/aktiviteter");
            Ok(())
        }
        .await,
    )
}

/// Tells the guardians of an activity's group (or unit) about it, as a group message.
#[cfg(feature = "ssr")]
async fn tell_group(
    state: &crate::backend::AppState,
    activity: &crate::backend::day::activities::ActivityRow,
    author: &str,
    subject: &str,
    body: &str,
    flagged: &[crate::domain::guard::Category],
    today: &str,
) -> Result<(), AppError> {
    use crate::api::error::ResultExt;
    use crate::backend::messaging::{send, threads};
    let recipients = send::group_recipients(
        &state.db,
        &activity.unit_id,
        activity.group_id.as_deref(),
        today,
    )
    .await
    .context("listing a group's guardians")?;
    threads::create(
        &state.db,
        &activity.unit_id,
        subject,
        threads::NewThread::Group {
            group_id: activity.group_id.as_deref(),
            recipients: &recipients,
        },
        threads::NewMessage {
            author_id: author,
            body,
            flagged,
            confirmed: false,
        },
    )
    .await
    .context("telling guardians about an activity")?;
    Ok(())
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
