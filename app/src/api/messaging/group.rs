//! Group messages: staff write to the guardians of a group or a whole unit. Answers are never
//! shared with other families (see `reply`).

use crate::api::AppError;
use crate::domain::messaging::GroupData;
use leptos::prelude::*;

/// Where the caller (staff) can send group messages, and a draft brought back.
#[server(prefix = "/api/messages", endpoint = "group_context")]
pub async fn group_context(draft: Option<String>) -> Result<GroupData, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::access::Caller;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let caller = Caller { state, user, today };
            crate::backend::messaging::group::screen(&caller, draft).await
        }
        .await,
    )
}

/// Sends a group message to the guardians of a group or unit the caller works in.
#[server(prefix = "/api/messages", endpoint = "send_group")]
pub async fn send_group(
    target: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::access::Caller;
            use crate::backend::messaging::drafts::NewDraft;
            use crate::backend::messaging::group::{self, Sent};
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let caller = Caller { state, user, today };
            let target = target.unwrap_or_default();
            let body = body.unwrap_or_default();
            let subject = subject.unwrap_or_default();
            let confirmed = super::ticked(&confirmed);
            match group::send(&caller, &target, &subject, &body, confirmed).await? {
                Sent::Thread(id) => {
                    leptos_axum::redirect(&format!("/samtale/{id}"));
                    Ok(())
                }
                Sent::Kept { subject, problem } => {
                    let draft = NewDraft {
                        person_id: &caller.user.person_id,
                        target: group::DRAFT_TARGET,
                        subject: &subject,
                        body: &body,
                        recipient: Some(&target),
                        problem,
                    };
                    super::keep_draft(&caller.state, draft, "/ansatt/gruppemelding").await
                }
            }
        }
        .await,
    )
}

/// Sets when a unit reads messages ("man-fre 08-16"); empty clears it. Only the unit's
/// principal or administrator may.
#[server(prefix = "/api/messages", endpoint = "hours")]
pub async fn set_hours(unit_id: String, hours: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::send;
            use crate::backend::{authorize, policy};
            use crate::domain::hours::StaffHours;

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            if !crate::backend::access::leads(&state.db, &user.person_id, &unit_id)
                .await
                .context("checking who leads a unit")?
            {
                return Err(AppError::Forbidden);
            }
            let parsed = if hours.trim().is_empty() {
                None
            } else {
                match StaffHours::parse(&hours) {
                    Some(h) => Some(h),
                    None => {
                        // Back to the form, which explains the format; nothing is changed.
                        leptos_axum::redirect("/ansatt/gruppemelding?timer=ugyldig");
                        return Ok(());
                    }
                }
            };
            send::set_unit_hours(&state.db, &unit_id, parsed.as_ref())
                .await
                .context("setting a unit's staff hours")?;
            crate::backend::audit::record(
                &state.db,
                Some(&user.person_id),
                "staff_hours.set",
                Some(&unit_id),
                parsed.map(|h| h.canonical()).as_deref(),
            )
            .await
            .context("recording an audit event")?;
            leptos_axum::redirect("/ansatt/gruppemelding");
            Ok(())
        }
        .await,
    )
}
