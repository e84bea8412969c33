//! The kindergarten's daily note about a child, written on the tablet, read by the guardians
//! the same day; and the child's day as the guardians see it (check-in, check-out, the note).

use super::board;
use crate::backend::Database;
use crate::backend::access::{Caller, ChildAccess, StaffOfChild};
use crate::backend::clock::time_of_day_text;
use crate::backend::kept::{self, KeptForm, cut};
use crate::backend::messaging::{realtime, send};
use crate::backend::repo::{children, new_id, row_struct};
use crate::backend::sql;
use crate::domain::daily_note::{
    DailyNote, DailyNoteForm, DailyNotePage, DailyNoteView, DayAtUnit, MAX_DAILY_NOTE_CHARS,
};
use crate::error::{AppError, ResultExt};

row_struct! {
    /// A stored daily note with its writer's name.
    pub struct NoteRow {
        pub child_id: String,
        pub unit_id: String,
        pub unit_name: String,
        pub slept_from: Option<String>,
        pub slept_to: Option<String>,
        pub ate: Option<String>,
        pub note: String,
        pub written_at: i64,
        pub writer_given: Option<String>,
        pub writer_surname: Option<String>,
    }
}

const NOTES: &str = "SELECT n.child_id, n.unit_id, n.slept_from, n.slept_to, n.ate, n.note,
        n.written_at, u.name AS unit_name, p.given_names AS writer_given,
        p.surname AS writer_surname
     FROM daily_note n JOIN unit u ON u.id = n.unit_id
     LEFT JOIN person p ON p.id = n.written_by";

/// The daily notes of `child_id` on `day` (one per unit at most; a child is in one
/// kindergarten).
pub async fn notes_on(db: &Database, child_id: &str, day: &str) -> sqlx::Result<Vec<NoteRow>> {
    sql::all(
        &db.pool,
        &format!("{NOTES} WHERE n.child_id = $1 AND n.day = $2 ORDER BY n.unit_id"),
        (child_id, day),
    )
    .await
}

/// The children of `group_id` with a daily note on `day`.
pub async fn written_in_group(
    db: &Database,
    group_id: &str,
    day: &str,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sql::all(
        &db.pool,
        "SELECT n.child_id FROM daily_note n
         JOIN enrollment e ON e.child_id = n.child_id AND e.group_id = $1
         WHERE n.day = $2",
        (group_id, day),
    )
    .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Writes (or writes again) the note of a child at a unit on a day: one row per child and day,
/// so two tablets saving at once leave one note, the last one.
async fn upsert(
    db: &Database,
    child_id: &str,
    unit_id: &str,
    day: &str,
    note: &DailyNote,
    by: &str,
) -> sqlx::Result<()> {
    let (from, to) = note.slept.clone().unzip();
    sql::run(
        &db.pool,
        "INSERT INTO daily_note (id, child_id, unit_id, day, slept_from, slept_to, ate, note,
                                 written_by, written_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (child_id, day) DO UPDATE SET
             unit_id = excluded.unit_id, slept_from = excluded.slept_from,
             slept_to = excluded.slept_to, ate = excluded.ate, note = excluded.note,
             written_by = excluded.written_by, written_at = excluded.written_at",
        (
            new_id(),
            child_id,
            unit_id,
            day,
            from,
            to,
            note.ate.clone(),
            &note.note,
            by,
            db.clock.now_ms(),
        ),
    )
    .await?;
    Ok(())
}

fn view(row: &NoteRow) -> DailyNoteView {
    DailyNoteView {
        slept: row.slept_from.clone().zip(row.slept_to.clone()),
        ate: row.ate.as_ref().map(|a| format!("daily.ate.{a}")),
        note: row.note.clone(),
        written_by: format!(
            "{} {}",
            row.writer_given.clone().unwrap_or_default(),
            row.writer_surname.clone().unwrap_or_default()
        )
        .trim()
        .to_owned(),
        written_at: time_of_day_text(row.written_at),
    }
}

/// The kindergarten whose board has `child_id` for `caller`: daily notes are a kindergarten's
/// (an SFO's board has none).
async fn kindergarten_of(caller: &Caller, child_id: &str) -> Result<String, AppError> {
    let unit = super::tablet::board_unit(caller, child_id).await?;
    let row = crate::backend::repo::units::get(&caller.state.db, &unit)
        .await
        .context("loading a unit")?;
    match row {
        Some(u) if u.kind == "kindergarten" => Ok(unit),
        _ => Err(AppError::NotFound),
    }
}

/// Where a staff member's unsaved daily note for a child is filed among their drafts.
pub fn draft_target(child_id: &str) -> String {
    format!("daily-note:{child_id}")
}

impl KeptForm for DailyNoteForm {
    fn cut_to_limits(&mut self) {
        cut(&mut self.slept_from, 20);
        cut(&mut self.slept_to, 20);
        cut(&mut self.ate, 20);
        cut(&mut self.note, MAX_DAILY_NOTE_CHARS * 2);
    }
}

/// The page for writing today's note about the child of `staff`: the note so far, or a form
/// brought back (kept form `draft`). Only staff with the child on a kindergarten or SFO board.
pub async fn page(staff: &StaffOfChild, draft: Option<String>) -> Result<DailyNotePage, AppError> {
    let ChildAccess { caller, child_id } = &staff.0;
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    kindergarten_of(caller, child_id).await?;
    let child =
        children::get(db, child_id).await.context("loading a child")?.ok_or(AppError::NotFound)?;
    let written = notes_on(db, child_id, today).await.context("loading a daily note")?;
    let mut page = DailyNotePage {
        child_id: child_id.clone(),
        child_name: child.display_name().to_string(),
        form: written
            .first()
            .map(|n| DailyNoteForm {
                slept_from: n.slept_from.clone().unwrap_or_default(),
                slept_to: n.slept_to.clone().unwrap_or_default(),
                ate: n.ate.clone().unwrap_or_default(),
                note: n.note.clone(),
            })
            .unwrap_or_default(),
        problem: None,
        written: written.first().map(view),
        other_children: send::other_children(db, user, child_id, today)
            .await
            .context("listing a child's group")?,
        tablet_idle_minutes: crate::backend::tablet::idle_minutes_of(caller).await?,
    };
    if let Some(id) = draft.filter(|d| !d.is_empty())
        && let Some(kept) =
            kept::load::<DailyNoteForm>(db, &id, &user.person_id, &draft_target(child_id))
                .await
                .context("loading a kept daily note")?
    {
        page.form = kept.fields;
        page.problem = Some(kept.problem);
    }
    Ok(page)
}

/// How writing a daily note went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Saved,
    /// Not saved, nothing changed: the form is kept with why, under this id.
    Kept(String),
}

