//! The translation catalogues (`app/locales/*.json`) and lookup with placeholders.

use super::Locale;
use std::collections::HashMap;
use std::sync::LazyLock;

type Catalog = HashMap<String, String>;

/// The catalogues, parsed once per process (or once per page in the browser).
static CATALOGS: LazyLock<[Catalog; 3]> = LazyLock::new(|| {
    [
        parse(include_str!("../../locales/nb.json")),
        parse(include_str!("../../locales/nn.json")),
        parse(include_str!("../../locales/en.json")),
    ]
});

fn parse(json: &str) -> Catalog {
    // The files are part of the build and checked by the tests below, so a broken file is a
    // build defect, not a runtime condition.
    serde_json::from_str(json).expect("locale catalogue is valid JSON")
}

fn catalog(locale: Locale) -> &'static Catalog {
    &CATALOGS[match locale {
        Locale::Nb => 0,
        Locale::Nn => 1,
        Locale::En => 2,
    }]
}

/// The text for `key`: the locale's own, else bokmål's. A key no catalogue has (the tests make
/// sure no key in the code is such) gives the generic error text rather than the raw key.
pub fn translate(locale: Locale, key: &str) -> &'static str {
    lookup(locale, key).or_else(|| lookup(locale, "error.generic")).unwrap_or_default()
}

fn lookup(locale: Locale, key: &str) -> Option<&'static str> {
    catalog(locale).get(key).or_else(|| catalog(Locale::Nb).get(key)).map(String::as_str)
}

/// Like [`translate`], replacing each `{name}` with its value.
pub fn translate_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    fill(translate(locale, key), args)
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    args.iter()
        .fold(text.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// Every key there is (bokmål has them all; the tests below make sure the others match).
pub fn keys() -> impl Iterator<Item = &'static str> {
    catalog(Locale::Nb).keys().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(locale: Locale) -> BTreeSet<&'static str> {
        catalog(locale).keys().map(String::as_str).collect()
    }

    #[test]
    fn every_catalogue_has_exactly_the_keys_of_bokmal() {
        let nb = keys(Locale::Nb);
        for locale in [Locale::Nn, Locale::En] {
            let other = keys(locale);
            let missing: Vec<_> = nb.difference(&other).collect();
            let extra: Vec<_> = other.difference(&nb).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, extra {extra:?}",
                locale.code()
            );
        }
    }

    #[test]
    fn every_key_used_in_the_code_exists_in_bokmal() {
        let nb = keys(Locale::Nb);
        let mut unknown = Vec::new();
        for key in used_keys(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))) {
            if !nb.contains(key.as_str()) {
                unknown.push(key);
            }
        }
        assert!(unknown.is_empty(), "keys used but not in nb.json: {unknown:?}");
    }

    #[test]
    fn placeholders_are_filled_in() {
        assert_eq!(
            translate_with(Locale::En, "error.internal", &[("id", "abc")]),
            translate(Locale::En, "error.internal").replace("{id}", "abc")
        );
    }

    /// Every string literal in the code that looks like a catalogue key: dotted lower-case
    /// words whose first word is one of the catalogue's namespaces ("error.internal",
    /// "testid.title"). Found textually, which is also how a translator would look for them.
    fn used_keys(dir: &std::path::Path) -> Vec<String> {
        let namespaces: BTreeSet<&str> =
            keys(Locale::Nb).iter().filter_map(|k| k.split('.').next()).collect();
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(used_keys(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for literal in text.split('"').skip(1).step_by(2) {
                    let looks_like_key = literal.contains('.')
                        && literal.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                        })
                        && !literal.ends_with('.')
                        && literal.split('.').next().is_some_and(|ns| namespaces.contains(ns));
                    if looks_like_key {
                        found.push(literal.to_owned());
                    }
                }
            }
        }
        found
    }
}
