//! How a person's name is shown.
//!
//! Folkeregisteret gives `fornavn` (all given names, space separated), an optional `mellomnavn`
//! and `etternavn`. The municipality's rule: a child with more than two given names is shown with
//! the first two only ("Emma Sofie Louise Nordmann" is "Emma Sofie Nordmann"), everywhere.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A name ready to show, built once from the register's parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisplayName {
    given: String,
    family: String,
}

impl DisplayName {
    /// Builds the display name from the register's `fornavn`, `mellomnavn` and `etternavn`.
    /// Extra white space is folded; given names beyond the second are left out.
    pub fn from_register(fornavn: &str, mellomnavn: Option<&str>, etternavn: &str) -> Self {
        let given = fornavn.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let family = mellomnavn
            .into_iter()
            .chain(std::iter::once(etternavn))
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ");
        DisplayName { given, family }
    }

    /// The (at most two) given names, for a friendly greeting or a child's tile.
    pub fn given(&self) -> &str {
        &self.given
    }

    /// The first given name alone.
    pub fn first(&self) -> &str {
        self.given.split(' ').next().unwrap_or_default()
    }

    pub fn family(&self) -> &str {
        &self.family
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.given.is_empty(), self.family.is_empty()) {
            (false, false) => write!(f, "{} {}", self.given, self.family),
            (false, true) => f.write_str(&self.given),
            _ => f.write_str(&self.family),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_with_three_given_names_is_shown_with_the_first_two() {
        let name = DisplayName::from_register("Emma Sofie Louise", None, "Nordmann");
        assert_eq!(name.to_string(), "Emma Sofie Nordmann");
        assert_eq!(name.first(), "Emma");
    }

    #[test]
    fn a_child_with_one_or_two_given_names_keeps_them_all() {
        assert_eq!(
            DisplayName::from_register("Jonas", None, "Nordmann").to_string(),
            "Jonas Nordmann"
        );
        assert_eq!(
            DisplayName::from_register("Ola Martin", None, "Nordmann").to_string(),
            "Ola Martin Nordmann"
        );
    }

    #[test]
    fn a_middle_name_is_part_of_the_family_name_and_is_kept() {
        let name = DisplayName::from_register("Lise Marie Anne", Some("Berg"), "Hansen");
        assert_eq!(name.to_string(), "Lise Marie Berg Hansen");
        assert_eq!(name.family(), "Berg Hansen");
    }

    #[test]
    fn extra_white_space_from_the_register_is_folded() {
        let name = DisplayName::from_register("  Emma   Sofie  Louise ", Some(" "), " Nordmann ");
        assert_eq!(name.to_string(), "Emma Sofie Nordmann");
    }
}
