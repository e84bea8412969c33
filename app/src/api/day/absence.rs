//! Absence and leave of absence: a guardian reports for a child (every unit the child attends
//! sees it), staff see today's absence, acknowledge it, and register it after a phone call; the
//! principal decides on leave. The work is in `backend::day::{reporting, follow_up}`.

use crate::api::AppError;
use leptos::prelude::*;

pub use crate::domain::absence::{
    AbsenceForm, AbsencePage, AbsenceView, AbsentChild, StaffAbsence,
};

/// A child's absence page: the report form and the child's current and coming absences.
#[server(prefix = "/api/child", endpoint = "absences")]
pub async fn get_absences(
    child_id: String,
    draft: Option<String>,
    edit: Option<String>,
) -> Result<AbsencePage, AppError> {
    crate::api::error::with_status(async move {
        let access = crate::backend::access::ChildAccess::check(&child_id).await?;
        crate::backend::day::reporting::page(&access, draft, edit.as_deref()).await
    })
    .await
}

/// Reports (or, with `absence_id`, changes) an absence. Whatever is wrong comes back to the
/// form with everything typed kept.
#[server(prefix = "/api/child", endpoint = "report_absence")]
pub async fn report_absence(
    child_id: String,
    absence_id: Option<String>,
    form: AbsenceForm,
    confirmed: Option<String>,
    overlap: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::forms;
        use crate::backend::day::reporting::{self, Reported};
        use crate::backend::once::Posted;

        let access = crate::backend::access::ChildAccess::check(&child_id).await?;
        let editing = absence_id.filter(|a| !a.is_empty());
        let confirmed = reporting::Confirmed {
            guard: forms::ticked(&confirmed),
            overlap: forms::ticked(&overlap),
        };
        // A leave application has its own form and comes back to it.
        let form_page = if form.kind == "leave" { "permisjon" } else { "fravaer" };
        let page = format!("/barn/{child_id}/{form_page}");
        let content = format!("{editing:?}\n{form:?}\n{confirmed:?}");
        forms::once(&access.caller, once, &content, async {
            Ok(match reporting::report(&access, &form, editing.as_deref(), confirmed).await? {
                Reported::Saved => Posted::Done(format!("{page}?meldt=1")),
                Reported::Applied => Posted::Done(format!("{page}?meldt=permisjon")),
                Reported::Kept(id) => {
                    // Opened at the error summary, which names the field.
                    Posted::NotDone(format!("{}#feil", forms::kept_at(&page, &id)))
                }
            })
        })
        .await
    })
    .await
}

/// Withdraws an absence that has not started.
#[server(prefix = "/api/child", endpoint = "withdraw_absence")]
pub async fn withdraw_absence(
    child_id: String,
    absence_id: Option<String>,
    from: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let guardian = crate::backend::access::GuardianOf::check(&child_id).await?;
        let id = absence_id.unwrap_or_default();
        let withdrawn = crate::backend::day::reporting::withdraw(&guardian, &id).await?;
        // Back to the page it was withdrawn from: the leave form's, or the absence page.
        let form_page = if from.as_deref() == Some("permisjon") { "permisjon" } else { "fravaer" };
        let page = format!("/barn/{child_id}/{form_page}");
        if withdrawn {
            leptos_axum::redirect(&format!("{page}?trukket=1"));
        } else {
            leptos_axum::redirect(&format!("{page}?feil=started"));
        }
        Ok(())
    })
    .await
}

/// Today's absence in the caller's groups (staff), and leave requests for a leader.
#[server(prefix = "/api/absence", endpoint = "today")]
pub async fn get_staff_absence(
    request: Option<String>,
    draft: Option<String>,
) -> Result<StaffAbsence, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::day::follow_up;
        let caller = crate::backend::access::Caller::staff().await?;
        let mut page = follow_up::today(&caller).await?;
        if let (Some(request), Some(draft)) = (request, draft)
            && let Some((reason, problem)) =
                follow_up::kept_reason(&caller, &request, &draft).await?
        {
            page.refused = Some((request, reason, problem));
        }
        Ok(page)
    })
    .await
}

/// A staff member marks an absence as seen for their unit.
#[server(prefix = "/api/absence", endpoint = "ack")]
pub async fn ack_absence(absence_id: String, unit_id: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::staff().await?;
        crate::backend::day::follow_up::acknowledge(&caller, &absence_id, &unit_id).await?;
        leptos_axum::redirect("/ansatt/fravaer");
        Ok(())
    })
    .await
}

/// The principal grants or refuses a leave of absence, with a reason (required to refuse); the
/// guardians get the decision in a message. A decision that cannot be recorded comes back to
/// its request with why, the reason as typed.
#[server(prefix = "/api/absence", endpoint = "decide")]
pub async fn decide_leave(
    absence_id: String,
    decision: String,
    reason: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::day::follow_up;
        use crate::backend::once::Posted;
        let caller = crate::backend::access::Caller::staff().await?;
        let reason = reason.unwrap_or_default();
        let content = format!("{absence_id}\n{decision}\n{reason}");
        // A double tap on "Innvilg" decides once, and both taps land on the confirmation.
        crate::api::forms::once(&caller, once, &content, async {
            Ok(match follow_up::decide(&caller, &absence_id, &decision, &reason).await? {
                Ok(()) => Posted::Done("/ansatt/fravaer?avgjort=1".to_owned()),
                Err(problem) => {
                    let kept =
                        follow_up::keep_reason(&caller, &absence_id, &reason, problem).await?;
                    Posted::NotDone(format!(
                        "/ansatt/fravaer?soknad={absence_id}&utkast={kept}#soknad-{absence_id}"
                    ))
                }
            })
        })
        .await
    })
    .await
}
