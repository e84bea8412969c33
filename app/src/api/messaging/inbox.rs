//! Inboxes: across all of a guardian's children (or a staff member's conversations), and per
//! child. Newest first, a page at a time.

use super::InboxPage;
use crate::api::AppError;
use leptos::prelude::*;

/// Threads per page.
pub const PAGE_SIZE: i64 = 20;

/// The caller's conversations and group messages, newest first, before `older` (a cursor).
#[server(prefix = "/api/messages", endpoint = "inbox")]
pub async fn inbox(older: Option<String>) -> Result<InboxPage, AppError> {
    crate::api::error::with_status(
        async move {
            let caller = crate::backend::access::Caller::current().await?;
            list(&caller.state, &caller.user, None, older).await
        }
        .await,
    )
}

/// The conversations and group messages about one child, newest first.
#[server(prefix = "/api/child", endpoint = "inbox")]
pub async fn child_inbox(child_id: String, older: Option<String>) -> Result<InboxPage, AppError> {
    crate::api::error::with_status(
        async move {
            let (state, user, _) = crate::backend::access::ChildAccess::check(&child_id)
                .await?
                .into_parts();
            list(&state, &user, Some(child_id), older).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn list(
    state: &crate::backend::AppState,
    user: &crate::backend::identity::CurrentUser,
    child: Option<String>,
    older: Option<String>,
) -> Result<InboxPage, AppError> {
    use super::{ThreadSummary, preview};
    use crate::api::error::ResultExt;
    use crate::backend::clock::date_time_text;
    use crate::backend::messaging::inbox::{self, Cursor};
    use crate::backend::repo::children;
    use crate::domain::{Audience, DisplayName};

    let today = state.today();
    let cursor = older
        .as_deref()
        .and_then(Cursor::decode)
        .unwrap_or_else(Cursor::first);
    let staff = user.audience == Audience::Staff;
    // Staff read only through a role: without any, there is no inbox to show.
    if staff
        && !crate::backend::access::has_staff_role(&state.db, &user.person_id)
            .await
            .context("checking a staff member's roles")?
    {
        return Err(AppError::Forbidden);
    }
    // One more than a page tells whether there is an older page.
    let mut rows = if staff {
        // Staff see the conversations they take part in through a role they hold now (about
        // the child, when one is given).
        inbox::for_staff(
            &state.db,
            &user.person_id,
            &today,
            child.as_deref(),
            &cursor,
            PAGE_SIZE + 1,
        )
        .await
    } else {
        inbox::for_guardian(
            &state.db,
            &user.person_id,
            &today,
            child.as_deref(),
            &cursor,
            PAGE_SIZE + 1,
        )
        .await
    }
    .context("listing an inbox")?;
    let older = (rows.len() as i64 > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE as usize);
        rows.last()
            .map(|r| {
                Cursor {
                    at: r.last_message_at,
                    id: r.id.clone(),
                }
                .encode()
            })
            .unwrap_or_default()
    });
    let mut names: Vec<(String, String)> = Vec::new();
    let mut threads = Vec::with_capacity(rows.len());
    for r in rows {
        let about = match (&r.child_id, &r.group_name) {
            (Some(child_id), _) => match names.iter().find(|(id, _)| id == child_id) {
                Some((_, n)) => n.clone(),
                None => {
                    let name = children::get(&state.db, child_id)
                        .await
                        .context("loading a child")?
                        .map(|c| c.display_name().to_string())
                        .unwrap_or_default();
                    names.push((child_id.clone(), name.clone()));
                    name
                }
            },
            (None, Some(group)) => format!("{}, {group}", r.unit_name),
            (None, None) => r.unit_name.clone(),
        };
        threads.push(ThreadSummary {
            subject: r.subject,
            about,
            is_group: r.kind == "group",
            is_reply: r.origin_id.is_some(),
            last_at: date_time_text(r.last_message_at),
            last_author: DisplayName::from_register(
                &r.given_names,
                r.middle_name.as_deref(),
                &r.surname,
            )
            .to_string(),
            preview: preview(&r.preview),
            unread: r.unread,
            id: r.id,
        });
    }
    let child = match child {
        Some(id) => {
            let name = children::get(&state.db, &id)
                .await
                .context("loading a child")?
                .map(|c| c.display_name().to_string())
                .unwrap_or_default();
            Some((id, name))
        }
        None => None,
    };
    Ok(InboxPage {
        threads,
        older,
        staff,
        child,
    })
}
