//! Municipality numbers (kommunenummer): four digits, as Statistics Norway assigns them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A four-digit municipality number such as 4601 (Bergen).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MunicipalityNumber(String);

/// Why a municipality number does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a municipality number has four digits")]
pub struct MunicipalityNumberError;

impl MunicipalityNumber {
    pub fn parse(input: &str) -> Result<Self, MunicipalityNumberError> {
        let input = input.trim();
        if input.len() == 4 && input.bytes().all(|b| b.is_ascii_digit()) && input != "0000" {
            Ok(MunicipalityNumber(input.to_owned()))
        } else {
            Err(MunicipalityNumberError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MunicipalityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for MunicipalityNumber {
    type Error = MunicipalityNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MunicipalityNumber> for String {
    fn from(n: MunicipalityNumber) -> Self {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_digits_make_a_municipality_number() {
        assert_eq!(MunicipalityNumber::parse("4601").unwrap().as_str(), "4601");
        assert_eq!(MunicipalityNumber::parse(" 0301 ").unwrap().as_str(), "0301");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["", "460", "46011", "46a1", "0000", "../x"] {
            assert!(MunicipalityNumber::parse(bad).is_err(), "{bad:?}");
        }
    }
}
