//! Activities staff plan for a group or a unit: where one belongs, what a valid one is, and the
//! notice the families get when one changes or is cancelled.

use super::days;
use serde::{Deserialize, Serialize};

/// The longest title, place and what-to-bring of an activity, in characters (as the form's
/// `maxlength`).
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_BRING_CHARS: usize = 500;

/// The longest reason given for cancelling an activity, in characters.
pub const MAX_REASON_CHARS: usize = 300;

/// Where an activity belongs: a group of a unit, or a whole unit. Written `group:<unit>:<group>`
/// or `unit:<unit>` in forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivityPlace {
    Group { unit_id: String, group_id: String },
    Unit { unit_id: String },
}

impl ActivityPlace {
    pub fn parse(text: &str) -> Option<ActivityPlace> {
        match text.split(':').collect::<Vec<_>>()[..] {
            ["group", unit, group] if !unit.is_empty() && !group.is_empty() => {
                Some(ActivityPlace::Group { unit_id: unit.to_owned(), group_id: group.to_owned() })
            }
            ["unit", unit] if !unit.is_empty() => {
                Some(ActivityPlace::Unit { unit_id: unit.to_owned() })
            }
            _ => None,
        }
    }

    /// Of a stored activity.
    pub fn of(unit_id: &str, group_id: Option<&str>) -> ActivityPlace {
        match group_id {
            Some(g) => ActivityPlace::Group { unit_id: unit_id.to_owned(), group_id: g.to_owned() },
            None => ActivityPlace::Unit { unit_id: unit_id.to_owned() },
        }
    }

    pub fn unit_id(&self) -> &str {
        match self {
            ActivityPlace::Group { unit_id, .. } | ActivityPlace::Unit { unit_id } => unit_id,
        }
    }

    pub fn group_id(&self) -> Option<&str> {
        match self {
            ActivityPlace::Group { group_id, .. } => Some(group_id),
            ActivityPlace::Unit { .. } => None,
        }
    }
}

/// The staff activity form as it arrives: every field as typed, named `form[title]` … in the
/// page; a field left out is empty. Read into an [`ActivityForm`] with `From`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    /// Where it is for: `group:<id>` or `unit:<id>` (see [`ActivityPlace`]).
    pub target: String,
    pub title: String,
    pub day: String,
    pub starts: String,
    pub ends: String,
    pub place: String,
    pub bring: String,
    /// The sign-up box: ticked when present.
    pub signup: Option<String>,
    pub signup_deadline: String,
}

impl From<&ActivityInput> for ActivityForm {
    fn from(input: &ActivityInput) -> ActivityForm {
        let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        ActivityForm {
            title: input.title.trim().to_owned(),
            day: input.day.trim().to_owned(),
            starts: input.starts.trim().to_owned(),
            ends: given(&input.ends),
            place: input.place.trim().to_owned(),
            bring: input.bring.trim().to_owned(),
            signup: super::input::ticked(input.signup.as_deref()),
            signup_deadline: given(&input.signup_deadline),
        }
    }
}

/// An activity as typed in the staff form, trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityForm {
    pub title: String,
    pub day: String,
    pub starts: String,
    pub ends: Option<String>,
    pub place: String,
    pub bring: String,
    pub signup: bool,
    pub signup_deadline: Option<String>,
}

impl ActivityForm {
    /// What is wrong with the form on `today`, as an i18n key, first things first: the title,
    /// the lengths, the day (today or later), the times, the sign-up deadline (not after the day).
    pub fn problem(&self, today: &str) -> Option<&'static str> {
        let too_long = self.title.chars().count() > MAX_TITLE_CHARS
            || self.place.chars().count() > MAX_PLACE_CHARS
            || self.bring.chars().count() > MAX_BRING_CHARS;
        if self.title.is_empty() {
            Some("activity.error.title")
        } else if too_long {
            Some("activity.error.too_long")
        } else if days::check_span(&self.day, &self.day, today).is_err() {
            Some("activity.error.day")
        } else if days::minutes(&self.starts).is_none()
            || self.ends.as_deref().is_some_and(|e| days::check_times(&self.starts, e).is_err())
        {
            Some("activity.error.time")
        } else if self
            .signup_deadline
            .as_deref()
            .is_some_and(|d| days::day_number(d).is_none() || d > self.day.as_str())
        {
            Some("activity.error.deadline")
        } else {
            None
        }
    }

    /// The group message that tells the families of a change: (subject, body).
    pub fn change_notice(&self) -> (String, String) {
        let time = match &self.ends {
            Some(e) => format!("{}–{e}", self.starts),
            None => self.starts.clone(),
        };
        let mut body = format!("{}: {} kl. {time}", self.title, days::short(&self.day));
        if !self.place.is_empty() {
            body.push_str(&format!(", {}", self.place));
        }
        if !self.bring.is_empty() {
            body.push_str(&format!(". Ta med: {}", self.bring));
        }
        body.push('.');
        (format!("Endret: {}", self.title), body)
    }
}

