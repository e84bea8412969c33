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
    use crate::api::AppError;
    use crate::api::error::ResultExt;
    use crate::backend::AppState;
    use crate::backend::messaging::drafts;

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

    /// Whether the checkbox "send anyway" was ticked in a form.
    pub fn ticked(value: &Option<String>) -> bool {
        value
            .as_deref()
            .is_some_and(|v| matches!(v, "on" | "true" | "1" | "yes"))
    }
}
#[cfg(feature = "ssr")]
pub(crate) use shared::*;
