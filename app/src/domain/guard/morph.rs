//! How a word of the guard's lexicon matches a word of a text. Norwegian inflects with endings
//! and makes compounds without limit ("nettmobbing", "astmamedisinen", "hatgruppa"), English
//! inflects with endings, and people misspell both: a lexicon word is a stem with the endings
//! the languages allow, not one fixed form.
//!
//! A word is written as:
//! - `word`    the word itself (and its possessive `word's`);
//! - `stem*`   the stem with an inflection ending (`mobbet`, `allergien`, `threats`);
//! - `stem**`  the stem followed by anything (`psykologtime`, `diagnostisert`);
//! - `~stem*`  also as the last part of a compound (`nøtteallergi`, `nettmobbing`);
//! - `=WORD`   the word exactly as written, capitals included (`ADD`, not the English verb);
//! - `_`       any one word, in a phrase: "hold* _ utenfor" is "holder henne utenfor".

/// Endings a `stem*` may take: Norwegian (bokmål and nynorsk) and English inflection.
const ENDINGS: &[&str] = &[
    "", "e", "a", "s", "t", "n", "r", "d", "en", "et", "er", "ar", "as", "ne", "te", "de", "dd",
    "es", "ed", "ly", "ic", "ing", "ings", "inga", "ingen", "ingane", "ingene", "ende", "ane",
    "ene", "ers", "ens", "ets", "ede", "ert", "erte", "ere", "erne", "ies", "y", "ast", "est",
    "ten", "tar", "ter", "'s", "’s", "s'",
];

/// How many letters of a stem the index files it under.
pub const PREFIX: usize = 3;

/// Where a word is filed: under the whole word, under its first letters (up to [`PREFIX`]), or
/// among the words that may be anywhere inside a compound (checked with `contains` first).
pub enum Key {
    Word(String),
    Start(String),
    Inside(String),
}

#[derive(Debug)]
pub enum Word {
    Any,
    Exact(String),
    CaseSensitive(String),
    Stem { stem: String, compound: bool },
    Prefix { stem: String, compound: bool },
}

impl Word {
    pub fn parse(raw: &str) -> Word {
        if raw == "_" {
            return Word::Any;
        }
        if let Some(w) = raw.strip_prefix('=') {
            return Word::CaseSensitive(w.to_owned());
        }
        let (compound, raw) = match raw.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        if let Some(stem) = raw.strip_suffix("**") {
            Word::Prefix { stem: stem.to_owned(), compound }
        } else if let Some(stem) = raw.strip_suffix('*') {
            Word::Stem { stem: stem.to_owned(), compound }
        } else if compound {
            Word::Stem { stem: raw.to_owned(), compound }
        } else {
            Word::Exact(raw.to_owned())
        }
    }

    /// Where the lexicon's index files this word, so that a text's word is compared only with
    /// the few entries it could be.
    pub fn key(&self) -> Key {
        match self {
            Word::Exact(w) => Key::Word(w.clone()),
            Word::CaseSensitive(w) => Key::Word(w.to_lowercase()),
            Word::Stem { stem, compound: false } | Word::Prefix { stem, compound: false } => {
                Key::Start(stem.chars().take(PREFIX).collect())
            }
            Word::Stem { stem, compound: true } | Word::Prefix { stem, compound: true } => {
                Key::Inside(stem.clone())
            }
            Word::Any => Key::Inside(String::new()),
        }
    }

    /// Whether `lower` (a text's word in lower case; `original` as written) is this word.
    pub fn matches(&self, lower: &str, original: &str) -> bool {
        match self {
            Word::Any => true,
            Word::Exact(w) => lower == w || strip_possessive(lower) == Some(w.as_str()),
            Word::CaseSensitive(w) => original == w,
            Word::Prefix { stem, compound } => {
                lower.starts_with(stem.as_str())
                    || (*compound && compound_tail(lower, stem).any(|_| true))
            }
            Word::Stem { stem, compound } => {
                if lower.strip_prefix(stem.as_str()).is_some_and(|rest| ENDINGS.contains(&rest)) {
                    return true;
                }
                *compound && compound_tail(lower, stem).any(|rest| ENDINGS.contains(&rest))
            }
        }
    }
}

/// Where `stem` is the last part of a compound in `word` (after a first part of at least three
/// letters), what follows it.
fn compound_tail<'a>(word: &'a str, stem: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    word.char_indices()
        .skip(3)
        .filter(move |(i, _)| word[*i..].starts_with(stem))
        .map(move |(i, _)| &word[i + stem.len()..])
}

pub fn strip_possessive(word: &str) -> Option<&str> {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).or_else(|| word.strip_suffix('\''))
}

#[cfg(test)]
mod tests {
    use super::Word;

    fn m(pattern: &str, word: &str) -> bool {
        Word::parse(pattern).matches(&word.to_lowercase(), word)
    }

    #[test]
    fn a_stem_takes_the_endings_of_both_languages_and_nothing_else() {
        assert!(m("mobb*", "mobbet") && m("mobb*", "mobba") && m("mobb*", "mobbing"));
        assert!(m("threat*", "threats") && !m("threat*", "threatened"));
        assert!(!m("slem*", "slemmeste"));
    }

    #[test]
    fn a_compound_tail_is_found_after_a_first_part() {
        assert!(m("~allergi*", "nøtteallergien") && m("~mobbing*", "nettmobbinga"));
        assert!(!m("~astma*", "ma") && !m("allergi*", "nøtteallergi"));
        assert!(m("~medisin**", "astmamedisinen"));
    }

    #[test]
    fn case_sensitive_words_keep_their_capitals() {
        assert!(m("=ADD", "ADD") && !m("=ADD", "add"));
    }
}
