//! Shared tablets: the pairing code a tablet shows, and the staff's tablet PIN.

/// The letters of a pairing code: no 0/O, 1/I/L, so that it reads the same aloud and typed.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// A pairing code's length: 8 letters from 31 (about 40 bits), shown as two groups of four.
pub const CODE_LEN: usize = 8;
/// How long a tablet's code can be confirmed.
pub const PAIRING_MS: i64 = 10 * 60 * 1000;

/// A pairing code as typed: spaces, dashes and case do not matter. `None` when it cannot be
/// one.
pub fn parse_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A code as the tablet shows it: `ABCD-EFGH`.
pub fn show_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

/// Why a tablet PIN cannot be chosen (an i18n key each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabletPinProblem {
    Format,
    Mismatch,
    Trivial,
}

impl TabletPinProblem {
    pub fn key(self) -> &'static str {
        match self {
            TabletPinProblem::Format => "tablet.pin.error.format",
            TabletPinProblem::Mismatch => "tablet.pin.error.mismatch",
            TabletPinProblem::Trivial => "tablet.pin.error.trivial",
        }
    }
}

/// A tablet PIN is 4–6 digits, typed the same twice, and not one anybody would try first: one
/// digit repeated (0000), a straight run (1234, 98765), or a repeated pair (1212, 121212).
pub fn check_tablet_pin(pin: &str, again: &str) -> Result<(), TabletPinProblem> {
    let digits: Vec<i16> = pin.bytes().map(|b| i16::from(b) - i16::from(b'0')).collect();
    if !(4..=6).contains(&digits.len()) || !digits.iter().all(|d| (0..=9).contains(d)) {
        return Err(TabletPinProblem::Format);
    }
    if pin != again {
        return Err(TabletPinProblem::Mismatch);
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    let same = steps.iter().all(|s| *s == 0);
    let run = steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1);
    let pairs = digits.len().is_multiple_of(2) && digits.chunks(2).all(|c| c == &digits[..2]);
    if same || run || pairs {
        return Err(TabletPinProblem::Trivial);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_whatever_the_case_spaces_or_dash() {
        assert_eq!(parse_code("abcd-efgh").as_deref(), Some("ABCDEFGH"));
        assert_eq!(parse_code(" AB CD EF GH ").as_deref(), Some("ABCDEFGH"));
        assert_eq!(show_code("ABCDEFGH"), "ABCD-EFGH");
        assert_eq!(parse_code("ABCD-EFG"), None, "too short");
        assert_eq!(parse_code("ABCD-EFG0"), None, "0 is not a code letter");
        assert_eq!(parse_code("ABCD-EFGHI"), None, "too long");
    }

    #[test]
    fn a_tablet_pin_is_four_to_six_digits_and_not_an_obvious_one() {
        assert_eq!(check_tablet_pin("4829", "4829"), Ok(()));
        assert_eq!(check_tablet_pin("482913", "482913"), Ok(()));
        assert_eq!(check_tablet_pin("482", "482"), Err(TabletPinProblem::Format));
        assert_eq!(check_tablet_pin("4829137", "4829137"), Err(TabletPinProblem::Format));
        assert_eq!(check_tablet_pin("48a9", "48a9"), Err(TabletPinProblem::Format));
        assert_eq!(check_tablet_pin("4829", "4828"), Err(TabletPinProblem::Mismatch));
        for trivial in ["0000", "1234", "98765", "1212", "121212", "555555"] {
            assert_eq!(
                check_tablet_pin(trivial, trivial),
                Err(TabletPinProblem::Trivial),
                "{trivial}"
            );
        }
    }
}

/// Minutes without a touch before a tablet locks, unless the unit chose otherwise.
pub const DEFAULT_IDLE_MINUTES: i64 = 5;
/// The idle minutes a unit may choose.
pub const IDLE_MINUTES_RANGE: std::ops::RangeInclusive<i64> = 1..=60;

/// A staff member's tile on a paired tablet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffTile {
    pub person_id: String,
    pub name: String,
    /// Has a tablet PIN (and it is not locked): the tile opens the PIN pad; otherwise it says
    /// to log in fully once and set one.
    pub ready: bool,
}

/// What a tablet shows when nobody is switched in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TabletHome {
    /// Not (or no longer) paired: pair it.
    Unpaired,
    Paired {
        unit: String,
        name: String,
        /// The municipality's number, for a full staff login on the tablet.
        municipality: String,
        staff: Vec<StaffTile>,
    },
}

/// One of a unit's tablets, for its leader.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TabletRow {
    pub id: String,
    pub name: String,
    pub paired_by: String,
    /// "tirsdag 15. juni 14:05" is made by the page from these: the date and `tt:mm`.
    pub paired_on: String,
    pub last_used_on: String,
    pub last_used_at: String,
}

/// The leader's page of a unit's tablets, and the caller's own tablet PIN.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TabletAdmin {
    /// The units the caller leads: (id, name). Empty for staff who lead none.
    pub units: Vec<(String, String)>,
    pub unit: Option<String>,
    pub tablets: Vec<TabletRow>,
    pub idle_minutes: i64,
    /// The caller has a tablet PIN; locked after wrong PINs until this full login.
    pub has_pin: bool,
}

/// How a switch went, as the PIN pad says it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SwitchAnswer {
    /// Switched in: the session cookie is set; go to the board.
    Opened,
    WrongPin {
        left: i64,
    },
    /// Five wrong PINs: log in fully once to open the PIN again.
    Locked,
    /// No tablet PIN yet: log in fully once and set one.
    NoPin,
    /// The tablet is not (any longer) paired, or the staff member is not of its unit.
    Refused,
}
