//! Words and sentences of a text, with character offsets.

/// A word: `start..end` in characters, `lower` its lower-case form, `sentence` which sentence
/// of the text it is in.
#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub capitalized: bool,
    pub sentence: usize,
}

/// Characters that do not show and may sit inside a word ("mob\u{ad}bet", "AD\u{200b}HD"): part
/// of the word, left out of its lower-case form, so that they hide nothing from the guard.
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// The words of `chars`: runs of letters and digits (an apostrophe inside a word is kept, so
/// "Lise's" is one word). A new sentence starts after `.`, `!`, `?` or a line break.
pub fn tokens(chars: &[char]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut sentence = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || (invisible(chars[i])
                        && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()))
                    || (matches!(chars[i], '\'' | '’')
                        && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())))
            {
                i += 1;
            }
            let lower: String = chars[start..i]
                .iter()
                .filter(|c| !invisible(**c))
                .flat_map(|c| c.to_lowercase())
                .collect();
            out.push(Token { start, end: i, lower, capitalized: c.is_uppercase(), sentence });
        } else {
            if matches!(c, '.' | '!' | '?' | '\n') {
                // "kl. 8" and "f.eks." do not end a sentence: a full stop followed directly by a
                // letter or digit, or by a lower-case word, is an abbreviation. (Only a full stop
                // looks ahead, and only past a few spaces: a page of blank lines stays cheap.)
                let ends = c != '.' || {
                    let next = chars[i + 1..].iter().take(8).find(|c| !c.is_whitespace());
                    next.is_none_or(|n| n.is_uppercase() || !n.is_alphanumeric())
                        && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                };
                if ends {
                    sentence += 1;
                }
            }
            i += 1;
        }
    }
    out
}
