//! Reporting an absence (or applying for leave) and changing a report: the child's absence page,
//! the checks a report must pass (in the order a person would want to hear about them), and the
//! saving.

use super::absence::{self, AbsenceRow, NewAbsence};
use crate::backend::access::ChildAccess;
use crate::backend::messaging::{drafts, send};
use crate::backend::repo::children;
use crate::domain::absence::{
    AbsenceForm, AbsenceKind, AbsencePage, AbsenceView, changeable, kind_key, status_key,
};
use crate::domain::days;
use crate::error::{AppError, ResultExt};

/// The absence page of the child of `access`: its reports from the last 30 days on, and the
/// form — blank, filled in with report `edit` to change it, or as typed in kept draft `draft`.
pub async fn page(
    access: &ChildAccess,
    draft: Option<String>,
    edit: Option<&str>,
) -> Result<AbsencePage, AppError> {
    let ChildAccess { caller, child_id } = access;
    let (db, today) = (&caller.state.db, &caller.today);
    let child = children::get(db, child_id)
        .await
        .context("loading a child")?
        .ok_or(AppError::NotFound)?;
    let since = days::day_number(today)
        .map(|n| days::date_of(n - 30))
        .unwrap_or_else(|| today.clone());
    let mut absences = Vec::new();
    let mut form = AbsenceForm::blank();
    let mut editing = None;
    for row in absence::for_child(db, child_id, &since)
        .await
        .context("listing a child's absences")?
    {
        let kind = row.kind.clone();
        let v = view(db, row, today).await?;
        if edit == Some(v.id.as_str()) && v.changeable {
            form = AbsenceForm::of(&v, &kind);
            editing = Some(v.id.clone());
        }
        absences.push(v);
    }
    let mut problem = None;
    if let Some(id) = draft.filter(|d| !d.is_empty())
        && let Some(d) = drafts::load(db, &id, &caller.user.person_id, &draft_target(child_id))
            .await
            .context("loading an absence draft")?
    {
        form = serde_json::from_str(&d.subject).unwrap_or(form);
        form.note = d.body;
        problem = Some(d.problem);
        editing = d.recipient.filter(|r| !r.is_empty());
    }
    let other_children = send::other_children(db, &caller.user, child_id, today)
        .await
        .context("listing the other children of a group")?;
    let can_apply_leave = !caller.is_staff()
        && absence::attends_school(db, child_id, today)
            .await
            .context("checking a child's school")?;
    Ok(AbsencePage {
        child_name: child.display_name().to_string(),
        child_id: child_id.clone(),
        staff: caller.is_staff(),
        can_apply_leave,
        today: today.clone(),
        absences,
        other_children,
        form,
        problem,
        editing,
    })
}

/// One report as the absence page shows it, with which units have seen it.
async fn view(
    db: &crate::backend::Database,
    row: AbsenceRow,
    today: &str,
) -> Result<AbsenceView, AppError> {
    let acks = absence::acks(db, &row.id)
        .await
        .context("loading who saw an absence")?;
    Ok(AbsenceView {
        changeable: changeable(&row.status, &row.first_day, !acks.is_empty(), today),
        seen_by: acks
            .into_iter()
            .map(|a| format!("{}: {} {}", a.unit_name, a.given_names, a.surname))
            .collect(),
        kind_key: kind_key(&row.kind).to_owned(),
        status_key: status_key(&row.status).to_owned(),
        reporter: format!("{} {}", row.reporter_given, row.reporter_surname),
        decided_by: row.decider,
        id: row.id,
        first_day: row.first_day,
        last_day: row.last_day,
        from_time: row.from_time,
        to_time: row.to_time,
        note: row.note,
    })
}

/// The longest note an absence report takes, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// How a report went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported {
    /// Saved (and the person's kept drafts of it cleared).
    Saved,
    /// Not saved: the i18n key of why. Nothing was changed.
    Refused(&'static str),
}

/// Reports `form` for the child of `access`, or changes report `editing` (which must be the
/// child's and still changeable). Staff register illness and other absence; only a family
/// applies for leave, and only from a school. `confirmed`: sending despite the guard's findings.
pub async fn report(
    access: &ChildAccess,
    form: &AbsenceForm,
    editing: Option<&str>,
    confirmed: bool,
) -> Result<Reported, AppError> {
    let ChildAccess { caller, child_id } = access;
    let db = &caller.state.db;
    let today = caller.today.as_str();
    if let Some(id) = editing {
        let row = absence::get(db, id)
            .await
            .context("loading an absence")?
            .filter(|r| &r.child_id == child_id)
            .ok_or(AppError::NotFound)?;
        let seen = !absence::acks(db, id)
            .await
            .context("loading who saw an absence")?
            .is_empty();
        if !changeable(&row.status, &row.first_day, seen, today) {
            return Ok(Reported::Refused("absence.error.started"));
        }
    }
    let (first, last) = form.span(today);
    if let Err(e) = days::check_span(&first, &last, today) {
        return Ok(Reported::Refused(e.key()));
    }
    let times = form.is_part_of_day();
    if times && let Err(e) = days::check_times(&form.from_time, &form.to_time) {
        return Ok(Reported::Refused(e.key()));
    }
    let kind_ok = match AbsenceKind::parse(&form.kind) {
        Some(AbsenceKind::Illness | AbsenceKind::Other) => true,
        Some(AbsenceKind::Leave) => {
            !caller.is_staff()
                && absence::attends_school(db, child_id, today)
                    .await
                    .context("checking a child's school")?
        }
        None => false,
    };
    if !kind_ok {
        return Ok(Reported::Refused("absence.error.kind"));
    }
    let mut flagged = Vec::new();
    if !form.note.trim().is_empty() {
        if form.note.chars().count() > MAX_NOTE_CHARS {
            return Ok(Reported::Refused("absence.error.note_too_long"));
        }
        let others = send::other_children(db, &caller.user, child_id, today)
            .await
            .context("listing the other children of a group")?;
        match send::screen(&[("body", &form.note)], &others, confirmed) {
            Ok(found) => flagged = found,
            Err(p) => return Ok(Reported::Refused(p.key())),
        }
    }
    let new = NewAbsence {
        child_id,
        kind: &form.kind,
        first_day: &first,
        last_day: &last,
        from_time: times.then_some(form.from_time.as_str()),
        to_time: times.then_some(form.to_time.as_str()),
        note: form.note.trim(),
        flagged: &flagged,
        reported_by: &caller.user.person_id,
    };
    match editing {
        Some(id) => absence::change(db, id, &new)
            .await
            .context("changing an absence")?,
        None => {
            absence::report(db, &new)
                .await
                .context("reporting an absence")?;
        }
    }
    drafts::clear(db, &caller.user.person_id, &draft_target(child_id))
        .await
        .context("clearing absence drafts")?;
    Ok(Reported::Saved)
}

/// Where a person's kept absence form for a child is filed among their drafts.
pub fn draft_target(child_id: &str) -> String {
    format!("absence:{child_id}")
}
