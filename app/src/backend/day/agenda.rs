//! What the activities page shows: a guardian's children's coming activities with each child's
//! answer and the calendar subscription; a staff member's units' activities with how many
//! signed up, and where they may plan new ones.

use super::activities::{self, ActivityRow};
use super::calendar as feed;
use crate::backend::access::{Caller, require_fresh_login};
use crate::backend::repo::children;
use crate::domain::DisplayName;
use crate::domain::activity::{
    ActivitiesPage, ActivityTarget, ActivityView, Answers, ChildActivities,
};
use crate::error::{AppError, ResultExt};

/// What the page was opened with.
#[derive(Debug, Clone, Default)]
pub struct Asked<'a> {
    /// Why the last sign-up or calendar form was refused (an `activity.error.` key).
    pub problem: Option<String>,
    /// The activity a staff member is changing.
    pub edit: Option<&'a str>,
    /// The activity whose cancellation is being asked about.
    pub cancelling: Option<&'a str>,
    /// A refused activity or cancel form, kept as typed (`backend::kept`).
    pub draft: Option<&'a str>,
}

/// The page for `caller`, as `asked`.
pub async fn page(caller: &Caller, asked: Asked<'_>) -> Result<ActivitiesPage, AppError> {
    let Asked { problem, edit, cancelling, draft } = asked;
    let mut page = ActivitiesPage {
        staff: caller.is_staff(),
        children: Vec::new(),
        staff_activities: Vec::new(),
        targets: Vec::new(),
        today: caller.today.clone(),
        calendar_active: false,
        calendar_url: None,
        calendar_fresh: false,
        login_url: format!("/auth/login/{}/guardian?fersk=1", caller.user.municipality_id),
        problem: problem.filter(|p| p.starts_with("activity.error.")),
        editing: None,
        form: None,
        cancel_reason: String::new(),
    };
    if caller.is_staff() {
        for_staff(caller, edit, &mut page).await?;
        if let Some(id) = draft.filter(|d| !d.is_empty()) {
            kept_form(caller, id, (edit, cancelling), &mut page).await?;
        }
    } else {
        for_guardian(caller, &mut page).await?;
    }
    Ok(page)
}

/// A refused activity or cancel form, back as typed with why.
async fn kept_form(
    caller: &Caller,
    id: &str,
    (edit, cancelling): (Option<&str>, Option<&str>),
    page: &mut ActivitiesPage,
) -> Result<(), AppError> {
    use super::planning::{cancel_target, form_target};
    use crate::backend::kept;
    use crate::domain::activity::ActivityInput;
    let (db, person) = (&caller.state.db, &caller.user.person_id);
    let target = form_target(edit.filter(|_| page.editing.is_some()));
    if let Some(k) = kept::load::<ActivityInput>(db, id, person, &target)
        .await
        .context("loading a kept activity form")?
    {
        page.form = Some(k.fields);
        page.problem = Some(k.problem);
    } else if let Some(activity) = cancelling
        && let Some(k) = kept::load::<kept::Reason>(db, id, person, &cancel_target(activity))
            .await
            .context("loading a kept cancel reason")?
    {
        page.cancel_reason = k.fields.reason;
        page.problem = Some(k.problem);
    }
    Ok(())
}

