//! What the messaging pages get: an inbox, a conversation, a draft sent back with why. Built on
//! the server (`backend::messaging`), shown by `ui::messaging`; the same types on both sides.

use super::guard::Finding;
use super::hours::NextOpening;
use serde::{Deserialize, Serialize};

/// A message form's fields as typed, kept when it could not be sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFields {
    pub subject: String,
    pub body: String,
    /// The recipient chosen, the group message's target, or the child a reply was about.
    pub recipient: Option<String>,
}

/// A text that was not sent, back in the form with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub subject: String,
    pub body: String,
    pub recipient: Option<String>,
    /// i18n key of why it was not sent.
    pub problem: String,
    pub findings: Vec<Finding>,
}

/// When a unit reads messages, and when an answer can be expected if not now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursInfo {
    pub unit: String,
    pub first_day: u8,
    pub last_day: u8,
    pub opens: String,
    pub closes: String,
    pub next: Option<NextOpening>,
}

/// One thread in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: String,
    pub subject: String,
    /// "Fjordvik skole, 4B" for a group message; the child's name for a child thread.
    pub about: String,
    pub is_group: bool,
    /// A private reply to a group message.
    pub is_reply: bool,
    pub last_at: String,
    pub last_author: String,
    pub preview: String,
    pub unread: i64,
}

/// Threads per inbox page.
pub const PAGE_SIZE: i64 = 20;

/// One page of an inbox, newest first, with a cursor to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub threads: Vec<ThreadSummary>,
    /// The cursor of the next (older) page, if there is one.
    pub older: Option<String>,
    /// Whether the reader is staff (who may start group messages).
    pub staff: bool,
    /// The child the list is limited to: (id, name).
    pub child: Option<(String, String)>,
}

/// A preview of a message body for a list: the first line, at most 120 characters.
pub fn preview(body: &str) -> String {
    let line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 || body.trim().lines().count() > 1 {
        out.push('…');
    }
    out
}

/// One message as a conversation shows it.
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

/// A conversation as its page shows it.
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
    /// A group message seen by staff: each family it went to, who there has read it, and
    /// whether it can be reached digitally at all.
    pub group_families: Vec<GroupFamily>,
    /// A group message seen by staff: how many of its readers were notified outside the app.
    pub group_notified: Option<crate::domain::notify::Notified>,
    /// A guardian answering a group message: the children they got it for, (id, name); the
    /// answer goes privately to the staff, about the chosen child.
    pub reply_children: Vec<(String, String)>,
    pub hours: Vec<HoursInfo>,
    pub other_children: Vec<String>,
    pub draft: Option<Draft>,
}

/// A family a group message went to, as its sender sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFamily {
    pub child: String,
    /// (guardian, has read it all).
    pub guardians: Vec<(String, bool)>,
    /// KRR says none of its guardians can be reached digitally (reserved, or
    /// `KAN_IKKE_VARSLES`): the school must reach this family another way. A guardian whose
    /// details were never fetched (never logged in) does not count as unreachable.
    pub unreachable: bool,
}

/// Someone a guardian can write to: `value` names the person and the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub value: String,
    pub name: String,
    /// i18n key of the role.
    pub role_key: String,
    pub place: String,
    pub preselected: bool,
}

/// What the screen for a new conversation about a child needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeData {
    pub child_id: String,
    pub child_name: String,
    /// Whether the writer is staff (writing to the guardians).
    pub staff: bool,
    /// Staff to choose from (guardians only), the child's contact first and preselected.
    pub recipients: Vec<Recipient>,
    /// The guardians who will read the conversation.
    pub guardians: Vec<String>,
    /// Staff hours of the units the recipients belong to.
    pub hours: Vec<HoursInfo>,
    /// The other children of the child's groups, for the guard.
    pub other_children: Vec<String>,
    pub draft: Option<Draft>,
}

/// Somewhere a staff member can send a group message: `value` is `group:<id>` or `unit:<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupTarget {
    pub value: String,
    pub label: String,
    /// How many children's families it reaches today.
    pub children: i64,
}

/// What the group-message screen needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupData {
    pub targets: Vec<GroupTarget>,
    /// The children of all the targets, for the guard.
    pub other_children: Vec<String>,
    pub draft: Option<Draft>,
    /// Units whose staff hours the caller may set: (unit id, name, current hours as typed).
    pub hour_units: Vec<(String, String, String)>,
}
