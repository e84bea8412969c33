//! Identity vocabulary shared by both sides: who logs in, and how strongly.

use serde::{Deserialize, Serialize};

/// The front page, saying that the page asked for needs a login first.
pub const LOGIN_FIRST: &str = "/?logg-inn=1";

/// The front page, saying that a form sent after the session ended was kept.
pub const SESSION_ENDED: &str = "/?logg-inn=utlopt";

/// Which door a person came in by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// A guardian, through ID-porten.
    Guardian,
    /// A staff member, through Feide or the municipality's IdP.
    Staff,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Guardian => "guardian",
            Audience::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "guardian" => Some(Audience::Guardian),
            "staff" => Some(Audience::Staff),
            _ => None,
        }
    }
}

/// ID-porten's levels of assurance. Only these two are strong enough for children's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Acr {
    Substantial,
    High,
}

impl Acr {
    pub const SUBSTANTIAL: &'static str = "idporten-loa-substantial";
    pub const HIGH: &'static str = "idporten-loa-high";

    /// Parses an `acr` claim; anything below substantial (or unknown) is `None`.
    pub fn parse(acr: &str) -> Option<Acr> {
        match acr {
            Self::SUBSTANTIAL => Some(Acr::Substantial),
            Self::HIGH => Some(Acr::High),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_substantial_and_high_are_accepted_levels() {
        assert_eq!(Acr::parse("idporten-loa-substantial"), Some(Acr::Substantial));
        assert_eq!(Acr::parse("idporten-loa-high"), Some(Acr::High));
        assert_eq!(Acr::parse("idporten-loa-low"), None);
        assert_eq!(Acr::parse("Level3"), None);
        assert_eq!(Acr::parse(""), None);
    }

    #[test]
    fn audiences_round_trip_through_their_names() {
        for a in [Audience::Guardian, Audience::Staff] {
            assert_eq!(Audience::parse(a.as_str()), Some(a));
        }
        assert_eq!(Audience::parse("admin"), None);
    }
}
