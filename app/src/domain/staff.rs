//! The roles staff hold at a unit, as Folkeregisteret's counterpart for staff (the municipality's
//! staff register) names them.

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    ContactTeacher,
    PedagogicalLeader,
    Principal,
    /// A kindergarten's leader (styrer): leads the whole unit, as a principal leads a school.
    Director,
    SfoLeader,
    Staff,
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 7] = [
        StaffRole::ContactTeacher,
        StaffRole::PedagogicalLeader,
        StaffRole::Principal,
        StaffRole::Director,
        StaffRole::SfoLeader,
        StaffRole::Staff,
        StaffRole::Admin,
    ];

    pub fn parse(code: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The stored word.
    pub fn code(self) -> &'static str {
        match self {
            StaffRole::ContactTeacher => "contact_teacher",
            StaffRole::PedagogicalLeader => "pedagogical_leader",
            StaffRole::Principal => "principal",
            StaffRole::Director => "director",
            StaffRole::SfoLeader => "sfo_leader",
            StaffRole::Staff => "staff",
            StaffRole::Admin => "admin",
        }
    }

    /// The i18n key of its name.
    pub fn key(self) -> &'static str {
        match self {
            StaffRole::ContactTeacher => "staff.role.contact_teacher",
            StaffRole::PedagogicalLeader => "staff.role.pedagogical_leader",
            StaffRole::Principal => "staff.role.principal",
            StaffRole::Director => "staff.role.director",
            StaffRole::SfoLeader => "staff.role.sfo_leader",
            StaffRole::Staff => "staff.role.staff",
            StaffRole::Admin => "staff.role.admin",
        }
    }
}

/// The i18n key of a stored role (an unknown word reads as plain "staff").
pub fn role_key(code: &str) -> &'static str {
    StaffRole::parse(code).unwrap_or(StaffRole::Staff).key()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_survives_a_round_trip_through_its_stored_word() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.code()), Some(role));
            assert_eq!(role_key(role.code()), role.key());
        }
        assert_eq!(role_key("janitor"), "staff.role.staff");
    }
}
