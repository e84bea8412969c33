//! The sensitive-text guard: finds what must not be written in a message between home and
//! kindergarten or school — national identity numbers, health information, bullying and
//! conflict, and negative talk about other children. The same code runs in the browser as the
//! user types (it is small and allocation-light) and on the server when text is submitted.
//!
//! It is a warning aid, not a censor: apart from identity numbers, which are refused, a flagged
//! text may be sent after the writer confirms. It looks for all three written languages
//! (bokmål, nynorsk, English) at once, because people mix them.

// The labelled corpus is for the tests and the printed figures, not for the browser.
mod context;
#[cfg(not(target_arch = "wasm32"))]
pub mod corpus;
pub mod data;
mod fields;
mod harm;
mod health;
mod lexicon;
mod model;
mod morph;
mod national_id;
mod others;
mod persons;
mod tagging;
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

/// Why a piece of text was flagged, in words the writer understands (shown where the piece is
/// marked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// An identity number: it can be used to pretend to be the person.
    NationalId,
    /// A diagnosis, condition, medication, treatment or hospital stay.
    Health,
    /// A health service or profession someone is seen by.
    HealthService,
    /// Bullying, conflict or violence named as such.
    Bullying,
    /// Hitting, kicking, pushing or biting someone.
    Violence,
    /// Calling someone names or threatening them.
    Words,
    /// Leaving someone out, mocking them or talking behind their back.
    Exclusion,
    /// Pictures or rumours about someone spread, online or off.
    Online,
    /// Another child or adult named or described as the one who did something harmful.
    Doer,
    /// Another child or adult described negatively.
    Described,
    /// Another family's private circumstances.
    Private,
    /// Written like the messages with this kind of content that the guard learned from.
    Resembles,
    /// No reason recorded (a finding stored before reasons existed).
    General,
}

impl Reason {
    /// The i18n key of the explanation shown on the marked piece.
    pub fn message_key(self) -> &'static str {
        match self {
            Reason::NationalId => "guard.why.national_id",
            Reason::Health => "guard.why.health",
            Reason::HealthService => "guard.why.health_service",
            Reason::Bullying => "guard.why.bullying",
            Reason::Violence => "guard.why.violence",
            Reason::Words => "guard.why.words",
            Reason::Exclusion => "guard.why.exclusion",
            Reason::Online => "guard.why.online",
            Reason::Doer => "guard.why.doer",
            Reason::Described => "guard.why.described",
            Reason::Private => "guard.why.private",
            Reason::Resembles => "guard.why.resembles",
            Reason::General => "guard.why.general",
        }
    }
}

/// One thing the guard found: `start..end` are character (not byte) offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub category: Category,
    pub start: usize,
    pub end: usize,
    /// Why; a finding stored before reasons existed reads as a general one.
    #[serde(default = "Reason::general")]
    pub reason: Reason,
}

impl Reason {
    fn general() -> Reason {
        Reason::General
    }
}

/// Everything sensitive in `text`. `other_children` are the names ("Lise Hansen") of the other
/// children in the child's groups; other names are found as well, but a known name is found
/// also where it is not capitalised like one. A person is flagged only where the sentence
/// speaks negatively about them, makes them the doer of a harmful act or tells their family's
/// private circumstances. Findings are ordered by position and do not repeat.
pub fn check(text: &str, other_children: &[String]) -> Vec<Finding> {
    check_with(text, other_children, true)
}

/// [`check`], with or without the learned component (the corpus figures show both).
pub fn check_with(text: &str, other_children: &[String], learned: bool) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut findings = national_id::find(&chars);
    if !data::ready() {
        // In the browser before the lexicon has arrived: identity numbers need none.
        return findings;
    }
    let context = context::Context::new(&chars, other_children);
    let acts = harm::find(&context);
    let health = health::find(&context);
    findings.extend(others::find(&context, &acts, &health));
    findings.extend(acts.into_iter().map(|a| a.finding));
    findings.extend(health);
    // A word inside a harmless phrase ("ring hit", "ved sykdom") is not a finding.
    findings.retain(|f| f.category == Category::NationalId || !context.benign(f.start, f.end));
    if learned {
        let found = categories(&findings);
        findings.extend(model::find(&context, &found));
    }
    findings.sort_by_key(|f| (f.start, f.category, f.end));
    findings.dedup_by(|a, b| a.category == b.category && a.start == b.start && a.end == b.end);
    findings
}

/// Whether `text` holds something that is refused outright (an identity number): what a form
/// needs to know to say which field to mend, without the rest of the guard.
pub fn has_refused(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    !national_id::find(&chars).is_empty()
}

/// The learned component's features of `text`, by name:
/// what `scripts/train-guard.py` trains on, computed here so that training and checking cannot
/// disagree.
pub fn model_features(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let context = context::Context::new(&chars, &[]);
    model::feature_names(&context)
}

/// The categories among `findings`, each once, in a fixed order.
pub fn categories(findings: &[Finding]) -> Vec<Category> {
    let mut out: Vec<Category> = findings.iter().map(|f| f.category).collect();
    out.sort();
    out.dedup();
    out
}

/// The reasons among `findings`, each once, in a fixed order.
pub fn reasons(findings: &[Finding]) -> Vec<Reason> {
    let mut out: Vec<Reason> = findings.iter().map(|f| f.reason).collect();
    out.sort();
    out.dedup();
    out
}

/// A flagged piece of text: what it is and why.
pub type Mark = (Category, Reason);

/// The text split into plain and flagged pieces, for highlighting: `(piece, mark)`.
pub fn segments(text: &str, findings: &[Finding]) -> Vec<(String, Option<Mark>)> {
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
        out.push((chars[start..end].iter().collect(), Some((f.category, f.reason))));
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
