//! Absence and leave of absence: what kind a report is, where it stands, which days it covers,
//! and until when a family may still change it. The words stored in the database are the
//! `code()`s; the words shown are the i18n `key()`s.

use super::days;
use serde::{Deserialize, Serialize};

/// What an absence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsenceKind {
    Illness,
    Other,
    /// Leave of absence from school, applied for and decided by the principal.
    Leave,
}

impl AbsenceKind {
    pub const ALL: [AbsenceKind; 3] =
        [AbsenceKind::Illness, AbsenceKind::Other, AbsenceKind::Leave];

    pub fn parse(code: &str) -> Option<AbsenceKind> {
        AbsenceKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The stored word.
    pub fn code(self) -> &'static str {
        match self {
            AbsenceKind::Illness => "illness",
            AbsenceKind::Other => "other",
            AbsenceKind::Leave => "leave",
        }
    }

    /// The i18n key of its name.
    pub fn key(self) -> &'static str {
        match self {
            AbsenceKind::Illness => "absence.kind.illness",
            AbsenceKind::Other => "absence.kind.other",
            AbsenceKind::Leave => "absence.kind.leave",
        }
    }
}

/// The i18n key of a stored kind (an unknown word reads as "other").
pub fn kind_key(code: &str) -> &'static str {
    AbsenceKind::parse(code).unwrap_or(AbsenceKind::Other).key()
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsenceStatus {
    /// Reported by the family (or registered by staff); staff may have seen it.
    Reported,
    Withdrawn,
    /// Leave applied for, waiting for the principal.
    Requested,
    Granted,
    Refused,
}

impl AbsenceStatus {
    pub const ALL: [AbsenceStatus; 5] = [
        AbsenceStatus::Reported,
        AbsenceStatus::Withdrawn,
        AbsenceStatus::Requested,
        AbsenceStatus::Granted,
        AbsenceStatus::Refused,
    ];

    pub fn parse(code: &str) -> Option<AbsenceStatus> {
        AbsenceStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stored word.
    pub fn code(self) -> &'static str {
        match self {
            AbsenceStatus::Reported => "reported",
            AbsenceStatus::Withdrawn => "withdrawn",
            AbsenceStatus::Requested => "requested",
            AbsenceStatus::Granted => "granted",
            AbsenceStatus::Refused => "refused",
        }
    }

    /// The i18n key of its name.
    pub fn key(self) -> &'static str {
        match self {
            AbsenceStatus::Reported => "absence.status.reported",
            AbsenceStatus::Withdrawn => "absence.status.withdrawn",
            AbsenceStatus::Requested => "absence.status.requested",
            AbsenceStatus::Granted => "absence.status.granted",
            AbsenceStatus::Refused => "absence.status.refused",
        }
    }

    /// Nobody has decided it or taken it back.
    pub fn is_open(self) -> bool {
        matches!(self, AbsenceStatus::Reported | AbsenceStatus::Requested)
    }
}

/// The i18n key of a stored status (an unknown word reads as "reported").
pub fn status_key(code: &str) -> &'static str {
    AbsenceStatus::parse(code).unwrap_or(AbsenceStatus::Reported).key()
}

/// The longest reason given with a leave decision, in characters.
pub const MAX_DECISION_REASON_CHARS: usize = 500;

/// What is wrong with a leave `decision` and its `reason`, as an i18n key: a refusal says why.
pub fn decision_problem(decision: LeaveDecision, reason: &str) -> Option<&'static str> {
    if decision == LeaveDecision::Refuse && reason.trim().is_empty() {
        Some("absence.error.refuse_reason")
    } else if reason.trim().chars().count() > MAX_DECISION_REASON_CHARS {
        Some("absence.error.decision_reason")
    } else {
        None
    }
}

