//! The guard's labelled corpus and its figures: recall per category and the false-alarm rate
//! on practical messages. The test command prints them (server/tests/figures.rs).

use super::{Category, check};

/// The other children in the group, for every line of the corpus.
pub const OTHER_CHILDREN: [&str; 5] =
    ["Lise Hansen", "Mathias Berg", "Sara Ali", "Noah Johansen", "Ella Nilsen"];

const CORPUS: &str = include_str!("corpus.tsv");

/// One labelled text.
pub struct Sample {
    pub lang: &'static str,
    pub expected: Vec<Category>,
    pub text: &'static str,
}

pub fn samples() -> Vec<Sample> {
    CORPUS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let lang = parts.next().unwrap_or_default();
            let labels = parts.next().unwrap_or_default();
            let text = parts.next().unwrap_or_default();
            Sample { lang, expected: labels.split(',').filter_map(Category::parse).collect(), text }
        })
        .collect()
}

/// How the guard does on the corpus.
#[derive(Debug, Default)]
pub struct Figures {
    /// Per category: (caught, labelled).
    pub recall: Vec<(Category, usize, usize)>,
    /// Practical texts with any finding, and all practical texts.
    pub false_alarms: (usize, usize),
    /// The texts the guard got wrong, for the report.
    pub misses: Vec<String>,
}

impl Figures {
    pub fn recall_of(&self, category: Category) -> f64 {
        self.recall
            .iter()
            .find(|(c, _, _)| *c == category)
            .map(|(_, caught, all)| *caught as f64 / (*all).max(1) as f64)
            .unwrap_or(0.0)
    }

    pub fn false_alarm_rate(&self) -> f64 {
        self.false_alarms.0 as f64 / self.false_alarms.1.max(1) as f64
    }
}

pub fn evaluate() -> Figures {
    let others: Vec<String> = OTHER_CHILDREN.iter().map(|s| s.to_string()).collect();
    let mut figures = Figures::default();
    let mut counts = Category::ALL.map(|c| (c, 0usize, 0usize));
    for sample in samples() {
        let found = super::categories(&check(sample.text, &others));
        if sample.expected.is_empty() {
            figures.false_alarms.1 += 1;
            if !found.is_empty() {
                figures.false_alarms.0 += 1;
                figures
                    .misses
                    .push(format!("false alarm {found:?} [{}] {}", sample.lang, sample.text));
            }
        }
        for expected in &sample.expected {
            let entry = counts
                .iter_mut()
                .find(|(c, _, _)| c == expected)
                .expect("every category is counted");
            entry.2 += 1;
            if found.contains(expected) {
                entry.1 += 1;
            } else {
                figures
                    .misses
                    .push(format!("missed {expected:?} [{}] {}", sample.lang, sample.text));
            }
        }
    }
    figures.recall = counts.to_vec();
    figures
}
