//! Inboxes: across all of a guardian's children (or a staff member's conversations), and per
//! child. Newest first, a page at a time.

use super::InboxPage;
use crate::api::AppError;
use leptos::prelude::*;

/// The caller's conversations and group messages, newest first, before `older` (a cursor).
#[server(prefix = "/api/messages", endpoint = "inbox")]
pub async fn inbox(older: Option<String>) -> Result<InboxPage, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::current().await?;
        crate::backend::messaging::inbox::page(&caller.state, &caller.user, None, older).await
    })
    .await
}

/// The conversations and group messages about one child, newest first.
#[server(prefix = "/api/child", endpoint = "inbox")]
pub async fn child_inbox(child_id: String, older: Option<String>) -> Result<InboxPage, AppError> {
    crate::api::error::with_status(async move {
        let (state, user, _) =
            crate::backend::access::ChildAccess::check(&child_id).await?.into_parts();
        crate::backend::messaging::inbox::page(&state, &user, Some(child_id), older).await
    })
    .await
}
