//! Reporting an absence (or applying for leave) and changing a report: the child's absence page,
//! the checks a report must pass (in the order a person would want to hear about them), and the
//! saving.

use super::absence::{self, AbsenceRow, NewAbsence};
use crate::backend::access::{ChildAccess, GuardianOf};
use crate::backend::kept::{self, KeptForm, cut};
use crate::backend::messaging::send;
use crate::backend::repo::children;
use crate::domain::absence::{
    AbsenceForm, AbsenceKind, AbsencePage, AbsenceRequest, AbsenceStatus, AbsenceView, changeable,
    kind_key, status_key,
};
use crate::domain::days;
use crate::error::{AppError, ResultExt};
use serde::{Deserialize, Serialize};

/// The absence page of the child of `access`: its reports from the last 30 days on, and the
/// form — blank, filled in with report `edit` to change it, or as typed in kept draft `draft`.
pub async fn page(
    access: &ChildAccess,
    draft: Option<String>,
    edit: Option<&str>,
) -> Result<AbsencePage, AppError> {
    let ChildAccess { caller, child_id } = access;
    let (db, today) = (&caller.state.db, &caller.today);
    let child =
        children::get(db, child_id).await.context("loading a child")?.ok_or(AppError::NotFound)?;
    let since =
        days::day_number(today).map(|n| days::date_of(n - 30)).unwrap_or_else(|| today.clone());
    let mut absences = Vec::new();
    let mut form = AbsenceForm::blank();
    let mut editing = None;
    let acks = absence::acks_for_child(db, child_id, &since)
        .await
        .context("loading who saw a child's absences")?;
    for row in
        absence::for_child(db, child_id, &since).await.context("listing a child's absences")?
    {
        let kind = row.kind.clone();
        let seen: Vec<_> = acks.iter().filter(|a| a.absence_id == row.id).collect();
        let v = view(row, &seen, today);
        if edit == Some(v.id.as_str()) && v.changeable {
            form = AbsenceForm::of(&v, &kind);
            editing = Some(v.id.clone());
        }
        absences.push(v);
    }
    let mut problem = None;
    if let Some(id) = draft.filter(|d| !d.is_empty())
        && let Some(d) =
            kept::load::<KeptAbsence>(db, &id, &caller.user.person_id, &draft_target(child_id))
                .await
                .context("loading an absence draft")?
    {
        form = d.fields.form;
        problem = Some(d.problem);
        editing = d.fields.editing.filter(|r| !r.is_empty());
    }
    let other_children = send::other_children(db, &caller.user, child_id, today)
        .await
        .context("listing the other children of a group")?;
    let can_apply_leave = !caller.is_staff()
        && absence::attends_school(db, child_id, today)
            .await
            .context("checking a child's school")?;
    // Who sees a report, named in the confirmation: the units the child goes to today.
    let memberships = crate::backend::repo::enrollments::current_for_child(db, child_id, today)
        .await
        .context("listing a child's units")?;
    let mut units: Vec<String> = Vec::new();
    let mut schools: Vec<String> = Vec::new();
    for m in memberships {
        if m.unit_kind == "school" && !schools.contains(&m.unit_name) {
            schools.push(m.unit_name.clone());
        }
        if !units.contains(&m.unit_name) {
            units.push(m.unit_name);
        }
    }
    Ok(AbsencePage {
        child_name: child.display_name().to_string(),
        child_id: child_id.clone(),
        staff: caller.is_staff(),
        can_apply_leave,
        units,
        schools,
        today: today.clone(),
        absences,
        other_children,
        form,
        problem,
        editing,
    })
}

/// One report as the absence page shows it, with which units have seen it (`acks`).
fn view(row: AbsenceRow, acks: &[&absence::AckRow], today: &str) -> AbsenceView {
    AbsenceView {
        changeable: changeable(&row.status, &row.first_day, !acks.is_empty(), today),
        seen_by: acks
            .iter()
            .map(|a| format!("{}: {} {}", a.unit_name, a.given_names, a.surname))
            .collect(),
        kind_key: kind_key(&row.kind).to_owned(),
        status_key: status_key(&row.status).to_owned(),
        reporter: format!("{} {}", row.reporter_given, row.reporter_surname),
        decided_by: row.decider,
        decision_reason: row.decision_reason,
        leave: row.kind == AbsenceKind::Leave.code(),
        id: row.id,
        first_day: row.first_day,
        last_day: row.last_day,
        from_time: row.from_time,
        to_time: row.to_time,
        note: row.note,
    }
}

