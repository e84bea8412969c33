//! A text's words tagged from the lexicon: what each word can be, and which phrases matched.

use super::lexicon::{self, BENIGN, Tags};
use super::morph::{Key, PREFIX, Word, strip_possessive};
use super::text::Token;
use std::collections::HashMap;
use std::sync::LazyLock;

struct Entry {
    tags: Tags,
    words: Vec<Word>,
}

/// The lexicon indexed by where its first word is filed (see [`Key`]).
struct Index {
    entries: Vec<Entry>,
    words: HashMap<String, Vec<usize>>,
    starts: HashMap<String, Vec<usize>>,
    /// Entries whose first word may be inside a compound, with the stem it must contain.
    inside: Vec<(String, usize)>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut entries = Vec::new();
    for (tags, raw) in lexicon::entries() {
        // A hyphen in a lexicon word is written as the text's words are split: "anti-mobb**"
        // is the phrase "anti mobb**".
        let words: Vec<Word> =
            raw.split([' ', '-']).filter(|w| !w.is_empty()).map(Word::parse).collect();
        if !words.is_empty() {
            entries.push(Entry { tags, words });
        }
    }
    let mut index = Index {
        entries: Vec::new(),
        words: HashMap::new(),
        starts: HashMap::new(),
        inside: Vec::new(),
    };
    for (i, entry) in entries.iter().enumerate() {
        match entry.words[0].key() {
            Key::Word(w) => index.words.entry(w).or_default().push(i),
            Key::Start(s) => index.starts.entry(s).or_default().push(i),
            Key::Inside(s) => index.inside.push((s, i)),
        }
    }
    index.entries = entries;
    index
});

impl Index {
    /// The entries a word (in lower case) could begin.
    fn candidates(&self, lower: &str, out: &mut Vec<usize>) {
        out.clear();
        out.extend(self.words.get(lower).into_iter().flatten());
        if let Some(base) = strip_possessive(lower).filter(|b| *b != lower) {
            out.extend(self.words.get(base).into_iter().flatten());
        }
        let mut start = String::new();
        for c in lower.chars().take(PREFIX) {
            start.push(c);
            out.extend(self.starts.get(&start).into_iter().flatten());
        }
        out.extend(self.inside.iter().filter(|(s, _)| lower.contains(s.as_str())).map(|(_, i)| *i));
        out.sort_unstable();
        out.dedup();
    }
}

/// A lexicon entry found in a text: tokens `first..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub tags: Tags,
    pub first: usize,
    pub end: usize,
}

/// The tags of each token (every entry it is part of) and every hit.
pub struct Tagged {
    pub tags: Vec<Tags>,
    pub hits: Vec<Hit>,
}

pub fn tag(chars: &[char], tokens: &[Token]) -> Tagged {
    let index = &*INDEX;
    let originals: Vec<String> =
        tokens.iter().map(|t| chars[t.start..t.end].iter().collect()).collect();
    let mut hits = Vec::new();
    let mut candidates = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        index.candidates(&token.lower, &mut candidates);
        for &e in &candidates {
            let entry = &index.entries[e];
            let n = entry.words.len();
            let Some(window) = tokens.get(i..i + n) else {
                continue;
            };
            let matched = window.iter().all(|t| t.sentence == token.sentence)
                && entry
                    .words
                    .iter()
                    .zip(window)
                    .zip(&originals[i..i + n])
                    .all(|((word, t), original)| word.matches(&t.lower, original));
            if matched {
                hits.push(Hit { tags: entry.tags, first: i, end: i + n });
            }
        }
    }
    // Words inside a harmless phrase ("ring hit", "slo meg at", "got hit out") are only that
    // phrase.
    let benign: Vec<Hit> = hits.iter().filter(|h| h.tags & BENIGN != 0).copied().collect();
    hits.retain(|h| {
        h.tags & BENIGN != 0 || !benign.iter().any(|b| b.first <= h.first && h.end <= b.end)
    });
    let mut tags = vec![0; tokens.len()];
    for hit in &hits {
        for t in &mut tags[hit.first..hit.end] {
            *t |= hit.tags;
        }
    }
    Tagged { tags, hits }
}
