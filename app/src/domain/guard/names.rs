//! Other children: a name is sensitive where the text speaks negatively about that child or
//! says something sensitive near it; playing together or a birthday invitation is not.

use super::terms::Hit;
use super::text::Token;
use super::{Category, Finding};

/// Pronouns that carry a sentence's subject over from the sentence before ("Lise var med.
/// Hun dyttet ham.").
const PRONOUNS: &[&str] = &["han", "hun", "ho", "hen", "he", "she", "they", "de", "dei"];

/// Names of `other_children` that occur in a sentence (or are followed by a sentence starting
/// with a pronoun) with a negative or sensitive term.
pub fn find(
    chars: &[char],
    tokens: &[Token],
    hits: &[Hit],
    other_children: &[String],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let sensitive_sentence = |s: usize| hits.iter().any(|h| h.sentence == s);
    for name in other_children {
        let parts: Vec<String> = name
            .split_whitespace()
            .map(|p| p.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let Some(first) = parts.first() else {
            continue;
        };
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            if !(token.capitalized && is_name(&token.lower, first)) {
                i += 1;
                continue;
            }
            // The full name where it is written out, else the first name alone.
            let mut end = i + 1;
            while end < tokens.len()
                && end - i < parts.len()
                && tokens[end].capitalized
                && is_name(&tokens[end].lower, &parts[end - i])
            {
                end += 1;
            }
            let sentence = token.sentence;
            let next_starts_with_pronoun = tokens
                .iter()
                .find(|t| t.sentence == sentence + 1)
                .is_some_and(|t| PRONOUNS.contains(&t.lower.as_str()));
            let flagged = sensitive_sentence(sentence)
                || (next_starts_with_pronoun && sensitive_sentence(sentence + 1));
            if flagged {
                out.push(Finding {
                    category: Category::OtherChild,
                    start: token.start,
                    end: tokens[end - 1].end.min(chars.len()),
                });
            }
            i = end;
        }
    }
    out
}

/// `word` is `name` or its possessive ("Lises", "Lise's").
fn is_name(word: &str, name: &str) -> bool {
    match word.strip_prefix(name) {
        Some(rest) => matches!(rest, "" | "s" | "'s" | "’s" | "'"),
        None => false,
    }
}
