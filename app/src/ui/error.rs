//! Showing an [`AppError`] to a person: a plain sentence in their language, the right HTTP status
//! on the server-rendered page, and never the cause (which is in the server log).

use crate::api::AppError;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Sets the HTTP status of the page being rendered on the server; does nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(code))
    {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Marks the page being rendered as never to be cached (personal pages: after logout, the back
/// button must not show them from cache).
pub fn no_store() {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}

/// A page that needs a logged-in person, opened without one: this page is remembered on the
/// browser (`backend::identity::next`), so that the login or quick unlock comes back to it, and
/// the browser goes to the front page, which says why.
pub fn login_first() {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let secure = use_context::<crate::backend::AppState>()
            .is_none_or(|state| state.settings.session.secure);
        if let Some(cookie) = crate::backend::identity::next::remember(here, secure) {
            crate::backend::cookies::set(&cookie);
        }
    }
    redirect_to(crate::domain::identity::LOGIN_FIRST);
}

/// On the first page after a login or an unlock: a page remembered by [`login_first`] (or by
/// a form sent after the session ran out) is where the person meant to go, so they go there.
pub fn return_after_login() {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        let cookies = parts.headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
        if let Some(next) = cookies.and_then(crate::backend::identity::next::remembered) {
            let secure = use_context::<crate::backend::AppState>()
                .is_none_or(|state| state.settings.session.secure);
            crate::backend::cookies::set(&crate::backend::identity::next::forget(secure));
            redirect_to(&next);
        }
    }
}

/// Sends the browser elsewhere: an HTTP redirect while rendering on the server, a page load in
/// the browser.
pub fn redirect_to(path: &str) {
    // A page render (not a server-function call): always a real HTTP redirect, whatever the
    // client's Accept header says.
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(location)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::HeaderValue::from_str(path))
    {
        options.insert_header(axum::http::header::LOCATION, location);
        options.set_status(axum::http::StatusCode::FOUND);
    }
    #[cfg(feature = "hydrate")]
    if let Err(e) = window().location().set_href(path) {
        leptos::logging::warn!("going to {path}: {e:?}");
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let _ = path;
}

#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    set_status(error.status_code());
    let text = match &error {
        AppError::Internal { correlation_id } => {
            i18n.t_with("error.internal", &[("id", correlation_id)])
        }
        other => i18n.t(other.message_key()).to_owned(),
    };
    view! { <p class="error" role="alert">{text}</p> }
}