async fn for_staff(
    caller: &Caller,
    edit: Option<&str>,
    page: &mut ActivitiesPage,
) -> Result<(), AppError> {
    let (db, person, today) = (&caller.state.db, &caller.user.person_id, &caller.today);
    let answers =
        activities::answers_for_staff(db, person, today).await.context("listing sign-ups")?;
    for row in
        activities::for_staff(db, person, today).await.context("listing a unit's activities")?
    {
        // Named only where the staff member works with the children (none: no list).
        let answered = (row.signup == 1).then(|| answers_to(&answers, &row.id)).filter(|a| {
            !(a.coming.is_empty() && a.not_coming.is_empty() && a.unanswered.is_empty())
        });
        let count = answered.as_ref().map_or(0, |a| a.coming.len() as i64);
        let mut v = view(&row, today, None, count);
        v.answers = answered;
        if edit == Some(row.id.as_str())
            && !v.cancelled
            && activities::may_manage(db, person, &row.unit_id, row.group_id.as_deref())
                .await
                .context("checking who may change activities")?
        {
            page.editing = Some(v.clone());
        }
        page.staff_activities.push(v);
    }
    page.targets = activities::planning_targets(db, person)
        .await
        .context("listing where a staff member can add activities")?
        .into_iter()
        .map(|(unit_id, unit, group_id, group)| match (group_id, group) {
            (Some(g), Some(name)) => ActivityTarget {
                value: format!("group:{unit_id}:{g}"),
                label: format!("{unit}, {name}"),
            },
            _ => ActivityTarget { value: format!("unit:{unit_id}"), label: unit },
        })
        .collect();
    Ok(())
}

async fn for_guardian(caller: &Caller, page: &mut ActivitiesPage) -> Result<(), AppError> {
    let state = &caller.state;
    let (db, person, today) = (&state.db, &caller.user.person_id, &caller.today);
    for child in children::list_for_guardian(db, person, today)
        .await
        .context("listing a guardian's children")?
    {
        let answers = activities::signups_of_child(db, &child.id)
            .await
            .context("loading a child's sign-ups")?;
        let list = activities::for_child(db, &child.id, today)
            .await
            .context("listing a child's activities")?
            .iter()
            .map(|row| view(row, today, answers.get(&row.id).copied(), 0))
            .collect();
        page.children.push(ChildActivities {
            child_name: child.display_name().to_string(),
            child_id: child.id,
            activities: list,
        });
    }
    page.calendar_active =
        feed::active(db, person).await.context("checking a calendar subscription")?;
    page.calendar_fresh = require_fresh_login(db, &caller.user).await.is_ok();
    // A calendar address just made is shown from a short-lived cookie, never from the page's
    // URL (history, logs and Referer headers keep URLs).
    if let Some(token) =
        crate::backend::cookies::from_request(feed::show_cookie_name(state.settings.session.secure))
        && feed::owner(db, &token).await.context("checking a calendar subscription")?.as_deref()
            == Some(person.as_str())
    {
        page.calendar_url = Some(format!("{}/kalender/{token}.ics", state.settings.public_url));
    }
    Ok(())
}

/// The answers to activity `activity_id`'s sign-up, names sorted as a reader expects.
fn answers_to(all: &[activities::Answer], activity_id: &str) -> Answers {
    let mut out = Answers::default();
    for a in all.iter().filter(|a| a.activity_id == activity_id) {
        let name = DisplayName::from_register(&a.given_names, a.middle_name.as_deref(), &a.surname)
            .to_string();
        match a.going {
            Some(1) => out.coming.push(name),
            Some(_) => out.not_coming.push(name),
            None => out.unanswered.push(name),
        }
    }
    // One row per child (DISTINCT in the query): two children may share a name.
    for names in [&mut out.coming, &mut out.not_coming, &mut out.unanswered] {
        crate::domain::collation::sort_by(names, |n| [n.as_str()]);
    }
    out
}

fn view(row: &ActivityRow, today: &str, going: Option<bool>, going_count: i64) -> ActivityView {
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
        answers: None,
    }
}

/// The family of `guardian` signs their child up for `activity_id` (one of the child's
/// activities), or off it. `false` when sign-up has closed: that is decided with the write.
pub async fn sign_up(
    guardian: &crate::backend::access::GuardianOf,
    activity_id: &str,
    going: bool,
) -> Result<bool, AppError> {
    let access = &guardian.0;
    let (db, today) = (&access.caller.state.db, &access.caller.today);
    if !activities::for_child(db, &access.child_id, today)
        .await
        .context("listing a child's activities")?
        .iter()
        .any(|a| a.id == activity_id)
    {
        return Err(AppError::NotFound);
    }
    activities::sign_up(
        db,
        activity_id,
        &access.child_id,
        going,
        &access.caller.user.person_id,
        today,
    )
    .await
    .context("signing up for an activity")
}
