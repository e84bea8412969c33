//! Norwegian national identity numbers: fødselsnummer and D-nummer.
//!
//! A number is accepted only when both mod-11 control digits are right and the first six digits
//! are a real date. Synthetic test numbers (Skatteetaten's TestID/Tenor: month + 40, or NAV's
//! month + 80) are accepted too, because the demo and every test environment uses them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A validated fødselsnummer or D-nummer. Construct it with [`Pid::parse`]; once built it is valid.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pid(String);

/// Why a string is not a national identity number. Messages are keys into the i18n layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PidError {
    #[error("a national identity number has 11 digits")]
    Length,
    #[error("a national identity number has only digits")]
    NotDigits,
    #[error("the control digits do not match")]
    Checksum,
    #[error("the first six digits are not a date")]
    Date,
}

impl PidError {
    /// The i18n key that explains this error to a user.
    pub fn message_key(self) -> &'static str {
        match self {
            PidError::Length => "pid.error.length",
            PidError::NotDigits => "pid.error.digits",
            PidError::Checksum => "pid.error.checksum",
            PidError::Date => "pid.error.date",
        }
    }
}

/// The kind of number, read from its first digit and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PidKind {
    Fodselsnummer,
    DNummer,
}

const WEIGHTS_K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const WEIGHTS_K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

impl Pid {
    /// Parses an 11-digit number. Spaces and dots between the parts ("150318 60054",
    /// "15.03.18 600 54") are tolerated, as people write them that way.
    pub fn parse(input: &str) -> Result<Self, PidError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '\u{a0}')).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PidError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(PidError::Length);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if control_digit(&d[..9], &WEIGHTS_K1) != Some(d[9])
            || control_digit(&d[..10], &WEIGHTS_K2) != Some(d[10])
        {
            return Err(PidError::Checksum);
        }
        if birth_date(&d).is_none() {
            return Err(PidError::Date);
        }
        Ok(Pid(digits))
    }

    /// The eleven digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> PidKind {
        if self.0.as_bytes()[0] >= b'4' { PidKind::DNummer } else { PidKind::Fodselsnummer }
    }

    /// Date of birth as (year, month, day).
    pub fn birth_date(&self) -> (i32, u32, u32) {
        let d: Vec<u32> = self.0.bytes().map(|b| u32::from(b - b'0')).collect();
        birth_date(&d).expect("validated at construction")
    }
}

fn control_digit(digits: &[u32], weights: &[u32]) -> Option<u32> {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

/// Reads the date from the first six digits and the century from the individual number
/// (Skatteetaten's rules), undoing the D-nummer (+4 on the first digit) and synthetic
/// (+40 or +80 on the month) offsets.
fn birth_date(d: &[u32]) -> Option<(i32, u32, u32)> {
    let mut day = d[0] * 10 + d[1];
    if d[0] >= 4 {
        day -= 40;
    }
    let mut month = d[2] * 10 + d[3];
    if month > 80 {
        month -= 80;
    } else if month > 40 {
        month -= 40;
    }
    let yy = (d[4] * 10 + d[5]) as i32;
    let individual = d[6] * 100 + d[7] * 10 + d[8];
    let year = match individual {
        0..=499 => 1900 + yy,
        500..=749 if yy >= 54 => 1800 + yy,
        500..=999 if yy < 40 => 2000 + yy,
        900..=999 => 1900 + yy,
        _ => return None,
    };
    let last_day = days_in_month(year, month)?;
    (1..=last_day).contains(&day).then_some((year, month, day))
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

impl fmt::Debug for Pid {
    // A pid is personal data: debug output (and so logs) shows only the birth date part.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pid({}*****)", &self.0[..6])
    }
}

impl TryFrom<String> for Pid {
    type Error = PidError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Pid::parse(&value)
    }
}

