//! Server functions, grouped by capability (the same names as in `ui/`, `backend/` and
//! `domain/`). Each is a public HTTP endpoint and thin: who is asking and one access check
//! (`backend::access`), one call into a backend use case, the answer or a redirect. No SQL here.

pub mod account;
pub mod children;
pub mod day;
pub mod messaging;
pub mod municipalities;
pub mod preferences;
pub mod quick_unlock;

/// The one error type, shared by every layer (see `crate::error`); re-exported here because
/// every server function answers with it.
pub use crate::error::{self, AppError};

/// What form posts share on the server: the "send anyway" box and the way back to a kept form.
#[cfg(feature = "ssr")]
pub(crate) mod forms {
    /// Whether a checkbox (such as "send anyway") was ticked in a form.
    pub fn ticked(value: &Option<String>) -> bool {
        crate::domain::input::ticked(value.as_deref())
    }

    /// Sends the browser back to the form at `form_path`, which shows kept form `id` again
    /// (`backend::kept`).
    pub fn back_to_kept(form_path: &str, id: &str) {
        let separator = if form_path.contains('?') { '&' } else { '?' };
        leptos_axum::redirect(&format!("{form_path}{separator}utkast={id}"));
    }
}
