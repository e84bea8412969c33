//! National identity numbers (fødselsnummer, D-nummer, synthetic test numbers), also written
//! with spaces, dots or a hyphen between the parts: "150318 60054", "15.03.18 600 54".

use super::{Category, Finding};
use crate::domain::Pid;

/// Separators people put between the parts of a number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '\u{a0}')
}

/// Each valid number in `chars`, as a finding spanning its digits and inner separators.
pub fn find(chars: &[char]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        // A chain of digit groups joined by single separators: [(start, end)].
        let mut groups = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((start, j));
            if j + 1 < chars.len() && is_separator(chars[j]) && chars[j + 1].is_ascii_digit() {
                j += 1;
            } else {
                break;
            }
        }
        // A number glued to letters ("A12345678901") is a code, not an identity number. What
        // matters is the number's own end: in "22911550060 4B" the class name is glued to the
        // "4" after it, not to the number.
        let glued = |end: usize| chars.get(end).is_some_and(|c| c.is_alphabetic());
        let mut next = j;
        if let Some((start, end)) = first_valid(chars, &groups).filter(|&(_, end)| !glued(end)) {
            out.push(Finding { category: Category::NationalId, start, end });
            next = end;
        }
        i = next.max(i + 1);
    }
    out
}

/// The first run of whole groups with exactly eleven digits that is a valid number.
fn first_valid(chars: &[char], groups: &[(usize, usize)]) -> Option<(usize, usize)> {
    for a in 0..groups.len() {
        let mut digits = String::new();
        for group in &groups[a..] {
            digits.extend(&chars[group.0..group.1]);
            if digits.len() == 11 && Pid::parse(&digits).is_ok() {
                return Some((groups[a].0, group.1));
            }
            if digits.len() >= 11 {
                break;
            }
        }
    }
    None
}
