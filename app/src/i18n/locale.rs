//! The languages of the interface and how a request's language is chosen.

use serde::{Deserialize, Serialize};

/// A language the interface is available in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    /// Norsk bokmål: the default.
    #[default]
    Nb,
    /// Norsk nynorsk.
    Nn,
    /// English.
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Nb, Locale::Nn, Locale::En];

    /// The BCP 47 code, as used in `<html lang>`, cookies and the catalogue file names.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Nb => "nb",
            Locale::Nn => "nn",
            Locale::En => "en",
        }
    }

    /// The language's name in itself, for the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Nb => "Bokmål",
            Locale::Nn => "Nynorsk",
            Locale::En => "English",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nb" | "nb-no" | "no" | "no-no" => Some(Locale::Nb),
            "nn" | "nn-no" => Some(Locale::Nn),
            "en" | "en-gb" | "en-us" => Some(Locale::En),
            other => other.split('-').next().and_then(|primary| match primary {
                "nb" | "no" => Some(Locale::Nb),
                "nn" => Some(Locale::Nn),
                "en" => Some(Locale::En),
                _ => None,
            }),
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::parse) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_supported_quality() {
        assert_eq!(Locale::from_accept_language("de-DE,en;q=0.8,nn;q=0.9"), Some(Locale::Nn));
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("no"), Some(Locale::Nb));
        assert_eq!(Locale::from_accept_language("de,fr"), None);
    }

    #[test]
    fn every_locale_parses_from_its_own_code() {
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.code()), Some(l));
        }
    }
}
