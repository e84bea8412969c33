//! A whole form through the guard at once. Every free-text field a person types — a subject as
//! well as a body, a pick-up note, an activity's place — is checked the same way, so that no
//! field is a way around the guard; the findings stay per field, so that each can be shown
//! beside the field it was found in.

use super::{Category, Finding, categories, check};
use serde::{Deserialize, Serialize};

/// What the guard found in one field of a form, named as the form names it (`subject`, `who`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFindings {
    pub field: String,
    pub findings: Vec<Finding>,
}

/// Every field of a form (`(field, text)`) through the guard; only fields with findings are in
/// the answer, in the order given. `other_children` as for [`check`].
pub fn check_fields(fields: &[(&str, &str)], other_children: &[String]) -> Vec<FieldFindings> {
    fields
        .iter()
        .filter_map(|(field, text)| {
            let findings = check(text, other_children);
            (!findings.is_empty()).then(|| FieldFindings { field: (*field).to_owned(), findings })
        })
        .collect()
}

/// The categories found in any of the fields, each once, in a fixed order.
pub fn field_categories(found: &[FieldFindings]) -> Vec<Category> {
    let all: Vec<Finding> = found.iter().flat_map(|f| f.findings.clone()).collect();
    categories(&all)
}

/// Whether any field holds something that is refused outright (an identity number).
pub fn any_refused(found: &[FieldFindings]) -> bool {
    found.iter().flat_map(|f| &f.findings).any(|f| f.category.refused())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_is_checked_and_its_findings_stay_with_it() {
        let found = check_fields(
            &[
                ("subject", "fnr 22911550060"),
                ("body", "Vi ses i morgen"),
                ("place", "Legevakten, han har astma"),
            ],
            &[],
        );
        let fields: Vec<&str> = found.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["subject", "place"]);
        assert_eq!(found[0].findings[0].category, Category::NationalId);
        // Offsets are into the field's own text, for highlighting it.
        assert_eq!((found[0].findings[0].start, found[0].findings[0].end), (4, 15));
        assert_eq!(field_categories(&found), [Category::NationalId, Category::Health]);
        assert!(any_refused(&found));
    }

    #[test]
    fn a_form_with_nothing_sensitive_has_no_findings() {
        let found = check_fields(&[("title", "Skogstur"), ("bring", "Matpakke")], &[]);
        assert!(found.is_empty());
        assert!(field_categories(&found).is_empty());
        assert!(!any_refused(&found));
    }

    #[test]
    fn a_flagged_field_without_an_identity_number_is_not_refused() {
        let found = check_fields(&[("who", "Mormor, hun har diabetes")], &[]);
        assert_eq!(field_categories(&found), [Category::Health]);
        assert!(!any_refused(&found));
    }

    #[test]
    fn another_childs_name_counts_in_every_field() {
        let others = vec!["Lise Hansen".to_owned()];
        let found = check_fields(&[("subject", "Lise Hansen mobber Jonas")], &others);
        assert_eq!(field_categories(&found), [Category::Bullying, Category::OtherChild]);
    }
}