/// The message that tells a child's guardians the principal's decision on leave: (subject,
/// body). The child's first name is enough: the message is in the child's own conversation.
pub fn decision_notice(
    first_name: &str,
    first_day: &str,
    last_day: &str,
    decision: LeaveDecision,
    reason: &str,
) -> (String, String) {
    let days = if first_day == last_day {
        days::short(first_day)
    } else {
        format!("{}–{}", days::short(first_day), days::short(last_day))
    };
    let answer = match decision {
        LeaveDecision::Grant => "innvilget",
        LeaveDecision::Refuse => "avslått",
    };
    let mut body = format!("Søknaden om permisjon for {first_name} {days} er {answer}.");
    if !reason.trim().is_empty() {
        body.push_str(&format!(" Begrunnelse: {}", reason.trim()));
    }
    (format!("Permisjon for {first_name} {days}: {answer}"), body)
}

/// The principal's answer to a leave request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveDecision {
    Grant,
    Refuse,
}

impl LeaveDecision {
    /// From the form's word: "grant" or "refuse".
    pub fn parse(word: &str) -> Option<LeaveDecision> {
        match word {
            "grant" => Some(LeaveDecision::Grant),
            "refuse" => Some(LeaveDecision::Refuse),
            _ => None,
        }
    }

    /// Where the request stands after it.
    pub fn status(self) -> AbsenceStatus {
        match self {
            LeaveDecision::Grant => AbsenceStatus::Granted,
            LeaveDecision::Refuse => AbsenceStatus::Refused,
        }
    }
}

/// Whether the family may still change or withdraw a report in `status` that begins on
/// `first_day`: it is open and has not begun, or it begins today and no unit has seen it yet
/// (dates are `YYYY-MM-DD`, so they compare as text).
pub fn changeable(status: &str, first_day: &str, seen: bool, today: &str) -> bool {
    AbsenceStatus::parse(status).is_some_and(AbsenceStatus::is_open)
        && (first_day > today || (first_day == today && !seen))
}

/// The absence form as it arrives and as it is brought back when something was wrong: every
/// field as typed, named `form[when]`, `form[note]` … in the page. `when` and `kind` must be
/// there (the page always sends them): a post without them, such as one from a page of an
/// older version, is refused rather than read as "ill today". The rest may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceForm {
    /// "today", "tomorrow" or "dates" (from `first_day` to `last_day`).
    pub when: String,
    #[serde(default)]
    pub first_day: String,
    #[serde(default)]
    pub last_day: String,
    /// "whole" day or "part" (from `from_time` to `to_time`).
    #[serde(default)]
    pub part: String,
    #[serde(default)]
    pub from_time: String,
    #[serde(default)]
    pub to_time: String,
    /// An [`AbsenceKind`] code.
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

impl Default for AbsenceForm {
    fn default() -> Self {
        AbsenceForm::blank()
    }
}

/// Which days a report covers, as chosen on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AbsenceDays {
    Today,
    Tomorrow,
    /// From `first` to `last` (the same day when the last was left empty).
    Dates {
        first: String,
        last: String,
    },
}

/// A report as asked for: the form parsed, its choices known and its text trimmed. Whether the
/// days and times make sense is [`AbsenceRequest::check`]ed against today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceRequest {
    pub days: AbsenceDays,
    /// Part of a day: from and to (`HH:MM`); `None` for the whole day.
    pub times: Option<(String, String)>,
    pub kind: AbsenceKind,
    pub note: String,
}

impl TryFrom<&AbsenceForm> for AbsenceRequest {
    /// The i18n key of what is wrong.
    type Error = &'static str;

    fn try_from(form: &AbsenceForm) -> Result<Self, Self::Error> {
        let days = match form.when.as_str() {
            "today" => AbsenceDays::Today,
            "tomorrow" => AbsenceDays::Tomorrow,
            _ => {
                let first = form.first_day.trim().to_owned();
                let last = match form.last_day.trim() {
                    "" => first.clone(),
                    last => last.to_owned(),
                };
                AbsenceDays::Dates { first, last }
            }
        };
        let times = (form.part == "part")
            .then(|| (form.from_time.trim().to_owned(), form.to_time.trim().to_owned()));
        let kind = AbsenceKind::parse(&form.kind).ok_or("absence.error.kind")?;
        // A leave application is decided on its reason: it cannot be sent without one.
        if kind == AbsenceKind::Leave && form.note.trim().is_empty() {
            return Err("absence.error.leave_reason");
        }
        Ok(AbsenceRequest { days, times, kind, note: form.note.trim().to_owned() })
    }
}

