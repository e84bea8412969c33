//! Preferences a visitor sets on this device, before or after logging in.

use crate::api::AppError;
use leptos::prelude::*;

/// Remembers the interface language on this device (a cookie, one year). Posted by a plain form,
/// so the server sends the browser back to the page it came from, now in the new language.
/// Public: it changes nothing but the caller's own cookie.
#[server(prefix = "/api/public", endpoint = "language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::i18n::{LANG_COOKIE, Locale};
        use axum::http::{HeaderValue, header::SET_COOKIE};

        let locale = Locale::parse(&lang).ok_or_else(|| AppError::invalid("language.invalid"))?;
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            locale.code()
        );
        // A logged-in person's notices follow the choice when KRR knows no language for them.
        if let Some(user) = crate::backend::identity::current_user() {
            let state = crate::backend::state()?;
            crate::backend::notify::prefs::set_language(&state.db, &user.person_id, locale.code())
                .await
                .map_err(|e| AppError::internal("remembering the language of notices", &e))?;
        }
        let options = expect_context::<leptos_axum::ResponseOptions>();
        options.insert_header(
            SET_COOKIE,
            HeaderValue::from_str(&cookie)
                .map_err(|e| AppError::internal("language cookie", &e))?,
        );
        Ok(())
    })
    .await
}
