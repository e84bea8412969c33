//! What the page needs to know before it renders: its language and whether demo mode is on.
//!
//! On the server these come from the request and the app state; the shell writes them into
//! `<html lang>` and a `<meta>` tag, and the browser reads them back from there when it
//! hydrates, so both sides render the same markup.

use crate::i18n::Locale;

/// Name of the `<meta>` tag that tells the browser that demo mode is on.
pub const DEMO_META: &str = "ranselpost-demo";

/// What the page was rendered with (language, demo mode), read back by the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boot {
    pub locale: Locale,
    pub demo: bool,
}

impl Boot {
    #[cfg(feature = "ssr")]
    pub fn detect() -> Boot {
        use crate::i18n::LANG_COOKIE;
        use axum::http::{header, request::Parts};
        use leptos::prelude::use_context;

        let parts = use_context::<Parts>();
        let header_value =
            |name| parts.as_ref().and_then(|p| p.headers.get(name)).and_then(|v| v.to_str().ok());
        let from_cookie = header_value(header::COOKIE).and_then(|cookies| {
            cookies.split(';').find_map(|c| {
                let (name, value) = c.trim().split_once('=')?;
                (name == LANG_COOKIE).then(|| Locale::parse(value)).flatten()
            })
        });
        let locale = from_cookie
            .or_else(|| {
                header_value(header::ACCEPT_LANGUAGE).and_then(Locale::from_accept_language)
            })
            .unwrap_or_default();
        let demo = use_context::<crate::backend::AppState>().is_some_and(|s| s.settings.demo);
        Boot { locale, demo }
    }

    #[cfg(not(feature = "ssr"))]
    pub fn detect() -> Boot {
        let document = leptos::prelude::document();
        let locale = document
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|lang| Locale::parse(&lang))
            .unwrap_or_default();
        let demo = document
            .query_selector(&format!("meta[name=\"{DEMO_META}\"]"))
            .ok()
            .flatten()
            .is_some();
        Boot { locale, demo }
    }
}
