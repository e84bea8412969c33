//! One conversation: reading it (which marks it read) and answering it.

use super::{Draft, HoursInfo};
use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    pub author: String,
    pub own: bool,
    pub by_staff: bool,
    pub body: String,
    pub at: String,
    /// For the reader's own messages in a conversation: who else has read it.
    pub read_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: String,
    pub subject: String,
    /// The child's name, or "Fjordvik skole, 4B" for a group message.
    pub about: String,
    pub child_id: Option<String>,
    pub is_group: bool,
    pub is_reply: bool,
    pub staff: bool,
    pub messages: Vec<MessageView>,
    /// Everyone who reads the conversation (a group message: "the guardians of 4B").
    pub readers: Vec<String>,
    /// A group message seen by its author: (read by, recipients).
    pub group_read: Option<(i64, i64)>,
    /// A guardian answering a group message: the children they got it for, (id, name); the
    /// answer goes privately to the staff, about the chosen child.
    pub reply_children: Vec<(String, String)>,
    pub hours: Vec<HoursInfo>,
    pub other_children: Vec<String>,
    pub draft: Option<Draft>,
}

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
    use crate::api::error::ResultExt;
    use crate::backend::messaging::threads;
    let state = crate::backend::state()?;
    let actor = state.actor().await;
    let user = actor.user().cloned().ok_or(AppError::Unauthenticated)?;
    let today = state.today();
    let thread = threads::get(&state.db, thread_id)
        .await
        .context("loading a thread")?
        .ok_or(AppError::NotFound)?;
    if !threads::can_read(&state.db, &user, &thread, &today)
        .await
        .context("checking access to a thread")?
    {
        return Err(AppError::NotFound);
    }
    Ok((state, user, today, thread))
}