impl AbsenceRequest {
    /// The first and last day asked for, on `today`. Not checked here: see [`check`](Self::check).
    pub fn span(&self, today: &str) -> (String, String) {
        match &self.days {
            AbsenceDays::Today => (today.to_owned(), today.to_owned()),
            AbsenceDays::Tomorrow => {
                let t = days::next_day(today).unwrap_or_else(|| today.to_owned());
                (t.clone(), t)
            }
            AbsenceDays::Dates { first, last } => (first.clone(), last.clone()),
        }
    }

    /// The days are real, in order and not past; the times, if any, are in order. The error is
    /// the i18n key of what is wrong.
    pub fn check(&self, today: &str) -> Result<(String, String), &'static str> {
        let (first, last) = self.span(today);
        days::check_span(&first, &last, today).map_err(|e| e.key())?;
        if let Some((from, to)) = &self.times {
            days::check_times(from, to).map_err(|e| e.key())?;
        }
        Ok((first, last))
    }
}

/// One report as the child's absence page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceView {
    pub id: String,
    /// i18n key of the kind.
    pub kind_key: String,
    pub first_day: String,
    pub last_day: String,
    pub from_time: Option<String>,
    pub to_time: Option<String>,
    pub note: String,
    /// i18n key of the status.
    pub status_key: String,
    pub reporter: String,
    /// "Fjordvik skole: Ingrid Berg" for each unit that has seen it.
    pub seen_by: Vec<String>,
    pub decided_by: Option<String>,
    /// Why leave was decided as it was (empty when no reason was given).
    pub decision_reason: String,
    /// An application for leave (decided by the principal, not "seen").
    pub leave: bool,
    /// It has not started yet (or was reported today and not seen): it may be changed or withdrawn.
    pub changeable: bool,
}

/// Absent children under their group's label: ("Fjordvik skole, 4B", children).
pub type AbsentByGroup = Vec<(String, Vec<AbsentChild>)>;

/// One absent child on a staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsentChild {
    pub absence_id: String,
    pub child_id: String,
    pub child: String,
    pub unit_id: String,
    pub kind_key: String,
    pub from_time: Option<String>,
    pub to_time: Option<String>,
    pub last_day: String,
    pub note: String,
    pub acked: bool,
}

/// Today's absence as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAbsence {
    pub today: String,
    /// ("Fjordvik skole, 4B", absent children).
    pub groups: AbsentByGroup,
    /// Absence reported for the coming days, by the day it begins: (day, groups as above).
    pub coming: Vec<(String, AbsentByGroup)>,
    /// Leave requests waiting for the caller's decision: (child, first day, last day).
    pub requests: Vec<(AbsentChild, String, String)>,
    /// A decision that could not be recorded: (the request, the reason as typed, i18n key of why).
    pub refused: Option<(String, String, String)>,
}

/// A child's absence page: the form and the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsencePage {
    pub child_id: String,
    pub child_name: String,
    pub staff: bool,
    /// The child goes to school, where leave of absence is applied for.
    pub can_apply_leave: bool,
    /// The units the child goes to today, which see a report.
    pub units: Vec<String>,
    /// The schools among them, whose principal decides on leave.
    pub schools: Vec<String>,
    pub today: String,
    pub absences: Vec<AbsenceView>,
    pub other_children: Vec<String>,
    pub form: AbsenceForm,
    /// i18n key of why the last attempt was not accepted.
    pub problem: Option<String>,
    /// The report being changed.
    pub editing: Option<String>,
}

impl AbsenceForm {
    /// The form as it first shows: illness, the whole of today.
    pub fn blank() -> AbsenceForm {
        AbsenceForm {
            when: "today".into(),
            first_day: String::new(),
            last_day: String::new(),
            part: "whole".into(),
            from_time: String::new(),
            to_time: String::new(),
            kind: AbsenceKind::Illness.code().into(),
            note: String::new(),
        }
    }