impl From<Pid> for String {
    fn from(pid: Pid) -> Self {
        pid.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_synthetic_numbers_of_the_demo_persons() {
        for n in [
            "12848510058",
            "03898320188",
            "15831860054",
            "22911550060",
            "07868030083",
            "02821554082",
            "19888812035",
            "05852070007",
            "14908615183",
        ] {
            assert!(Pid::parse(n).is_ok(), "{n} should be valid");
        }
    }

    #[test]
    fn reads_the_birth_date_of_a_synthetic_number() {
        let emma = Pid::parse("15831860054").unwrap();
        assert_eq!(emma.birth_date(), (2018, 3, 15));
        assert_eq!(emma.kind(), PidKind::Fodselsnummer);
    }

    #[test]
    fn accepts_a_d_number() {
        // Day 01 + 40 marks a D-nummer.
        let pid = Pid::parse(&with_control_digits("410180123")).unwrap();
        assert_eq!(pid.kind(), PidKind::DNummer);
        assert_eq!(pid.birth_date(), (1980, 1, 1));
    }

    #[test]
    fn tolerates_spaces_and_dots_between_the_parts() {
        assert_eq!(Pid::parse("158318 60054").unwrap().as_str(), "15831860054");
        assert_eq!(Pid::parse("15.83.18 600 54").unwrap().as_str(), "15831860054");
    }

    #[test]
    fn refuses_a_wrong_control_digit() {
        assert_eq!(Pid::parse("15831860055"), Err(PidError::Checksum));
        assert_eq!(Pid::parse("15831860064"), Err(PidError::Checksum));
    }

    #[test]
    fn refuses_a_number_of_the_wrong_length_or_with_letters() {
        assert_eq!(Pid::parse("1583186005"), Err(PidError::Length));
        assert_eq!(Pid::parse("1583186005a"), Err(PidError::NotDigits));
        assert_eq!(Pid::parse(""), Err(PidError::Length));
    }

    #[test]
    fn refuses_a_number_whose_date_does_not_exist() {
        // 31 February with correct control digits.
        let candidate = with_control_digits("310285123");
        assert_eq!(Pid::parse(&candidate), Err(PidError::Date));
    }

    #[test]
    fn accepts_29_february_only_in_a_leap_year() {
        assert!(Pid::parse(&with_control_digits("290284123")).is_ok());
        assert_eq!(Pid::parse(&with_control_digits("290283123")), Err(PidError::Date));
    }

    #[test]
    fn debug_output_hides_the_individual_number() {
        let pid = Pid::parse("15831860054").unwrap();
        assert_eq!(format!("{pid:?}"), "Pid(158318*****)");
    }

    /// Appends both control digits to nine digits, trying individual numbers until one fits.
    fn with_control_digits(nine: &str) -> String {
        let base: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
        for bump in 0..100u32 {
            let mut d = base.clone();
            let ind = (d[6] * 100 + d[7] * 10 + d[8] + bump) % 500;
            d[6] = ind / 100;
            d[7] = ind / 10 % 10;
            d[8] = ind % 10;
            let Some(k1) = control_digit(&d, &WEIGHTS_K1) else {
                continue;
            };
            d.push(k1);
            let Some(k2) = control_digit(&d, &WEIGHTS_K2) else {
                continue;
            };
            d.push(k2);
            return d.iter().map(|n| char::from(b'0' + *n as u8)).collect();
        }
        unreachable!("some individual number always yields valid control digits")
    }
}

/// Generators for property tests here and in the guard's.
#[cfg(test)]
pub(crate) mod strategies {
    use super::*;
    use proptest::prelude::*;

    /// A valid number of any kind (fødselsnummer, D-nummer, synthetic +40 or +80 on the month):
    /// its eleven digits, the birth date it encodes, and whether it is a D-nummer.
    pub fn valid_pid() -> impl Strategy<Value = (String, (i32, u32, u32), bool)> {
        (1900i32..2040, 1u32..=12, 1u32..=31, 0u32..500, 0u8..4).prop_filter_map(
            "no such day, or no control digit fits",
            |(year, month, day, individual, kind)| {
                if day > days_in_month(year, month)? {
                    return None;
                }
                // 000–499: born 1900–1999; 500–999: born 2000–2039.
                let individual = if year < 2000 { individual } else { 500 + individual };
                let (dd, mm) = match kind {
                    0 => (day, month),
                    1 => (day + 40, month),
                    2 => (day, month + 40),
                    _ => (day, month + 80),
                };
                let yy = (year % 100) as u32;
                let mut d = vec![
                    dd / 10,
                    dd % 10,
                    mm / 10,
                    mm % 10,
                    yy / 10,
                    yy % 10,
                    individual / 100,
                    individual / 10 % 10,
                    individual % 10,
                ];
                d.push(control_digit(&d, &WEIGHTS_K1)?);
                d.push(control_digit(&d, &WEIGHTS_K2)?);
                let digits = d.iter().map(|n| char::from(b'0' + *n as u8)).collect();
                Some((digits, (year, month, day), kind == 1))
            },
        )
    }
}

#[cfg(test)]
mod proptests {
    use super::strategies::valid_pid;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn parsing_any_text_gives_a_number_or_a_reason(
            text in prop_oneof![any::<String>(), "[0-9 .\u{a0}]{0,16}", "[0-9]{11}"]
        ) {
            if let Ok(pid) = Pid::parse(&text) {
                prop_assert_eq!(pid.as_str().len(), 11);
                let (year, month, day) = pid.birth_date();
                prop_assert!((1854..2040).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day));
                let _ = pid.kind();
            }
        }

        #[test]
        fn a_valid_number_parses_and_round_trips((digits, born, d_number) in valid_pid()) {
            let pid = Pid::parse(&digits).unwrap();
            prop_assert_eq!(pid.as_str(), digits.as_str());
            prop_assert_eq!(pid.birth_date(), born);
            prop_assert_eq!(pid.kind() == PidKind::DNummer, d_number);
            // Written as people write it.
            let spaced = format!("{} {}", &digits[..6], &digits[6..]);
            prop_assert_eq!(Pid::parse(&spaced), Ok(pid.clone()));
            // Through serde, as the API carries it.
            let json = serde_json::to_string(&pid).unwrap();
            prop_assert_eq!(serde_json::from_str::<Pid>(&json).unwrap(), pid.clone());
            // Debug output (and so logs) never holds the individual number: the birth date, then
            // stars. (Compared whole: the five digits may also occur inside the first six.)
            let debug = format!("{pid:?}");
            prop_assert_eq!(debug, format!("Pid({}*****)", &digits[..6]));
        }

        #[test]
        fn every_single_wrong_digit_is_caught((digits, _, _) in valid_pid(), at in 0usize..11, delta in 1u8..10) {
            let mut bytes = digits.into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert!(Pid::parse(&typo).is_err(), "{typo}");
        }
    }
}
