//! The demo's people, by name, as the tests speak of them. Their ids and numbers are in
//! `app/src/backend/demo/demo.json` (synthetic, from Skatteetaten's test data).

/// Someone who logs in at the demo's test identity provider.
#[derive(Debug, Clone, Copy)]
pub struct Persona {
    /// "guardian" or "staff".
    pub audience: &'static str,
    /// What is chosen on the test provider's page: ("pid", …) or ("subject", …).
    pub choice: (&'static str, &'static str),
    /// The person's id in the database.
    pub id: &'static str,
}

const fn guardian(pid: &'static str, id: &'static str) -> Persona {
    Persona { audience: "guardian", choice: ("pid", pid), id }
}

const fn staff(id: &'static str) -> Persona {
    Persona { audience: "staff", choice: ("subject", id), id }
}

/// Mother of Emma (kindergarten) and Jonas (school, 4B; SFO from 2027).
pub const KARI: Persona = guardian("12848510058", "demo-person-kari");
/// Father of Emma and Jonas, with parental responsibility.
pub const OLA: Persona = guardian("03898320188", "demo-person-ola");
/// Father of Lise (4B).
pub const PER: Persona = guardian("07868030083", "demo-person-per");
/// A father without parental responsibility: he sees no child.
pub const TOR: Persona = guardian("19888812035", "demo-person-tor");
/// Mother of Mathias (4B).
pub const NINA: Persona = guardian("14908615183", "demo-person-nina");
/// Contact teacher of 4B at Fjordvik skole.
pub const INGRID: Persona = staff("demo-staff-ingrid");
/// Pedagogical leader of Blåbær at Lia barnehage.
pub const BJORN: Persona = staff("demo-staff-bjorn");
/// Principal of Fjordvik skole.
pub const ANNE: Persona = staff("demo-staff-anne");
/// SFO leader at Fjordvik SFO (which opens in 2027).
pub const SIV: Persona = staff("demo-staff-siv");
/// Director (styrer) of Lia barnehage: leads the whole unit, pairs its tablets.
pub const HILDE: Persona = staff("demo-staff-hilde");
/// Assistant in Blåbær at Lia barnehage.
pub const LEILA: Persona = staff("demo-staff-leila");
