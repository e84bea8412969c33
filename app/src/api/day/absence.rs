//! Absence and leave of absence: a guardian reports for a child (every unit the child attends
//! sees it), staff see today's absence, acknowledge it, and register it after a phone call; the
//! principal decides on leave.
#![expect(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field"
)]

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::absence::{AbsenceForm, AbsencePage, AbsenceView};

/// A child's absence page: the report form and the child's current and coming absences.
#[server(prefix = "/api/child", endpoint = "absences")]
pub async fn get_absences(
    child_id: String,
    draft: Option<String>,
    edit: Option<String>,
) -> Result<AbsencePage, AppError> {
    crate::api::error::with_status(
        async move {
            let access = crate::backend::access::ChildAccess::check(&child_id).await?;
            crate::backend::day::reporting::page(&access, draft, edit.as_deref()).await
        }
        .await,
    )
}

/// Reports (or, with `absence_id`, changes) an absence. Whatever is wrong comes back to the
/// form with the text kept.
#[server(prefix = "/api/child", endpoint = "report_absence")]
pub async fn report_absence(
    child_id: String,
    absence_id: Option<String>,
    when: Option<String>,
    first_day: Option<String>,
    last_day: Option<String>,
    part: Option<String>,
    from_time: Option<String>,
    to_time: Option<String>,
    kind: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::day::reporting::{self, Reported};

            let access = crate::backend::access::ChildAccess::check(&child_id).await?;
            let form = AbsenceForm {
                when: when.unwrap_or_else(|| "today".into()),
                first_day: first_day.unwrap_or_default().trim().to_owned(),
                last_day: last_day.unwrap_or_default().trim().to_owned(),
                part: part.unwrap_or_else(|| "whole".into()),
                from_time: from_time.unwrap_or_default().trim().to_owned(),
                to_time: to_time.unwrap_or_default().trim().to_owned(),
                kind: kind.unwrap_or_else(|| "illness".into()),
                note: body.unwrap_or_default(),
            };
            let editing = absence_id.filter(|a| !a.is_empty());
            let page = format!("/barn/{child_id}/fravaer");
            let confirmed = crate::api::messages::ticked(&confirmed);
            match reporting::report(&access, &form, editing.as_deref(), confirmed).await? {
                Reported::Saved => {
                    leptos_axum::redirect(&format!("{page}?meldt=1"));
                    Ok(())
                }
                Reported::Refused(problem) => {
                    let caller = &access.caller;
                    keep(
                        &caller.state,
                        &caller.user.person_id,
                        &child_id,
                        &form,
                        editing.as_deref(),
                        problem,
                        &page,
                    )
                    .await
                }
            }
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn keep(
    state: &crate::backend::AppState,
    person_id: &str,
    child_id: &str,
    form: &AbsenceForm,
    editing: Option<&str>,
    problem: &str,
    page: &str,
) -> Result<(), AppError> {
    use crate::backend::messaging::drafts::NewDraft;
    let fields = serde_json::to_string(&AbsenceForm {
        note: String::new(),
        ..form.clone()
    })
    .unwrap_or_default();
    let target = crate::backend::day::reporting::draft_target(child_id);
    let draft = NewDraft {
        person_id,
        target: &target,
        subject: &fields,
        body: &form.note,
        recipient: editing,
        problem,
    };
    crate::api::messages::keep_draft(state, draft, page).await
}

/// Withdraws an absence that has not started.
#[server(prefix = "/api/child", endpoint = "withdraw_absence")]
pub async fn withdraw_absence(
    child_id: String,
    absence_id: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::absence;

            let (state, _user, today) = crate::backend::access::GuardianOf::check(&child_id)
                .await?
                .0
                .into_parts();
            let id = absence_id.unwrap_or_default();
            let row = absence::get(&state.db, &id)
                .await
                .context("loading an absence")?
                .filter(|r| r.child_id == child_id)
                .ok_or(AppError::NotFound)?;
            let seen = !absence::acks(&state.db, &id)
                .await
                .context("loading who saw an absence")?
                .is_empty();
            let page = format!("/barn/{child_id}/fravaer");
            if !crate::domain::absence::changeable(&row.status, &row.first_day, seen, &today) {
                leptos_axum::redirect(&format!("{page}?feil=started"));
                return Ok(());
            }
            // Only if nothing changed it meanwhile (a decision, a withdrawal in another tab).
            if !absence::set_status(&state.db, &id, &row.status, "withdrawn", None)
                .await
                .context("withdrawing an absence")?
            {
                leptos_axum::redirect(&format!("{page}?feil=started"));
                return Ok(());
            }
            leptos_axum::redirect(&format!("{page}?trukket=1"));
            Ok(())
        }
        .await,
    )
}

