//! One conversation: reading it (which marks it read) and answering it.

use crate::api::AppError;
use crate::domain::messaging::ThreadView;
use leptos::prelude::*;

/// The thread and caller, if the caller may read it.
#[cfg(feature = "ssr")]
async fn thread_access(
    thread_id: &str,
) -> Result<
    (
        crate::backend::AppState,
        crate::backend::identity::CurrentUser,
        String,
        crate::backend::messaging::threads::ThreadRow,
    ),
    AppError,
> {
    let crate::backend::access::ThreadAccess { caller, thread } =
        crate::backend::access::ThreadAccess::check(thread_id).await?;
    Ok((caller.state, caller.user, caller.today, thread))
}

/// A conversation, marked read by the caller.
#[server(prefix = "/api/messages", endpoint = "thread")]
pub async fn get_thread(thread_id: String, draft: Option<String>) -> Result<ThreadView, AppError> {
    crate::api::error::with_status(
        async move {
            let access = crate::backend::access::ThreadAccess::check(&thread_id).await?;
            crate::backend::messaging::conversation::open(&access, draft).await
        }
        .await,
    )
}

/// Answers a conversation. A guardian's answer to a group message goes privately to its author,
/// in a conversation about the guardian's child (`child_id`) that no other family sees.
#[server(prefix = "/api/messages", endpoint = "reply")]
pub async fn reply(
    thread_id: String,
    child_id: Option<String>,
    body: Option<String>,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::{drafts, send, threads};
            use crate::domain::Audience;

            let (state, user, today, thread) = thread_access(&thread_id).await?;
            let body = body.unwrap_or_default();
            let staff = user.audience == Audience::Staff;
            let target = format!("thread:{}", thread.id);
            let form = format!("/samtale/{}", thread.id);
            // The child the answer is about, when a guardian answers a group message.
            let private_child = if thread.is_group() && !staff {
                // Only a child still in the guardian's care: the answer is about that child.
                let mine =
                    threads::recipient_children(&state.db, &thread.id, &user.person_id, &today)
                        .await
                        .context("listing a recipient's children")?;
                let chosen = match child_id.filter(|c| !c.is_empty()) {
                    Some(c) if mine.contains(&c) => c,
                    Some(_) => return Err(AppError::NotFound),
                    None => mine.first().cloned().ok_or(AppError::NotFound)?,
                };
                Some(chosen)
            } else {
                None
            };
            let others = match (&private_child, &thread.child_id) {
                (Some(c), _) | (None, Some(c)) => send::other_children(&state.db, &user, c, &today)
                    .await
                    .context("listing the other children of a group")?,
                (None, None) => send::children_of(
                    &state.db,
                    &user,
                    &thread.unit_id,
                    thread.group_id.as_deref(),
                    &today,
                )
                .await
                .context("listing the children of a group")?,
            };
            let flagged = match send::validate("", &body, &others, super::ticked(&confirmed)) {
                Ok(flagged) => flagged,
                Err(problem) => {
                    let draft = drafts::NewDraft {
                        person_id: &user.person_id,
                        target: &target,
                        subject: "",
                        body: &body,
                        recipient: private_child.as_deref(),
                        problem: problem.key(),
                    };
                    return super::keep_draft(&state, draft, &form).await;
                }
            };
            let message = threads::NewMessage {
                author_id: &user.person_id,
                body: &body,
                flagged: &flagged,
                confirmed: !flagged.is_empty(),
            };
            let destination = match private_child {
                Some(child) => threads::reply_privately(&state.db, &thread, &child, message)
                    .await
                    .context("answering a group message")?,
                None => {
                    threads::add_message(&state.db, &thread.id, message)
                        .await
                        .context("answering a conversation")?;
                    thread.id.clone()
                }
            };
            drafts::clear(&state.db, &user.person_id, &target)
                .await
                .context("clearing message drafts")?;
            leptos_axum::redirect(&format!("/samtale/{destination}"));
            Ok(())
        }
        .await,
    )
}
