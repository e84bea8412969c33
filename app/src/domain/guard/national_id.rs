//! National identity numbers (fødselsnummer, D-nummer, synthetic test numbers), also written
//! with spaces, dots, slashes or a hyphen between the parts ("150318 60054", "15.03.18 600 54"),
//! with the year written out ("15.03.2018 60054"), and any eleven digits that the text calls an
//! identity number ("fnr: ..."), whether or not their check digits are right.

use super::{Category, Finding, Reason};
use crate::domain::Pid;

/// A letter in lower case, for the words that name a number. Not `char::to_lowercase`: its
/// Unicode tables would land in the main WASM module of every page (identity numbers are
/// checked outside the lazy islands), and these words are ASCII and Norwegian.
fn lower(c: char) -> char {
    match c {
        'Æ' => 'æ',
        'Ø' => 'ø',
        'Å' => 'å',
        c => c.to_ascii_lowercase(),
    }
}

/// Separators people put between the parts of a number.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '.'
            | '-'
            | '/'
            | '_'
            | '\t'
            | '\u{a0}'
            | '\u{202f}'
            | '\u{2009}'
            | '\u{2007}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2212}'
    )
}

/// Each valid number in `chars`, as a finding spanning its digits and inner separators.
pub fn find(chars: &[char]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let glued_before = i > 0 && chars[i - 1].is_alphanumeric() && !after_a_label(chars, i);
        if !chars[i].is_ascii_digit() || glued_before {
            i += 1;
            continue;
        }
        // A chain of digit groups joined by up to three separators ("221115 - 50186"):
        // [(start, end)].
        let mut groups = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((start, j));
            let gap = chars[j..].iter().take(3).take_while(|c| is_separator(**c)).count();
            if gap > 0 && chars.get(j + gap).is_some_and(char::is_ascii_digit) {
                j += gap;
            } else {
                break;
            }
        }
        // A number glued to letters ("A12345678901") is a code, not an identity number. What
        // matters is the number's own end: in "22911550060 4B" the class name is glued to the
        // "4" after it, not to the number.
        let glued = |end: usize| chars.get(end).is_some_and(|c| c.is_alphabetic());
        let mut next = j;
        let called = called_an_id(chars, i);
        // A bank account (4 + 2 + 5 digits) now and then has valid check digits too.
        let account = !called && after_an_account_word(chars, i);
        let found = (!account)
            .then(|| first_valid(chars, &groups))
            .flatten()
            .or_else(|| called.then(|| eleven_digits(chars, &groups)).flatten());
        if let Some((start, end)) = found.filter(|&(_, end)| !glued(end)) {
            out.push(Finding {
                category: Category::NationalId,
                reason: Reason::NationalId,
                start,
                end,
            });
            next = end;
        }
        i = next.max(i + 1);
    }
    out.extend(
        date_and_personal_number(chars)
            .filter(|f| !out.iter().any(|o| o.end > f.start && f.end > o.start))
            .collect::<Vec<_>>(),
    );
    out
}

/// Whether the first six digits read as a day and month (with the D-nummer and synthetic
/// offsets).
fn plausible_date(d: &[u32]) -> bool {
    if d.len() < 6 {
        return false;
    }
    let day = d[0] * 10 + d[1];
    let day = if day > 40 { day - 40 } else { day };
    let month = d[2] * 10 + d[3];
    let month = match month {
        81..=92 => month - 80,
        41..=52 => month - 40,
        m => m,
    };
    (1..=31).contains(&day) && (1..=12).contains(&month)
}

/// A birth date and, a few words on, the five digits called a "personnummer": "født 22.11.15,
/// personnummer 500 60".
fn date_and_personal_number(chars: &[char]) -> impl Iterator<Item = Finding> + '_ {
    (0..chars.len()).filter_map(move |i| {
        // Five digits, perhaps as 3 + 2, standing alone, after a word that names them.
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_alphanumeric()) {
            return None;
        }
        let mut digits = String::new();
        let mut end = i;
        while end < chars.len() && digits.len() < 5 {
            if chars[end].is_ascii_digit() {
                digits.push(chars[end]);
            } else if !(chars[end] == ' ' && chars.get(end + 1).is_some_and(char::is_ascii_digit)) {
                break;
            }
            end += 1;
        }
        let alone = !chars.get(end).is_some_and(|c| c.is_alphanumeric());
        if digits.len() != 5 || !alone || !called_an_id(chars, i) {
            return None;
        }
        let (start, date) = date_before(chars, i)?;
        // Strings joined by hand: `format!` would bring the formatting machinery into the main
        // WASM module of every page (identity numbers are checked outside the lazy islands).
        let mut number = date;
        number.push_str(&digits);
        Pid::parse(&number).ok()?;
        Some(Finding { category: Category::NationalId, reason: Reason::NationalId, start, end })
    })
}

