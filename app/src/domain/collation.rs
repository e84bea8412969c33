//! Norwegian alphabetical order, for every list of names a person reads.
//!
//! Neither engine sorts as a Norwegian reader expects: SQLite compares bytes ("Åse" before
//! "Æsa", capitals before small letters, "SFO" before "skole"), and PostgreSQL follows whatever
//! locale the cluster was made with. So lists are put in order here, after they are read, with
//! the rules of Norwegian dictionaries: case does not matter, the alphabet ends with x, y, z, æ,
//! ø, å, and the foreign letters in Norwegian names sort with their base letter (é as e, ü as y,
//! ä as æ, ö as ø).

use std::cmp::Ordering;

/// Where `c` (already in lower case) stands in the Norwegian alphabet.
fn weight(c: char) -> u32 {
    const AFTER_Z: u32 = 'z' as u32;
    match c {
        'æ' | 'ä' => AFTER_Z + 1,
        'ø' | 'ö' | 'œ' => AFTER_Z + 2,
        'å' => AFTER_Z + 3,
        'á' | 'à' | 'â' | 'ã' => 'a' as u32,
        'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
        'í' | 'ì' | 'î' | 'ï' => 'i' as u32,
        'ó' | 'ò' | 'ô' | 'õ' => 'o' as u32,
        'ú' | 'ù' | 'û' => 'u' as u32,
        'ü' | 'ý' | 'ÿ' => 'y' as u32,
        'ç' | 'č' => 'c' as u32,
        'ñ' | 'ń' => 'n' as u32,
        'š' | 'ś' => 's' as u32,
        'ž' | 'ź' | 'ż' => 'z' as u32,
        'ł' => 'l' as u32,
        'ð' => 'd' as u32,
        other => other as u32,
    }
}

/// The sort key of `text` in Norwegian order, letter by letter.
pub fn key(text: &str) -> Vec<u32> {
    text.chars().flat_map(char::to_lowercase).map(weight).collect()
}

/// Compares two texts in Norwegian order; texts equal but for case or accents are ordered by
/// their characters, so the order is total and the same on every engine.
pub fn compare(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// Sorts `items` in Norwegian order of the texts `by` gives for each, comparing the texts in
/// turn (a unit name, then a group name, then a person's name …); the sort is stable.
pub fn sort_by<T, const N: usize>(items: &mut [T], by: impl Fn(&T) -> [&str; N]) {
    items.sort_by_cached_key(|item| by(item).map(|text| (key(text), text.to_owned())));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        sort_by(&mut names, |n| [n.as_str()]);
        names
    }

    #[test]
    fn the_alphabet_ends_with_ae_oe_and_aa() {
        assert_eq!(
            sorted(&["Åse", "Øystein", "Ærlig", "Zara", "Anne"]),
            ["Anne", "Zara", "Ærlig", "Øystein", "Åse"]
        );
    }

    #[test]
    fn capitals_do_not_come_first() {
        assert_eq!(
            sorted(&["Fjordvik SFO", "Fjordvik skole", "fjordvik barnehage"]),
            ["fjordvik barnehage", "Fjordvik SFO", "Fjordvik skole"]
        );
    }

    #[test]
    fn foreign_letters_sort_with_their_norwegian_letter() {
        assert_eq!(
            sorted(&["Zoë", "Müller", "Møller", "Mueller"]),
            ["Mueller", "Müller", "Møller", "Zoë"]
        );
        assert_eq!(
            sorted(&["Åkesson", "Ängel", "Ödegaard", "Ost"]),
            ["Ost", "Ängel", "Ödegaard", "Åkesson"]
        );
    }

    #[test]
    fn texts_differing_only_in_case_keep_one_order() {
        assert_eq!(compare("lia", "Lia"), compare("lia", "Lia"));
        assert_ne!(compare("lia", "Lia"), Ordering::Equal);
        assert_eq!(compare("Lia", "Lia"), Ordering::Equal);
    }

    #[test]
    fn later_texts_break_ties_of_earlier_ones() {
        let mut rows =
            vec![("Fjordvik skole", "Ås"), ("Fjordvik skole", "Berg"), ("Alvøen", "Zak")];
        sort_by(&mut rows, |r| [r.0, r.1]);
        assert_eq!(rows, [("Alvøen", "Zak"), ("Fjordvik skole", "Berg"), ("Fjordvik skole", "Ås")]);
    }
}