/// `staff` writes today's note about their child. The free text goes through the guard: an
/// identity number is refused, anything else it finds (another child's name, health) needs
/// `confirmed`. What cannot be saved is kept as typed.
pub async fn write(
    staff: &StaffOfChild,
    form: &DailyNoteForm,
    confirmed: bool,
) -> Result<Written, AppError> {
    let ChildAccess { caller, child_id } = &staff.0;
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let unit = kindergarten_of(caller, child_id).await?;
    let problem = match form.checked() {
        Err(problem) => Some(problem),
        Ok(note) => {
            let others = send::other_children(db, user, child_id, today)
                .await
                .context("listing a child's group")?;
            match send::screen(&[("note", &note.note)], &others, confirmed) {
                Err(problem) => Some(problem.key()),
                Ok(_) => {
                    upsert(db, child_id, &unit, today, &note, &user.person_id)
                        .await
                        .context("writing a daily note")?;
                    kept::clear(db, &user.person_id, &draft_target(child_id))
                        .await
                        .context("clearing kept daily notes")?;
                    realtime::announce_day(db, child_id).await;
                    None
                }
            }
        }
    };
    match problem {
        None => Ok(Written::Saved),
        Some(problem) => {
            let id = kept::keep(db, &user.person_id, &draft_target(child_id), form, problem)
                .await
                .context("keeping a daily note")?;
            Ok(Written::Kept(id))
        }
    }
}

/// The child's day today at each kindergarten or SFO, as the guardians see it: when the child
/// was checked in and out, and the staff's note. Places without either are left out. Staff get
/// nothing here: they have the board of their own unit, and a school's staff are not told an
/// SFO's or a kindergarten's day.
pub async fn today_for_family(access: &ChildAccess) -> Result<Vec<DayAtUnit>, AppError> {
    let ChildAccess { caller, child_id } = access;
    if caller.is_staff() {
        return Ok(Vec::new());
    }
    let (db, today) = (&caller.state.db, &caller.today);
    let attendance =
        board::attendance_on(db, child_id, today).await.context("loading a child's check-ins")?;
    let notes = notes_on(db, child_id, today).await.context("loading daily notes")?;
    let mut units: Vec<(String, String)> =
        attendance.iter().map(|a| (a.unit_id.clone(), a.unit_name.clone())).collect();
    for n in &notes {
        if !units.iter().any(|(id, _)| *id == n.unit_id) {
            units.push((n.unit_id.clone(), n.unit_name.clone()));
        }
    }
    Ok(units
        .into_iter()
        .map(|(unit_id, unit)| {
            let a = attendance.iter().find(|a| a.unit_id == unit_id);
            DayAtUnit {
                unit,
                checked_in: a.and_then(|a| a.checked_in_at).map(time_of_day_text),
                checked_out: a.and_then(|a| a.checked_out_at).map(time_of_day_text),
                note: notes.iter().find(|n| n.unit_id == unit_id).map(view),
            }
        })
        .collect())
}
