//! Staff planning activities: adding one, changing one (the families are told), cancelling one
//! (the families are told). Who may: a role in the activity's group, or the lead of its unit.

use super::activities::{self, ActivityRow, NewActivity};
use crate::backend::access::Caller;
use crate::backend::kept::{self, KeptForm, cut};
use crate::backend::messaging::{send, threads};
use crate::domain::activity::{
    ActivityForm, ActivityInput, ActivityPlace, MAX_BRING_CHARS, MAX_PLACE_CHARS, MAX_TITLE_CHARS,
    cancel_notice,
};
use crate::domain::guard::Category;
use crate::error::{AppError, ResultExt};

/// How saving an activity went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    Saved,
    /// Not saved: the i18n key of why, and the activity being changed (to show its form again).
    Refused {
        problem: &'static str,
        editing: Option<String>,
    },
}

/// The kept-form target of the activity form: a new activity, or a change of `editing`.
pub fn form_target(editing: Option<&str>) -> String {
    match editing {
        Some(id) => format!("activity:{id}"),
        None => "activity".to_owned(),
    }
}

/// The kept-form target of the reason for cancelling `activity_id`.
pub fn cancel_target(activity_id: &str) -> String {
    format!("activity-cancel:{activity_id}")
}

impl KeptForm for ActivityInput {
    fn cut_to_limits(&mut self) {
        cut(&mut self.target, 100);
        cut(&mut self.title, MAX_TITLE_CHARS);
        for short in [&mut self.day, &mut self.starts, &mut self.ends, &mut self.signup_deadline] {
            cut(short, 20);
        }
        cut(&mut self.place, MAX_PLACE_CHARS);
        cut(&mut self.bring, MAX_BRING_CHARS);
        self.signup = self.signup.take().map(|mut s| {
            cut(&mut s, 10);
            s
        });
    }
}

/// Keeps a refused form (`fields`) as typed for the caller, with why; its id for the page.
pub async fn keep<F: KeptForm + Clone>(
    caller: &Caller,
    target: &str,
    fields: &F,
    problem: &str,
) -> Result<String, AppError> {
    kept::keep(&caller.state.db, &caller.user.person_id, target, fields, problem)
        .await
        .context("keeping a refused activity form")
}

