//! Properties of the guard on any text: it runs on everything a person types, in the browser
//! and on the server, so no input may make it panic or point outside the text.

use super::*;
use crate::domain::pid::strategies::valid_pid;
use proptest::prelude::*;

fn others() -> Vec<String> {
    ["Lise Hansen", "Mathias Berg", "Sara Ali", "Noah Johansen", "Ella Nilsen"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Text as people write it, and worse: any characters, Norwegian letters, digits and the
/// separators numbers are written with, words the guard knows, and the other children's names.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        "[ .\u{a0}-]{0,3}[0-9]{1,11}",
        "[a-zæøåA-ZÆØÅ ,.!?'’\n]{0,20}",
        "[\\x{0}-\\x{10FFFF}]{0,8}",
        prop::sample::select(vec![
            "ADHD",
            "diagnosen",
            "mobbet",
            "Lise",
            "Lise Hansen",
            "Lises",
            "Hun",
            "slo",
            "dumme",
            "f.eks.",
            "kl. 8",
            "Mathias Berg",
            "astmamedisin",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn findings_of_any_text_lie_within_it_in_order(text in text(), names in prop::collection::vec(any::<String>(), 0..3)) {
        let mut other_children = others();
        other_children.extend(names);
        let findings = check(&text, &other_children);
        let length = text.chars().count();
        for f in &findings {
            prop_assert!(f.start < f.end && f.end <= length, "{f:?} in {length} characters");
            // Character offsets, so each end is a char boundary of the text.
            prop_assert!(text.char_indices().nth(f.start).is_some());
        }
        prop_assert!(findings.windows(2).all(|w| (w[0].start, w[0].category) <= (w[1].start, w[1].category)));
        // Highlighting gives back the text, piece by piece.
        let pieces: String = segments(&text, &findings).into_iter().map(|(p, _)| p).collect();
        prop_assert_eq!(pieces, text);
    }

    /// Real messages, pieced together and repeated: the learned component fires on these (a
    /// text that repeats its last words once broke it), and so do all the rules.
    #[test]
    fn corpus_texts_pieced_together_and_repeated_are_checked_within_bounds(
        picks in prop::collection::vec(0usize..2_000, 1..5), times in 1usize..4
    ) {
        let samples = corpus::samples();
        let piece: String = picks
            .iter()
            .map(|i| samples[i % samples.len()].text)
            .collect::<Vec<_>>()
            .join(" ");
        let text = vec![piece; times].join(" ");
        let length = text.chars().count();
        for f in check(&text, &others()) {
            prop_assert!(f.start < f.end && f.end <= length, "{f:?} in {length} characters");
        }
    }

    #[test]
    fn a_valid_identity_number_is_found_whatever_surrounds_it(
        before in text(), after in text(), (digits, _, _) in valid_pid()
    ) {
        let text = format!("{before} {digits} {after}");
        let start = before.chars().count() + 1;
        let findings = check(&text, &[]);
        prop_assert!(
            findings.iter().any(|f| f.category == Category::NationalId && f.start == start && f.end == start + 11),
            "{digits} at {start} in {text:?}: {findings:?}"
        );
    }

    #[test]
    fn segments_tolerate_findings_that_do_not_fit_the_text(
        text in text(),
        spans in prop::collection::vec((0usize..64, 0usize..64), 0..6),
    ) {
        let findings: Vec<Finding> = spans
            .into_iter()
            .map(|(start, end)| Finding { category: Category::Health, reason: Reason::Health, start, end })
            .collect();
        let pieces: String = segments(&text, &findings).into_iter().map(|(p, _)| p).collect();
        prop_assert_eq!(pieces, text);
    }
}

#[test]
fn a_number_followed_by_a_class_name_is_still_found() {
    // Found by the property above: "4B" glued the whole chain of digit groups to letters.
    for text in ["Emma 22911550060 4B", "fnr 22911550060 5abc", "22911550060 0º"] {
        let findings = check(text, &[]);
        assert!(
            findings.iter().any(|f| f.category == Category::NationalId),
            "{text}: {findings:?}"
        );
    }
    assert!(check("Ordre A22911550060", &[]).is_empty());
    assert!(check("Kode 22911550060abc", &[]).is_empty());
}
