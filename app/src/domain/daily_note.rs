//! The kindergarten's note about a child's day for the child's guardians: when the child slept,
//! how the child ate, and a few words about the day. One note per child and day.

use serde::{Deserialize, Serialize};

/// The longest free text of a daily note, in characters: a few sentences, written on a tablet.
pub const MAX_DAILY_NOTE_CHARS: usize = 500;

/// How a child ate, as stored; each has the i18n key `daily.ate.<code>`.
pub const ATE: [&str; 4] = ["well", "some", "little", "nothing"];

/// A daily note as typed (times `tt:mm`, `ate` one of [`ATE`] or empty). A field the form did
/// not send (no choice made) is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DailyNoteForm {
    pub slept_from: String,
    pub slept_to: String,
    pub ate: String,
    pub note: String,
}

/// A daily note that may be stored: what was given, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyNote {
    pub slept: Option<(String, String)>,
    pub ate: Option<String>,
    pub note: String,
}

impl DailyNoteForm {
    /// The note, or the i18n key of why it cannot be stored. Sleep is both times or neither,
    /// and ends after it starts; at least one thing is said.
    pub fn checked(&self) -> Result<DailyNote, &'static str> {
        let (from, to) = (self.slept_from.trim(), self.slept_to.trim());
        let slept = match (from.is_empty(), to.is_empty()) {
            (true, true) => None,
            (false, false) => {
                match (crate::domain::days::minutes(from), crate::domain::days::minutes(to)) {
                    (Some(a), Some(b)) if a < b => Some((from.to_owned(), to.to_owned())),
                    (Some(_), Some(_)) => return Err("daily.error.slept_order"),
                    _ => return Err("daily.error.slept"),
                }
            }
            _ => return Err("daily.error.slept"),
        };
        let ate = match self.ate.trim() {
            "" => None,
            code if ATE.contains(&code) => Some(code.to_owned()),
            _ => return Err("daily.error.ate"),
        };
        let note = self.note.trim();
        if note.chars().count() > MAX_DAILY_NOTE_CHARS {
            return Err("daily.error.too_long");
        }
        if slept.is_none() && ate.is_none() && note.is_empty() {
            return Err("daily.error.empty");
        }
        Ok(DailyNote { slept, ate, note: note.to_owned() })
    }
}

/// A stored daily note, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyNoteView {
    pub slept: Option<(String, String)>,
    /// i18n key of how the child ate.
    pub ate: Option<String>,
    pub note: String,
    pub written_by: String,
    /// When it was last written, `tt:mm`.
    pub written_at: String,
}

/// The staff's page for writing a child's note today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyNotePage {
    pub child_id: String,
    pub child_name: String,
    /// The form: the note written so far today, or one brought back with `problem`.
    pub form: DailyNoteForm,
    pub problem: Option<String>,
    pub written: Option<DailyNoteView>,
    /// The names of the other children of the child's groups, for the guard.
    pub other_children: Vec<String>,
    /// Switched in on a shared tablet: the unit's minutes without a touch before it locks.
    pub tablet_idle_minutes: Option<i64>,
}

/// A child's day at a kindergarten or SFO as the guardians see it: check-in and check-out times
/// and the staff's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayAtUnit {
    pub unit: String,
    pub checked_in: Option<String>,
    pub checked_out: Option<String>,
    pub note: Option<DailyNoteView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(from: &str, to: &str, ate: &str, note: &str) -> DailyNoteForm {
        DailyNoteForm {
            slept_from: from.into(),
            slept_to: to.into(),
            ate: ate.into(),
            note: note.into(),
        }
    }

    #[test]
    fn a_note_says_at_least_one_thing_and_sleep_has_both_ends_in_order() {
        assert_eq!(form("", "", "", " ").checked(), Err("daily.error.empty"));
        assert_eq!(form("12:00", "", "", "").checked(), Err("daily.error.slept"));
        assert_eq!(form("13:00", "12:15", "", "").checked(), Err("daily.error.slept_order"));
        assert_eq!(form("12", "13:00", "", "").checked(), Err("daily.error.slept"));
        assert_eq!(form("", "", "a lot", "").checked(), Err("daily.error.ate"));
        let ok = form("12:00", "13:15", "well", " Malte en hest. ").checked().unwrap();
        assert_eq!(ok.slept, Some(("12:00".into(), "13:15".into())));
        assert_eq!((ok.ate.as_deref(), ok.note.as_str()), (Some("well"), "Malte en hest."));
        assert!(form("", "", "some", "").checked().is_ok(), "one thing is enough");
        let long = "å".repeat(MAX_DAILY_NOTE_CHARS + 1);
        assert_eq!(form("", "", "", &long).checked(), Err("daily.error.too_long"));
    }
}
