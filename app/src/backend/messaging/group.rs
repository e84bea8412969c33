//! Group messages: staff write to the guardians of a group they work in, or of a whole unit
//! they lead. Answers are never shared with other families (see `conversation::answer`).

use super::{drafts, send, threads};
use crate::backend::access::{Caller, UnitLeader};
use crate::domain::guard::MAX_SUBJECT_CHARS;
use crate::domain::messaging::{GroupData, GroupTarget, MessageFields};
use crate::domain::notify::EventKind;
use crate::error::{AppError, ResultExt};

/// Where a staff member's unsent group message is filed among their drafts.
pub const DRAFT_TARGET: &str = "group";

/// Where `caller` may send group messages today, with each one's unit and group.
async fn targets(caller: &Caller) -> Result<Vec<(GroupTarget, String, Option<String>)>, AppError> {
    let rows = send::group_targets(&caller.state.db, &caller.user.person_id, &caller.today)
        .await
        .context("listing where a staff member can send group messages")?;
    let mut out: Vec<(GroupTarget, String, Option<String>)> = Vec::new();
    for (unit_id, unit_name, group_id, group_name, children) in rows {
        let (value, label) = match (&group_id, group_name) {
            (Some(g), Some(name)) => (format!("group:{g}"), format!("{unit_name}, {name}")),
            _ => (format!("unit:{unit_id}"), unit_name.clone()),
        };
        if !out.iter().any(|(t, _, _)| t.value == value) {
            out.push((GroupTarget { value, label, children }, unit_id, group_id));
        }
    }
    Ok(out)
}

/// The group message screen: where `caller` may write, the children the guard looks for, a
/// draft brought back, and the units whose hours they may set.
pub async fn screen(caller: &Caller, draft: Option<String>) -> Result<GroupData, AppError> {
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let targets = targets(caller).await?;
    let mut other_children = Vec::new();
    for (_, unit_id, group_id) in &targets {
        other_children.extend(
            send::children_of(db, user, unit_id, group_id.as_deref(), today)
                .await
                .context("listing the children of a group")?,
        );
    }
    other_children.sort();
    other_children.dedup();
    let draft = drafts::shown(db, &user.person_id, draft, DRAFT_TARGET, &other_children).await?;
    let mut hour_units = Vec::new();
    for (target, unit_id, group_id) in &targets {
        if group_id.is_none() {
            let hours = send::unit_hours(db, unit_id)
                .await
                .context("loading a unit's staff hours")?
                .map(|h| h.canonical())
                .unwrap_or_default();
            hour_units.push((unit_id.clone(), target.label.clone(), hours));
        }
    }
    Ok(GroupData {
        targets: targets.into_iter().map(|(t, _, _)| t).collect(),
        other_children,
        draft,
        hour_units,
    })
}

/// How sending went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The new group message's id.
    Thread(String),
    /// Not sent: the text is kept, with why, under this id.
    Kept(String),
}

/// A group message as written: where to, the text, and how it is sent.
pub struct Outgoing<'a> {
    pub target: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The writer confirmed sending what the guard warned of.
    pub confirmed: bool,
    /// Urgent: notified at once on every channel, SMS included, quiet hours or not.
    pub urgent: bool,
}

/// Sends a group message, or keeps the text with why (see [`try_send`]).
pub async fn send(caller: &Caller, out: &Outgoing<'_>) -> Result<Sent, AppError> {
    let (target, body) = (out.target, out.body);
    let (subject, problem) = match try_send(caller, out).await? {
        Ok(id) => return Ok(Sent::Thread(id)),
        Err(refused) => refused,
    };
    let fields =
        MessageFields { subject, body: body.to_owned(), recipient: Some(target.to_owned()) };
    let id = drafts::keep(caller, DRAFT_TARGET, &fields, problem).await?;
    Ok(Sent::Kept(id))
}

/// Sends a group message to `target` (`group:<id>` or `unit:<id>`, one of the caller's). The
/// recipients are the guardians of the group's children as they are now, recorded with it.
async fn try_send(
    caller: &Caller,
    out: &Outgoing<'_>,
) -> Result<Result<String, (String, &'static str)>, AppError> {
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let (target, subject, body, confirmed) = (out.target, out.subject, out.body, out.confirmed);
    let subject: String = subject.trim().chars().take(MAX_SUBJECT_CHARS).collect();
    let targets = targets(caller).await?;
    let Some((_, unit_id, group_id)) = targets.iter().find(|(t, _, _)| t.value == target) else {
        return Ok(Err((subject, "messages.problem.group")));
    };
    if subject.is_empty() {
        return Ok(Err((subject, "messages.problem.subject")));
    }
    let others = send::children_of(db, user, unit_id, group_id.as_deref(), today)
        .await
        .context("listing the children of a group")?;
    let flagged = match send::validate(&subject, body, &others, confirmed) {
        Ok(flagged) => flagged,
        Err(problem) => {
            return Ok(Err((subject, problem.key())));
        }
    };
    let recipients = send::group_recipients(db, unit_id, group_id.as_deref(), today)
        .await
        .context("listing a group's guardians")?;
    let message = threads::NewMessage {
        author_id: &user.person_id,
        body,
        flagged: &flagged,
        confirmed: !flagged.is_empty(),
        notice: if out.urgent { EventKind::Urgent } else { EventKind::GroupMessage },
    };
    let new = threads::NewThread::Group { group_id: group_id.as_deref(), recipients: &recipients };
    let id = threads::create(db, unit_id, &subject, new, message)
        .await
        .context("sending a group message")?;
    drafts::clear(db, &user.person_id, DRAFT_TARGET).await.context("clearing message drafts")?;
    Ok(Ok(id))
}

/// Sets when the unit of `leader` reads messages ("man-fre 08-16"); empty clears it. `false`
/// when the hours do not read (nothing is changed then).
pub async fn set_hours(leader: &UnitLeader, hours: &str) -> Result<bool, AppError> {
    use crate::domain::hours::StaffHours;
    let parsed = if hours.trim().is_empty() {
        None
    } else {
        match StaffHours::parse(hours) {
            Some(h) => Some(h),
            None => return Ok(false),
        }
    };
    let (db, user) = (&leader.caller.state.db, &leader.caller.user);
    send::set_unit_hours(db, &leader.unit_id, parsed.as_ref())
        .await
        .context("setting a unit's staff hours")?;
    crate::backend::audit::record(
        db,
        Some(&user.person_id),
        "staff_hours.set",
        Some(&leader.unit_id),
        parsed.map(|h| h.canonical()).as_deref(),
    )
    .await
    .context("recording an audit event")?;
    Ok(true)
}
