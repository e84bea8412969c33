//! What the staff tablet's board shows: a group's children as tiles, who is here, today's
//! absence and pick-up notes.

use serde::{Deserialize, Serialize};

/// A pick-up note as the board and the family see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupView {
    pub id: String,
    pub who: String,
    pub at_time: String,
    pub comment: String,
    pub written_by: String,
    pub seen_by: Option<String>,
}

/// A child's tile on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileView {
    pub child_id: String,
    pub name: String,
    /// "here", "gone" or "not_arrived".
    pub state: String,
    pub checked_in: Option<String>,
    pub checked_out: Option<String>,
    /// i18n key of today's absence kind, with its times, if the child is reported absent.
    pub absence: Option<(String, Option<String>, Option<String>)>,
    pub pickups: Vec<PickupView>,
    /// Checked in or out a moment ago ([`UNDO_SHOWN_MS`]): the tile offers "Angre" instead of
    /// the opposite action in the same spot, so a double tap does not undo the first. The
    /// milliseconds until it goes back to the opposite action; `None` when it does not.
    pub settles_in_ms: Option<i64>,
    /// The child has a confidential address: staff say nothing of where the child lives or
    /// goes to anyone outside (shown on the tile, for staff only).
    pub shielded: bool,
    /// At a kindergarten: whether today's daily note is written (`None` elsewhere).
    pub noted: Option<bool>,
}

/// How long after a check-in or check-out its tile offers "Angre" instead of the opposite.
pub const UNDO_SHOWN_MS: i64 = 8_000;

/// How long after a check-in or check-out it can be undone: longer than it is offered, so that
/// "Angre" tapped on a board that has not yet been drawn again still works.
pub const UNDO_MS: i64 = 60_000;

/// A group's board for today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// (group id, "Lia barnehage, Blåbær").
    pub groups: Vec<(String, String)>,
    pub group: Option<String>,
    pub label: String,
    pub present: usize,
    pub tiles: Vec<TileView>,
    /// Switched in on a shared tablet: the unit's minutes without a touch before it locks.
    pub tablet_idle_minutes: Option<i64>,
    /// The group's activities today: title, time (`tt:mm` or `tt:mm–tt:mm`) and place.
    pub activities: Vec<(String, String, String)>,
}

/// The pick-up form as typed: who picks the child up today, and when (`tt:mm`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PickupForm {
    pub who: String,
    pub at_time: String,
    /// The day the note is for, as a date (today's or tomorrow's: a note written the evening
    /// before); "today", "tomorrow" or empty are read relative to now.
    pub day: String,
    pub comment: String,
}

impl PickupForm {
    /// The date the note is for, given `today` and `tomorrow`, or the i18n key of why it cannot
    /// be. The form carries the date itself, so a form opened in the evening for "tomorrow" and
    /// sent after midnight is still for that day, and one opened yesterday for "today" is not
    /// quietly moved to a day the parent did not choose.
    pub fn day_for(&self, today: &str, tomorrow: &str) -> Result<String, &'static str> {
        use crate::domain::days::day_number;
        match self.day.trim() {
            "" | "today" => Ok(today.to_owned()),
            "tomorrow" => Ok(tomorrow.to_owned()),
            d if d == today || d == tomorrow => Ok(d.to_owned()),
            d if day_number(d).is_some_and(|n| Some(n) < day_number(today)) => {
                Err("pickup.error.day_past")
            }
            _ => Err("pickup.error.day"),
        }
    }
}

/// The longest comment on a pick-up note, in characters.
pub const MAX_PICKUP_COMMENT_CHARS: usize = 300;

/// A guardian's pick-up page for a child today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupPage {
    pub child_id: String,
    pub child_name: String,
    pub notes: Vec<PickupView>,
    /// Notes already written for tomorrow.
    pub tomorrow: Vec<PickupView>,
    /// i18n key of why the last note was not saved.
    pub problem: Option<String>,
    /// The form: blank, or as typed when it was not saved.
    pub form: PickupForm,
    /// Today's and tomorrow's dates, the form's two choices.
    pub today: String,
    pub next_day: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(day: &str) -> PickupForm {
        PickupForm { day: day.to_owned(), ..PickupForm::default() }
    }

    #[test]
    fn a_pickup_note_is_for_the_date_chosen_in_the_form_even_after_midnight() {
        let (today, tomorrow) = ("2027-01-05", "2027-01-06");
        // Chosen as "tomorrow" on the 4th, sent just after midnight: the 5th, not the 6th.
        assert_eq!(on("2027-01-05").day_for(today, tomorrow), Ok(today.to_owned()));
        assert_eq!(on("2027-01-06").day_for(today, tomorrow), Ok(tomorrow.to_owned()));
        assert_eq!(on("").day_for(today, tomorrow), Ok(today.to_owned()));
        assert_eq!(on("tomorrow").day_for(today, tomorrow), Ok(tomorrow.to_owned()));
        // Chosen as "today" on the 4th and sent on the 5th: asked again, never moved.
        assert_eq!(on("2027-01-04").day_for(today, tomorrow), Err("pickup.error.day_past"));
        assert_eq!(on("2027-01-09").day_for(today, tomorrow), Err("pickup.error.day"));
        assert_eq!(on("neste uke").day_for(today, tomorrow), Err("pickup.error.day"));
    }
}
