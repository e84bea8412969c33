//! Group messages: staff write to the guardians of a group or a whole unit. Answers are never
//! shared with other families (see `reply`).

use crate::api::AppError;
use crate::domain::messaging::GroupData;
use leptos::prelude::*;

/// Where the caller (staff) can send group messages, and a draft brought back.
#[server(prefix = "/api/messages", endpoint = "group_context")]
pub async fn group_context(draft: Option<String>) -> Result<GroupData, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::staff().await?;
        crate::backend::messaging::group::screen(&caller, draft).await
    })
    .await
}

/// Sends a group message to the guardians of a group or unit the caller works in.
#[server(prefix = "/api/messages", endpoint = "send_group")]
pub async fn send_group(
    target: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
    urgent: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::forms;
        use crate::backend::messaging::group::{self, Sent};
        use crate::backend::once::Posted;

        let caller = crate::backend::access::Caller::staff().await?;
        let target = target.unwrap_or_default();
        let subject = subject.unwrap_or_default();
        let body = body.unwrap_or_default();
        let (confirmed, urgent) = (forms::ticked(&confirmed), forms::ticked(&urgent));
        let content = format!("{target}\n{subject}\n{body}");
        let out =
            group::Outgoing { target: &target, subject: &subject, body: &body, confirmed, urgent };
        forms::once(&caller, once, &content, async {
            Ok(match group::send(&caller, &out).await? {
                Sent::Thread(id) => Posted::Done(format!("/samtale/{id}")),
                Sent::Kept(id) => Posted::NotDone(format!(
                    "{}#feil",
                    forms::kept_at("/ansatt/gruppemelding", &id)
                )),
            })
        })
        .await
    })
    .await
}

/// Sets when a unit reads messages ("man-fre 08-16"); empty clears it. Only the unit's
/// principal or administrator may.
#[server(prefix = "/api/messages", endpoint = "hours")]
pub async fn set_hours(unit_id: String, hours: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::access::{Caller, UnitLeader};
        use crate::backend::messaging::group;

        let leader = UnitLeader::check(Caller::staff().await?, &unit_id).await?;
        if group::set_hours(&leader, &hours).await? {
            leptos_axum::redirect("/ansatt/gruppemelding");
        } else {
            // Back to the form, which explains the format; nothing is changed.
            leptos_axum::redirect("/ansatt/gruppemelding?timer=ugyldig");
        }
        Ok(())
    })
    .await
}