/// Adds an activity at `place` (`group:<unit>:<group>` or `unit:<unit>`), or changes activity
/// `activity_id` where it is (its place does not move). A change reaches the families as a
/// group message. The form has no "send anyway": title, place and what to bring are short
/// notices to a whole group, so an identity number is refused; anything else the guard finds is
/// recorded with the message that tells of a change.
pub async fn save(
    caller: &Caller,
    activity_id: Option<&str>,
    place: &str,
    form: &ActivityForm,
) -> Result<Planned, AppError> {
    let db = &caller.state.db;
    let existing = match activity_id.filter(|a| !a.is_empty()) {
        Some(id) => Some(
            activities::get(db, id)
                .await
                .context("loading an activity")?
                .filter(|a| a.cancelled_at.is_none())
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let refused = |problem| {
        Ok(Planned::Refused { problem, editing: existing.as_ref().map(|a| a.id.clone()) })
    };
    let place = match &existing {
        Some(a) => Some(ActivityPlace::of(&a.unit_id, a.group_id.as_deref())),
        None => ActivityPlace::parse(place),
    };
    let Some(place) = place else {
        return refused("activity.error.target");
    };
    if !activities::may_manage(db, &caller.user.person_id, place.unit_id(), place.group_id())
        .await
        .context("checking who may add activities")?
    {
        return refused("activity.error.target");
    }
    if let Some(problem) = form.problem(&caller.today) {
        return refused(problem);
    }
    let Ok(flagged) = send::screen(
        &[("title", &form.title), ("place", &form.place), ("bring", &form.bring)],
        &[],
        true,
    ) else {
        return refused("activity.error.national_id");
    };
    let details = NewActivity {
        unit_id: place.unit_id(),
        group_id: place.group_id(),
        title: &form.title,
        day: &form.day,
        starts: &form.starts,
        ends: form.ends.as_deref(),
        place: &form.place,
        bring: &form.bring,
        signup: form.signup,
        signup_deadline: form.signup_deadline.as_deref(),
        created_by: &caller.user.person_id,
    };
    match &existing {
        None => {
            activities::create(db, &details).await.context("creating an activity")?;
        }
        Some(before) => {
            if !activities::update(db, &before.id, &details)
                .await
                .context("changing an activity")?
            {
                // Cancelled meanwhile: a cancelled activity is not changed, and the families
                // are not told of a change.
                return Err(AppError::NotFound);
            }
            let (subject, body) = form.change_notice();
            tell_group(caller, before, &subject, &body, &flagged).await?;
        }
    }
    // What was kept of an earlier refused try is not needed any more.
    let target = form_target(existing.as_ref().map(|a| a.id.as_str()));
    kept::clear(db, &caller.user.person_id, &target).await.context("clearing a kept activity")?;
    Ok(Planned::Saved)
}

/// Cancels activity `activity_id` if the caller may manage it (else it is not found), telling
/// its families once (however many cancel it at the same moment), with `reason` (may be
/// empty) added. `Err` with an i18n key when the reason cannot be sent: too long, or anything
/// the guard finds in it, the group's children's names included, since it goes to every family.
pub async fn cancel(
    caller: &Caller,
    activity_id: &str,
    reason: &str,
) -> Result<Result<(), &'static str>, AppError> {
    if reason.chars().count() > crate::domain::activity::MAX_REASON_CHARS {
        return Ok(Err("activity.error.reason"));
    }
    let db = &caller.state.db;
    let row = activities::get(db, activity_id)
        .await
        .context("loading an activity")?
        .ok_or(AppError::NotFound)?;
    if !activities::may_manage(db, &caller.user.person_id, &row.unit_id, row.group_id.as_deref())
        .await
        .context("checking who may change activities")?
    {
        return Err(AppError::NotFound);
    }
    if !reason.trim().is_empty() {
        let (unit, group) = (&row.unit_id, row.group_id.as_deref());
        let children = send::children_of(db, &caller.user, unit, group, &caller.today)
            .await
            .context("listing the children of a group")?;
        if !crate::domain::guard::check_fields(&[("reason", reason)], &children).is_empty() {
            return Ok(Err("activity.error.reason"));
        }
    }
    if row.cancelled_at.is_none()
        && activities::cancel(db, activity_id).await.context("cancelling an activity")?
    {
        let (subject, body) = cancel_notice(&row.title, &row.day, &row.starts, reason);
        tell_group(caller, &row, &subject, &body, &[]).await?;
    }
    kept::clear(db, &caller.user.person_id, &cancel_target(activity_id))
        .await
        .context("clearing a kept cancel reason")?;
    Ok(Ok(()))
}

/// Tells the guardians of an activity's group (or unit) about it, as a group message from the
/// caller.
async fn tell_group(
    caller: &Caller,
    activity: &ActivityRow,
    subject: &str,
    body: &str,
    flagged: &[Category],
) -> Result<(), AppError> {
    let db = &caller.state.db;
    let recipients =
        send::group_recipients(db, &activity.unit_id, activity.group_id.as_deref(), &caller.today)
            .await
            .context("listing a group's guardians")?;
    threads::create(
        db,
        &activity.unit_id,
        subject,
        threads::NewThread::Group {
            group_id: activity.group_id.as_deref(),
            recipients: &recipients,
        },
        threads::NewMessage {
            author_id: &caller.user.person_id,
            body,
            flagged,
            confirmed: false,
            notice: crate::domain::notify::EventKind::Activity,
        },
    )
    .await
    .context("telling guardians about an activity")?;
    Ok(())
}
