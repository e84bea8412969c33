//! Whatever Folkeregisteret (or something posing as it) answers, reading it ends in a person,
//! a feed page or an error — never a panic in the login or the sync that reads it.

use super::*;
use crate::backend::testing::arbitrary;
use crate::domain::{DisplayName, Pid};
use proptest::prelude::*;

const KEYS: &[&str] = &[
    "navn",
    "fornavn",
    "mellomnavn",
    "etternavn",
    "erGjeldende",
    "foreldreansvar",
    "ansvar",
    "ansvarlig",
    "ansvarssubjekt",
    "gyldighetstidspunkt",
    "opphoerstidspunkt",
    "familierelasjon",
    "relatertPerson",
    "relatertPersonsRolle",
    "minRolleForPerson",
    "adressebeskyttelse",
    "graderingsnivaa",
    "sekvensnummer",
    "hendelse",
    "folkeregisteridentifikator",
    "hendelsestype",
];

/// What the login and the sync do with a person document.
fn use_person(person: &Person, pid: &str) {
    if let Some(name) = person.current_name() {
        let shown =
            DisplayName::from_register(&name.fornavn, name.mellomnavn.as_deref(), &name.etternavn);
        let _ = (shown.to_string(), shown.first());
    }
    let _ = person.protection();
    for care in person.children_in_care(pid) {
        let _ = care.ansvarssubjekt.as_deref().map(Pid::parse);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_person_answer_is_read_or_refused(body in arbitrary::body(KEYS), pid in "[0-9]{11}") {
        if let Ok(person) = serde_json::from_slice::<Person>(&body) {
            use_person(&person, &pid);
        }
    }

    #[test]
    fn any_json_person_is_read_or_refused(value in arbitrary::json(KEYS), pid in "[0-9]{11}") {
        if let Ok(person) = serde_json::from_value::<Person>(value) {
            use_person(&person, &pid);
        }
    }

    #[test]
    fn any_feed_answer_is_read_or_refused(body in arbitrary::body(KEYS)) {
        if let Ok(entries) = serde_json::from_slice::<Vec<FeedEntry>>(&body) {
            for entry in entries {
                let _ = entry.hendelse.concerns_ranselpost();
                let _ = Pid::parse(&entry.hendelse.folkeregisteridentifikator);
            }
        }
    }

    #[test]
    fn any_text_in_a_person_s_names_and_relations_is_used_without_panic(
        texts in prop::collection::vec(any::<String>(), 8),
        current in any::<bool>(),
    ) {
        let pid = texts[3].clone();
        let person: Person = serde_json::from_value(serde_json::json!({
            "navn": [{ "fornavn": texts[0], "mellomnavn": texts[1], "etternavn": texts[2], "erGjeldende": current }],
            "foreldreansvar": [{ "ansvar": texts[4], "ansvarlig": pid, "ansvarssubjekt": texts[5], "erGjeldende": true }],
            "adressebeskyttelse": [{ "graderingsnivaa": texts[6], "erGjeldende": current }],
            "familierelasjon": [{ "relatertPersonsRolle": texts[7] }],
        }))
        .unwrap();
        use_person(&person, &pid);
        let shown = DisplayName::from_register(&texts[0], Some(&texts[1]), &texts[2]);
        prop_assert!(shown.given().split(' ').filter(|g| !g.is_empty()).count() <= 2);
    }
}
