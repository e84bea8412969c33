//! The guard's labelled corpus and its figures: recall per category and the false-alarm rate
//! on practical messages, per language, for each part of the corpus. The test command prints
//! them (server/tests/figures.rs).
//!
//! The corpus has two parts. The development part is what the lexicon and rules were tuned on;
//! the test part was written first, by other authors, and its texts are not read while tuning —
//! only its figures are, so that they measure how the guard does on text it has never seen.
//! The guard is run without the names of the other children in the group (as
//! `ranselpost check-text` runs by default): names are found from the text alone.

use super::{Category, check_with};

const CORPUS: &str = include_str!("corpus.tsv");

pub const LANGUAGES: [&str; 3] = ["nb", "nn", "en"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Dev,
    Test,
}

impl Split {
    pub fn code(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

/// One labelled text.
pub struct Sample {
    pub split: Split,
    pub lang: &'static str,
    pub expected: Vec<Category>,
    pub text: &'static str,
}

pub fn samples() -> Vec<Sample> {
    CORPUS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.splitn(4, '\t');
            let split = if parts.next() == Some("test") { Split::Test } else { Split::Dev };
            let lang = parts.next().unwrap_or_default();
            let labels = parts.next().unwrap_or_default();
            let text = parts.next().unwrap_or_default();
            let expected = labels.split(',').filter_map(Category::parse).collect();
            Sample { split, lang, expected, text }
        })
        .collect()
}

/// A count of hits out of a total.
#[derive(Debug, Default, Clone, Copy)]
pub struct Ratio {
    pub hits: usize,
    pub all: usize,
}

impl Ratio {
    pub fn rate(self) -> f64 {
        self.hits as f64 / self.all.max(1) as f64
    }

    fn add(&mut self, hit: bool) {
        self.all += 1;
        self.hits += usize::from(hit);
    }
}

/// How the guard does on one part of the corpus.
#[derive(Debug)]
pub struct Figures {
    pub split: Split,
    /// Per category, all languages: texts labelled with it that the guard flagged with it.
    pub recall: Vec<(Category, Ratio)>,
    /// Per language and category.
    pub recall_by_language: Vec<(&'static str, Category, Ratio)>,
    /// Per language: practical texts the guard flagged.
    pub false_alarms: Vec<(&'static str, Ratio)>,
    /// The texts the guard got wrong; kept for the development part only.
    pub misses: Vec<String>,
}

impl Figures {
    pub fn recall_of(&self, category: Category) -> f64 {
        self.recall.iter().find(|(c, _)| *c == category).map(|(_, r)| r.rate()).unwrap_or(0.0)
    }

    /// All languages together.
    pub fn false_alarm_rate(&self) -> f64 {
        self.false_alarms
            .iter()
            .fold(Ratio::default(), |acc, (_, r)| Ratio {
                hits: acc.hits + r.hits,
                all: acc.all + r.all,
            })
            .rate()
    }

    /// The worst language's rate.
    pub fn worst_false_alarm_rate(&self) -> f64 {
        self.false_alarms.iter().map(|(_, r)| r.rate()).fold(0.0, f64::max)
    }
}

pub fn evaluate(split: Split) -> Figures {
    evaluate_with(split, true)
}

/// The figures with or without the learned component, to show what it adds.
pub fn evaluate_with(split: Split, learned: bool) -> Figures {
    let mut recall = Category::ALL.map(|c| (c, Ratio::default()));
    let mut by_language: Vec<(&str, Category, Ratio)> =
        LANGUAGES.iter().flat_map(|l| Category::ALL.map(|c| (*l, c, Ratio::default()))).collect();
    let mut false_alarms = LANGUAGES.map(|l| (l, Ratio::default()));
    let mut misses = Vec::new();
    for sample in samples().into_iter().filter(|s| s.split == split) {
        let found = super::categories(&check_with(sample.text, &[], learned));
        if sample.expected.is_empty() {
            let alarm = !found.is_empty();
            if let Some((_, ratio)) = false_alarms.iter_mut().find(|(l, _)| *l == sample.lang) {
                ratio.add(alarm);
            }
            if alarm && split == Split::Dev {
                misses.push(format!("false alarm {found:?} [{}] {}", sample.lang, sample.text));
            }
        }
        for expected in &sample.expected {
            let hit = found.contains(expected);
            if let Some((_, ratio)) = recall.iter_mut().find(|(c, _)| c == expected) {
                ratio.add(hit);
            }
            if let Some((_, _, ratio)) =
                by_language.iter_mut().find(|(l, c, _)| *l == sample.lang && c == expected)
            {
                ratio.add(hit);
            }
            if !hit && split == Split::Dev {
                misses.push(format!("missed {expected:?} [{}] {}", sample.lang, sample.text));
            }
        }
    }
    Figures {
        split,
        recall: recall.to_vec(),
        recall_by_language: by_language,
        false_alarms: false_alarms.to_vec(),
        misses,
    }
}