/// One absent child on a staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsentChild {
    pub absence_id: String,
    pub child_id: String,
    pub child: String,
    pub unit_id: String,
    pub kind_key: String,
    pub from_time: Option<String>,
    pub to_time: Option<String>,
    pub last_day: String,
    pub note: String,
    pub acked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAbsence {
    pub today: String,
    /// ("Fjordvik skole, 4B", absent children).
    pub groups: Vec<(String, Vec<AbsentChild>)>,
    /// Leave requests waiting for the caller's decision.
    pub requests: Vec<(AbsentChild, String, String)>,
}

/// Today's absence in the caller's groups (staff), and leave requests for a leader.
#[server(prefix = "/api/absence", endpoint = "today")]
pub async fn get_staff_absence() -> Result<StaffAbsence, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::absence::{self, DayAbsence};
            use crate::backend::{authorize, policy};
            use crate::domain::DisplayName;

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let to_child = |r: &DayAbsence| AbsentChild {
                absence_id: r.id.clone(),
                child_id: r.child_id.clone(),
                child: DisplayName::from_register(
                    &r.given_names,
                    r.middle_name.as_deref(),
                    &r.surname,
                )
                .to_string(),
                unit_id: r.unit_id.clone(),
                kind_key: crate::domain::absence::kind_key(&r.kind).to_owned(),
                from_time: r.from_time.clone(),
                to_time: r.to_time.clone(),
                last_day: r.last_day.clone(),
                note: r.note.clone(),
                acked: r.acked == 1,
            };
            let mut groups: Vec<(String, Vec<AbsentChild>)> = Vec::new();
            for r in absence::on_day_for_staff(&state.db, &user.person_id, &today)
                .await
                .context("listing today's absence")?
            {
                let label = format!("{}, {}", r.unit_name, r.group_name);
                match groups.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, list)) => list.push(to_child(&r)),
                    None => groups.push((label, vec![to_child(&r)])),
                }
            }
            let mut requests = Vec::new();
            for r in absence::requests_for_leader(&state.db, &user.person_id, &today)
                .await
                .context("listing leave requests")?
            {
                requests.push((to_child(&r), r.first_day.clone(), r.last_day.clone()));
            }
            Ok(StaffAbsence {
                today,
                groups,
                requests,
            })
        }
        .await,
    )
}

/// A staff member marks an absence as seen for their unit.
#[server(prefix = "/api/absence", endpoint = "ack")]
pub async fn ack_absence(absence_id: String, unit_id: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::absence;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let row = absence::get(&state.db, &absence_id)
                .await
                .context("loading an absence")?
                .ok_or(AppError::NotFound)?;
            let units =
                absence::staff_units_for_child(&state.db, &user.person_id, &row.child_id, &today)
                    .await
                    .context("checking a staff member's units")?;
            if !units.contains(&unit_id) {
                return Err(AppError::NotFound);
            }
            absence::acknowledge(&state.db, &absence_id, &unit_id, &user.person_id)
                .await
                .context("acknowledging an absence")?;
            leptos_axum::redirect("/ansatt/fravaer");
            Ok(())
        }
        .await,
    )
}

/// The principal grants or refuses a leave of absence; the guardian sees the decision.
#[server(prefix = "/api/absence", endpoint = "decide")]
pub async fn decide_leave(absence_id: String, decision: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::absence;
            use crate::backend::{audit, authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let row = absence::get(&state.db, &absence_id)
                .await
                .context("loading an absence")?
                .filter(|r| r.kind == "leave" && r.status == "requested")
                .ok_or(AppError::NotFound)?;
            if !absence::leads_school_of(&state.db, &user.person_id, &row.child_id, &today)
                .await
                .context("checking who leads a school")?
            {
                return Err(AppError::Forbidden);
            }
            let status = match decision.as_str() {
                "grant" => "granted",
                "refuse" => "refused",
                _ => return Err(AppError::invalid("absence.error.decision")),
            };
            // Decided once: a second decision, or one racing a withdrawal, finds it no longer
            // requested.
            if !absence::set_status(
                &state.db,
                &absence_id,
                "requested",
                status,
                Some(&user.person_id),
            )
            .await
            .context("deciding on leave")?
            {
                return Err(AppError::NotFound);
            }
            audit::record(
                &state.db,
                Some(&user.person_id),
                "leave_decided",
                Some(&absence_id),
                Some(status),
            )
            .await
            .context("recording an audit event")?;
            leptos_axum::redirect("/ansatt/fravaer");
            Ok(())
        }
        .await,
    )
}
