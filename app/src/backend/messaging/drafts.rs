//! Message drafts: a message that could not be sent yet is kept (see [`crate::backend::kept`]),
//! with why, so that nothing typed is lost — also when the page was a plain form post without
//! JavaScript.

use crate::backend::Database;
use crate::backend::access::Caller;
use crate::backend::kept::{self, KeptForm, cut};
use crate::domain::guard::{MAX_MESSAGE_CHARS, MAX_SUBJECT_CHARS};
use crate::domain::messaging::MessageFields;
use crate::error::{AppError, ResultExt};

const MAX_RECIPIENT_CHARS: usize = 200;

impl KeptForm for MessageFields {
    fn cut_to_limits(&mut self) {
        cut(&mut self.subject, MAX_SUBJECT_CHARS);
        cut(&mut self.body, MAX_MESSAGE_CHARS);
        if let Some(r) = &mut self.recipient {
            cut(r, MAX_RECIPIENT_CHARS);
        }
    }
}

/// Keeps the caller's message `fields` for `target` (`child:<id>`, `thread:<id>`, `group`)
/// with why; returns the id its form is given (`?utkast=`).
pub async fn keep(
    caller: &Caller,
    target: &str,
    fields: &MessageFields,
    problem: &str,
) -> Result<String, AppError> {
    kept::keep(&caller.state.db, &caller.user.person_id, target, fields, problem)
        .await
        .context("keeping a message draft")
}

/// Removes the person's drafts for `target` once a text for it has been sent.
pub async fn clear(db: &Database, person_id: &str, target: &str) -> sqlx::Result<()> {
    kept::clear(db, person_id, target).await
}

/// The person's draft `id` for `target` as its form shows it again, with what the guard finds
/// in it; `None` when there is no such draft of theirs.
pub async fn shown(
    db: &Database,
    person_id: &str,
    id: Option<String>,
    target: &str,
    other_children: &[String],
) -> Result<Option<crate::domain::messaging::Draft>, AppError> {
    let Some(id) = id.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    Ok(kept::load::<MessageFields>(db, &id, person_id, target)
        .await
        .context("loading a message draft")?
        .map(|d| crate::domain::messaging::Draft {
            findings: crate::domain::guard::check(&d.fields.body, other_children),
            subject: d.fields.subject,
            body: d.fields.body,
            recipient: d.fields.recipient,
            problem: d.problem,
        }))
}
