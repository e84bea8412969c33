//! Server functions, grouped by capability (the same names as in `ui/`, `backend/` and
//! `domain/`). Each is a public HTTP endpoint and thin: who is asking and one access check
//! (`backend::access`), one call into a backend use case, the answer or a redirect. No SQL here.

pub mod account;
pub mod children;
pub mod day;
pub mod messaging;
pub mod municipalities;
pub mod notify;
pub mod preferences;
pub mod quick_unlock;
pub mod tablet;

/// The one error type, shared by every layer (see `crate::error`); re-exported here because
/// every server function answers with it.
pub use crate::error::{self, AppError};

/// What form posts share on the server: the "send anyway" box, the way back to a kept form, and
/// one effect per submission.
#[cfg(feature = "ssr")]
pub(crate) mod forms {
    /// Whether a checkbox (such as "send anyway") was ticked in a form.
    pub fn ticked(value: &Option<String>) -> bool {
        crate::domain::input::ticked(value.as_deref())
    }

    /// The form at `form_path`, showing kept form `id` again (`backend::kept`).
    pub fn kept_at(form_path: &str, id: &str) -> String {
        crate::backend::kept::form_at(form_path, id)
    }

    /// Does a form's `work` once per submission token `once` and `content` (the fields as read:
    /// `backend::once`, so a double tap sends once) and sends the browser where it led.
    pub async fn once(
        caller: &crate::backend::access::Caller,
        once: Option<String>,
        content: &str,
        work: impl std::future::Future<
            Output = Result<crate::backend::once::Posted, crate::api::AppError>,
        >,
    ) -> Result<(), crate::api::AppError> {
        let (db, person_id) = (&caller.state.db, &caller.user.person_id);
        let location =
            crate::backend::once::run(db, person_id, once.as_deref(), content, work).await?;
        leptos_axum::redirect(&location);
        Ok(())
    }
}
