//! One conversation: opening it (its messages with who wrote and who read them, who else reads
//! it, what the guard should look for in an answer, the reader's kept draft; marks it read) and
//! answering it.

use super::{drafts, send, threads};
use crate::backend::access::ThreadAccess;
use crate::backend::children::is_protected;
use crate::backend::clock::date_time_text;
use crate::backend::repo::children;
use crate::domain::messaging::{GroupFamily, MessageFields, MessageView, ThreadView};
use crate::domain::{Audience, DisplayName};
use crate::error::{AppError, ResultExt};

/// The conversation `access` is for, as its reader sees it, with their draft `draft` (an id)
/// if the form was sent back.
pub async fn open(access: &ThreadAccess, draft: Option<String>) -> Result<ThreadView, AppError> {
    let ThreadAccess { caller, thread } = access;
    let (state, user, today) = (&caller.state, &caller.user, &caller.today);
    let staff = user.audience == Audience::Staff;
    let rows = threads::messages(&state.db, &thread.id).await.context("loading messages")?;
    threads::mark_read(&state.db, &thread.id, &user.person_id, thread.last_message_at)
        .await
        .context("marking a thread read")?;
    let markers =
        threads::read_markers(&state.db, &thread.id).await.context("loading read markers")?;
    let participants =
        threads::staff(&state.db, &thread.id).await.context("loading a thread's staff")?;
    let staff_names: Vec<(String, String)> = participants
        .iter()
        .map(|p| {
            let name =
                DisplayName::from_register(&p.given_names, p.middle_name.as_deref(), &p.surname);
            (p.person_id.clone(), name.to_string())
        })
        .collect();
    let (about, guardians, other_children) = match &thread.child_id {
        Some(child_id) => {
            let child = children::get(&state.db, child_id)
                .await
                .context("loading a child")?
                .ok_or(AppError::NotFound)?;
            let guardians = send::guardians(&state.db, child_id, today)
                .await
                .context("listing a child's guardians")?;
            let others = send::other_children(&state.db, user, child_id, today)
                .await
                .context("listing the other children of a group")?;
            (child.display_name().to_string(), guardians, others)
        }
        None => {
            let (unit, group) = threads::place(&state.db, thread)
                .await
                .context("loading a group message's place")?;
            let place = match group {
                Some(g) => format!("{unit}, {g}"),
                None => unit,
            };
            let others = if staff {
                send::children_of(
                    &state.db,
                    user,
                    &thread.unit_id,
                    thread.group_id.as_deref(),
                    today,
                )
                .await
                .context("listing the children of a group")?
            } else {
                // A family answers about its own child, so the guard looks for the
                // other children of that child's groups, not for everyone the message
                // went to (a whole unit's children are no family's business).
                let mut others = Vec::new();
                for child in
                    threads::recipient_children(&state.db, &thread.id, &user.person_id, today)
                        .await
                        .context("listing a recipient's children")?
                {
                    others.extend(
                        send::other_children(&state.db, user, &child, today)
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
        staff_names.iter().find(|(id, _)| id == person_id).map(|(_, n)| n.clone()).or_else(|| {
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
                DisplayName::from_register(&m.given_names, m.middle_name.as_deref(), &m.surname)
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
            threads::group_read_count(&state.db, thread)
                .await
                .context("counting who read a group message")?,
        )
    } else {
        None
    };
    let group_families = if thread.is_group() && staff {
        let rows = threads::group_readers(&state.db, thread)
            .await
            .context("listing who read a group message")?;
        families(rows)
    } else {
        Vec::new()
    };
    let group_notified = if thread.is_group() && staff {
        Some(
            crate::backend::notify::prefs::notified(&state.db, &format!("thread:{}", thread.id))
                .await
                .context("counting who was notified of a group message")?,
        )
    } else {
        None
    };
    let reply_children = if thread.is_group() && !staff {
        let mut out = Vec::new();
        for id in threads::recipient_children(&state.db, &thread.id, &user.person_id, today)
            .await
            .context("listing a recipient's children")?
        {
            if let Some(child) = children::get(&state.db, &id).await.context("loading a child")? {
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
            Some(u) => send::hours_info(&state.db, &u.id, &u.name).await?.into_iter().collect(),
            None => Vec::new(),
        }
    };
    let draft = drafts::shown(
        &state.db,
        &user.person_id,
        draft,
        &draft_target(&thread.id),
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
        group_families,
        group_notified,
        reply_children,
        hours,
        other_children,
        draft,
    })
}

/// Where a person's unsent answer to a conversation is filed among their drafts.
pub fn draft_target(thread_id: &str) -> String {
    format!("thread:{thread_id}")
}

/// How answering went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// The conversation the answer is in: this one, or a family's private reply to a group
    /// message.
    In(String),
    /// Not sent: the text is kept, with why, under this id.
    Kept(String),
}

/// Answers the conversation of `access` with `body`. A guardian's answer to a group message
/// goes privately to its author, in a conversation about one of the guardian's children who got
/// it (`child_id`, or the first) and still are in their care; no other family sees it.
pub async fn answer(
    access: &ThreadAccess,
    child_id: Option<String>,
    body: &str,
    confirmed: bool,
) -> Result<Answered, AppError> {
    let ThreadAccess { caller, thread } = access;
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let private_child = if thread.is_group() && !caller.is_staff() {
        let mine = threads::recipient_children(db, &thread.id, &user.person_id, today)
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
        (Some(c), _) | (None, Some(c)) => send::other_children(db, user, c, today)
            .await
            .context("listing the other children of a group")?,
        (None, None) => {
            send::children_of(db, user, &thread.unit_id, thread.group_id.as_deref(), today)
                .await
                .context("listing the children of a group")?
        }
    };
    let flagged = match send::validate("", body, &others, confirmed) {
        Ok(flagged) => flagged,
        Err(problem) => {
            let fields = MessageFields {
                subject: String::new(),
                body: body.to_owned(),
                recipient: private_child,
            };
            let target = draft_target(&thread.id);
            let id = drafts::keep(caller, &target, &fields, problem.key()).await?;
            return Ok(Answered::Kept(id));
        }
    };
    let message = threads::NewMessage {
        author_id: &user.person_id,
        body,
        flagged: &flagged,
        confirmed: !flagged.is_empty(),
        notice: crate::domain::notify::EventKind::Message,
    };
    let destination = match private_child {
        Some(child) => threads::reply_privately(db, thread, &child, message)
            .await
            .context("answering a group message")?,
        None => {
            threads::add_message(db, &thread.id, message)
                .await
                .context("answering a conversation")?;
            thread.id.clone()
        }
    };
    drafts::clear(db, &user.person_id, &draft_target(&thread.id))
        .await
        .context("clearing message drafts")?;
    Ok(Answered::In(destination))
}

/// The families a group message went to, by child in alphabetical order; a family is
/// unreachable when KRR says none of its guardians can be reached digitally.
fn families(rows: Vec<threads::GroupReader>) -> Vec<GroupFamily> {
    let mut out: Vec<(String, GroupFamily)> = Vec::new();
    for r in rows {
        let guardian = format!("{} {}", r.given_names, r.surname);
        let unreachable = r.reserved == Some(1) || r.can_notify == Some(0);
        let child =
            DisplayName::from_register(&r.child_given, r.child_middle.as_deref(), &r.child_surname)
                .to_string();
        match out.iter_mut().find(|(id, _)| *id == r.child_id) {
            Some((_, family)) => {
                family.guardians.push((guardian, r.has_read == 1));
                family.unreachable &= unreachable;
            }
            None => out.push((
                r.child_id,
                GroupFamily { child, guardians: vec![(guardian, r.has_read == 1)], unreachable },
            )),
        }
    }
    let mut families: Vec<GroupFamily> = out.into_iter().map(|(_, f)| f).collect();
    for f in &mut families {
        crate::domain::collation::sort_by(&mut f.guardians, |(name, _)| [name.as_str()]);
    }
    crate::domain::collation::sort_by(&mut families, |f| [f.child.as_str()]);
    families
}
