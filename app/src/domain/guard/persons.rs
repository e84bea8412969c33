//! Which words of a text name a person. The names of the other children in the child's groups
//! are known when the app checks a message; a name the guard has not been told is found as a
//! capitalised word that is not a common word, or as a common first name in lower case (people
//! type "mathias slo han" on a phone).

use super::context::Context;
use super::lexicon::*;

pub fn names(context: &Context, other_children: &[String]) -> Vec<bool> {
    let listed: Vec<String> = other_children
        .iter()
        .flat_map(|n| n.split_whitespace())
        .map(|p| p.chars().flat_map(char::to_lowercase).collect())
        .collect();
    let mut first_of_sentence = usize::MAX;
    context
        .tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let starts = first_of_sentence != token.sentence;
            first_of_sentence = token.sentence;
            let tags = context.tags[i];
            let word = &token.lower;
            // A child of the group is theirs however it is typed ("lise er slem"), unless the
            // word is a common one ("per", "i").
            if tags & NAME != 0
                || (tags & STOP == 0 && listed.iter().any(|name| is_name(word, name)))
            {
                return true;
            }
            if !token.capitalized || tags & STOP != 0 {
                return false;
            }
            let letters = word.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '’'));
            let original = &context.chars[token.start..token.end];
            let shouting = original.len() > 1 && original.iter().all(|c| !c.is_lowercase());
            if !letters || shouting || word.chars().count() < 2 {
                return false;
            }
            // A capitalised word that the lexicon knows ("Snapchat", "Politiet") is that word.
            // At the start of a sentence every word is capitalised: an unknown one is taken for
            // a name only where a verb that people do follows it ("Emilie biter", "Sara er").
            let known = tags & !(NAME | OBJECT | SUBJECT) != 0;
            let possessive = word.ends_with("'s") || word.ends_with("’s");
            !known && (!starts || possessive || (tags == 0 && followed_by_a_verb(context, i)))
        })
        .collect()
}

/// Whether the word after `i` is a verb a person is the subject of.
fn followed_by_a_verb(context: &Context, i: usize) -> bool {
    let Some(next) = context.tokens.get(i + 1) else {
        return false;
    };
    next.sentence == context.tokens[i].sentence
        && (context.tags[i + 1] & (PASSIVE | HARM | CALL | THREAT | NEGATIVE | BULLY | MOCK) != 0
            || PERSON_VERBS.contains(&next.lower.as_str()))
}

/// Verbs and words that follow a name at the start of a sentence.
const PERSON_VERBS: &[&str] = &[
    "er", "var", "har", "hadde", "og", "and", "sa", "said", "sier", "seier", "says", "is", "was",
    "has", "had", "kom", "kjem", "came", "comes", "bor", "lives", "må", "skal", "vil", "kan",
    "gjorde", "did", "sin", "sitt", "sine", "mobber", "tok", "took", "fikk", "fekk", "got", "gikk",
    "went", "sitter", "sat", "ville", "wanted", "wants", "trenger", "needs", "blir", "vart", "ble",
    "likte", "liker", "likes", "hater", "hates", "fortalte", "told", "sendte", "sent", "skreiv",
    "skrev", "wrote", "lo", "laughed", "gråt", "cried", "sto", "stod", "stood", "kalte", "called",
    "dro", "pulled",
];

/// `word` is `name` or its possessive ("Lises", "Lise's").
fn is_name(word: &str, name: &str) -> bool {
    match word.strip_prefix(name) {
        Some(rest) => matches!(rest, "" | "s" | "'s" | "’s" | "'"),
        None => false,
    }
}
