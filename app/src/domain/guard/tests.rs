use super::*;

fn others() -> Vec<String> {
    corpus::OTHER_CHILDREN.iter().map(|s| s.to_string()).collect()
}

fn flagged(text: &str) -> Vec<(Category, String)> {
    let chars: Vec<char> = text.chars().collect();
    check(text, &others())
        .into_iter()
        .map(|f| (f.category, chars[f.start..f.end].iter().collect()))
        .collect()
}

#[test]
fn a_diagnosis_is_found_with_its_exact_span() {
    assert_eq!(
        flagged("Han har fått diagnosen ADHD"),
        [(Category::Health, "diagnosen".to_owned()), (Category::Health, "ADHD".to_owned())]
    );
}

#[test]
fn offsets_count_characters_not_bytes() {
    let findings = check("Æøå – ADHD", &[]);
    assert_eq!(findings[0].start, 6);
    assert_eq!(findings[0].end, 10);
}

#[test]
fn identity_numbers_are_found_also_with_spaces_and_dots_and_are_refused() {
    for text in ["fnr 22911550060", "fnr 229115 50060", "fnr 22.91.15 500 60", "fnr 229115-50060"] {
        let found = flagged(text);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].0, Category::NationalId);
        assert!(found[0].0.refused());
    }
    // A synthetic number (+80 on the month) and a D-nummer.
    assert_eq!(flagged("15831860054")[0].0, Category::NationalId);
}

#[test]
fn numbers_that_are_not_valid_identity_numbers_pass() {
    for text in [
        "Ring 987 65 432",
        "Konto 1234 56 78903",
        "22911550061",
        "Dato 12.03.2027 kl. 18.00",
        "Ordre A22911550060",
        "229115500601",
    ] {
        assert!(flagged(text).is_empty(), "{text}");
    }
}

#[test]
fn inflected_and_compound_forms_are_found() {
    for text in [
        "nøtteallergien",
        "astmamedisin",
        "mobbesaken",
        "nettmobbing",
        "diagnostisert",
        "bullied",
        "truslane",
    ] {
        assert!(!flagged(text).is_empty(), "{text}");
    }
}

#[test]
fn ordinary_words_that_look_like_terms_pass() {
    for text in [
        "Please add salt",
        "It is true",
        "Vi bruker krefter på dugnaden",
        "Det var voldsomt gøy",
        "Sparket ballen",
        "Vi spiser erter til middag",
    ] {
        assert!(flagged(text).is_empty(), "{text}: {:?}", flagged(text));
    }
}

#[test]
fn another_child_is_flagged_only_when_spoken_of_negatively() {
    assert!(flagged("Lise og Jonas lekte sammen").is_empty());
    assert!(flagged("Bursdagsinvitasjon til Mathias").is_empty());
    assert_eq!(
        flagged("Lise Hansen er så slem mot Jonas"),
        [(Category::OtherChild, "Lise Hansen".to_owned())]
    );
    assert_eq!(
        flagged("Mathias var med. Han dyttet meg."),
        [
            (Category::OtherChild, "Mathias".to_owned()),
            (Category::Bullying, "dyttet meg".to_owned())
        ]
    );
    // Lower case "per" is a preposition, not the name Per.
    assert!(check("10 kr per dag, dumt", &["Per Hansen".to_owned()]).is_empty());
}

#[test]
fn segments_cover_the_whole_text_with_the_flagged_parts_marked() {
    let text = "Han har ADHD, sa han.";
    let parts = segments(text, &check(text, &[]));
    assert_eq!(parts.iter().map(|p| p.0.as_str()).collect::<String>(), text);
    assert_eq!(
        parts.iter().filter(|p| p.1.is_some()).map(|p| p.0.as_str()).collect::<Vec<_>>(),
        ["ADHD"]
    );
}

#[test]
fn the_corpus_is_caught_at_95_percent_with_under_5_percent_false_alarms() {
    let figures = corpus::evaluate();
    for category in Category::ALL {
        assert!(
            figures.recall_of(category) >= 0.95,
            "{category:?}: {:.2}; {:#?}",
            figures.recall_of(category),
            figures.misses
        );
    }
    assert!(
        figures.false_alarm_rate() < 0.05,
        "{:.3}; {:#?}",
        figures.false_alarm_rate(),
        figures.misses
    );
}

#[test]
fn a_long_message_is_checked_quickly() {
    let text = "Hei! Husk gymtøy og matpakke i morgen, Lise og Jonas skal på tur. ".repeat(150);
    let started = std::time::Instant::now();
    let _ = check(&text, &others());
    // Native and unoptimised here; the browser's optimised WASM is faster still.
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
}
