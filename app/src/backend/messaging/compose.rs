//! Starting a conversation about a child: what the compose screen offers (the child's staff to
//! a guardian, the guardians who will read it, the units' hours, what the guard looks for) and
//! the sending.

use super::{drafts, send, threads};
use crate::backend::access::ChildAccess;
use crate::backend::repo::children;
use crate::domain::guard::MAX_SUBJECT_CHARS;
use crate::domain::messaging::{ComposeData, MessageFields, Recipient, preview};
use crate::error::{AppError, ResultExt};

/// Where a person's unsent text about a child is filed among their drafts.
pub fn draft_target(child_id: &str) -> String {
    format!("child:{child_id}")
}

/// The compose screen's path, where a kept text is brought back.
pub fn form_path(child_id: &str) -> String {
    format!("/barn/{child_id}/ny-melding")
}

/// The compose screen about the child of `access`; `draft` brings back a text not sent.
pub async fn screen(access: &ChildAccess, draft: Option<String>) -> Result<ComposeData, AppError> {
    let ChildAccess { caller, child_id } = access;
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let staff = caller.is_staff();
    let child =
        children::get(db, child_id).await.context("loading a child")?.ok_or(AppError::NotFound)?;
    let staff_options =
        send::staff_for_child(db, child_id, today).await.context("listing a child's staff")?;
    let recipients: Vec<Recipient> = if staff {
        Vec::new()
    } else {
        staff_options
            .iter()
            .enumerate()
            .map(|(i, s)| Recipient {
                value: format!("{}:{}", s.unit_id, s.person_id),
                name: s.name(),
                role_key: crate::domain::staff::role_key(&s.role).to_owned(),
                place: match &s.group_name {
                    Some(g) if s.for_group == 1 => format!("{}, {g}", s.unit_name),
                    _ => s.unit_name.clone(),
                },
                preselected: i == 0,
            })
            .collect()
    };
    let mut hours = Vec::new();
    let mut seen = Vec::new();
    for s in &staff_options {
        if !staff && !seen.contains(&s.unit_id) {
            seen.push(s.unit_id.clone());
            if let Some(h) = send::hours_info(db, &s.unit_id, &s.unit_name).await? {
                hours.push(h);
            }
        }
    }
    let guardians = send::guardians(db, child_id, today)
        .await
        .context("listing a child's guardians")?
        .into_iter()
        // A guardian with a confidential address is not shown to another family member.
        .filter(|g| staff || g.id == user.person_id || !g.protected())
        .map(|g| g.name())
        .collect();
    let other_children = send::other_children(db, user, child_id, today)
        .await
        .context("listing the other children of a group")?;
    let draft =
        drafts::shown(db, &user.person_id, draft, &draft_target(child_id), &other_children).await?;
    Ok(ComposeData {
        child_name: child.display_name().to_string(),
        child_id: child_id.clone(),
        staff,
        recipients,
        guardians,
        hours,
        other_children,
        draft,
    })
}

/// How starting a conversation went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// The new conversation's id.
    Thread(String),
    /// Not sent: the text is kept, with why, under this id.
    Kept(String),
}

/// Why a conversation was not started: the text to keep (with `subject` as it would have been
/// sent) and why; `recipient_ok`: the recipient chosen was one of the child's staff.
struct Refused {
    subject: String,
    problem: &'static str,
    recipient_ok: bool,
}

/// Starts a conversation about the child of `access`, or keeps the text with why (see
/// [`try_start`]).
pub async fn start(
    access: &ChildAccess,
    recipient: Option<&str>,
    subject: &str,
    body: &str,
    confirmed: bool,
) -> Result<Started, AppError> {
    let refused = match try_start(access, recipient, subject, body, confirmed).await? {
        Ok(id) => return Ok(Started::Thread(id)),
        Err(refused) => refused,
    };
    let fields = MessageFields {
        subject: refused.subject,
        body: body.to_owned(),
        recipient: recipient.filter(|_| refused.recipient_ok).map(str::to_owned),
    };
    let target = draft_target(&access.child_id);
    let id = drafts::keep(&access.caller, &target, &fields, refused.problem).await?;
    Ok(Started::Kept(id))
}

/// Starts a conversation about the child of `access`. A guardian writes to `recipient` (one of
/// the child's staff, `<unit>:<person>`); a staff member writes as themselves to the child's
/// guardians. `confirmed`: sending despite the guard's findings.
async fn try_start(
    access: &ChildAccess,
    recipient: Option<&str>,
    subject: &str,
    body: &str,
    confirmed: bool,
) -> Result<Result<String, Refused>, AppError> {
    let ChildAccess { caller, child_id } = access;
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let subject: String = subject.trim().chars().take(MAX_SUBJECT_CHARS).collect();
    let staff_options =
        send::staff_for_child(db, child_id, today).await.context("listing a child's staff")?;
    // Who takes part on the staff side, and for which unit.
    let (unit_id, staff) = if caller.is_staff() {
        let mine = staff_options
            .iter()
            .find(|s| s.person_id == user.person_id)
            .ok_or(AppError::Forbidden)?;
        (mine.unit_id.clone(), vec![user.person_id.clone()])
    } else {
        let chosen = recipient.unwrap_or_default();
        let Some(option) =
            staff_options.iter().find(|s| format!("{}:{}", s.unit_id, s.person_id) == chosen)
        else {
            return Ok(Err(Refused {
                subject,
                problem: "messages.problem.recipient",
                recipient_ok: false,
            }));
        };
        (option.unit_id.clone(), vec![option.person_id.clone()])
    };
    let others = send::other_children(db, user, child_id, today)
        .await
        .context("listing the other children of a group")?;
    let flagged = match send::validate(&subject, body, &others, confirmed) {
        Ok(flagged) => flagged,
        Err(problem) => {
            return Ok(Err(Refused { subject, problem: problem.key(), recipient_ok: true }));
        }
    };
    let subject: String =
        if subject.is_empty() { preview(body).chars().take(60).collect() } else { subject };
    let message = threads::NewMessage {
        author_id: &user.person_id,
        body,
        flagged: &flagged,
        confirmed: !flagged.is_empty(),
        notice: crate::domain::notify::EventKind::Message,
    };
    let target_thread = threads::NewThread::Child { child_id, staff: &staff, origin_id: None };
    let id = threads::create(db, &unit_id, &subject, target_thread, message)
        .await
        .context("starting a conversation")?;
    drafts::clear(db, &user.person_id, &draft_target(child_id))
        .await
        .context("clearing message drafts")?;
    Ok(Ok(id))
}
