//! The i18n layer. Every user-facing string is looked up here by key; the texts themselves are
//! data in `app/locales/<code>.json` (bokmål, nynorsk, English), so a translation is a file edit,
//! not a code change. Bokmål is the default and the fallback for a key a catalogue lacks.
//!
//! The language of a request is chosen on the server (cookie, then `Accept-Language`) and written
//! into `<html lang>`; the browser reads it back from there when it hydrates, so both sides render
//! the same text.

mod catalog;
mod locale;

pub use catalog::{translate, translate_with};
pub use locale::Locale;

use leptos::prelude::*;

/// Name of the cookie that remembers the chosen language on this device.
pub const LANG_COOKIE: &str = "ranselpost_lang";

/// The language of the current page, provided as context by the root component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct I18n {
    pub locale: Locale,
}

impl I18n {
    /// The text for `key` in this page's language.
    pub fn t(&self, key: &str) -> &'static str {
        translate(self.locale, key)
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        translate_with(self.locale, key, args)
    }
}

/// The i18n context. Panics only if a component is rendered outside the root `App`, which is a
/// programming error caught by every test that renders a page.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().expect("I18n is provided by App")
}
