//! Staff following up absence: today's absent children in the caller's groups, marking a report
//! as seen for a unit, and the principal's decision on leave.

use super::absence::{self, DayAbsence};
use crate::backend::access::{Caller, can_see_child};
use crate::backend::audit;
use crate::domain::DisplayName;
use crate::domain::absence::{
    AbsenceKind, AbsenceStatus, AbsentChild, LeaveDecision, StaffAbsence, kind_key,
};
use crate::error::{AppError, ResultExt};

/// Today's absence in the groups of `caller` (staff), by group, and the leave requests waiting
/// for their decision.
pub async fn today(caller: &Caller) -> Result<StaffAbsence, AppError> {
    let (db, person_id, today) = (&caller.state.db, &caller.user.person_id, &caller.today);
    let mut groups: Vec<(String, Vec<AbsentChild>)> = Vec::new();
    for r in
        absence::on_day_for_staff(db, person_id, today).await.context("listing today's absence")?
    {
        let label = format!("{}, {}", r.unit_name, r.group_name);
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(absent_child(&r)),
            None => groups.push((label, vec![absent_child(&r)])),
        }
    }
    let requests = absence::requests_for_leader(db, person_id, today)
        .await
        .context("listing leave requests")?
        .iter()
        .map(|r| (absent_child(r), r.first_day.clone(), r.last_day.clone()))
        .collect();
    Ok(StaffAbsence { today: today.clone(), groups, requests })
}

fn absent_child(r: &DayAbsence) -> AbsentChild {
    AbsentChild {
        absence_id: r.id.clone(),
        child_id: r.child_id.clone(),
        child: DisplayName::from_register(&r.given_names, r.middle_name.as_deref(), &r.surname)
            .to_string(),
        unit_id: r.unit_id.clone(),
        kind_key: kind_key(&r.kind).to_owned(),
        from_time: r.from_time.clone(),
        to_time: r.to_time.clone(),
        last_day: r.last_day.clone(),
        note: r.note.clone(),
        acked: r.acked == 1,
    }
}

/// `caller` (staff) marks absence `absence_id` as seen for `unit_id`, one of their units that the
/// child attends; anything else is not found.
pub async fn acknowledge(caller: &Caller, absence_id: &str, unit_id: &str) -> Result<(), AppError> {
    let (db, person_id) = (&caller.state.db, &caller.user.person_id);
    let row = absence::get(db, absence_id)
        .await
        .context("loading an absence")?
        .ok_or(AppError::NotFound)?;
    let units = absence::staff_units_for_child(db, person_id, &row.child_id, &caller.today)
        .await
        .context("checking a staff member's units")?;
    if !units.iter().any(|u| u == unit_id) {
        return Err(AppError::NotFound);
    }
    absence::acknowledge(db, absence_id, unit_id, person_id)
        .await
        .context("acknowledging an absence")
}

/// The principal of the child's school grants or refuses (`decision`: "grant" or "refuse") the
/// leave requested in `absence_id`, once.
pub async fn decide(caller: &Caller, absence_id: &str, decision: &str) -> Result<(), AppError> {
    let (db, person_id) = (&caller.state.db, &caller.user.person_id);
    let requested = AbsenceStatus::Requested.code();
    let row = absence::get(db, absence_id)
        .await
        .context("loading an absence")?
        .filter(|r| r.kind == AbsenceKind::Leave.code() && r.status == requested)
        .ok_or(AppError::NotFound)?;
    if !absence::leads_school_of(db, person_id, &row.child_id, &caller.today)
        .await
        .context("checking who leads a school")?
    {
        // Staff who work with the child may see the request but not decide it; to anyone
        // else it does not exist.
        let sees = can_see_child(db, &caller.user, &row.child_id, &caller.today)
            .await
            .context("checking access to a child")?;
        return Err(if sees { AppError::Forbidden } else { AppError::NotFound });
    }
    let status = LeaveDecision::parse(decision)
        .ok_or_else(|| AppError::invalid("absence.error.decision"))?
        .status()
        .code();
    // Decided once: a second decision, or one racing a withdrawal, finds it no longer requested.
    if !absence::set_status(db, absence_id, requested, status, Some(person_id))
        .await
        .context("deciding on leave")?
    {
        return Err(AppError::NotFound);
    }
    audit::record(db, Some(person_id), "leave_decided", Some(absence_id), Some(status))
        .await
        .context("recording an audit event")
}
