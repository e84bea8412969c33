//! Staff following up absence: today's absent children in the caller's groups, marking a report
//! as seen for a unit, and the principal's decision on leave.

use super::absence::{self, DayAbsence};
use crate::backend::access::{Caller, can_see_child};
use crate::backend::messaging::{send, threads};
use crate::backend::repo::children;
use crate::backend::{audit, kept};
use crate::domain::DisplayName;
use crate::domain::absence::{
    AbsenceKind, AbsenceStatus, AbsentByGroup, AbsentChild, LeaveDecision, StaffAbsence,
    decision_notice, decision_problem, kind_key,
};
use crate::error::{AppError, ResultExt};

/// Keeps the reason of a decision on leave `absence_id` that could not be recorded, with why;
/// the id the page is given.
pub async fn keep_reason(
    caller: &Caller,
    absence_id: &str,
    reason: &str,
    problem: &str,
) -> Result<String, AppError> {
    let fields = kept::Reason { reason: reason.to_owned() };
    kept::keep(
        &caller.state.db,
        &caller.user.person_id,
        &reason_target(absence_id),
        &fields,
        problem,
    )
    .await
    .context("keeping a leave decision's reason")
}

fn reason_target(absence_id: &str) -> String {
    format!("leave:{absence_id}")
}

/// A decision on leave `absence_id` that could not be recorded, kept as `draft`: the reason as
/// typed and why.
pub async fn kept_reason(
    caller: &Caller,
    absence_id: &str,
    draft: &str,
) -> Result<Option<(String, String)>, AppError> {
    let kept = kept::load::<kept::Reason>(
        &caller.state.db,
        draft,
        &caller.user.person_id,
        &reason_target(absence_id),
    )
    .await
    .context("loading a kept leave decision")?;
    Ok(kept.map(|k| (k.fields.reason, k.problem)))
}

/// How many days ahead the staff list shows absence that has been reported.
pub const DAYS_AHEAD: i64 = 7;

/// Today's absence in the groups of `caller` (staff), by group; what is reported for the coming
/// week, by day and group; and the leave requests waiting for their decision.
pub async fn today(caller: &Caller) -> Result<StaffAbsence, AppError> {
    let (db, person_id, today) = (&caller.state.db, &caller.user.person_id, &caller.today);
    let on_day =
        absence::on_day_for_staff(db, person_id, today).await.context("listing today's absence")?;
    let groups = by_group(&on_day);
    let until = crate::domain::days::day_number(today)
        .map(|n| crate::domain::days::date_of(n + DAYS_AHEAD))
        .unwrap_or_else(|| today.clone());
    let ahead = absence::coming_for_staff(db, person_id, today, &until)
        .await
        .context("listing coming absence")?;
    let mut coming: Vec<(String, AbsentByGroup)> = Vec::new();
    for day in ahead.iter().map(|r| r.first_day.clone()) {
        if !coming.iter().any(|(d, _)| *d == day) {
            let on: Vec<DayAbsence> =
                ahead.iter().filter(|r| r.first_day == day).cloned().collect();
            coming.push((day, by_group(&on)));
        }
    }
    let requests = absence::requests_for_leader(db, person_id, today)
        .await
        .context("listing leave requests")?
        .iter()
        .map(|r| (absent_child(r), r.first_day.clone(), r.last_day.clone()))
        .collect();
    Ok(StaffAbsence { today: today.clone(), groups, coming, requests, refused: None })
}

/// How many of the caller's children are reported absent today and tomorrow, and how many
/// leave requests wait for them: the counts on the staff start page.
pub async fn counts(caller: &Caller) -> Result<(usize, usize, usize), AppError> {
    let (db, person_id, today) = (&caller.state.db, &caller.user.person_id, &caller.today);
    let tomorrow = crate::domain::days::next_day(today).unwrap_or_else(|| today.clone());
    let children = |rows: Vec<DayAbsence>| {
        let mut ids: Vec<String> = rows.into_iter().map(|r| r.child_id).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    let now = absence::on_day_for_staff(db, person_id, today).await.context("counting absence")?;
    let next =
        absence::on_day_for_staff(db, person_id, &tomorrow).await.context("counting absence")?;
    let requests = absence::requests_for_leader(db, person_id, today)
        .await
        .context("counting leave requests")?;
    Ok((children(now), children(next), requests.len()))
}

/// Absent children under their group's label ("Fjordvik skole, 4B"), in the rows' order.
fn by_group(rows: &[DayAbsence]) -> AbsentByGroup {
    let mut groups: AbsentByGroup = Vec::new();
    for r in rows {
        let label = format!("{}, {}", r.unit_name, r.group_name);
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(absent_child(r)),
            None => groups.push((label, vec![absent_child(r)])),
        }
    }
    groups
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
    absence::acknowledge(db, absence_id, &row.child_id, unit_id, person_id)
        .await
        .context("acknowledging an absence")
}

