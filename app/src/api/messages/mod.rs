//! Messaging between home and kindergarten/school: the shapes the pages get, and the server
//! functions. Functions that take a child live under `/api/child/` (see `api::children`);
//! the rest check access to the thread they are given.

mod compose;
mod group;
mod inbox;
mod thread;

pub use compose::*;
pub use group::*;
pub use inbox::*;
pub use thread::*;

use crate::domain::guard::Finding;
use crate::domain::hours::NextOpening;
use serde::{Deserialize, Serialize};

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

/// Server-side pieces shared by the messaging functions.
#[cfg(feature = "ssr")]
mod shared {
    use super::{Draft, HoursInfo};
    use crate::api::AppError;
    use crate::api::error::ResultExt;
    use crate::backend::AppState;
    use crate::backend::messaging::{drafts, send};
    use crate::domain::guard;

    /// The person's draft `id` for `target`, with the guard's findings, if there is one.
    pub async fn load_draft(
        state: &AppState,
        person_id: &str,
        id: Option<String>,
        target: &str,
        other_children: &[String],
    ) -> Result<Option<Draft>, AppError> {
        let Some(id) = id.filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        Ok(drafts::load(&state.db, &id, person_id, target)
            .await
            .context("loading a message draft")?
            .map(|d| Draft {
                findings: guard::check(&d.body, other_children),
                subject: d.subject,
                body: d.body,
                recipient: d.recipient,
                problem: d.problem,
            }))
    }

    /// Keeps a text that could not be sent and sends the browser back to its form.
    pub async fn keep_draft(
        state: &AppState,
        draft: drafts::NewDraft<'_>,
        form_path: &str,
    ) -> Result<(), AppError> {
        let id = drafts::save(&state.db, &draft)
            .await
            .context("keeping a message draft")?;
        let separator = if form_path.contains('?') { '&' } else { '?' };
        leptos_axum::redirect(&format!("{form_path}{separator}utkast={id}"));
        Ok(())
    }

    /// The staff hours of a unit, for a compose screen.
    pub async fn hours_info(
        state: &AppState,
        unit_id: &str,
        unit: &str,
    ) -> Result<Option<HoursInfo>, AppError> {
        Ok(send::unit_hours(&state.db, unit_id)
            .await
            .context("loading a unit's staff hours")?
            .map(|h| HoursInfo {
                unit: unit.to_owned(),
                first_day: h.first_day,
                last_day: h.last_day,
                opens: h.opens_text(),
                closes: h.closes_text(),
                next: send::expected_answer(&h, &state.db.clock),
            }))
    }

    /// Whether the checkbox "send anyway" was ticked in a form.
    pub fn ticked(value: &Option<String>) -> bool {
        value
            .as_deref()
            .is_some_and(|v| matches!(v, "on" | "true" | "1" | "yes"))
    }
}
#[cfg(feature = "ssr")]
pub(crate) use shared::*;
