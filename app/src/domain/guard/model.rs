//! The guard's learned component: a logistic regression per category, trained by
//! `scripts/train-guard.py` on the development part of the corpus (its weights are
//! `public/guard/model.tsv`).
//! Its features are the text's words (with their first and last five letters, for inflections
//! and compounds, and pairs of neighbouring words) and the rules' evidence: which kinds of words
//! the lexicon found, which of them meet in one sentence ("DISTRESS and SCHOOL", "NEGATIVE and
//! a person"), and what the rules concluded. So it learns how weak signals add up where no rule
//! fires. It is a second opinion where the rules find nothing: a category is flagged when the
//! model's probability passes the threshold the script chose (at most 1% more false alarms on
//! practical development texts, out of fold). The mark goes on the word that weighs most.

use super::context::Context;
use super::lexicon::{TAG_NAMES, Tags};
use super::{Category, Finding, Reason};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The categories the model knows, in the order of the file's columns.
const CATEGORIES: [Category; 3] = [Category::Health, Category::Bullying, Category::OtherChild];

struct Model {
    bias: [f32; 3],
    threshold: [f32; 3],
    weights: HashMap<&'static str, [f32; 3]>,
}

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let mut model = Model { bias: [0.0; 3], threshold: [1.0; 3], weights: HashMap::new() };
    for line in super::data::model().lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let mut parts = line.split('\t');
        let key = parts.next().unwrap_or_default();
        let mut values = [0.0f32; 3];
        for (v, part) in values.iter_mut().zip(parts) {
            *v = part.parse().unwrap_or(0.0);
        }
        match key {
            "check" => {}
            "bias" => model.bias = values,
            "threshold" => model.threshold = values,
            _ => {
                model.weights.insert(key, values);
            }
        }
    }
    model
});

/// Findings of the categories the rules did not find (`found`), where the model is sure enough.
pub fn find(context: &Context, found: &[Category]) -> Vec<Finding> {
    let model = &*MODEL;
    let (score, by_word) = scores(Some(context), &[], context.tokens.len());
    let mut out = Vec::new();
    for (c, category) in CATEGORIES.iter().enumerate() {
        if found.contains(category) || probability(score[c]) < model.threshold[c] {
            continue;
        }
        let best =
            (0..context.tokens.len()).max_by(|&a, &b| by_word[a][c].total_cmp(&by_word[b][c]));
        if let Some(i) = best {
            out.push(context.finding(*category, Reason::Resembles, i..i + 1));
        }
    }
    out
}

fn probability(score: f32) -> f32 {
    1.0 / (1.0 + (-score).exp())
}

/// The model's features of a text, each given to `each` with the words it comes from (a
/// feature may come more than once; it counts once): `w:` a word, `p:`/`s:` its first/last
/// five letters (words of seven letters or more), `b:` two words in a row, `t:` a kind of word
/// the lexicon found (`t:PERSON` for a person), `c:` two kinds in one sentence. What the rules
/// concluded is left out: they were tuned on the same texts, so the model would learn to trust
/// them and nothing else. One buffer is reused for every name: this runs on each keystroke.
pub fn each_feature(context: &Context, mut each: impl FnMut(&str, &[usize])) {
    let mut name = String::new();
    let mut emit = |parts: &[&str], words: &[usize], name: &mut String| {
        name.clear();
        parts.iter().for_each(|p| name.push_str(p));
        each(name, words);
    };
    let words: Vec<&str> = context.tokens.iter().map(|t| t.lower.as_str()).collect();
    for (i, word) in words.iter().enumerate() {
        emit(&["w:", word], &[i], &mut name);
        let n = word.chars().count();
        if n >= 7 {
            let first = word.char_indices().nth(5).map_or(word.len(), |(b, _)| b);
            let last = word.char_indices().nth(n - 5).map_or(0, |(b, _)| b);
            emit(&["p:", &word[..first]], &[i], &mut name);
            emit(&["s:", &word[last..]], &[i], &mut name);
        }
        if let Some(next) = words.get(i + 1) {
            emit(&["b:", word, " ", next], &[i, i + 1], &mut name);
        }
    }
    for sentence in &context.sentences {
        // The kinds of word in this sentence, with where each first occurs.
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        let mut seen_tags: Tags = 0;
        let mut person = false;
        for i in sentence.clone() {
            let new = context.tags[i] & !seen_tags;
            if new != 0 {
                seen_tags |= new;
                kinds.extend(TAG_NAMES.iter().filter(|(_, t)| new & t != 0).map(|(n, _)| (*n, i)));
            }
            if !person && context.is_person(i) {
                person = true;
                kinds.push(("PERSON", i));
            }
        }
        kinds.sort();
        for (a, (kind, i)) in kinds.iter().enumerate() {
            emit(&["t:", kind], &[*i], &mut name);
            for (other, j) in &kinds[a + 1..] {
                emit(&["c:", kind, "+", other], &[*i, *j], &mut name);
            }
        }
    }
}

/// Every feature of a text, each once, by name (for the training script).
pub fn feature_names(context: &Context) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    each_feature(context, |name, _| {
        if seen.insert(name.to_owned()) {
            out.push(name.to_owned());
        }
    });
    out
}

/// Each category's score for a text of `words` words, and how much each word adds to it. Only
/// the features the model has a weight for are looked at; each counts once.
fn scores(context: Option<&Context>, names: &[String], words: usize) -> ([f32; 3], Vec<[f32; 3]>) {
    let model = &*MODEL;
    let mut score = model.bias;
    let mut by_word = vec![[0.0f32; 3]; words];
    let mut counted: Vec<&str> = Vec::new();
    let mut add = |name: &str, at: &[usize], score: &mut [f32; 3]| {
        let Some((key, w)) = model.weights.get_key_value(name) else {
            return;
        };
        if counted.contains(key) {
            return;
        }
        counted.push(key);
        for c in 0..3 {
            score[c] += w[c];
            for &i in at {
                if let Some(word) = by_word.get_mut(i) {
                    word[c] += w[c] / at.len() as f32;
                }
            }
        }
    };
    match context {
        Some(context) => each_feature(context, |name, at| add(name, at, &mut score)),
        None => names.iter().for_each(|name| add(name, &[], &mut score)),
    }
    (score, by_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_gives_the_probabilities_the_training_script_gave() {
        let checks: Vec<&str> =
            super::super::data::model().lines().filter(|l| l.starts_with("check\t")).collect();
        assert_eq!(checks.len(), 3, "scripts/train-guard.py writes three checks");
        for line in checks {
            let parts: Vec<&str> = line.splitn(5, '\t').collect();
            let named: Vec<String> = super::super::model_features(parts[4]);
            let (score, _) = scores(None, &named, 0);
            for c in 0..3 {
                let expected: f32 = parts[c + 1].parse().unwrap();
                let got = probability(score[c]);
                assert!((got - expected).abs() < 2e-3, "{}: {got} vs {expected}", parts[4]);
            }
        }
    }
}