/// The last date ("22.11.15", "22.11.2015", "221115") in the 40 characters before `at`, as six
/// digits, with where it starts.
fn date_before(chars: &[char], at: usize) -> Option<(usize, String)> {
    let from = at.saturating_sub(40);
    (from..at).rev().find_map(|start| {
        if !chars[start].is_ascii_digit() || (start > 0 && chars[start - 1].is_alphanumeric()) {
            return None;
        }
        let mut parts: Vec<String> = vec![String::new()];
        let mut j = start;
        while j < at && parts.len() <= 3 {
            let c = chars[j];
            if c.is_ascii_digit() {
                parts.last_mut()?.push(c);
            } else if matches!(c, '.' | '/' | '-')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
            {
                parts.push(String::new());
            } else {
                break;
            }
            j += 1;
        }
        let date = match parts.as_slice() {
            [d, m, y] if d.len() <= 2 && m.len() <= 2 && matches!(y.len(), 2 | 4) => {
                let mut date = String::new();
                for part in [d.as_str(), m.as_str()] {
                    if part.len() == 1 {
                        date.push('0');
                    }
                    date.push_str(part);
                }
                date.push_str(&y[y.len() - 2..]);
                date
            }
            [all] if all.len() == 6 => all.clone(),
            _ => return None,
        };
        Some((start, date))
    })
}

/// The first run of whole groups with exactly eleven digits that is a valid number, or with
/// thirteen where the year is written with four digits.
fn first_valid(chars: &[char], groups: &[(usize, usize)]) -> Option<(usize, usize)> {
    for a in 0..groups.len() {
        let mut digits = String::new();
        for group in &groups[a..] {
            digits.extend(&chars[group.0..group.1]);
            if digits.len() == 11 && Pid::parse(&digits).is_ok() {
                return Some((groups[a].0, group.1));
            }
            if digits.len() == 13 && matches!(&digits[4..6], "19" | "20") {
                let mut short = digits[..4].to_owned();
                short.push_str(&digits[6..]);
                if Pid::parse(&short).is_ok() {
                    return Some((groups[a].0, group.1));
                }
            }
            if digits.len() >= 13 {
                break;
            }
        }
    }
    None
}

/// Words that call the number after them an identity number.
const CALLED: &[&str] = &[
    "fnr",
    "f.nr",
    "fødselsnr",
    "fødselsnummer",
    "fødselsnummeret",
    "fødselsnumre",
    "fødselsnumrene",
    "personnr",
    "personnummer",
    "personnummeret",
    "pnr",
    "d-nummer",
    "d-nummeret",
    "dnr",
    "id-nummer",
    "id-nummeret",
    "identity number",
    "id number",
    "national id",
    "personal number",
    "ssn",
    "fødselsnumer",
    "fødselsnumeret",
    "fodselsnummer",
    "personnumer",
];

/// Whether the text just before position `at` (up to 40 characters) calls what follows an
/// identity number.
fn called_an_id(chars: &[char], at: usize) -> bool {
    let from = at.saturating_sub(41);
    // The 40 characters before, and the one before them for the word boundary, one lower-case
    // character per character.
    let lower: Vec<char> = chars[from..at].iter().map(|c| lower(*c)).collect();
    CALLED.iter().any(|word| {
        let word: Vec<char> = word.chars().collect();
        (0..lower.len().saturating_sub(word.len() - 1)).any(|i| {
            lower[i..].starts_with(&word)
                // A whole word: "KID-nummer" is a payment reference, not "id-nummer".
                && !(i > 0 && lower[i - 1].is_alphanumeric())
                && !(i == 0 && from > 0 && chars[from - 1].is_alphanumeric())
        })
    })
}

/// Letters glued to the number that label it: "fnr22911550060", "ID22111550186".
fn after_a_label(chars: &[char], at: usize) -> bool {
    let mut start = at;
    while start > 0 && chars[start - 1].is_alphanumeric() {
        start -= 1;
    }
    let word: String = chars[start..at].iter().map(|c| lower(*c)).collect();
    ["fnr", "pnr", "id", "nr", "fødselsnr", "personnr", "fødselsnummer", "personnummer"]
        .iter()
        .any(|label| word.ends_with(label))
}

/// Whether the 25 characters before `at` speak of a bank account.
fn after_an_account_word(chars: &[char], at: usize) -> bool {
    let before: String = chars[at.saturating_sub(25)..at].iter().map(|c| lower(*c)).collect();
    ["konto", "kto", "account", "acct", "iban"].iter().any(|w| before.contains(w))
}

/// The first run of whole groups with exactly eleven digits whose first six could be a birth
/// date (of a fødselsnummer, D-nummer or synthetic number): eleven digits called an identity
/// number are one even with wrong check digits, but an order number is not.
fn eleven_digits(chars: &[char], groups: &[(usize, usize)]) -> Option<(usize, usize)> {
    (0..groups.len()).find_map(|a| {
        let mut count = 0;
        for group in &groups[a..] {
            count += group.1 - group.0;
            if count == 11 {
                let digits: Vec<u32> =
                    (groups[a].0..group.1).filter_map(|k| chars[k].to_digit(10)).collect();
                return plausible_date(&digits).then_some((groups[a].0, group.1));
            }
            if count > 11 {
                break;
            }
        }
        None
    })
}
