//! One conversation: reading it (which marks it read) and answering it.

use crate::api::AppError;
use crate::domain::messaging::ThreadView;
use leptos::prelude::*;

/// A conversation, marked read by the caller.
#[server(prefix = "/api/messages", endpoint = "thread")]
pub async fn get_thread(thread_id: String, draft: Option<String>) -> Result<ThreadView, AppError> {
    crate::api::error::with_status(async move {
        let access = crate::backend::access::ThreadAccess::check(&thread_id).await?;
        crate::backend::messaging::conversation::open(&access, draft).await
    })
    .await
}

/// Answers a conversation. A guardian's answer to a group message goes privately to its author,
/// in a conversation about the guardian's child (`child_id`) that no other family sees.
#[server(prefix = "/api/messages", endpoint = "reply")]
pub async fn reply(
    thread_id: String,
    child_id: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::forms;
        use crate::backend::messaging::conversation::{self, Answered};
        use crate::backend::once::Posted;

        let access = crate::backend::access::ThreadAccess::check(&thread_id).await?;
        let body = body.unwrap_or_default();
        let confirmed = forms::ticked(&confirmed);
        let content = format!("{child_id:?}\n{body}");
        forms::once(&access.caller, once, &content, async {
            Ok(match conversation::answer(&access, child_id, &body, confirmed).await? {
                Answered::In(destination) => Posted::Done(format!("/samtale/{destination}")),
                Answered::Kept(id) => Posted::NotDone(format!(
                    "{}#feil",
                    forms::kept_at(&format!("/samtale/{thread_id}"), &id)
                )),
            })
        })
        .await
    })
    .await
}
