//! The kinds of unit a child attends.

use serde::{Deserialize, Serialize};

/// Kindergarten, school or after-school care. Stored as its lower-case English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Kindergarten,
    School,
    Sfo,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [UnitKind::Kindergarten, UnitKind::School, UnitKind::Sfo];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Kindergarten => "kindergarten",
            UnitKind::School => "school",
            UnitKind::Sfo => "sfo",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The i18n key of this kind's plural heading ("Barnehager", "Skoler", "SFO").
    pub fn heading_key(self) -> &'static str {
        match self {
            UnitKind::Kindergarten => "unit.kind.kindergarten.plural",
            UnitKind::School => "unit.kind.school.plural",
            UnitKind::Sfo => "unit.kind.sfo.plural",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_survives_a_round_trip_through_its_stored_name() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(UnitKind::parse("university"), None);
    }
}
