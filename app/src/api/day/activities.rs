//! Activities: staff create them for a group or a unit; guardians see them per child, sign a
//! child up or off, and can subscribe to them in their calendar. The work is in
//! `backend::day::{agenda, planning, activities, calendar}`.

use crate::api::AppError;
use leptos::prelude::*;

pub use crate::domain::activity::{
    MAX_BRING_CHARS, MAX_PLACE_CHARS, MAX_REASON_CHARS, MAX_TITLE_CHARS,
};

pub use crate::domain::activity::{
    ActivitiesPage, ActivityInput, ActivityTarget, ActivityView, ChildActivities,
};

/// The activities page: a guardian's children's coming activities, or a staff member's units'.
#[server(prefix = "/api/activities", endpoint = "list")]
pub async fn get_activities(
    problem: Option<String>,
    edit: Option<String>,
    cancel: Option<String>,
    draft: Option<String>,
) -> Result<ActivitiesPage, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::current().await?;
        let asked = crate::backend::day::agenda::Asked {
            problem,
            edit: edit.as_deref(),
            cancelling: cancel.as_deref(),
            draft: draft.as_deref(),
        };
        crate::backend::day::agenda::page(&caller, asked).await
    })
    .await
}

/// Staff create an activity for a group they work with (a leader: any group, or the unit), or
/// change one (`activity_id`).
#[server(prefix = "/api/activities", endpoint = "create")]
pub async fn create_activity(
    activity_id: Option<String>,
    #[server(default)] form: ActivityInput,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::day::planning::{self, Planned};
        use crate::backend::once::Posted;
        use crate::domain::activity::ActivityForm;

        let caller = crate::backend::access::Caller::staff().await?;
        let activity = ActivityForm::from(&form);
        let content = format!("{activity_id:?}\n{form:?}");
        crate::api::forms::once(&caller, once, &content, async {
            Ok(
                match planning::save(&caller, activity_id.as_deref(), &form.target, &activity)
                    .await?
                {
                    Planned::Saved => Posted::Done("/ansatt/aktiviteter?lagret=1".to_owned()),
                    Planned::Refused { problem, editing } => {
                        // What was typed comes back, opened at the error summary.
                        let target = planning::form_target(editing.as_deref());
                        let kept = planning::keep(&caller, &target, &form, problem).await?;
                        let edit = editing.map(|id| format!("&endre={id}")).unwrap_or_default();
                        Posted::NotDone(format!("/ansatt/aktiviteter?utkast={kept}{edit}#feil"))
                    }
                },
            )
        })
        .await
    })
    .await
}

/// Cancels an activity; the guardians of its group get a message about it.
#[server(prefix = "/api/activities", endpoint = "cancel")]
pub async fn cancel_activity(activity_id: String, reason: Option<String>) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::day::planning;
        let caller = crate::backend::access::Caller::staff().await?;
        let reason = reason.unwrap_or_default();
        match planning::cancel(&caller, &activity_id, &reason).await? {
            Ok(()) => leptos_axum::redirect("/ansatt/aktiviteter"),
            Err(problem) => {
                // The reason as typed comes back in the same box, with why.
                let input = crate::backend::kept::Reason { reason };
                let target = planning::cancel_target(&activity_id);
                let kept = planning::keep(&caller, &target, &input, problem).await?;
                leptos_axum::redirect(&format!(
                    "/ansatt/aktiviteter?avlys={activity_id}&utkast={kept}#avlys"
                ))
            }
        }
        Ok(())
    })
    .await
}

/// A guardian signs a child up for an activity (`going` "yes"), or off it.
#[server(prefix = "/api/child", endpoint = "signup")]
pub async fn sign_up(
    child_id: String,
    activity_id: Option<String>,
    going: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let guardian = crate::backend::access::GuardianOf::check(&child_id).await?;
        let activity_id = activity_id.unwrap_or_default();
        let going = going.as_deref() == Some("yes");
        if crate::backend::day::agenda::sign_up(&guardian, &activity_id, going).await? {
            leptos_axum::redirect("/aktiviteter");
        } else {
            leptos_axum::redirect("/aktiviteter?feil=activity.error.closed");
        }
        Ok(())
    })
    .await
}

/// A guardian subscribes to their children's activities; an earlier subscription stops working.
/// The address works without a session for as long as it lives, so making one needs a fresh
/// ID-porten login (stopping one does not).
#[server(prefix = "/api/activities", endpoint = "calendar")]
pub async fn calendar_subscription(action: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::day::calendar;

        let caller = crate::backend::access::Caller::guardian().await?;
        if action == "revoke" {
            calendar::unsubscribe(&caller).await?;
            leptos_axum::redirect("/aktiviteter");
        } else if calendar::subscribe(&caller).await? {
            leptos_axum::redirect("/aktiviteter");
        } else {
            // Back to the page, which explains and offers the new login.
            leptos_axum::redirect("/aktiviteter?feil=activity.error.fresh_login");
        }
        Ok(())
    })
    .await
}
