//! The sensitive-text guard: finds what must not be written in a message between home and
//! kindergarten or school — national identity numbers, health information, bullying and
//! conflict, and negative talk about other children. The same code runs in the browser as the
//! user types (it is small and allocation-light) and on the server when text is submitted.
//!
//! It is a warning aid, not a censor: apart from identity numbers, which are refused, a flagged
//! text may be sent after the writer confirms. It looks for all three written languages
//! (bokmål, nynorsk, English) at once, because people mix them.

// The labelled corpus is for the tests and the printed figures, not for the browser.
#[cfg(not(target_arch = "wasm32"))]
pub mod corpus;
mod fields;
mod names;
mod national_id;
mod terms;
mod text;

pub use fields::{FieldFindings, any_refused, check_fields, field_categories};
use serde::{Deserialize, Serialize};

/// What kind of sensitive content a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    NationalId,
    Health,
    Bullying,
    OtherChild,
}

impl Category {
    pub const ALL: [Category; 4] =
        [Category::NationalId, Category::Health, Category::Bullying, Category::OtherChild];

    pub fn code(self) -> &'static str {
        match self {
            Category::NationalId => "national_id",
            Category::Health => "health",
            Category::Bullying => "bullying",
            Category::OtherChild => "other_child",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The i18n key of the short explanation shown beside a finding.
    pub fn message_key(self) -> &'static str {
        match self {
            Category::NationalId => "guard.national_id",
            Category::Health => "guard.health",
            Category::Bullying => "guard.bullying",
            Category::OtherChild => "guard.other_child",
        }
    }

    /// Whether a finding of this kind stops the text outright, even after a confirmation.
    pub fn refused(self) -> bool {
        self == Category::NationalId
    }
}

/// One thing the guard found: `start..end` are character (not byte) offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub category: Category,
    pub start: usize,
    pub end: usize,
}

/// Everything sensitive in `text`. `other_children` are the names ("Lise Hansen") of the other
/// children in the child's groups; a name is flagged only where the sentence speaks negatively
/// about that child or says something sensitive. Findings are ordered by position and do not
/// overlap within a category.
pub fn check(text: &str, other_children: &[String]) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let tokens = text::tokens(&chars);
    let mut findings = national_id::find(&chars);
    let term_hits = terms::find(&chars, &tokens);
    findings.extend(names::find(&chars, &tokens, &term_hits, other_children));
    findings.extend(
        term_hits
            .into_iter()
            .filter_map(|hit| match hit.kind {
                terms::Kind::Health => Some((Category::Health, hit)),
                terms::Kind::Bullying => Some((Category::Bullying, hit)),
                terms::Kind::Negative => None,
            })
            .map(|(category, hit)| Finding { category, start: hit.start, end: hit.end }),
    );
    findings.sort_by_key(|f| (f.start, f.category));
    findings.dedup();
    findings
}

/// The categories among `findings`, each once, in a fixed order.
pub fn categories(findings: &[Finding]) -> Vec<Category> {
    let mut out: Vec<Category> = findings.iter().map(|f| f.category).collect();
    out.sort();
    out.dedup();
    out
}

/// The text split into plain and flagged pieces, for highlighting: `(piece, category)`.
pub fn segments(text: &str, findings: &[Finding]) -> Vec<(String, Option<Category>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    for f in sorted {
        let start = f.start.max(at).min(chars.len());
        let end = f.end.min(chars.len());
        if start >= end {
            continue;
        }
        if start > at {
            out.push((chars[at..start].iter().collect(), None));
        }
        out.push((chars[start..end].iter().collect(), Some(f.category)));
        at = end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), None));
    }
    out
}

/// The longest message anyone may send, in characters.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// The longest subject of a conversation or group message, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