/// The group message that tells the families an activity is cancelled: (subject, body).
pub fn cancel_notice(title: &str, day: &str, starts: &str, reason: &str) -> (String, String) {
    let mut body = format!("{title} {} kl. {starts} er avlyst.", days::short(day));
    if !reason.trim().is_empty() {
        body.push_str(&format!(" {}", reason.trim()));
    }
    (format!("Avlyst: {title}"), body)
}

/// An activity as the activities page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub day: String,
    pub starts: String,
    pub ends: Option<String>,
    pub place: String,
    pub bring: String,
    /// "Lia barnehage, Blåbær".
    pub for_whom: String,
    pub cancelled: bool,
    pub signup: bool,
    pub signup_deadline: Option<String>,
    /// Sign-up still open.
    pub signup_open: bool,
    /// For a guardian: this child's answer. For staff: how many have signed up.
    pub going: Option<bool>,
    pub going_count: i64,
    /// For staff, an activity with sign-up: the children who come, who do not, and who have
    /// not answered, by name in alphabetical order.
    pub answers: Option<Answers>,
}

/// Who has answered an activity's sign-up, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub coming: Vec<String>,
    pub not_coming: Vec<String>,
    pub unanswered: Vec<String>,
}

/// A child's coming activities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildActivities {
    pub child_id: String,
    pub child_name: String,
    pub activities: Vec<ActivityView>,
}

/// Where a staff member can create activities: `group:<id>` or `unit:<id>`, with a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityTarget {
    pub value: String,
    pub label: String,
}

/// The activities page, for a guardian or for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitiesPage {
    pub staff: bool,
    pub children: Vec<ChildActivities>,
    /// Staff: the activities of their units.
    pub staff_activities: Vec<ActivityView>,
    pub targets: Vec<ActivityTarget>,
    pub today: String,
    /// The guardian has a calendar subscription.
    pub calendar_active: bool,
    /// The subscription's address, right after it was made (the only time it is shown).
    pub calendar_url: Option<String>,
    /// Whether a calendar address can be made now: it is a long-lived way in, so it needs an
    /// ID-porten login of the last 15 minutes, not a quick unlock.
    pub calendar_fresh: bool,
    /// Where a new ID-porten login starts.
    pub login_url: String,
    /// i18n key of why the last form was not accepted.
    pub problem: Option<String>,
    /// Staff changing an activity: it, as it is now.
    pub editing: Option<ActivityView>,
    /// The new or changed activity as typed, when it was refused.
    pub form: Option<ActivityInput>,
    /// The reason for a cancellation as typed, when it was refused.
    pub cancel_reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trip() -> ActivityForm {
        ActivityForm {
            title: "Skogstur".into(),
            day: "2027-01-20".into(),
            starts: "09:00".into(),
            ends: Some("14:00".into()),
            place: "Lia-skogen".into(),
            bring: "Matpakke".into(),
            signup: false,
            signup_deadline: None,
        }
    }

    #[test]
    fn a_place_is_a_group_of_a_unit_or_a_whole_unit() {
        assert_eq!(ActivityPlace::parse("group:u1:g1"), Some(ActivityPlace::of("u1", Some("g1"))));
        assert_eq!(ActivityPlace::parse("unit:u1"), Some(ActivityPlace::of("u1", None)));
        for bad in ["", "unit:", "group:u1", "group::g1", "school:u1", "unit:u1:x:y"] {
            assert_eq!(ActivityPlace::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_form_is_checked_first_things_first() {
        let today = "2027-01-13";
        assert_eq!(trip().problem(today), None);
        let with = |f: fn(&mut ActivityForm)| {
            let mut form = trip();
            f(&mut form);
            form.problem(today)
        };
        assert_eq!(with(|f| f.title.clear()), Some("activity.error.title"));
        assert_eq!(with(|f| f.bring = "x".repeat(501)), Some("activity.error.too_long"));
        assert_eq!(with(|f| f.day = "2027-01-12".into()), Some("activity.error.day"));
        assert_eq!(with(|f| f.ends = Some("08:00".into())), Some("activity.error.time"));
        assert_eq!(
            with(|f| f.signup_deadline = Some("2027-01-21".into())),
            Some("activity.error.deadline")
        );
    }

    #[test]
    fn a_change_is_told_with_day_time_place_and_what_to_bring() {
        let (subject, body) = trip().change_notice();
        assert_eq!(subject, "Endret: Skogstur");
        assert!(body.starts_with("Skogstur: ") && body.contains("kl. 09:00–14:00"), "{body}");
        assert!(body.ends_with(", Lia-skogen. Ta med: Matpakke."), "{body}");
    }
}
