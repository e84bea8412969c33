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
                    || (matches!(chars[i], '\'' | '’')
                        && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())))
            {
                i += 1;
            }
            let lower: String = chars[start..i].iter().flat_map(|c| c.to_lowercase()).collect();
            out.push(Token { start, end: i, lower, capitalized: c.is_uppercase(), sentence });
        } else {
            if matches!(c, '.' | '!' | '?' | '\n') {
                // "kl. 8" and "f.eks." do not end a sentence: a full stop followed directly by a
                // letter or digit, or by a lower-case word, is an abbreviation.
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                let ends = c != '.'
                    || next.is_none_or(|n| n.is_uppercase() || !n.is_alphanumeric())
                        && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if ends {
                    sentence += 1;
                }
            }
            i += 1;
        }
    }
    out
}