/// The principal of the child's school grants or refuses (`decision`: "grant" or "refuse") the
/// leave requested in `absence_id`, once, with `reason` (required for a refusal). The child's
/// guardians are told in a message from the principal in the child's conversations. `Err` with
/// an i18n key when the decision cannot be recorded as given (nothing changed).
pub async fn decide(
    caller: &Caller,
    absence_id: &str,
    decision: &str,
    reason: &str,
) -> Result<Result<(), &'static str>, AppError> {
    let (db, person_id) = (&caller.state.db, &caller.user.person_id);
    let requested = AbsenceStatus::Requested.code();
    let row = absence::get(db, absence_id)
        .await
        .context("loading an absence")?
        .filter(|r| r.kind == AbsenceKind::Leave.code() && r.status == requested)
        .ok_or(AppError::NotFound)?;
    let Some(school) = led_school_of(caller, &row.child_id).await? else {
        // Staff who work with the child may see the request but not decide it; to anyone
        // else it does not exist.
        let sees = can_see_child(db, &caller.user, &row.child_id, &caller.today)
            .await
            .context("checking access to a child")?;
        return Err(if sees { AppError::Forbidden } else { AppError::NotFound });
    };
    let decision = LeaveDecision::parse(decision)
        .ok_or_else(|| AppError::invalid("absence.error.decision"))?;
    let reason = reason.trim();
    if let Some(problem) = decision_problem(decision, reason) {
        return Ok(Err(problem));
    }
    // It goes to the family in a message: an identity number is refused, as in any message.
    if send::screen(&[("reason", reason)], &[], true).is_err() {
        return Ok(Err("absence.error.decision_reason_id"));
    }
    let status = decision.status().code();
    // Decided and told in one transaction: the guardians hear of every decision, and only
    // the first of two deciding at once (or racing a withdrawal) counts.
    let at = db.clock.now_ms();
    let mut tx = db.pool.begin().await.context("starting a leave decision")?;
    if !absence::decide(&mut tx, at, absence_id, (status, person_id, reason))
        .await
        .context("deciding on leave")?
    {
        return Err(AppError::NotFound);
    }
    let thread = tell_guardians(caller, &mut tx, &row, &school, decision, reason).await?;
    tx.commit().await.context("committing a leave decision")?;
    crate::backend::messaging::realtime::announce(db, &thread).await;
    kept::clear(db, person_id, &reason_target(absence_id))
        .await
        .context("clearing a kept leave decision")?;
    audit::record(db, Some(person_id), "leave_decided", Some(absence_id), Some(status))
        .await
        .context("recording an audit event")?;
    Ok(Ok(()))
}

/// The school of `child_id` that the caller leads, if any.
async fn led_school_of(caller: &Caller, child_id: &str) -> Result<Option<String>, AppError> {
    absence::leads_school_of(&caller.state.db, &caller.user.person_id, child_id, &caller.today)
        .await
        .context("checking who leads a school")
}

/// The decision, as a message from the principal in the child's conversations (every guardian
/// with parental responsibility reads it), written in `tx`; the new thread's id.
async fn tell_guardians(
    caller: &Caller,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: &absence::AbsenceRow,
    school: &str,
    decision: LeaveDecision,
    reason: &str,
) -> Result<String, AppError> {
    let db = &caller.state.db;
    let child = children::get(db, &row.child_id)
        .await
        .context("loading a child")?
        .ok_or(AppError::NotFound)?;
    let first_name = child.display_name().first().to_owned();
    let (subject, body) =
        decision_notice(&first_name, &row.first_day, &row.last_day, decision, reason);
    let staff = [caller.user.person_id.clone()];
    let flagged = crate::domain::guard::categories(&crate::domain::guard::check(reason, &[]));
    let thread = threads::create_in(
        tx,
        db.clock.now_ms(),
        school,
        &subject,
        threads::NewThread::Child { child_id: &row.child_id, staff: &staff, origin_id: None },
        threads::NewMessage {
            author_id: &caller.user.person_id,
            body: &body,
            flagged: &flagged,
            confirmed: false,
            notice: crate::domain::notify::EventKind::LeaveDecided,
        },
    )
    .await
    .context("telling guardians about a leave decision")?;
    Ok(thread)
}
