//! Starting a conversation about a child: a guardian writes to the child's staff, a staff
//! member to the child's guardians.

use crate::api::AppError;
use crate::domain::messaging::ComposeData;
use leptos::prelude::*;

/// What a compose screen about `child_id` needs; `draft` brings back a text that was not sent.
#[server(prefix = "/api/child", endpoint = "compose")]
pub async fn compose_context(
    child_id: String,
    draft: Option<String>,
) -> Result<ComposeData, AppError> {
    crate::api::error::with_status(async move {
        let access = crate::backend::access::ChildAccess::check(&child_id).await?;
        crate::backend::messaging::compose::screen(&access, draft).await
    })
    .await
}

/// Starts a conversation about a child. On success the browser goes to the new conversation; a
/// text that cannot be sent yet is kept as a draft and the browser goes back to the form.
#[server(prefix = "/api/child", endpoint = "start_thread")]
pub async fn start_thread(
    child_id: String,
    recipient: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::forms;
        use crate::backend::messaging::compose::{self, Started};
        use crate::backend::once::Posted;

        let access = crate::backend::access::ChildAccess::check(&child_id).await?;
        let body = body.unwrap_or_default();
        let subject = subject.unwrap_or_default();
        let confirmed = forms::ticked(&confirmed);
        let content = format!("{recipient:?}\n{subject}\n{body}");
        forms::once(&access.caller, once, &content, async {
            Ok(
                match compose::start(&access, recipient.as_deref(), &subject, &body, confirmed)
                    .await?
                {
                    Started::Thread(id) => Posted::Done(format!("/samtale/{id}")),
                    Started::Kept(id) => Posted::NotDone(format!(
                        "{}#feil",
                        forms::kept_at(&compose::form_path(&child_id), &id)
                    )),
                },
            )
        })
        .await
    })
    .await
}