/// A conversation, marked read by the caller.
#[server(prefix = "/api/messages", endpoint = "thread")]
pub async fn get_thread(thread_id: String, draft: Option<String>) -> Result<ThreadView, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::children::is_protected;
            use crate::backend::clock::date_time_text;
            use crate::backend::messaging::{send, threads};
            use crate::backend::repo::children;
            use crate::domain::{Audience, DisplayName};

            let (state, user, today, thread) = thread_access(&thread_id).await?;
            let staff = user.audience == Audience::Staff;
            let rows = threads::messages(&state.db, &thread.id)
                .await
                .context("loading messages")?;
            threads::mark_read(
                &state.db,
                &thread.id,
                &user.person_id,
                thread.last_message_at,
            )
            .await
            .context("marking a thread read")?;
            let markers = threads::read_markers(&state.db, &thread.id)
                .await
                .context("loading read markers")?;
            let participants = threads::staff(&state.db, &thread.id)
                .await
                .context("loading a thread's staff")?;
            let staff_names: Vec<(String, String)> = participants
                .iter()
                .map(|p| {
                    let name = DisplayName::from_register(
                        &p.given_names,
                        p.middle_name.as_deref(),
                        &p.surname,
                    );
                    (p.person_id.clone(), name.to_string())
                })
                .collect();
            let (about, guardians, other_children) = match &thread.child_id {
                Some(child_id) => {
                    let child = children::get(&state.db, child_id)
                        .await
                        .context("loading a child")?
                        .ok_or(AppError::NotFound)?;
                    let guardians = send::guardians(&state.db, child_id, &today)
                        .await
                        .context("listing a child's guardians")?;
                    let others = send::other_children(&state.db, &user, child_id, &today)
                        .await
                        .context("listing the other children of a group")?;
                    (child.display_name().to_string(), guardians, others)
                }
                None => {
                    let place = group_place(&state, &thread).await?;
                    let others = if staff {
                        send::children_of(
                            &state.db,
                            &user,
                            &thread.unit_id,
                            thread.group_id.as_deref(),
                            &today,
                        )
                        .await
                        .context("listing the children of a group")?
                    } else {
                        // A family answers about its own child, so the guard looks for the
                        // other children of that child's groups, not for everyone the message
                        // went to (a whole unit's children are no family's business).
                        let mut others = Vec::new();
                        for child in threads::recipient_children(
                            &state.db,
                            &thread.id,
                            &user.person_id,
                            &today,
                        )
                        .await
                        .context("listing a recipient's children")?
                        {
                            others.extend(
                                send::other_children(&state.db, &user, &child, &today)
                                    .await
                                    .context("listing the other children of a group")?,
                            );
                        }
                        others.sort();
                        others.dedup();
                        others
                    };
                    (place, Vec::new(), others)
                }
            };
            // A guardian with a confidential address is not named to another family member.
            let hidden = |person_id: &str, protection: &str| {
                !staff && person_id != user.person_id && is_protected(protection)
            };
            let name_of = |person_id: &str| -> Option<String> {
                staff_names
                    .iter()
                    .find(|(id, _)| id == person_id)
                    .map(|(_, n)| n.clone())
                    .or_else(|| {
                        guardians
                            .iter()
                            .find(|g| g.id == person_id && !hidden(&g.id, &g.address_protection))
                            .map(|g| g.name())
                    })
            };
            let messages = rows
                .into_iter()
                .map(|m| {
                    let own = m.author_id == user.person_id;
                    let read_by = if own && !thread.is_group() {
                        markers
                            .iter()
                            .filter(|(p, until, _)| *p != user.person_id && *until >= m.created_at)
                            .filter_map(|(p, _, at)| {
                                name_of(p).map(|n| format!("{n} ({})", date_time_text(*at)))
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let author = if hidden(&m.author_id, &m.address_protection) {
                        String::new()
                    } else {
                        DisplayName::from_register(
                            &m.given_names,
                            m.middle_name.as_deref(),
                            &m.surname,
                        )
                        .to_string()
                    };
                    MessageView {
                        id: m.id,
                        author,
                        own,
                        by_staff: m.by_staff == 1,
                        body: m.body,
                        at: date_time_text(m.created_at),
                        read_by,
                    }
                })
                .collect();
            let mut readers: Vec<String> = guardians
                .iter()
                .filter(|g| !hidden(&g.id, &g.address_protection))
                .map(|g| g.name())
                .collect();
            readers.extend(staff_names.iter().map(|(_, n)| n.clone()));
            let group_read = if thread.is_group() && staff {
                Some(
                    threads::group_read_count(&state.db, &thread)
                        .await
                        .context("counting who read a group message")?,
                )
            } else {
                None
            };
            let reply_children = if thread.is_group() && !staff {
                let mut out = Vec::new();
                for id in
                    threads::recipient_children(&state.db, &thread.id, &user.person_id, &today)
                        .await
                        .context("listing a recipient's children")?
                {
                    if let Some(child) = children::get(&state.db, &id)
                        .await
                        .context("loading a child")?
                    {
                        out.push((id, child.display_name().to_string()));
                    }
                }
                out
            } else {
                Vec::new()
            };
            let hours = if staff {
                Vec::new()
            } else {
                let unit = crate::backend::repo::units::get(&state.db, &thread.unit_id)
                    .await
                    .context("loading a unit")?;
                match unit {
                    Some(u) => super::hours_info(&state, &u.id, &u.name)
                        .await?
                        .into_iter()
                        .collect(),
                    None => Vec::new(),
                }
            };
            let draft = super::load_draft(
                &state,
                &user.person_id,
                draft,
                &format!("thread:{}", thread.id),
                &other_children,
            )
            .await?;
            Ok(ThreadView {
                id: thread.id.clone(),
                subject: thread.subject.clone(),
                about,
                child_id: thread.child_id.clone(),
                is_group: thread.is_group(),
                is_reply: thread.origin_id.is_some(),
                staff,
                messages,
                readers,
                group_read,
                reply_children,
                hours,
                other_children,
                draft,
            })
        }
        .await,
    )
}

/// "Fjordvik skole, 4B" (or the unit alone) for a group thread.
#[cfg(feature = "ssr")]
async fn group_place(
    state: &crate::backend::AppState,
    thread: &crate::backend::messaging::threads::ThreadRow,
) -> Result<String, AppError> {
    use crate::api::error::ResultExt;
    let (unit, group): (String, Option<String>) = sqlx::query_as(
        "SELECT u.name, g.name FROM unit u LEFT JOIN class_group g ON g.id = $2 WHERE u.id = $1",
    )
    .bind(&thread.unit_id)
    .bind(thread.group_id.as_deref().unwrap_or_default())
    .fetch_one(&state.db.pool)
    .await
    .context("loading a group message's place")?;
    Ok(match group {
        Some(g) => format!("{unit}, {g}"),
        None => unit,
    })
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
