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
}

/// A group's board for today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// (group id, "Lia barnehage, Blåbær").
    pub groups: Vec<(String, String)>,
    pub group: Option<String>,
    pub label: String,
    pub present: usize,
    pub tiles: Vec<TileView>,
}

/// The pick-up form as typed: who picks the child up today, and when (`tt:mm`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PickupForm {
    pub who: String,
    pub at_time: String,
    /// "today" or "tomorrow" (a note written the evening before); empty reads as today.
    pub day: String,
    pub comment: String,
}

impl PickupForm {
    /// Whether the note is for tomorrow.
    pub fn for_tomorrow(&self) -> bool {
        self.day == "tomorrow"
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
}