    /// The form filled in with report `v`, to change it.
    pub fn of(v: &AbsenceView, kind: &str) -> AbsenceForm {
        AbsenceForm {
            when: "dates".into(),
            first_day: v.first_day.clone(),
            last_day: v.last_day.clone(),
            part: if v.from_time.is_some() { "part" } else { "whole" }.into(),
            from_time: v.from_time.clone().unwrap_or_default(),
            to_time: v.to_time.clone().unwrap_or_default(),
            kind: kind.to_owned(),
            note: v.note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_status_survives_a_round_trip_through_its_stored_word() {
        for kind in AbsenceKind::ALL {
            assert_eq!(AbsenceKind::parse(kind.code()), Some(kind));
            assert!(kind.key().ends_with(kind.code()));
        }
        for status in AbsenceStatus::ALL {
            assert_eq!(AbsenceStatus::parse(status.code()), Some(status));
            assert!(status.key().ends_with(status.code()));
        }
        assert_eq!(AbsenceKind::parse("holiday"), None);
    }

    #[test]
    fn a_report_can_be_changed_until_it_begins_or_is_seen_on_its_first_day() {
        let today = "2027-01-13";
        assert!(changeable("reported", "2027-01-14", true, today));
        assert!(changeable("requested", "2027-01-13", false, today));
        assert!(!changeable("reported", "2027-01-13", true, today), "seen today");
        assert!(!changeable("reported", "2027-01-12", false, today), "begun");
        assert!(!changeable("granted", "2027-01-20", false, today), "decided");
        assert!(!changeable("withdrawn", "2027-01-20", false, today));
    }

    #[test]
    fn the_form_names_its_days_from_today() {
        let form = |when: &str, first: &str, last: &str| {
            AbsenceRequest::try_from(&AbsenceForm {
                when: when.into(),
                first_day: first.into(),
                last_day: last.into(),
                ..AbsenceForm::default()
            })
            .unwrap()
        };
        let today = "2027-02-28";
        assert_eq!(form("today", "", "").span(today), (today.into(), today.into()));
        assert_eq!(
            form("tomorrow", "", "").span(today),
            ("2027-03-01".into(), "2027-03-01".into())
        );
        assert_eq!(
            form("days", "2027-03-02", "").span(today),
            ("2027-03-02".into(), "2027-03-02".into())
        );
        assert_eq!(
            form("days", "2027-03-02", "2027-03-05").span(today),
            ("2027-03-02".into(), "2027-03-05".into())
        );
    }

    #[test]
    fn a_form_with_an_unknown_kind_or_missing_fields_is_read_as_far_as_it_goes() {
        let blank = AbsenceRequest::try_from(&AbsenceForm::default()).unwrap();
        assert_eq!(blank.days, AbsenceDays::Today);
        assert_eq!(blank.kind, AbsenceKind::Illness);
        assert_eq!(blank.times, None);
        let odd = AbsenceForm { kind: "holiday".into(), ..AbsenceForm::default() };
        assert_eq!(AbsenceRequest::try_from(&odd), Err("absence.error.kind"));
        let part = AbsenceRequest::try_from(&AbsenceForm {
            part: "part".into(),
            from_time: " 08:00 ".into(),
            to_time: "10:30".into(),
            note: "  Tannlege  ".into(),
            ..AbsenceForm::default()
        })
        .unwrap();
        assert_eq!(part.times, Some(("08:00".into(), "10:30".into())));
        assert_eq!(part.note, "Tannlege");
        assert_eq!(part.check("2027-01-13"), Ok(("2027-01-13".into(), "2027-01-13".into())));
        let backwards = AbsenceRequest::try_from(&AbsenceForm {
            part: "part".into(),
            from_time: "10:00".into(),
            to_time: "08:00".into(),
            ..AbsenceForm::default()
        })
        .unwrap();
        assert!(backwards.check("2027-01-13").is_err());
    }
}