/// The longest note an absence report takes, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// How a report went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported {
    /// Saved (and the person's kept forms of it cleared).
    Saved,
    /// An application for leave saved: it waits for the principal's decision.
    Applied,
    /// Not saved, nothing changed: the form is kept with why, under this id.
    Kept(String),
}

/// The absence form as kept when it could not be saved: with the report it was changing.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeptAbsence {
    form: AbsenceForm,
    editing: Option<String>,
}

impl KeptForm for KeptAbsence {
    fn cut_to_limits(&mut self) {
        let form = &mut self.form;
        for field in [
            &mut form.when,
            &mut form.first_day,
            &mut form.last_day,
            &mut form.part,
            &mut form.from_time,
            &mut form.to_time,
            &mut form.kind,
        ] {
            cut(field, 40);
        }
        cut(&mut form.note, MAX_NOTE_CHARS);
        if let Some(id) = &mut self.editing {
            cut(id, 80);
        }
    }
}

/// Reports `form` for the child of `access`, or changes report `editing` (which must be the
/// child's and still changeable). Staff register illness and other absence; only a family
/// applies for leave, and only from a school. `confirmed`: sending despite the guard's findings.
/// A form that cannot be saved is kept, with why.
pub async fn report(
    access: &ChildAccess,
    form: &AbsenceForm,
    editing: Option<&str>,
    confirmed: Confirmed,
) -> Result<Reported, AppError> {
    let ChildAccess { caller, child_id } = access;
    match save(access, form, editing, confirmed).await? {
        Ok(()) if form.kind == AbsenceKind::Leave.code() => Ok(Reported::Applied),
        Ok(()) => Ok(Reported::Saved),
        Err(problem) => {
            let editing = editing.map(str::to_owned);
            let id =
                keep(&caller.state.db, &caller.user.person_id, child_id, form, editing, problem)
                    .await
                    .context("keeping an absence form")?;
            Ok(Reported::Kept(id))
        }
    }
}

/// Keeps `person_id`'s absence form for `child_id` (changing report `editing`) with why; the
/// id its page is given.
pub async fn keep(
    db: &crate::backend::Database,
    person_id: &str,
    child_id: &str,
    form: &AbsenceForm,
    editing: Option<String>,
    problem: &str,
) -> sqlx::Result<String> {
    let fields = KeptAbsence { form: form.clone(), editing };
    kept::keep(db, person_id, &draft_target(child_id), &fields, problem).await
}

/// What the person confirmed when sending a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confirmed {
    /// Send despite what the sensitive-text guard found.
    pub guard: bool,
    /// Report although the child already has absence on some of the days (a second guardian
    /// reporting the same illness is the usual case, so it is asked first).
    pub overlap: bool,
}

