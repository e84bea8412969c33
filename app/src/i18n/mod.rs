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
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Name of the cookie that remembers the chosen language on this device.
pub const LANG_COOKIE: &str = "ranselpost_lang";

/// The language of the current page, provided as context by the root component and by each
/// island. On the server it reads the catalogues; in the browser only the texts its island was
/// sent (see [`Texts`]), so the catalogues are not part of the WASM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct I18n {
    pub locale: Locale,
    #[cfg(feature = "hydrate")]
    texts: &'static BTreeMap<String, String>,
}

impl I18n {
    pub fn new(locale: Locale) -> I18n {
        #[cfg(feature = "hydrate")]
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        I18n {
            locale,
            #[cfg(feature = "hydrate")]
            texts: &NONE,
        }
    }

    /// The text for `key` in this page's language.
    pub fn t(&self, key: &str) -> &'static str {
        #[cfg(not(feature = "hydrate"))]
        return translate(self.locale, key);
        #[cfg(feature = "hydrate")]
        self.texts.get(key).map(String::as_str).unwrap_or_else(|| {
            // An island asked for a text it was not sent: a programming error, shown as nothing
            // rather than as a raw key.
            leptos::logging::warn!("text {key} was not sent to this island");
            ""
        })
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        catalog::fill(self.t(key), args)
    }

    /// A whole number as the language writes it: "10 000" (a no-break space between groups of
    /// three, from five digits on, as Språkrådet recommends) in Norwegian, "10,000" in English.
    pub fn number(&self, n: usize) -> String {
        let digits = n.to_string();
        let (separator, from) = match self.locale {
            Locale::En => (',', 4),
            _ => ('\u{a0}', 5),
        };
        if digits.len() < from {
            return digits;
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        out
    }

    /// An ISO date written out with its weekday, where the day matters: "mandag 4. januar".
    /// Anything that is not a date is shown as it is.
    pub fn date(&self, date: &str) -> String {
        use crate::domain::days::{day_of_month, month_key, weekday, weekday_key};
        match (weekday(date), day_of_month(date), month_key(date)) {
            (Some(w), Some(d), Some(m)) => self.t_with(
                "date.long",
                &[
                    ("weekday", self.t(weekday_key(w))),
                    ("day", &d.to_string()),
                    ("month", self.t(m)),
                ],
            ),
            _ => date.to_owned(),
        }
    }

    /// Names as a sentence lists them: "A", "A og B", "A, B og C".
    pub fn list(&self, names: &[String]) -> String {
        match names {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.t("common.and")),
        }
    }
}

/// The i18n context. Panics only if a component is rendered outside the root `App`, which is a
/// programming error caught by every test that renders a page.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().expect("I18n is provided by App")
}

/// The texts an island needs, in the page's language: picked on the server and sent with the
/// island's props, so that the browser downloads a handful of sentences instead of three
/// catalogues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    locale: Locale,
    texts: BTreeMap<String, String>,
}

impl Texts {
    /// Every text whose key is one of `keys`, or starts with one of them that ends in a dot
    /// (`"unlock."` for all of the PIN screen's texts).
    pub fn pick(i18n: I18n, keys: &[&str]) -> Texts {
        let texts = catalog::keys()
            .filter(|key| {
                keys.iter().any(|k| *key == *k || (k.ends_with('.') && key.starts_with(k)))
            })
            .map(|key| (key.to_owned(), i18n.t(key).to_owned()))
            .collect();
        Texts { locale: i18n.locale, texts }
    }

    /// Provides the island's language to everything inside it, and returns it.
    pub fn provide(self) -> I18n {
        #[cfg(feature = "hydrate")]
        // An island is hydrated once per page load: its few texts live as long as the page.
        let i18n = I18n { locale: self.locale, texts: Box::leak(Box::new(self.texts)) };
        #[cfg(not(feature = "hydrate"))]
        let i18n = I18n::new(self.locale);
        provide_context(i18n);
        i18n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        let (nb, en) = (I18n::new(Locale::Nb), I18n::new(Locale::En));
        assert_eq!(nb.number(0), "0");
        assert_eq!(nb.number(1000), "1000", "four digits stay together in Norwegian");
        assert_eq!(nb.number(10_000), "10\u{a0}000");
        assert_eq!(nb.number(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(en.number(1000), "1,000");
        assert_eq!(en.number(10_000), "10,000");
        assert_eq!(nb.list(&["A".into(), "B".into(), "C".into()]), "A, B og C");
        assert_eq!(en.list(&["A".into()]), "A");
        assert_eq!(nb.date("2027-01-04"), "mandag 4. januar");
        assert_eq!(I18n::new(Locale::Nn).date("2026-12-01"), "tysdag 1. desember");
        assert_eq!(en.date("2027-01-04"), "Monday 4 January");
        assert_eq!(nb.date("i morgen"), "i morgen");
    }

    #[test]
    fn an_island_is_sent_the_texts_it_names_in_the_page_language_and_no_others() {
        let texts = Texts::pick(I18n::new(Locale::En), &["unlock.", "offline.banner"]);
        assert_eq!(texts.locale, Locale::En);
        assert_eq!(texts.texts["offline.banner"], translate(Locale::En, "offline.banner"));
        assert_eq!(texts.texts["unlock.title"], translate(Locale::En, "unlock.title"));
        assert!(texts.texts.keys().all(|k| k == "offline.banner" || k.starts_with("unlock.")));
        // A key without its dot is not a prefix: "offline.banner" does not bring "offline.title".
        assert!(!texts.texts.contains_key("offline.title"));
    }

    #[test]
    fn the_island_language_given_on_the_server_reads_the_catalogue() {
        let i18n = Texts::pick(I18n::new(Locale::Nn), &["offline.banner"]);
        let owner = Owner::new();
        owner.with(|| {
            let provided = i18n.provide();
            assert_eq!(provided, use_i18n());
            assert_eq!(provided.t("offline.banner"), translate(Locale::Nn, "offline.banner"));
        });
    }
}
