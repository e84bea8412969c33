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

pub use crate::domain::messaging::*;

/// Server-side pieces shared by the messaging functions.
#[cfg(feature = "ssr")]
mod shared {
    use super::{Draft, HoursInfo};
    use crate::api::AppError;
    use crate::api::error::ResultExt;
    use crate::backend::AppState;
    use crate::backend::messaging::{drafts, send};

    /// The person's draft `id` for `target`, with the guard's findings, if there is one.
    pub async fn load_draft(
        state: &AppState,
        person_id: &str,
        id: Option<String>,
        target: &str,
        other_children: &[String],
    ) -> Result<Option<Draft>, AppError> {
        drafts::shown(&state.db, person_id, id, target, other_children).await
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
        send::hours_info(&state.db, unit_id, unit).await
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