/// Saves the report, or says why not (an i18n key) with nothing changed.
async fn save(
    access: &ChildAccess,
    form: &AbsenceForm,
    editing: Option<&str>,
    confirmed: Confirmed,
) -> Result<Result<(), &'static str>, AppError> {
    let ChildAccess { caller, child_id } = access;
    let db = &caller.state.db;
    let today = caller.today.as_str();
    let from_status = match editing {
        Some(id) => match changeable_status(access, id).await? {
            Some(status) => Some(status),
            None => return Ok(Err("absence.error.started")),
        },
        None => None,
    };
    let request = match AbsenceRequest::try_from(form) {
        Ok(request) => request,
        Err(problem) => return Ok(Err(problem)),
    };
    let (first, last) = match request.check(today) {
        Ok(span) => span,
        Err(problem) => return Ok(Err(problem)),
    };
    if request.kind == AbsenceKind::Leave
        && (caller.is_staff()
            || !absence::attends_school(db, child_id, today)
                .await
                .context("checking a child's school")?)
    {
        return Ok(Err("absence.error.kind"));
    }
    let mut flagged = Vec::new();
    if !request.note.is_empty() {
        if request.note.chars().count() > MAX_NOTE_CHARS {
            return Ok(Err("absence.error.note_too_long"));
        }
        let others = send::other_children(db, &caller.user, child_id, today)
            .await
            .context("listing the other children of a group")?;
        match send::screen(&[("body", &request.note)], &others, confirmed.guard) {
            Ok(found) => flagged = found,
            Err(p) => return Ok(Err(p.key())),
        }
    }
    if !confirmed.overlap && overlaps(access, &first, &last, editing).await? {
        return Ok(Err("absence.warning.overlap"));
    }
    let times = request.times.as_ref();
    let new = NewAbsence {
        child_id,
        kind: request.kind.code(),
        first_day: &first,
        last_day: &last,
        from_time: times.map(|(from, _)| from.as_str()),
        to_time: times.map(|(_, to)| to.as_str()),
        note: &request.note,
        flagged: &flagged,
        reported_by: &caller.user.person_id,
    };
    match (editing, &from_status) {
        (Some(id), Some(from)) => {
            // Decided in the write: a unit may have seen it, or a decision come, meanwhile.
            if !absence::change(db, id, from, today, &new).await.context("changing an absence")? {
                return Ok(Err("absence.error.started"));
            }
        }
        _ => {
            absence::report(db, &new).await.context("reporting an absence")?;
        }
    }
    kept::clear(db, &caller.user.person_id, &draft_target(child_id))
        .await
        .context("clearing kept absence forms")?;
    // The boards showing the child say so now.
    crate::backend::messaging::realtime::announce_day(db, child_id).await;
    Ok(Ok(()))
}

/// Whether the child already has absence or leave (not withdrawn or refused) on a day from
/// `first` to `last`, other than report `editing`.
async fn overlaps(
    access: &ChildAccess,
    first: &str,
    last: &str,
    editing: Option<&str>,
) -> Result<bool, AppError> {
    let db = &access.caller.state.db;
    let rows = absence::for_child(db, &access.child_id, first)
        .await
        .context("listing a child's absence")?;
    Ok(rows.iter().any(|r| {
        Some(r.id.as_str()) != editing
            && r.status != AbsenceStatus::Refused.code()
            && r.first_day.as_str() <= last
            && r.last_day.as_str() >= first
    }))
}

/// The status of report `id` if it is the child's and may still be changed or withdrawn by the
/// family; a report of another child is not found.
async fn changeable_status(access: &ChildAccess, id: &str) -> Result<Option<String>, AppError> {
    let db = &access.caller.state.db;
    let row = absence::get(db, id)
        .await
        .context("loading an absence")?
        .filter(|r| r.child_id == access.child_id)
        .ok_or(AppError::NotFound)?;
    let seen = !absence::acks(db, id).await.context("loading who saw an absence")?.is_empty();
    Ok(changeable(&row.status, &row.first_day, seen, &access.caller.today).then_some(row.status))
}

/// The family of `guardian` withdraws report `id` of their child; `false` when it has begun or
/// was changed meanwhile (a decision, a withdrawal in another tab), and nothing is changed.
pub async fn withdraw(guardian: &GuardianOf, id: &str) -> Result<bool, AppError> {
    let access = &guardian.0;
    let Some(status) = changeable_status(access, id).await? else {
        return Ok(false);
    };
    // Only if nothing changed it since it was read (decided in the write).
    let (db, today) = (&access.caller.state.db, &access.caller.today);
    let withdrawn =
        absence::withdraw(db, id, &status, today).await.context("withdrawing an absence")?;
    if withdrawn {
        crate::backend::messaging::realtime::announce_day(db, &access.child_id).await;
    }
    Ok(withdrawn)
}

/// Where a person's kept absence form for a child is filed among their drafts.
pub fn draft_target(child_id: &str) -> String {
    format!("absence:{child_id}")
}
